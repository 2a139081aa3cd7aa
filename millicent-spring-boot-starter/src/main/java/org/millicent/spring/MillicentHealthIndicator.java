package org.millicent.spring;

import org.millicent.vendor.MillicentGateway;
import org.millicent.vendor.VendorHealth;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * The vendor runtime in Actuator's health ({@code /actuator/health}, component {@code millicent}):
 * up while its database answers (payments work), with the vendor id, the database, the primary key
 * id and key count, and each configured broker's licence (joined or not). A broker without a
 * licence does not make the vendor down: its own scrip and other brokers' still sell. Boot 4's
 * form; on Boot 3 the starter registers {@link org.millicent.spring.boot3.Boot3HealthIndicator}
 * instead. Thread-safe.
 */
// "exports": Boot 4's health API is read only where it is present (requires static, not
// transitive), so that a Boot 3 application, which has none, can use the module; whoever uses this
// class has it.
@SuppressWarnings("exports")
public final class MillicentHealthIndicator implements HealthIndicator {
  private final MillicentGateway gateway;

  /** The health of {@code gateway}. */
  public MillicentHealthIndicator(MillicentGateway gateway) {
    this.gateway = gateway;
  }

  @Override
  public Health health() {
    VendorHealth h = gateway.health();
    return (h.up() ? Health.up() : Health.down()).withDetails(h.details()).build();
  }
}
