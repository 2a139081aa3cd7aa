package org.millicent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

/** The servers' log lines, as the CLI's logback.xml formats them. */
class LogFormatTest {
  @Test
  void logLine_startsWithAnIso8601TimestampWithDateAndOffset() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogFormatTest.class.getResource("/logback.xml"));
    Logger logger = context.getLogger("org.millicent.vendor.VendorServer");
    @SuppressWarnings("unchecked")
    ConsoleAppender<ILoggingEvent> appender =
        (ConsoleAppender<ILoggingEvent>)
            context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR");

    LoggingEvent event =
        new LoggingEvent(
            Logger.class.getName(),
            logger,
            Level.INFO,
            "vendor {} serving",
            null,
            new Object[] {"venetia"});
    String line = new String(appender.getEncoder().encode(event), StandardCharsets.UTF_8);
    context.stop();

    assertThat(line)
        .matches(
            "(?s)\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}(Z|[+-]\\d{2}:\\d{2}) INFO .*")
        .contains("vendor venetia serving");
    OffsetDateTime stamp = OffsetDateTime.parse(line.substring(0, line.indexOf(' ')));
    assertThat(stamp.toInstant().toEpochMilli()).isEqualTo(event.getTimeStamp());
  }
}
