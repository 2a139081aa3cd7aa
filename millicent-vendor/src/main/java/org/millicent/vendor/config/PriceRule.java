package org.millicent.vendor.config;

import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A surcharge on the base price by a property of the paying scrip, such as a sales tax by the
 * {@code country} property: the price grows by {@code base x rate / 10000} (rounded half up), where
 * the rate is {@code ratesBps} of the property's value, or {@code defaultBps} when the scrip lacks
 * the property or its value is not listed.
 *
 * <p>Read from YAML, the property may be missing until the configuration is validated as a whole,
 * which reports it; {@link #property()} then throws.
 *
 * @param property the scrip property key
 * @param ratesBps rate in basis points (1/100 of a percent) by property value
 * @param defaultBps rate for other values and for scrip without the property
 */
public record PriceRule(@Nullable String property, Map<String, Long> ratesBps, long defaultBps) {
  /** Freezes a sorted copy of the rates. */
  public PriceRule {
    ratesBps =
        ratesBps == null
            ? Map.of()
            : java.util.Collections.unmodifiableMap(new TreeMap<>(ratesBps));
  }

  /** The scrip property key, set in every validated rule. */
  @Override
  public String property() {
    return VendorConfigChecks.validated(property, "property");
  }

  /** The property as configured, null when missing: for validation, which reports that. */
  @Nullable String configuredProperty() {
    return property;
  }

  /**
   * The surcharge in millicents on {@code base} for a scrip whose property value is {@code value}.
   */
  public long surcharge(long base, @Nullable String value) {
    long bps = value == null ? defaultBps : ratesBps.getOrDefault(value, defaultBps);
    return (base * bps + 5_000) / 10_000;
  }
}
