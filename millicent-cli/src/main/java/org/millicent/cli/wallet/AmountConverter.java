package org.millicent.cli.wallet;

import org.millicent.money.Amounts;
import picocli.CommandLine.ITypeConverter;

/** Reads amounts such as {@code 5000} (millicents), {@code 5c} or {@code $0.05} for picocli. */
public final class AmountConverter implements ITypeConverter<Long> {
  /** Created by picocli. */
  public AmountConverter() {}

  @Override
  public Long convert(String value) {
    return Amounts.parse(value);
  }
}
