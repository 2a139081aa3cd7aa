package org.millicent.spring.shop;

/**
 * The starter on Spring Boot 3.5 (embedded Tomcat 10.1, Servlet 6.0): the {@link StarterScenarios}
 * StarterIT runs on Boot 4, with this module's class path of Boot 3 as an application has it.
 */
class Boot3StarterIT extends StarterScenarios {
  @Override
  protected String bootLine() {
    return "3.5.";
  }

  @Override
  protected String servletApi() {
    return "6.0";
  }
}
