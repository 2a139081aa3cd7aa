package org.millicent.purchase;

import java.time.Instant;
import java.util.Arrays;
import org.millicent.failure.UnknownKeyException;
import org.millicent.keys.MasterSecrets;
import org.millicent.scrip.Certificate;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripBody;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;
import org.millicent.scrip.ScripProperties;
import org.millicent.scrip.SpendMode;

/**
 * Makes new scrip for one vendor: a fresh serial under the primary key, the fields, and the
 * certificate (docs/PROTOCOL.md, "Certificate"). Used for change, for sales to brokers and by
 * licensed brokers. Thread-safe.
 */
public final class ScripMinter {
  private final String vendor;
  private final MasterSecrets secrets;
  private final SerialAllocator serials;

  /** A minter for {@code vendor} signing with the primary key of {@code secrets}. */
  public ScripMinter(String vendor, MasterSecrets secrets, SerialAllocator serials) {
    ScripBody.checkVendor(vendor);
    this.vendor = vendor;
    this.secrets = secrets;
    this.serials = serials;
  }

  /** The vendor this minter makes scrip for. */
  public String vendor() {
    return vendor;
  }

  /**
   * Mints a piece of scrip under the primary key.
   *
   * @throws UnknownKeyException when the vector has no primary key
   * @throws IllegalArgumentException when a field is out of range
   */
  public Scrip mint(
      long valueMillicents, long customerId, Instant expiresAt, ScripProperties properties) {
    return mint(valueMillicents, customerId, expiresAt, properties, SpendMode.BOUND);
  }

  /**
   * Mints a piece of scrip under the primary key, bound or bearer (docs/PROTOCOL.md, "Scrip").
   *
   * @throws UnknownKeyException when the vector has no primary key
   * @throws IllegalArgumentException when a field is out of range
   */
  public Scrip mint(
      long valueMillicents,
      long customerId,
      Instant expiresAt,
      ScripProperties properties,
      SpendMode spend) {
    return mintEncoded(valueMillicents, customerId, expiresAt, properties, spend).scrip();
  }

  /** Like {@link #mint}, also returning the encoding that minting computes anyway. */
  Minted mintEncoded(
      long valueMillicents,
      long customerId,
      Instant expiresAt,
      ScripProperties properties,
      SpendMode spend) {
    int keyId =
        secrets
            .primaryKeyId()
            .orElseThrow(() -> new UnknownKeyException("no primary master secret to mint with"));
    return mintEncodedUnder(keyId, valueMillicents, customerId, expiresAt, properties, spend);
  }

  /**
   * Mints under a given key id, as a licensed broker does with the key ids delegated to it.
   *
   * @throws UnknownKeyException when the key is absent or retired
   */
  public Scrip mintUnder(
      int keyId,
      long valueMillicents,
      long customerId,
      Instant expiresAt,
      ScripProperties properties) {
    return mintEncodedUnder(
            keyId, valueMillicents, customerId, expiresAt, properties, SpendMode.BOUND)
        .scrip();
  }

  /**
   * A piece of scrip just minted and its binary encoding ({@link ScripCodec#encode}), so that a
   * purchase sends its change without encoding it a second time.
   */
  record Minted(Scrip scrip, byte[] encoding) {}

  private Minted mintEncodedUnder(
      int keyId,
      long valueMillicents,
      long customerId,
      Instant expiresAt,
      ScripProperties properties,
      SpendMode spend) {
    ScripBody body =
        new ScripBody(
            vendor,
            valueMillicents,
            new ScripId(keyId, serials.next(keyId)),
            customerId,
            expiresAt,
            properties,
            spend);
    byte[] encodedBody = ScripCodec.encodeBody(body);
    Certificate certificate = secrets.certify(keyId, encodedBody);
    // The encoding is the body followed by the certificate (docs/PROTOCOL.md, "Scrip encoding").
    byte[] encoding = Arrays.copyOf(encodedBody, encodedBody.length + Certificate.LENGTH);
    System.arraycopy(certificate.bytes(), 0, encoding, encodedBody.length, Certificate.LENGTH);
    return new Minted(new Scrip(body, certificate), encoding);
  }
}
