package org.millicent.storage.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * Records every log event of the root logger while open, for tests that assert what a server logged
 * (no ERROR, no stack trace) about hostile input. Thread-safe.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
  private final List<ILoggingEvent> events = new ArrayList<>();

  private LogCapture() {}

  /** Starts recording at the root logger. */
  public static LogCapture open() {
    LogCapture c = new LogCapture();
    c.setName("log-capture");
    c.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
    c.start();
    root().addAppender(c);
    return c;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  @Override
  protected synchronized void append(ILoggingEvent e) {
    e.prepareForDeferredProcessing();
    events.add(e);
  }

  /** The events recorded so far. */
  public synchronized List<ILoggingEvent> events() {
    return List.copyOf(events);
  }

  /** Recorded lines at ERROR, or at any level with a stack trace, as "LEVEL logger: message". */
  public synchronized List<String> errorsOrStackTraces() {
    List<String> out = new ArrayList<>();
    for (ILoggingEvent e : events) {
      if (e.getLevel().isGreaterOrEqual(Level.ERROR) || e.getThrowableProxy() != null) {
        out.add(
            e.getLevel()
                + " "
                + e.getLoggerName()
                + ": "
                + e.getFormattedMessage()
                + (e.getThrowableProxy() == null
                    ? ""
                    : " [" + e.getThrowableProxy().getClassName() + "]"));
      }
    }
    return out;
  }

  /** Recorded events at WARN or above. */
  public synchronized long warnings() {
    return events.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).count();
  }

  @Override
  public void close() {
    root().detachAppender(this);
    stop();
  }
}
