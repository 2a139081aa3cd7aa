package org.millicent.vendor.config;

import java.nio.file.Path;

/**
 * The TLS keystore the vendor serves HTTPS with (PKCS#12 or JKS). Not a record: it holds the
 * keystore password, which {@link #toString} never prints. Immutable.
 */
public final class TlsConfig {
  private final Path keystore;
  private final String password;

  /**
   * A keystore and its password.
   *
   * @param keystore the keystore file
   * @param password its password
   */
  public TlsConfig(Path keystore, String password) {
    this.keystore = keystore;
    this.password = password;
  }

  /** The keystore file. */
  public Path keystore() {
    return keystore;
  }

  /** The keystore password; never log it. */
  public String password() {
    return password;
  }

  /** Names the keystore only. */
  @Override
  public String toString() {
    return "TlsConfig[" + keystore + "]";
  }
}
