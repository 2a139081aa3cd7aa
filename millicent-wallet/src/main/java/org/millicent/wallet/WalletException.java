package org.millicent.wallet;

import java.util.Optional;

/**
 * Why the wallet could not or would not pay, with a stable machine {@link #code()} (the CLI and the
 * proxy map these in one place) and, when a vendor or broker refused, the code it gave. Messages
 * say what was expected and what was found and never carry a secret. Unchecked.
 */
public final class WalletException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The stable codes. */
  public enum Code {
    /** The payment would exceed a budget limit; nothing was bought or sent. */
    BUDGET_EXCEEDED("budget-exceeded"),
    /** The vendor names brokers, but the wallet has an account at none of them. */
    NO_BROKER_ACCOUNT("no-broker-account"),
    /** The wallet has no broker account at all, or not the one named. */
    NOT_REGISTERED("not-registered"),
    /** A broker refused or failed a request; {@link #peerCode()} has its code. */
    BROKER_REFUSED("broker-refused"),
    /** The vendor refused the payment; {@link #peerCode()} has its code. */
    VENDOR_REFUSED("vendor-refused"),
    /**
     * The paid request got no answer; the payment stays recorded and is re-sent (same scrip, same
     * nonce) by the next recovery, which gets the change back.
     */
    PAYMENT_IN_FLIGHT("payment-in-flight"),
    /** The vendor takes no variant the wallet uses. */
    NO_COMMON_VARIANT("no-common-variant"),
    /** The wallet holds too little scrip and could not buy more. */
    INSUFFICIENT_SCRIP("insufficient-scrip"),
    /** A server's answer did not follow docs/HTTP-API.md. */
    BAD_RESPONSE("bad-response"),
    /**
     * A reply MAC or sealed reply did not verify: the answer was altered or is not the vendor's.
     */
    FORGED_REPLY("forged-reply"),
    /** A server could not be reached. */
    UNREACHABLE("unreachable"),
    /** The caller asked for something that cannot be done (bad amount, unknown vendor ...). */
    BAD_REQUEST("bad-request");

    private final String code;

    Code(String code) {
      this.code = code;
    }

    /** The stable text form. */
    public String code() {
      return code;
    }
  }

  private final Code code;
  private final String peerCode;

  /** A failure of the wallet's own. */
  public WalletException(Code code, String message) {
    this(code, null, message, null);
  }

  /** A failure with its cause chained. */
  public WalletException(Code code, String message, Throwable cause) {
    this(code, null, message, cause);
  }

  /** A refusal by a peer that answered with the problem code {@code peerCode}. */
  public WalletException(Code code, String peerCode, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
    this.peerCode = peerCode;
  }

  /** The stable code. */
  public Code code() {
    return code;
  }

  /** The code a vendor or broker gave in its problem document, if it gave one. */
  public Optional<String> peerCode() {
    return Optional.ofNullable(peerCode);
  }
}
