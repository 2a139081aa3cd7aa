package org.millicent.purchase;

import java.security.SecureRandom;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;

/**
 * A completed exchange: its inputs are spent (durably) and these are the scrip issued for them
 * (docs/HTTP-API.md, "POST /millicent/exchange"). A {@linkplain #isReplay() replay} of an earlier
 * identical request carries the scrip issued the first time. For an exchange paid by a customer it
 * also signs or seals the reply, whose change is always empty. Holds the customer secret; never
 * prints it. Immutable and thread-safe.
 */
public final class Exchange {
  private static final byte[] NO_CHANGE = new byte[0];

  private final @Nullable Variant variant;
  private final List<Scrip> outputs;
  private final boolean replay;
  private final ReplySigner reply;

  Exchange(@Nullable Variant variant, List<Scrip> outputs, boolean replay, ReplySigner reply) {
    this.variant = variant;
    this.outputs = List.copyOf(outputs);
    this.replay = replay;
    this.reply = reply;
  }

  /** The variant the paying request came in, or {@code null} for a broker's reassignment. */
  public @Nullable Variant variant() {
    return variant;
  }

  /** The scrip issued, in the order of the request (split: one per amount). */
  public List<Scrip> outputs() {
    return outputs;
  }

  /** Whether this is an identical retry of an exchange already done. */
  public boolean isReplay() {
    return replay;
  }

  /**
   * The signed variant's reply MAC over status, the empty change and the response body digest.
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] replyMac(int status, byte[] responseBodyDigest) {
    return reply.replyMac(status, NO_CHANGE, responseBodyDigest);
  }

  /**
   * Seals the response body for the private variant.
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] sealResponse(int status, byte[] body, SecureRandom random) {
    return reply.sealResponse(status, body, random);
  }

  /**
   * Seals the (empty) change for the private variant's receipt.
   *
   * @throws IllegalStateException for other variants
   */
  public byte[] sealChange(SecureRandom random) {
    return reply.sealChange(NO_CHANGE, random);
  }

  /**
   * The receipt of the answer (price 0, no change): with the reply MAC over {@code status} and
   * {@code responseBody} (signed), or the empty change sealed (private: seal the body with {@link
   * #sealResponse}).
   *
   * @param responseBody the response body exactly as sent (unsealed)
   * @throws IllegalStateException for a broker's reassignment, which has no paying request
   */
  public Receipt receipt(int status, byte[] responseBody, SecureRandom random) {
    if (variant == Variant.PRIVATE) {
      return new Receipt(variant, 0, sealChange(random), NO_CHANGE);
    }
    if (variant == null) {
      throw new IllegalStateException("a reassignment has no receipt");
    }
    return new Receipt(
        variant, 0, NO_CHANGE, replyMac(status, RequestDescriptor.digest(responseBody)));
  }

  @Override
  public String toString() {
    return "Exchange["
        + (variant == null ? "reassign" : variant.wireName())
        + " outputs="
        + outputs.size()
        + (replay ? " replay" : "")
        + "]";
  }
}
