package org.millicent.vendor.config;

import org.jspecify.annotations.Nullable;

/**
 * The price of requests whose method and path match: the first matching entry of the catalogue
 * wins. In {@code path}, {@code *} matches any characters except {@code /} and {@code **} any
 * characters at all; {@code method} is an HTTP method or {@code *} for any.
 *
 * <p>Read from YAML, the method or path may be missing until the configuration is validated as a
 * whole, which reports it; their accessors then throw. Every entry of a {@link VendorConfig} has
 * both.
 *
 * @param method upper-case HTTP method or {@code *}
 * @param path a path pattern starting with {@code /}
 * @param priceMillicents the base price (0 for free)
 */
public record Price(@Nullable String method, @Nullable String path, long priceMillicents) {
  /** The method, set in every validated entry. */
  @Override
  public String method() {
    return VendorConfigChecks.validated(method, "method");
  }

  /** The path pattern, set in every validated entry. */
  @Override
  public String path() {
    return VendorConfigChecks.validated(path, "path");
  }

  /** The method as configured, null when missing: for validation, which reports that. */
  @Nullable String configuredMethod() {
    return method;
  }

  /** The path pattern as configured, null when missing: for validation. */
  @Nullable String configuredPath() {
    return path;
  }
}
