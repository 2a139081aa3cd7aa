/**
 * The vendor in a Spring Boot 3.5 or 4.0 application: the auto-configuration (found through its
 * {@code META-INF/spring} imports file, outside any package), {@code millicent.vendor.*}
 * properties, {@code @Priced} handlers and the Actuator health component. Spring Boot applications
 * run it from the class path, where this descriptor is not read; on a module path it says what
 * Spring may reflect on.
 */
// Spring and Micrometer name their automatic modules in their manifests.
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module org.millicent.spring {
  requires static transitive org.jspecify;
  requires transitive org.millicent.servlet;
  requires org.millicent.spring.boot3;
  // In the API: ObjectProvider, FilterRegistrationBean, DataSize, HandlerMapping, MeterBinder, and
  // the annotations of the auto-configuration class (@AutoConfiguration, @Bean, conditions).
  requires transitive spring.beans;
  requires transitive spring.boot;
  requires transitive spring.boot.autoconfigure;
  requires transitive spring.context;
  requires transitive spring.core;
  requires transitive spring.webmvc;
  requires transitive micrometer.core;
  requires spring.web;
  // Boot 4's health API (MillicentHealthIndicator's supertype), present only with Boot 4's
  // Actuator. Not transitive: a Boot 3 application has none.
  requires static spring.boot.health;
  requires org.slf4j;

  exports org.millicent.spring;

  // Spring creates the package-private configuration classes and calls their bean methods by
  // reflection (spring.core makes them accessible; spring.beans and spring.context call them).
  opens org.millicent.spring to
      spring.core,
      spring.beans,
      spring.context;
}
