package org.millicent.wallet;

import java.net.URI;
import java.security.SecureRandom;
import java.util.Map;
import org.millicent.keys.CustomerSecret;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.Authority;
import org.millicent.protocol.Headers;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.Payer;
import org.millicent.protocol.Payment;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;
import org.millicent.protocol.Variant;
import org.millicent.scrip.Scrip;
import org.millicent.wallet.http.Request;

/**
 * Builds the requests that carry payments (docs/HTTP-API.md, "Paying" and "Account requests"): the
 * {@code Authorization: Millicent} header in the signed or private variant, the sealed body of the
 * private variant, and the account requests a broker takes. Each build makes a fresh nonce; the
 * result is recorded before it is sent and re-sent unchanged. Stateless and thread-safe.
 */
final class PaidRequests {
  private PaidRequests() {}

  /**
   * The draft of {@code request} paid with {@code scrip} in {@code variant}.
   *
   * @param kind {@code purchase} or {@code exchange}
   * @param offeredPrice the price offered (0 for an exchange)
   */
  static PaymentDraft payment(
      String kind,
      Variant variant,
      Scrip scrip,
      CustomerSecret secret,
      Request request,
      long offeredPrice,
      SecureRandom random) {
    Nonce nonce = Nonce.random(random);
    String contentType = request.header("Content-Type").orElse(null);
    byte[] body = request.body();
    String sealedContentType = null;
    Payment payment;
    switch (variant) {
      case SIGNED -> {
        payment = Payer.signed(scrip, secret, nonce, descriptor(request, body));
      }
      case PRIVATE -> {
        if (body.length > 0) {
          body = Payer.sealRequestBody(secret, scrip.vendor(), scrip.customerId(), body, random);
          sealedContentType = contentType;
          contentType = Headers.SEALED_MEDIA_TYPE;
        }
        payment = Payer.sealed(scrip, secret, nonce, descriptor(request, body), random);
      }
      case CLEAR ->
          throw new IllegalArgumentException("the wallet never pays in the clear variant");
      default -> throw new IllegalArgumentException("unknown variant " + variant);
    }
    return new PaymentDraft(
        kind,
        scrip.vendor(),
        scrip.customerId(),
        variant.wireName(),
        offeredPrice,
        request.method(),
        request.uri().toString(),
        PaymentHeader.format(payment),
        contentType,
        sealedContentType,
        body);
  }

  /**
   * What a payment for {@code request} with this body (as sent) is bound to: the origin the
   * customer addressed (scheme, host, port of the request URL), method, target and body digest
   * (docs/PROTOCOL.md, "Request MAC").
   */
  static RequestDescriptor descriptor(Request request, byte[] body) {
    return RequestDescriptor.of(
        Authority.of(request.uri()), request.method(), request.target(), body);
  }

  /**
   * The {@code Authorization} value of an account request at a broker: the request MAC with an
   * empty scrip field, under the customer's broker secret.
   */
  static String accountAuthorization(
      long customerId,
      CustomerSecret brokerSecret,
      Nonce nonce,
      String method,
      URI url,
      byte[] body) {
    String target = Request.of(method, url, Map.of(), body).target();
    return AccountRequest.sign(
        customerId,
        brokerSecret,
        nonce,
        RequestDescriptor.of(Authority.of(url), method, target, body));
  }
}
