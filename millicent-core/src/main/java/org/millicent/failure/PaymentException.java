package org.millicent.failure;

import org.jspecify.annotations.Nullable;

/**
 * Root of every failure to accept a piece of scrip or a payment (a {@link MillicentException}).
 * Each subclass has one stable {@link FailureCode}. Messages say what was expected and what was
 * found and never carry a secret. A payment that fails with any of these is never consumed.
 */
public abstract sealed class PaymentException extends MillicentException
    permits ForgedException,
        SpentException,
        ExpiredException,
        WrongVendorException,
        WrongCustomerException,
        InsufficientValueException,
        MalformedException,
        UnknownKeyException,
        InProgressException {

  private static final long serialVersionUID = 1L;

  private final FailureCode code;

  PaymentException(FailureCode code, String message, @Nullable Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  /** The stable machine code of this failure. */
  @Override
  public final FailureCode code() {
    return code;
  }
}
