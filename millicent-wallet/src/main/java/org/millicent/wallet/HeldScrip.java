package org.millicent.wallet;

import java.time.Instant;
import org.millicent.scrip.Scrip;
import org.millicent.scrip.ScripCodec;
import org.millicent.scrip.ScripId;

/**
 * A piece of scrip in the wallet and where it stands. Immutable.
 *
 * @param vendor the vendor it is good at
 * @param id its scrip ID
 * @param customerId the customer ID it is bound to
 * @param valueMillicents its value
 * @param expiresAt its expiry
 * @param token its text token
 * @param state where it stands
 * @param source how it came: {@code bought}, {@code change}, {@code renewed} or {@code merged}
 * @param acquiredAt when the wallet got it
 * @param broker the base URL of the broker that sold it (or the piece it came from as change, or by
 *     renewal or merge); empty when not known (a piece that came from outside a purchase). It is
 *     paid only at origins that broker, or the user, vouched for the vendor (docs/WALLET.md,
 *     "Vouched origins")
 */
public record HeldScrip(
    String vendor,
    ScripId id,
    long customerId,
    long valueMillicents,
    Instant expiresAt,
    String token,
    ScripState state,
    String source,
    Instant acquiredAt,
    String broker) {

  /** The decoded scrip. */
  public Scrip scrip() {
    return ScripCodec.fromToken(token);
  }

  /** Names the scrip; the token is bearer-like data and is left out. */
  @Override
  public String toString() {
    return "HeldScrip[" + vendor + " " + id + " " + valueMillicents + " " + state.wireName() + "]";
  }
}
