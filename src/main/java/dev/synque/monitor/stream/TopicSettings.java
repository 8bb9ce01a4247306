package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.ALERTS_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.DEAD_LETTER_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.RANKINGS_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.REFERENCE_SET_ID;
import static dev.synque.monitor.stream.MonitorSettings.REFERENCE_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.SCORES_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.SYNTHETIC_TOPIC;

import dev.synque.monitor.contracts.Contracts;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The topics the monitor reads and writes, and which reference set it compares with. Part of {@link
 * MonitorSettings}. Immutable.
 *
 * @param synthetic input topic of {@code SyntheticSample}s, keyed by generator id
 * @param reference compacted input topic of {@code ReferenceSample}s
 * @param scores output topic of {@code QualityScores}
 * @param rankings output topic of {@code RankingUpdate}s
 * @param alerts output topic of {@code DriftAlert}s
 * @param deadLetters output topic of {@code DeadLetter}s
 * @param referenceSetId the reference set compared with; blank means any (a single set)
 */
public record TopicSettings(
    String synthetic,
    String reference,
    String scores,
    String rankings,
    String alerts,
    String deadLetters,
    String referenceSetId) {

  public TopicSettings {
    Objects.requireNonNull(synthetic, "synthetic");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(rankings, "rankings");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(referenceSetId, "referenceSetId");
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            SYNTHETIC_TOPIC,
            Type.STRING,
            Contracts.SYNTHETIC_SAMPLES.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Input: synthetic samples keyed by generator id.")
        .define(
            REFERENCE_TOPIC,
            Type.STRING,
            Contracts.REFERENCE_SAMPLES.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.HIGH,
            "Input: the compacted, versioned reference set.")
        .define(
            SCORES_TOPIC,
            Type.STRING,
            Contracts.QUALITY_SCORES.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Output: quality scores per generator and window.")
        .define(
            RANKINGS_TOPIC,
            Type.STRING,
            Contracts.RANKINGS.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Output: ranking updates.")
        .define(
            ALERTS_TOPIC,
            Type.STRING,
            Contracts.DRIFT_ALERTS.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Output: drift and leader-change alerts.")
        .define(
            DEAD_LETTER_TOPIC,
            Type.STRING,
            Contracts.DEAD_LETTERS.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.MEDIUM,
            "Output: records that could not be processed, with reason and coordinates.")
        .define(
            REFERENCE_SET_ID,
            Type.STRING,
            "",
            Importance.MEDIUM,
            "Reference set compared with; empty: the topic holds one set.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static TopicSettings fromParsed(Map<String, Object> v) {
    return new TopicSettings(
        (String) v.get(SYNTHETIC_TOPIC),
        (String) v.get(REFERENCE_TOPIC),
        (String) v.get(SCORES_TOPIC),
        (String) v.get(RANKINGS_TOPIC),
        (String) v.get(ALERTS_TOPIC),
        (String) v.get(DEAD_LETTER_TOPIC),
        ((String) v.get(REFERENCE_SET_ID)).trim());
  }
}
