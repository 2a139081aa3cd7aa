package org.millicent.cli;

import java.io.PrintWriter;
import java.util.concurrent.CountDownLatch;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.millicent.failure.Causes;
import org.millicent.storage.StorageException;

/**
 * What every command that serves until Ctrl-C does around its servers: starting one with a one-line
 * reason when it cannot, and closing everything when the JVM shuts down. Stateless.
 */
public final class Serving {
  private Serving() {}

  /**
   * Starts a server with {@code start}, or prints after {@code command} why it could not (its
   * storage failed, or anything else at start) and returns {@code null}: the command exits 1.
   */
  public static <S> @Nullable S start(PrintWriter err, String command, Supplier<S> start) {
    try {
      return start.get();
    } catch (StorageException e) {
      err.println(command + ": " + e.getMessage());
    } catch (RuntimeException e) {
      err.println(command + ": cannot start: " + Causes.describe(e));
    }
    return null;
  }

  /**
   * Runs {@code close} when the JVM shuts down (Ctrl-C, SIGTERM); the latch returned opens after
   * it, so the command awaits it and then returns.
   */
  public static CountDownLatch closeOnShutdown(Runnable close) {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            Thread.ofPlatform()
                .unstarted(
                    () -> {
                      close.run();
                      stopped.countDown();
                    }));
    return stopped;
  }

  /**
   * Where a server running in the background prints its lines: each after {@code prefix} on {@code
   * out}, flushed at once, one line at a time whichever thread prints it.
   */
  public static Consumer<String> printer(PrintWriter out, String prefix) {
    return line -> {
      synchronized (out) {
        out.println(prefix + line);
        out.flush();
      }
    };
  }
}
