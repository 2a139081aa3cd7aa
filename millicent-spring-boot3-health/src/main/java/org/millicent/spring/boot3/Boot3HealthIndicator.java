package org.millicent.spring.boot3;

import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VendorHealth;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;

/**
 * The vendor runtime in Spring Boot 3 Actuator's health ({@code /actuator/health}, component {@code
 * millicent}): Boot 3's form of the starter's Boot 4 {@code MillicentHealthIndicator}, with the
 * same status and details ({@link VendorHealth#details()}). Thread-safe.
 */
// "exports": Boot 3's Actuator is read only where it is present (requires static, not transitive),
// so that the starter, built on Boot 4, compiles without it; whoever uses this class has it.
@SuppressWarnings("exports")
public final class Boot3HealthIndicator implements HealthIndicator {
  private final MillicentGateway gateway;

  /** The health of {@code gateway}. */
  public Boot3HealthIndicator(MillicentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public Health health() {
    VendorHealth h = gateway.health();
    return (h.up() ? Health.up() : Health.down()).withDetails(h.details()).build();
  }
}
