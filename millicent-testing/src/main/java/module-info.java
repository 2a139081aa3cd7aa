/**
 * Test support shared by every module's tests: the hand-moved clock and the seeded random source of
 * property tests.
 */
module org.millicent.testing {
  requires static transitive org.jspecify;
  requires transitive org.junit.jupiter.api;

  exports org.millicent.testing;
}
