package org.millicent.vendor.content;

/**
 * The origin could not be reached or did not answer in time: nothing was delivered, so nothing may
 * be charged.
 */
public final class OriginException extends Exception {
  private static final long serialVersionUID = 1L;

  /** A failure with its cause. */
  public OriginException(String message, Throwable cause) {
    super(message, cause);
  }
}
