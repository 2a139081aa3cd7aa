/**
 * The contract suites every implementation of core's {@code SpendRecorder} and {@code
 * SerialAllocator} must pass; each store's tests extend them.
 */
module org.millicent.contracts {
  requires static transitive org.jspecify;
  requires transitive org.millicent.core;
  requires transitive org.millicent.testing;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;

  exports org.millicent.contracts;

  // JUnit finds and calls the suites' test methods by reflection.
  opens org.millicent.contracts to
      org.junit.platform.commons;
}
