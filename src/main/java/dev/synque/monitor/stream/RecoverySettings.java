package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.DEAD_LETTER_MAX_VALUE_BYTES;
import static dev.synque.monitor.stream.MonitorSettings.REGISTRY_WAIT_MS;
import static dev.synque.monitor.stream.MonitorSettings.RESTART_BACKOFF_MS;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the monitor keeps going: the size of what a dead letter copies, and how a stream thread waits
 * for the schema registry and is replaced. Part of {@link MonitorSettings}. Immutable; validated in
 * the constructor.
 *
 * @param deadLetterMaxValueBytes largest key or value copied into a dead letter; a larger one is
 *     left out (the record stays in its source topic) so the dead letter fits the topic
 * @param restartBackoff pause before a stream thread that failed on a transient error (the schema
 *     registry unreachable) is replaced
 * @param registryWait how long a stream thread retries in place while the schema registry is
 *     unreachable before it fails (and is replaced)
 */
public record RecoverySettings(
    int deadLetterMaxValueBytes, Duration restartBackoff, Duration registryWait) {

  public RecoverySettings {
    if (deadLetterMaxValueBytes < 0) {
      throw new ConfigException(
          DEAD_LETTER_MAX_VALUE_BYTES, deadLetterMaxValueBytes, "must be at least 0");
    }
    requireNotNegative(restartBackoff, RESTART_BACKOFF_MS);
    requireNotNegative(registryWait, REGISTRY_WAIT_MS);
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            DEAD_LETTER_MAX_VALUE_BYTES,
            Type.INT,
            900_000,
            ConfigDef.Range.atLeast(0),
            Importance.LOW,
            "Largest record key or value copied into a dead letter; a larger one is left out"
                + " (the message says so; the record stays at its coordinates in the source"
                + " topic), so the dead letter fits the broker's default 1 MB limit.")
        .define(
            RESTART_BACKOFF_MS,
            Type.LONG,
            5_000L,
            ConfigDef.Range.between(0, 600_000),
            Importance.LOW,
            "Pause before a stream thread that failed because the schema registry was"
                + " unreachable is replaced; the records are read again from the last commit.")
        .define(
            REGISTRY_WAIT_MS,
            Type.LONG,
            60_000L,
            ConfigDef.Range.between(0, 3_600_000),
            Importance.LOW,
            "How long a stream thread asks the schema registry again, in place, while it is"
                + " unreachable, before the thread fails and is replaced; must stay below"
                + " max.poll.interval.ms.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static RecoverySettings fromParsed(Map<String, Object> v) {
    return new RecoverySettings(
        (Integer) v.get(DEAD_LETTER_MAX_VALUE_BYTES),
        Duration.ofMillis((Long) v.get(RESTART_BACKOFF_MS)),
        Duration.ofMillis((Long) v.get(REGISTRY_WAIT_MS)));
  }

  private static void requireNotNegative(Duration d, String key) {
    if (d == null || d.isNegative()) {
      throw new ConfigException(key, d == null ? null : d.toMillis(), "must be at least 0");
    }
  }
}
