/**
 * Test support shared by every module's tests: the hand-moved clock, the seeded random source of
 * property tests and self-signed keystores for TLS on loopback.
 */
module org.millicent.testing {
  requires static transitive org.jspecify;
  requires transitive org.junit.jupiter.api;

  exports org.millicent.testing;
}
