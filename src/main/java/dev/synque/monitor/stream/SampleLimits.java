package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.MAX_ATTRIBUTES_BYTES;
import static dev.synque.monitor.stream.MonitorSettings.MAX_FUTURE_MS;
import static dev.synque.monitor.stream.MonitorSettings.MAX_ID_BYTES;
import static dev.synque.monitor.stream.MonitorSettings.MAX_TEXT_BYTES;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
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
    require(maxTextBytes >= 1, MAX_TEXT_BYTES, maxTextBytes, "must be at least 1");
    require(maxIdBytes >= 1, MAX_ID_BYTES, maxIdBytes, "must be at least 1");
    require(
        maxAttributesBytes >= 0, MAX_ATTRIBUTES_BYTES, maxAttributesBytes, "must be at least 0");
    Objects.requireNonNull(maxFuture, "maxFuture");
    require(!maxFuture.isNegative(), MAX_FUTURE_MS, maxFuture.toMillis(), "must be ≥ 0");
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            MAX_TEXT_BYTES,
            Type.INT,
            16_384,
            ConfigDef.Range.between(1, 16 * 1024 * 1024),
            Importance.MEDIUM,
            "Longest sample text accepted, in UTF-8 bytes; longer samples are dead-lettered as"
                + " TEXT_TOO_LONG. Texts are kept in the reservoir, so capacity times this bounds"
                + " a window state's changelog record (keep it below"
                + " producer.max.request.size).")
        .define(
            MAX_ID_BYTES,
            Type.INT,
            DEFAULTS.maxIdBytes(),
            ConfigDef.Range.between(1, 64 * 1024),
            Importance.LOW,
            "Longest generatorId, sampleId, runId and label accepted, in UTF-8 bytes; longer"
                + " samples are dead-lettered as ID_TOO_LONG. Ids are store keys and reservoir"
                + " entries, so this bounds state records too.")
        .define(
            MAX_ATTRIBUTES_BYTES,
            Type.INT,
            DEFAULTS.maxAttributesBytes(),
            ConfigDef.Range.between(0, 16 * 1024 * 1024),
            Importance.LOW,
            "Most UTF-8 bytes of a sample's attribute keys and values together; larger samples"
                + " are dead-lettered as ATTRIBUTES_TOO_LARGE.")
        .define(
            MAX_FUTURE_MS,
            Type.LONG,
            DEFAULTS.maxFuture().toMillis(),
            ConfigDef.Range.between(0, 3_600_000L),
            Importance.MEDIUM,
            "How far a sample's eventTime may lie after its record's Kafka timestamp (the"
                + " producer's or broker's clock); later samples are dead-lettered as"
                + " EVENT_TIME_IN_FUTURE, so one mis-dated sample (a clock skew, microseconds"
                + " sent as milliseconds) cannot move a generator's clock ahead and make its later"
                + " samples late. Negative event times are dead-lettered as"
                + " EVENT_TIME_OUT_OF_RANGE. At most one hour: the broker refuses records more"
                + " than message.timestamp.after.max.ms (one hour by default) ahead.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static SampleLimits fromParsed(Map<String, Object> v) {
    return new SampleLimits(
        (Integer) v.get(MAX_TEXT_BYTES),
        (Integer) v.get(MAX_ID_BYTES),
        (Integer) v.get(MAX_ATTRIBUTES_BYTES),
        Duration.ofMillis((Long) v.get(MAX_FUTURE_MS)));
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
