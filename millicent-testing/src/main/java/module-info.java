/**
 * Test support shared by every module's tests: the hand-moved clock, the seeded random source of
 * property tests, self-signed keystores for TLS on loopback and the origin behind an end-to-end
 * test's vendor.
 */
module org.millicent.testing {
  requires static transitive org.jspecify;
  requires jdk.httpserver;
  requires transitive org.junit.jupiter.api;

  exports org.millicent.testing;
}
