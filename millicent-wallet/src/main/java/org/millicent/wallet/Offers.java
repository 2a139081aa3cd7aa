package org.millicent.wallet;

import org.millicent.failure.MalformedException;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Offer;
import org.millicent.wallet.http.Response;

/**
 * Reads a vendor's offer (core's {@link Offer}) from the {@code WWW-Authenticate: Millicent ...}
 * challenge of a {@code 402} (docs/HTTP-API.md, "Offer"), as a wallet failure when it cannot.
 * Stateless and thread-safe.
 */
public final class Offers {
  private Offers() {}

  /**
   * The offer in a 402 response: its first Millicent challenge.
   *
   * @throws WalletException {@code bad-response} when the response carries no well-formed Millicent
   *     challenge
   */
  public static Offer from(Response response) {
    for (String value : response.headerValues(Headers.WWW_AUTHENTICATE)) {
      if (AuthParams.isMillicent(value)) {
        return parse(value);
      }
    }
    throw new WalletException(
        WalletException.Code.BAD_RESPONSE,
        "expected a WWW-Authenticate: Millicent challenge in the 402 from "
            + response.request().uri()
            + ", found none");
  }

  /**
   * Parses one {@code Millicent ...} challenge.
   *
   * @throws WalletException {@code bad-response} when a parameter is missing or out of range
   */
  public static Offer parse(String challenge) {
    try {
      return Offer.parse(challenge);
    } catch (MalformedException e) {
      throw new WalletException(
          WalletException.Code.BAD_RESPONSE,
          "the vendor's offer is malformed: " + e.getMessage(),
          e);
    }
  }
}
