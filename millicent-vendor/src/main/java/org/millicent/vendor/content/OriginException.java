package org.millicent.vendor.content;

/**
 * The origin could not be reached, did not answer in time, or answered more than the vendor holds
 * ({@link TooLarge}): nothing was delivered, so nothing may be charged.
 */
public sealed class OriginException extends Exception permits OriginException.TooLarge {
  private static final long serialVersionUID = 1L;

  /** A failure with its cause. */
  public OriginException(String message, Throwable cause) {
    super(message, cause);
  }

  private OriginException(String message) {
    super(message);
  }

  /**
   * The answer's body is larger than {@code max_answer_bytes} (docs/CONFIG.md): refused as it was
   * read, before it was held whole.
   */
  public static final class TooLarge extends OriginException {
    private static final long serialVersionUID = 1L;

    /** An answer over {@code maxBytes}. */
    public TooLarge(long maxBytes) {
      super(detail(maxBytes));
    }

    /** What an answer over {@code maxBytes} is refused with, for every path that refuses one. */
    public static String detail(long maxBytes) {
      return "the answer is larger than max_answer_bytes (" + maxBytes + " bytes)";
    }
  }
}
