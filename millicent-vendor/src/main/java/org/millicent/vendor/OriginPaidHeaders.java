package org.millicent.vendor;

import java.time.InstantSource;
import org.jspecify.annotations.Nullable;
import org.millicent.purchase.Purchase;
import org.millicent.vendor.config.Content;
import org.millicent.vendor.config.PaidHeadersKey;
import org.millicent.vendor.config.VendorConfig;
import org.millicent.vendor.content.ContentRequest;

/**
 * Adds the signed {@code Millicent-Paid-*} headers ({@link PaidHeaders}) to a paid request the
 * gateway forwards to its origin, when a key is configured ({@code content.paid_headers_key_file});
 * without one it adds nothing. The signature covers the target as the origin receives it: the
 * origin URL's path, then the canonical target. Holds the key; prints nothing of it. Thread-safe.
 */
final class OriginPaidHeaders {
  private final byte @Nullable [] key;
  private final String basePath;
  private final InstantSource clock;

  private OriginPaidHeaders(byte @Nullable [] key, String basePath, InstantSource clock) {
    this.key = key;
    this.basePath = basePath;
    this.clock = clock;
  }

  /**
   * The headers of {@code config}'s origin, reading its key file; none for local content or an
   * origin without a key.
   *
   * @throws org.millicent.vendor.config.ConfigException when the key file cannot be read
   */
  static OriginPaidHeaders of(VendorConfig config, InstantSource clock) {
    if (config.content() instanceof Content.Origin o && o.paidHeadersKeyFile() != null) {
      String path = o.url().getRawPath() == null ? "" : o.url().getRawPath();
      // As OriginProxy joins them: the base URL without its trailing slash, then the target.
      if (path.endsWith("/")) {
        path = path.substring(0, path.length() - 1);
      }
      return new OriginPaidHeaders(PaidHeadersKey.read(o.paidHeadersKeyFile()), path, clock);
    }
    return new OriginPaidHeaders(null, "", clock);
  }

  /** {@code forward} with the headers that tell the origin about {@code p}, when there is a key. */
  ContentRequest add(ContentRequest forward, Purchase p) {
    byte[] k = key;
    if (k == null) {
      return forward;
    }
    return forward.withPaidHeaders(
        PaidHeaders.sign(
            VerifiedPayment.of(p),
            forward.method(),
            basePath + forward.target(),
            clock.instant().getEpochSecond(),
            k));
  }

  /** Says whether there is a key, never the key. */
  @Override
  public String toString() {
    return "OriginPaidHeaders[" + (key == null ? "off" : "signed") + "]";
  }
}
