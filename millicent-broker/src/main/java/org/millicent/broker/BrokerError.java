package org.millicent.broker;

/**
 * The stable machine codes of the broker's own failures, with their HTTP status (docs/HTTP-API.md,
 * "Broker"). Payment failures of broker scrip keep the core's codes ({@code spent}, {@code
 * forged}...). Codes never change once published.
 */
public enum BrokerError {
  /** The request body or a parameter is not what the endpoint expects. */
  BAD_REQUEST("bad-request", 400, "Bad request"),
  /** An amount is zero, negative, too large, or would overflow a balance. */
  BAD_AMOUNT("bad-amount", 400, "Bad amount"),
  /** The request is not authenticated as required, or the authentication does not verify. */
  UNAUTHORIZED("unauthorized", 401, "Unauthorized"),
  /** The request must come over TLS or from loopback. */
  INSECURE_CHANNEL("insecure-channel", 403, "TLS or loopback required"),
  /**
   * The request addressed an origin that is not one of the broker's public URLs, so a payment or
   * account request in it cannot be checked (docs/PROTOCOL.md, "Authority").
   */
  UNKNOWN_AUTHORITY("unknown-authority", 421, "Not an origin of this broker"),
  /** No such account, statement or other resource. */
  NOT_FOUND("not-found", 404, "Not found"),
  /** The broker does not sell this vendor's scrip. */
  UNKNOWN_VENDOR("unknown-vendor", 404, "Unknown vendor"),
  /**
   * A vendor joined under a name this broker already sells with other keys, or under a configured
   * vendor's name: it is not replaced.
   */
  VENDOR_EXISTS("vendor-exists", 409, "Vendor already known"),
  /** The sale would take the account past its credit limit (or prepaid balance). */
  CREDIT_LIMIT("credit-limit", 402, "Credit limit reached"),
  /** A payment with broker scrip is needed. */
  PAYMENT_REQUIRED("payment-required", 402, "Payment required"),
  /** The broker has no usable licence for a licensed vendor. */
  NO_LICENCE("no-licence", 503, "No licence"),
  /** A vendor the broker had to call failed or could not be reached. */
  VENDOR_UNAVAILABLE("vendor-unavailable", 502, "Vendor unavailable"),
  /** A settlement named scrip this broker never issued (per ID in a settlement reply). */
  NOT_ISSUED("not-issued", 422, "Not issued by this broker"),
  /** A settlement named scrip that was already settled (per ID in a settlement reply). */
  ALREADY_SETTLED("already-settled", 409, "Already settled"),
  /** The books could not be written or read; nothing was changed. */
  STORAGE_UNAVAILABLE("storage-unavailable", 503, "Storage unavailable");

  private final String code;
  private final int status;
  private final String title;

  BrokerError(String code, int status, String title) {
    this.code = code;
    this.status = status;
    this.title = title;
  }

  /** The stable code, e.g. {@code credit-limit}. */
  public String code() {
    return code;
  }

  /** The HTTP status this failure is answered with. */
  public int status() {
    return status;
  }

  /** A short human title for problem documents. */
  public String title() {
    return title;
  }
}
