/**
 * The starter's Boot 3 part: the {@code millicent} health component in Spring Boot 3 Actuator's
 * form, which {@code org.millicent.spring} registers only when it finds Boot 3's health API.
 */
// Spring Boot names its automatic modules in its manifests. "module": the name is its package's,
// whose terminal digit is Spring Boot's major version (3), not a version of this module.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic", "module"})
module org.millicent.spring.boot3 {
  requires static transitive org.jspecify;
  requires transitive org.millicent.vendor; // MillicentGateway in the API
  // Boot 3's Actuator (HealthIndicator is the exported class's supertype) is the application's,
  // or absent: on Boot 4 this module is there but its class is never loaded. Not transitive: the
  // starter, built on Boot 4, must compile without it.
  requires static spring.boot.actuator;

  exports org.millicent.spring.boot3;
}
