package org.millicent.purchase;

import java.security.SecureRandom;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.purchase.SpendRecorder.SpendRecord;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * An accepted payment. From {@link PurchaseService#begin} it is claimed but not yet durable: {@link
 * #commit()} once the resource is delivered (or about to be), {@link #release()} when it could not
 * be. From {@link PurchaseService#pay} it is already committed, and a {@linkplain #isReplay()
 * replay} of an already committed request carries the change issued the first time; those need
 * neither. Holds the customer secret to MAC or seal the reply; never prints it. Not thread-safe:
 * one request's handler owns it.
 */
public final class Purchase {
  private enum State {
    CLAIMED,
    COMMITTED,
    RELEASED
  }

  private final Variant variant;
  private final Scrip scrip;
  private final long priceMillicents;
  private final Optional<Scrip> change;
  private final byte[] fingerprint;
  private final ReplySigner reply;
  private final SpendRecorder recorder;
  private final boolean replay;
  private State state;

  /** The change's encoding, made once: a reply MACs or seals it and also sends it. */
  private byte @Nullable [] changeEncoding;

  /**
   * A purchase; {@code changeEncoding} is the change's encoding when the caller has it already (as
   * the minter does), else null and made when first needed. {@code committed}: the spend is durable
   * already (always so for a replay).
   */
  Purchase(
      Variant variant,
      Scrip scrip,
      long priceMillicents,
      Optional<Scrip> change,
      byte[] fingerprint,
      @Nullable CustomerSecret secret,
      SpendRecorder recorder,
      boolean replay,
      boolean committed,
      byte @Nullable [] changeEncoding) {
    this.changeEncoding = changeEncoding;
    this.variant = variant;
    this.scrip = scrip;
    this.priceMillicents = priceMillicents;
    this.change = change;
    this.fingerprint = fingerprint;
    this.reply = new ReplySigner(variant, fingerprint, secret);
    this.recorder = recorder;
    this.replay = replay;
    this.state = replay || committed ? State.COMMITTED : State.CLAIMED;
  }

  /** The variant the payment came in. */
  public Variant variant() {
    return variant;
  }

  /** The scrip that paid. */
  public Scrip scrip() {
    return scrip;
  }

  /** The price charged. */
  public long priceMillicents() {
    return priceMillicents;
  }

  /** The change issued, if the scrip was worth more than the price. */
  public Optional<Scrip> change() {
    return change;
  }

  /** Whether this is an identical retry of a request already committed. */
  public boolean isReplay() {
    return replay;
  }

  /** The 16-byte fingerprint of the paying request (its request MAC in the signed variant). */
  public byte[] fingerprint() {
    return fingerprint.clone();
  }

  /**
   * Makes the spend durable with its change; returns once it is. Idempotent.
   *
   * @throws IllegalStateException when the purchase was released
   * @throws RuntimeException (the store's own failure type) when the store failed (then the scrip
   *     is released and the caller must not deliver)
   */
  public void commit() {
    if (state == State.COMMITTED) {
      return;
    }
    if (state == State.RELEASED) {
      throw new IllegalStateException("purchase of " + scrip.id() + " was released");
    }
    try {
      recorder.commit(
          new SpendRecord(scrip.id(), scrip.expiresAt(), fingerprint, priceMillicents, change));
    } catch (RuntimeException | Error e) {
      state = State.RELEASED;
      recorder.release(scrip.id());
      throw e;
    }
    state = State.COMMITTED;
  }

  /** Gives the scrip back unspent (nothing was delivered). No effect once committed. */
  public void release() {
    if (state == State.CLAIMED) {
      state = State.RELEASED;
      recorder.release(scrip.id());
    }
  }

  /** The change's binary encoding, or an empty array when there is none. */
  public byte[] changeBytes() {
    return encodedChange().clone();
  }

  private byte[] encodedChange() {
    byte[] encoding = changeEncoding;
    if (encoding == null) {
      encoding = change.map(ScripCodec::encode).orElse(new byte[0]);
      changeEncoding = encoding;
    }
    return encoding;
  }

  /**
   * The reply MAC of the signed variant over status, change and response body digest.
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] replyMac(int status, byte[] responseBodyDigest) {
    return reply.replyMac(status, encodedChange(), responseBodyDigest);
  }

  /**
   * Seals a response body for the private variant.
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] sealResponse(int status, byte[] body, SecureRandom random) {
    return reply.sealResponse(status, body, random);
  }

  /**
   * Seals the change encoding for the private variant (empty plaintext when there is none).
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] sealChange(SecureRandom random) {
    return reply.sealChange(encodedChange(), random);
  }

  /**
   * The receipt of the answer (docs/HTTP-API.md, "Paying"): the price and the change, with the
   * reply MAC over {@code status} and {@code responseBody} (signed), or the change sealed (private:
   * seal the body with {@link #sealResponse}, the receipt does not cover it).
   *
   * @param responseBody the response body exactly as sent (unsealed)
   */
  public Receipt receipt(int status, byte[] responseBody, SecureRandom random) {
    byte[] none = new byte[0];
    return switch (variant) {
      case CLEAR -> new Receipt(variant, priceMillicents, encodedChange(), none);
      case SIGNED ->
          new Receipt(
              variant,
              priceMillicents,
              encodedChange(),
              replyMac(status, RequestDescriptor.digest(responseBody)));
      case PRIVATE -> new Receipt(variant, priceMillicents, sealChange(random), none);
    };
  }

  @Override
  public String toString() {
    return "Purchase["
        + variant.wireName()
        + " "
        + scrip.id()
        + " price="
        + priceMillicents
        + (replay ? " replay" : "")
        + " "
        + state
        + "]";
  }
}
