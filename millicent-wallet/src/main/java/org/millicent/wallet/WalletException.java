package org.millicent.wallet;

import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.ErrorCode;
import org.millicent.failure.MillicentException;

/**
 * Why the wallet could not or would not pay, with a stable machine {@link #code()} (the CLI and the
 * proxy map these in one place) and, when a vendor or broker refused, the code it gave. Messages
 * say what was expected and what was found and never carry a secret. Unchecked.
 */
public final class WalletException extends MillicentException {
  private static final long serialVersionUID = 1L;

  /** The stable codes. */
  public enum Code implements ErrorCode {
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
    /**
     * A 402 named a vendor whose scrip the wallet may not pay at the origin that answered: neither
     * a broker the wallet has an account at nor the user vouched for that origin as the vendor's
     * (docs/WALLET.md, "Vouched origins"). Nothing was bought or sent.
     */
    UNVOUCHED_ORIGIN("unvouched-origin"),
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
    @Override
    public String code() {
      return code;
    }
  }

  private final Code code;
  private final @Nullable String peerCode;

  /** A failure of the wallet's own. */
  public WalletException(Code code, String message) {
    this(code, null, message, null);
  }

  /** A failure with its cause chained. */
  public WalletException(Code code, String message, @Nullable Throwable cause) {
    this(code, null, message, cause);
  }

  /** A refusal by a peer that answered with the problem code {@code peerCode}. */
  public WalletException(
      Code code, @Nullable String peerCode, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
    this.peerCode = peerCode;
  }

  /** The stable code. */
  @Override
  public Code code() {
    return code;
  }

  /** The code a vendor or broker gave in its problem document, if it gave one. */
  public Optional<String> peerCode() {
    return Optional.ofNullable(peerCode);
  }
}
