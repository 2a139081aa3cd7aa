package org.millicent.broker.http;

import io.javalin.http.Context;
import java.util.Map;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.Customer;
import org.millicent.bytes.Base64Url;
import org.millicent.bytes.ConstantTime;
import org.millicent.failure.PaymentException;
import org.millicent.protocol.AuthParams;
import org.millicent.protocol.Macs;
import org.millicent.protocol.Nonce;
import org.millicent.protocol.PaymentHeader;
import org.millicent.protocol.RequestDescriptor;

/**
 * Checks account requests (docs/HTTP-API.md, "Account requests"): {@code Authorization: Millicent
 * v=2, variant=account, customer=<decimal>, nonce=<b64>, mac=<b64>}, where {@code mac} is the
 * request MAC over an empty scrip field, the nonce, the broker origin the customer addressed,
 * method, target and body digest, under the customer's broker secret. The MAC is also the request's
 * idempotency key: a retry of the same request carries the same MAC. Stateless and thread-safe.
 */
final class AccountAuth {
  /** The variant name of account requests. */
  static final String VARIANT = "account";

  private AccountAuth() {}

  /** An authenticated account request. */
  record Authenticated(Customer customer, byte[] mac) {}

  /** Whether the request's Authorization header is an account request. */
  static boolean isAccountRequest(String header) {
    if (header == null) {
      return false;
    }
    try {
      return VARIANT.equals(AuthParams.parse(header).get("variant"));
    } catch (PaymentException e) {
      return false;
    }
  }

  /**
   * Authenticates the request as the account's owner.
   *
   * @param origins the broker's public origins, to find the one the request addressed
   * @throws BrokerException {@code unknown-authority} when the request addressed none of the
   *     broker's public origins (checked once the header names a known account); {@code
   *     unauthorized} when the header is missing, malformed, names an unknown customer, or its MAC
   *     does not verify
   */
  static Authenticated authenticate(Context ctx, Accounts accounts, Origins origins) {
    String header = ctx.header("Authorization");
    if (header == null) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED, "expected an account request (Authorization: Millicent ...)");
    }
    Map<String, String> p;
    Nonce nonce;
    byte[] mac;
    long customer;
    try {
      p = AuthParams.parse(header);
      if (!PaymentHeader.VERSION.equals(p.get("v")) || !VARIANT.equals(p.get("variant"))) {
        throw new BrokerException(
            BrokerError.UNAUTHORIZED,
            "expected v="
                + PaymentHeader.VERSION
                + ", variant=account, found v="
                + p.get("v")
                + ", variant="
                + p.get("variant"));
      }
      nonce = Nonce.parse(AuthParams.require(p, "nonce"));
      mac = Base64Url.decode(AuthParams.require(p, "mac"));
      customer = Long.parseUnsignedLong(AuthParams.require(p, "customer"));
    } catch (PaymentException | IllegalArgumentException e) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED, "account request header is malformed: " + e.getMessage());
    }
    Customer c =
        accounts
            .find(customer)
            .orElseThrow(
                () ->
                    new BrokerException(
                        BrokerError.UNAUTHORIZED,
                        "no account for customer " + Long.toUnsignedString(customer)));
    RequestDescriptor request =
        RequestDescriptor.of(
            origins.addressed(ctx), ctx.method().name(), target(ctx), ctx.bodyAsBytes());
    byte[] expected = Macs.mac(c.secret(), Macs.requestInput(new byte[0], nonce, request));
    if (mac.length != Macs.LENGTH || !ConstantTime.equal(expected, mac)) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "account request MAC does not verify under the secret of customer "
              + c.idText()
              + " for "
              + ctx.method().name()
              + " "
              + target(ctx));
    }
    return new Authenticated(c, mac);
  }

  /** The request target exactly as sent: raw path and query. */
  static String target(Context ctx) {
    String q = ctx.queryString();
    return ctx.req().getRequestURI() + (q == null || q.isEmpty() ? "" : "?" + q);
  }
}
