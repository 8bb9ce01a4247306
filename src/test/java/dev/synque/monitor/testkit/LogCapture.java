package dev.synque.monitor.testkit;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Captures every log event of the test JVM (all threads, the broker and the Kafka clients included)
 * while open: the formatted message, the logger and the whole exception chain with messages.
 * Loggers can be opened up to a finer level for the capture (for example {@code org.apache.kafka}
 * to INFO, so that the clients' configuration dumps are captured too); their levels are restored on
 * close.
 *
 * <pre>{@code
 * try (LogCapture logs = LogCapture.start(Map.of("org.apache.kafka", Level.INFO))) {
 *   ...
 *   assertThat(logs.text()).doesNotContain(secret);
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {

  private final Appender appender = new Appender();
  private final Map<Logger, Level> previousLevels = new HashMap<>();
  private final Logger root;

  private LogCapture(Map<String, Level> levels) {
    LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
    root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    levels.forEach(
        (name, level) -> {
          Logger logger = context.getLogger(name);
          previousLevels.put(logger, logger.getLevel());
          logger.setLevel(level);
        });
    appender.setContext(context);
    appender.setName("log-capture");
    appender.start();
    root.addAppender(appender);
  }

  /** Starts capturing, with the given loggers set to the given levels meanwhile. */
  public static LogCapture start(Map<String, Level> levels) {
    return new LogCapture(levels);
  }

  /** Every line captured so far: level, logger, message and exception chains. */
  public String text() {
    synchronized (appender.lines) {
      return String.join("\n", appender.lines);
    }
  }

  /** Number of events captured so far. */
  public int size() {
    synchronized (appender.lines) {
      return appender.lines.size();
    }
  }

  @Override
  public void close() {
    root.detachAppender(appender);
    appender.stop();
    previousLevels.forEach(Logger::setLevel);
  }

  private static final class Appender extends AppenderBase<ILoggingEvent> {
    private final List<String> lines = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      StringBuilder line =
          new StringBuilder()
              .append(event.getLevel())
              .append(' ')
              .append(event.getLoggerName())
              .append(" - ")
              .append(event.getFormattedMessage());
      for (IThrowableProxy t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        line.append("\n  caused by ").append(t.getClassName()).append(": ").append(t.getMessage());
        for (StackTraceElementProxy frame : t.getStackTraceElementProxyArray()) {
          line.append("\n    ").append(frame.getSTEAsString());
        }
      }
      synchronized (lines) {
        lines.add(line.toString());
      }
    }
  }
}
