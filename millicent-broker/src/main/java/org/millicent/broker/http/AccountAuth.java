package org.millicent.broker.http;

import io.javalin.http.Context;
import org.millicent.broker.BrokerError;
import org.millicent.broker.BrokerException;
import org.millicent.broker.accounts.Accounts;
import org.millicent.broker.accounts.Customer;
import org.millicent.failure.ForgedException;
import org.millicent.failure.MalformedException;
import org.millicent.protocol.AccountRequest;
import org.millicent.protocol.RequestDescriptor;

/**
 * Checks account requests (docs/HTTP-API.md, "Account requests"; the header is core's {@link
 * AccountRequest}) against the broker's accounts and the origin the request addressed. Stateless
 * and thread-safe.
 */
final class AccountAuth {
  private AccountAuth() {}

  /** An authenticated account request. */
  record Authenticated(Customer customer, byte[] mac) {}

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
    AccountRequest request;
    try {
      request = AccountRequest.parse(header);
    } catch (MalformedException e) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED, "account request header is malformed: " + e.getMessage());
    }
    long customer = request.customerId();
    Customer c =
        accounts
            .find(customer)
            .orElseThrow(
                () ->
                    new BrokerException(
                        BrokerError.UNAUTHORIZED,
                        "no account for customer " + Long.toUnsignedString(customer)));
    try {
      request.verify(
          c.secret(),
          RequestDescriptor.of(
              origins.addressed(ctx), ctx.method().name(), target(ctx), ctx.bodyAsBytes()));
    } catch (ForgedException e) {
      throw new BrokerException(
          BrokerError.UNAUTHORIZED,
          "account request MAC does not verify under the secret of customer "
              + c.idText()
              + " for "
              + ctx.method().name()
              + " "
              + target(ctx));
    }
    return new Authenticated(c, request.mac());
  }

  /** The request target exactly as sent: raw path and query. */
  static String target(Context ctx) {
    String q = ctx.queryString();
    return ctx.req().getRequestURI() + (q == null || q.isEmpty() ? "" : "?" + q);
  }
}
