package org.millicent.broker;

import java.io.Serial;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.ErrorCode;
import org.millicent.failure.MillicentException;

/**
 * A broker configuration that cannot be used: every problem found is listed, each naming the field
 * and saying what was expected and what was found, after the file when it was read from one. Never
 * carries a secret.
 */
public final class BrokerConfigException extends MillicentException {
  /** The code of every unusable configuration. */
  public static final ErrorCode CODE = ErrorCode.of("config-invalid");

  @Serial private static final long serialVersionUID = 1L;

  @SuppressWarnings("serial") // an immutable List.copyOf, serializable in practice
  private final List<String> problems;

  /** Creates the failure from the problems found (at least one). */
  public BrokerConfigException(List<String> problems) {
    this(null, problems);
  }

  /**
   * Creates the failure of the file {@code file} from the problems found (at least one); the
   * message names the file first.
   */
  public BrokerConfigException(@Nullable Path file, List<String> problems) {
    super(
        (file == null ? "" : file + ": ")
            + "broker configuration has "
            + problems.size()
            + (problems.size() == 1 ? " problem" : " problems")
            + ":\n  - "
            + String.join("\n  - ", problems),
        null);
    this.problems = List.copyOf(problems);
  }

  @Override
  public ErrorCode code() {
    return CODE;
  }

  /** The problems, one per entry. */
  public List<String> problems() {
    return problems;
  }
}
