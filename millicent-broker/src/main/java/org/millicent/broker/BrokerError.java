package org.millicent.broker;

import org.millicent.failure.ErrorCode;

/**
 * The stable machine codes of the broker's own failures (docs/HTTP-API.md, "Broker"). Payment
 * failures of broker scrip keep the core's codes ({@code spent}, {@code forged}...). Codes never
 * change once published. Their HTTP statuses are the HTTP layer's business: {@code
 * org.millicent.broker.http.Problems} maps every failure to its status in one place.
 */
public enum BrokerError implements ErrorCode {
  /** The request body or a parameter is not what the endpoint expects. */
  BAD_REQUEST("bad-request", "Bad request"),
  /** An amount is zero, negative, too large, or would overflow a balance. */
  BAD_AMOUNT("bad-amount", "Bad amount"),
  /** The request is not authenticated as required, or the authentication does not verify. */
  UNAUTHORIZED("unauthorized", "Unauthorized"),
  /** The request must come over TLS or from loopback. */
  INSECURE_CHANNEL("insecure-channel", "TLS or loopback required"),
  /**
   * The request addressed an origin that is not one of the broker's public URLs, so a payment or
   * account request in it cannot be checked (docs/PROTOCOL.md, "Authority").
   */
  UNKNOWN_AUTHORITY("unknown-authority", "Not an origin of this broker"),
  /** No such account, statement or other resource. */
  NOT_FOUND("not-found", "Not found"),
  /** The broker does not sell this vendor's scrip. */
  UNKNOWN_VENDOR("unknown-vendor", "Unknown vendor"),
  /**
   * A vendor joined under a name this broker already sells with other keys, or under a configured
   * vendor's name: it is not replaced.
   */
  VENDOR_EXISTS("vendor-exists", "Vendor already known"),
  /**
   * A licence id the broker already holds came again with other terms (keys, customer secret,
   * discount, lifetime) or for another vendor: a licence's terms never change in place; the vendor
   * issues a new licence id instead.
   */
  LICENCE_CONFLICT("licence-conflict", "Licence already known with other terms"),
  /** The broker already sells as many joined vendors as it allows ({@code Joins.MAX_JOINED}). */
  JOIN_LIMIT("join-limit", "Too many joined vendors"),
  /** The sale would take the account past its credit limit (or prepaid balance). */
  CREDIT_LIMIT("credit-limit", "Credit limit reached"),
  /** A payment with broker scrip is needed. */
  PAYMENT_REQUIRED("payment-required", "Payment required"),
  /** The broker has no usable licence for a licensed vendor. */
  NO_LICENCE("no-licence", "No licence"),
  /** A vendor the broker had to call failed or could not be reached. */
  VENDOR_UNAVAILABLE("vendor-unavailable", "Vendor unavailable"),
  /** A settlement named scrip this broker never issued (per ID in a settlement reply). */
  NOT_ISSUED("not-issued", "Not issued by this broker"),
  /** A settlement named scrip that was already settled (per ID in a settlement reply). */
  ALREADY_SETTLED("already-settled", "Already settled"),
  /** The books could not be written or read; nothing was changed. */
  STORAGE_UNAVAILABLE("storage-unavailable", "Storage unavailable");

  private final String code;
  private final String title;

  BrokerError(String code, String title) {
    this.code = code;
    this.title = title;
  }

  /** The stable code, e.g. {@code credit-limit}. */
  @Override
  public String code() {
    return code;
  }

  /** A short human title for problem documents. */
  public String title() {
    return title;
  }
}
