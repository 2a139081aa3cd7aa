package org.millicent.failure;

import org.jspecify.annotations.Nullable;

/**
 * The stable machine code of each way a payment can fail; the HTTP layer and the CLI map these in
 * one place. Codes never change once published: clients switch on {@link #code()}.
 */
public enum FailureCode implements ErrorCode {
  /** The certificate or a MAC does not verify: the scrip or the request was altered or forged. */
  FORGED("forged"),
  /** The scrip ID has already been spent. */
  SPENT("spent"),
  /** The scrip's expiry has passed. */
  EXPIRED("expired"),
  /** The scrip was issued for another vendor. */
  WRONG_VENDOR("wrong-vendor"),
  /** The scrip is bound to another customer than the one paying. */
  WRONG_CUSTOMER("wrong-customer"),
  /** The scrip's value does not cover the price. */
  INSUFFICIENT("insufficient"),
  /** The scrip or payment could not be decoded. */
  MALFORMED("malformed"),
  /** The key id names no active master secret (or no customer master secret). */
  UNKNOWN_KEY("unknown-key"),
  /**
   * An identical request (same scrip, same request fingerprint) is still being paid for: not a
   * refusal, the scrip is not lost; send the same request again later to get its outcome.
   */
  IN_PROGRESS("in-progress");

  private final String code;

  FailureCode(String code) {
    this.code = code;
  }

  /** The stable text form, e.g. {@code wrong-vendor}. */
  @Override
  public String code() {
    return code;
  }

  /** Looks a code up by its text form; {@code null} when there is none. */
  public static @Nullable FailureCode fromCode(String code) {
    for (FailureCode c : values()) {
      if (c.code.equals(code)) {
        return c;
      }
    }
    return null;
  }
}
