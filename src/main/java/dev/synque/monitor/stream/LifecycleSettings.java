package dev.synque.monitor.stream;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How generators come and go, and how a leader change is confirmed in time: the keys of {@code
 * docs/lifecycle.md}. Part of {@link MonitorSettings} (its {@link MonitorSettings#CONFIG} holds
 * these keys too). Immutable; validated in the constructor.
 *
 * @param idle event time without samples of a generator, measured against the stream time of its
 *     task (the latest event time of any generator there), after which the generator is IDLE and
 *     its time windows close; above 0
 * @param retire event time without samples after which a generator is RETIRED: it leaves the
 *     ranking and every store; at least {@code idle}
 * @param controlTopic compacted topic of lifecycle commands, keyed by generator id ({@code synque
 *     generators retire ID} writes to it); empty (the default) disables commands, and retirement is
 *     by time only
 * @param leaderMinTime event time a new leader must keep the top of a ranking before {@code
 *     TOP_GENERATOR_CHANGED} fires (besides {@link RankingSettings#leaderConfirmations()}); at
 *     least 0
 */
public record LifecycleSettings(
    Duration idle, Duration retire, String controlTopic, Duration leaderMinTime) {

  public static final String IDLE_MS = "synque.generator.idle.ms";
  public static final String RETIRE_MS = "synque.generator.retire.ms";
  public static final String CONTROL_TOPIC = "synque.topic.control";
  public static final String LEADER_MIN_MS = "synque.ranking.leader.min.ms";

  /** Defaults: idle after 15 minutes, retired after 24 hours, a new leader holds 5 minutes. */
  public static final LifecycleSettings DEFAULTS =
      new LifecycleSettings(
          Duration.ofMinutes(15), Duration.ofHours(24), "", Duration.ofMinutes(5));

  public LifecycleSettings {
    Objects.requireNonNull(controlTopic, "controlTopic");
    require(idle != null && idle.toMillis() > 0, IDLE_MS, idle, "must be above 0");
    require(
        retire != null && retire.compareTo(idle) >= 0,
        RETIRE_MS,
        retire,
        "must be at least " + IDLE_MS + " (" + idle.toMillis() + ")");
    require(
        leaderMinTime != null && !leaderMinTime.isNegative(),
        LEADER_MIN_MS,
        leaderMinTime,
        "must be at least 0");
  }

  /**
   * The control record value that retires a generator whose latest sample is not newer than {@code
   * at} (epoch milliseconds): {@code retire <at>} in UTF-8. Key it by the generator id.
   */
  public static byte[] retireCommand(long at) {
    return Lifecycle.retireCommand(at);
  }

  /** Whether lifecycle commands are read ({@link #controlTopic()} is set). */
  public boolean commands() {
    return !controlTopic.isBlank();
  }

  /** Adds this record's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            IDLE_MS,
            Type.LONG,
            DEFAULTS.idle().toMillis(),
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "A generator without samples for this long (event time, against the latest event time"
                + " of any generator in its task) is IDLE: its time windows close with final scores"
                + " and a drift check.")
        .define(
            RETIRE_MS,
            Type.LONG,
            DEFAULTS.retire().toMillis(),
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "A generator without samples for this long is RETIRED: it leaves the ranking, every"
                + " store and the metrics; at least "
                + IDLE_MS
                + ".")
        .define(
            CONTROL_TOPIC,
            Type.STRING,
            DEFAULTS.controlTopic(),
            Importance.LOW,
            "Compacted topic of lifecycle commands keyed by generator id (synque generators"
                + " retire ID writes synque-generator-control-v1); empty: no commands, generators"
                + " retire by time only. The topic must exist when set.")
        .define(
            LEADER_MIN_MS,
            Type.LONG,
            DEFAULTS.leaderMinTime().toMillis(),
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "A new leader must also keep the top of its ranking for this long (event time) before"
                + " TOP_GENERATOR_CHANGED fires; bounds leader alerts to one per this time per"
                + " ranking.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static LifecycleSettings fromParsed(Map<String, Object> v) {
    return new LifecycleSettings(
        Duration.ofMillis((Long) v.get(IDLE_MS)),
        Duration.ofMillis((Long) v.get(RETIRE_MS)),
        ((String) v.get(CONTROL_TOPIC)).trim(),
        Duration.ofMillis((Long) v.get(LEADER_MIN_MS)));
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new ConfigException(key, value instanceof Duration d ? d.toMillis() : value, rule);
    }
  }
}
