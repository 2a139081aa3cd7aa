package org.millicent.scrip;

import java.time.Instant;

/**
 * A piece of scrip: vendor-specific digital cash, its fields and the certificate over them
 * (docs/PROTOCOL.md, "Scrip"). Holding a Scrip says nothing about its validity; the vendor's
 * purchase service checks it. Immutable.
 *
 * @param body the certified fields
 * @param certificate HMAC-SHA-256/128 of the body's encoding under the master scrip secret
 */
public record Scrip(ScripBody body, Certificate certificate) {
  /** Requires both parts. */
  public Scrip {
    if (body == null || certificate == null) {
      throw new IllegalArgumentException("scrip needs a body and a certificate");
    }
  }

  /** The vendor the scrip is good at. */
  public String vendor() {
    return body.vendor();
  }

  /** The value in millicents. */
  public long valueMillicents() {
    return body.valueMillicents();
  }

  /** The scrip ID. */
  public ScripId id() {
    return body.id();
  }

  /** The customer ID the scrip is bound to. */
  public long customerId() {
    return body.customerId();
  }

  /** The expiry instant. */
  public Instant expiresAt() {
    return body.expiresAt();
  }

  /** The vendor-defined properties. */
  public ScripProperties properties() {
    return body.properties();
  }

  /** How the scrip may be spent. */
  public SpendMode spend() {
    return body.spend();
  }

  /** The text token (base64url of the binary encoding), as carried in headers and the CLI. */
  public String token() {
    return ScripCodec.toToken(this);
  }
}
