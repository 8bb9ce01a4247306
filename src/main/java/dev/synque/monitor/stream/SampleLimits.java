package dev.synque.monitor.stream;

import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigException;

/**
 * The bounds a synthetic sample must keep to enter the monitor, checked once, where samples enter
 * ({@code validate-samples}); a sample outside them is dead-lettered with a reason naming the field
 * and the rule. Together they bound every record the monitor derives from a sample (window states,
 * the embedding buffer, dead letters) and every output timestamp.
 *
 * @param maxTextBytes longest text, in UTF-8 bytes ({@code TEXT_TOO_LONG})
 * @param maxIdBytes longest {@code generatorId}, {@code sampleId}, {@code runId} and {@code label},
 *     in UTF-8 bytes ({@code ID_TOO_LONG})
 * @param maxAttributesBytes most UTF-8 bytes of all attribute keys and values together ({@code
 *     ATTRIBUTES_TOO_LARGE})
 * @param maxFuture how far a sample's {@code eventTime} may lie after its record's Kafka timestamp
 *     ({@code EVENT_TIME_IN_FUTURE}); at least 0
 */
public record SampleLimits(
    int maxTextBytes, int maxIdBytes, int maxAttributesBytes, Duration maxFuture) {

  /** Defaults: 16 KiB texts, 256-byte ids, 16 KiB of attributes, 5 minutes ahead. */
  public static final SampleLimits DEFAULTS =
      new SampleLimits(16_384, 256, 16_384, Duration.ofMinutes(5));

  public SampleLimits {
    require(maxTextBytes >= 1, MonitorSettings.MAX_TEXT_BYTES, maxTextBytes, "must be at least 1");
    require(maxIdBytes >= 1, MonitorSettings.MAX_ID_BYTES, maxIdBytes, "must be at least 1");
    require(
        maxAttributesBytes >= 0,
        MonitorSettings.MAX_ATTRIBUTES_BYTES,
        maxAttributesBytes,
        "must be at least 0");
    Objects.requireNonNull(maxFuture, "maxFuture");
    require(
        !maxFuture.isNegative(),
        MonitorSettings.MAX_FUTURE_MS,
        maxFuture.toMillis(),
        "must be ≥ 0");
  }

  /** The latest event time accepted for a record with Kafka timestamp {@code recordTimestamp}. */
  long latestEventTime(long recordTimestamp) {
    long ahead = maxFuture.toMillis();
    return recordTimestamp > Long.MAX_VALUE - ahead ? Long.MAX_VALUE : recordTimestamp + ahead;
  }

  /**
   * The largest reservoir payload one window can hold, in bytes: per slot the text, the sample id,
   * length prefixes and a vector of {@code dimension} floats.
   */
  long reservoirBytes(int capacity, int dimension) {
    return (long) capacity * ((long) maxTextBytes + maxIdBytes + 16 + 4L * dimension);
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new ConfigException(key, value, rule);
    }
  }
}
