package org.millicent.wallet.http;

import java.io.IOException;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Headers;

/**
 * The payment step of the chain (docs/HTTP-API.md, "Offer" and "Paying"): passes the request on; if
 * the answer is a 402 with a Millicent offer and the request carried no Millicent payment yet,
 * hands both to the {@link PaymentHandler}, which pays once and sends once more. Like OkHttp's
 * {@code Authenticator} rule, it gives up rather than loop: a paid request's answer is final. A
 * {@code HEAD} is never paid for: vendors deliver no content to it and refuse its payment
 * (docs/HTTP-API.md, "HEAD"), so its 402 offer, which names the price, is the answer. Thread-safe.
 */
final class PaymentInterceptor implements Interceptor {
  private final PaymentHandler handler;

  PaymentInterceptor(PaymentHandler handler) {
    this.handler = handler;
  }

  @Override
  public Response intercept(Chain chain) throws IOException, InterruptedException {
    Request request = chain.request();
    Response response = chain.proceed(request);
    if (!isMillicentOffer(response)
        || carriesMillicentPayment(request)
        || "HEAD".equalsIgnoreCase(request.method())) {
      return response;
    }
    return handler.pay(request, response, chain::proceed);
  }

  /** Whether {@code response} is a 402 with a {@code WWW-Authenticate: Millicent} challenge. */
  static boolean isMillicentOffer(Response response) {
    if (response.status() != 402) {
      return false;
    }
    for (String v : response.headerValues(Headers.WWW_AUTHENTICATE)) {
      if (AuthParams.isMillicent(v)) {
        return true;
      }
    }
    return false;
  }

  private static boolean carriesMillicentPayment(Request request) {
    return request.header(Headers.AUTHORIZATION).map(AuthParams::isMillicent).orElse(false);
  }
}
