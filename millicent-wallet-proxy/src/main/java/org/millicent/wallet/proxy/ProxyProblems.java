package org.millicent.wallet.proxy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.millicent.http.ProblemDocument;
import org.millicent.wallet.WalletException;

/**
 * The proxy's one mapping from failures to HTTP (docs/WALLET.md, "The proxy"): the status each
 * {@link WalletException.Code} is answered with, and the RFC 9457 problem document that carries the
 * code, in the fields and order both servers use ({@code type}, {@code title}, {@code status},
 * {@code code}, {@code detail}), with a {@code Millicent-Wallet} header naming the code. Stateless
 * and thread-safe.
 */
final class ProxyProblems {
  /** The code of a request the proxy cannot forward as sent. */
  static final String BAD_REQUEST = WalletException.Code.BAD_REQUEST.code();

  private ProxyProblems() {}

  /**
   * The status a wallet failure is answered with: 402 when the wallet would not or could not pay,
   * 502 when a server failed or lied, 504 when an answer is outstanding, 400 for a bad request.
   */
  static int status(WalletException.Code code) {
    return switch (code) {
      case BUDGET_EXCEEDED,
          NO_BROKER_ACCOUNT,
          NOT_REGISTERED,
          BROKER_REFUSED,
          VENDOR_REFUSED,
          NO_COMMON_VARIANT,
          UNVOUCHED_ORIGIN,
          INSUFFICIENT_SCRIP ->
          402;
      case PAYMENT_IN_FLIGHT -> 504;
      case BAD_RESPONSE, FORGED_REPLY, UNREACHABLE -> 502;
      case BAD_REQUEST -> 400;
    };
  }

  /** Answers {@code e} with its status and code. */
  static void write(Response out, Callback callback, WalletException e, String detail) {
    write(out, callback, status(e.code()), e.code().code(), detail);
  }

  /** Answers with a problem document of {@code status} carrying {@code code}. */
  static void write(Response out, Callback callback, int status, String code, String detail) {
    byte[] body =
        ProblemDocument.bytes(status, code, HttpStatus.getMessage(status), detail, Map.of());
    out.setStatus(status);
    out.getHeaders().put("Content-Type", ProblemDocument.MEDIA_TYPE);
    out.getHeaders().put("Cache-Control", "no-store");
    out.getHeaders().put("Millicent-Wallet", code);
    out.getHeaders().put("Content-Length", Integer.toString(body.length));
    out.write(true, ByteBuffer.wrap(body), callback);
  }
}
