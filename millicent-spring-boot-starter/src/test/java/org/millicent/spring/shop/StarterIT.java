package org.millicent.spring.shop;

/**
 * The starter on Spring Boot 4 (embedded Tomcat 11, Servlet 6.1): the {@link StarterScenarios}.
 * millicent-spring-boot3-it runs the same on Boot 3.
 */
class StarterIT extends StarterScenarios {
  @Override
  protected String bootLine() {
    return "4.0.";
  }

  @Override
  protected String servletApi() {
    return "6.1";
  }
}
