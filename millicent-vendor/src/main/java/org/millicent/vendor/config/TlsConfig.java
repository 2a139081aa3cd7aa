package org.millicent.vendor.config;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The TLS keystore the vendor serves HTTPS with (PKCS#12 or JKS). Not a record: it holds the
 * keystore password, which {@link #toString} never prints. Immutable. Read from YAML, either may be
 * missing until the configuration is validated as a whole, which reports it; the accessors then
 * throw.
 */
public final class TlsConfig {
  private final @Nullable Path keystore;
  private final @Nullable String password;

  /**
   * A keystore and its password.
   *
   * @param keystore the keystore file
   * @param password its password
   */
  public TlsConfig(@Nullable Path keystore, @Nullable String password) {
    this.keystore = keystore;
    this.password = password;
  }

  /** The keystore file. */
  public Path keystore() {
    return VendorConfigChecks.validated(keystore, "keystore");
  }

  /** The keystore password; never log it. */
  public String password() {
    return VendorConfigChecks.validated(password, "password");
  }

  /** The keystore as configured, null when missing: for validation, which reports that. */
  @Nullable Path configuredKeystore() {
    return keystore;
  }

  /** The password as configured, null when missing: for validation. */
  @Nullable String configuredPassword() {
    return password;
  }

  /** Names the keystore only. */
  @Override
  public String toString() {
    return "TlsConfig[" + keystore + "]";
  }
}
