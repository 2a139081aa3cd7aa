package org.millicent.wallet.http;

import java.io.IOException;

/**
 * Pays for a request that a vendor answered with {@code 402 Payment Required} and a Millicent
 * offer: chooses or buys scrip, sends the request once more with the payment, settles the receipt.
 * The wallet implements it. Implementations are thread-safe.
 */
@FunctionalInterface
public interface PaymentHandler {
  /**
   * Pays for {@code request} and returns the response to the paid request.
   *
   * @param request the request as the vendor saw it, without payment
   * @param offer the vendor's 402 response carrying {@code WWW-Authenticate: Millicent ...}
   * @param next sends the paid request (the rest of the chain)
   * @throws IOException when the paid request got no answer (the payment stays recorded and is
   *     re-sent later)
   * @throws InterruptedException when the thread was interrupted
   */
  Response pay(Request request, Response offer, Transport next)
      throws IOException, InterruptedException;
}
