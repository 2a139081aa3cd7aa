package org.millicent.purchase;

import java.util.Optional;
import org.millicent.protocol.Receipt;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;

/**
 * What the vendor's spent list says about one earlier request of a customer, for a wallet that lost
 * its answer (docs/HTTP-API.md, "POST /millicent/recover"): the scrip was spent by that very
 * request (with the price charged and the change issued), never spent, or spent by another request.
 * Asked with a payment of the same scrip over the recovery request itself, which proves the asker
 * holds the customer secret; the answer is MACed under it, bound to that payment's request MAC.
 * Holds the customer secret; never prints it. Immutable and thread-safe.
 */
public final class Recovery {
  /** Where the scrip stands with respect to the asked-about request. */
  public enum State {
    /** Spent by the asked-about request: {@link #priceMillicents} and {@link #change} say how. */
    SPENT("spent"),
    /** Not spent at all: the customer may spend it again. */
    UNSPENT("unspent"),
    /** Spent (or being spent) by another request: it is gone. */
    SPENT_BY_ANOTHER("spent-by-another");

    private final String wireName;

    State(String wireName) {
      this.wireName = wireName;
    }

    /** The name on the wire. */
    public String wireName() {
      return wireName;
    }
  }

  private final State state;
  private final Scrip scrip;
  private final long priceMillicents;
  private final Optional<Scrip> change;
  private final ReplySigner reply;

  Recovery(
      State state, Scrip scrip, long priceMillicents, Optional<Scrip> change, ReplySigner reply) {
    this.state = state;
    this.scrip = scrip;
    this.priceMillicents = priceMillicents;
    this.change = change;
    this.reply = reply;
  }

  /** Where the scrip stands. */
  public State state() {
    return state;
  }

  /** The scrip asked about. */
  public Scrip scrip() {
    return scrip;
  }

  /** The price charged to the asked-about request, 0 unless {@link State#SPENT}. */
  public long priceMillicents() {
    return priceMillicents;
  }

  /** The change issued to the asked-about request, if any. */
  public Optional<Scrip> change() {
    return change;
  }

  /** The change's encoding, empty when there is none. */
  public byte[] changeBytes() {
    return change.map(ScripCodec::encode).orElse(new byte[0]);
  }

  /**
   * The reply MAC of the recovery request's answer (signed variant, as a purchase's): over the
   * status, the change encoding and the response body digest, bound to the recovery request's MAC.
   */
  public byte[] replyMac(int status, byte[] responseBodyDigest) {
    return reply.replyMac(status, changeBytes(), responseBodyDigest);
  }

  /**
   * The receipt of the recovery's answer, signed as a purchase's (docs/HTTP-API.md, "POST
   * /millicent/recover"): the recorded price and change, with the reply MAC over {@code status} and
   * {@code responseBody}.
   */
  public Receipt receipt(int status, byte[] responseBody) {
    return new Receipt(
        Variant.SIGNED,
        priceMillicents,
        changeBytes(),
        replyMac(status, RequestDescriptor.digest(responseBody)));
  }

  @Override
  public String toString() {
    return "Recovery[" + scrip.id() + " " + state.wireName() + " price=" + priceMillicents + "]";
  }
}
