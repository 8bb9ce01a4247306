package dev.synque.monitor.stream;

import dev.synque.monitor.core.DriftTracker;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;

/**
 * Everything the monitor topology is configured with, by area: one settings type per area, each
 * with its {@link ConfigDef} fragment, merged into {@link #CONFIG} (the keys are the constants
 * below, paired with their documentation and default in the fragments, so the configuration
 * reference {@code docs/configuration.md} and the validation have one source). Each processor is
 * handed only the areas it reads. Immutable; each area is validated in its constructor.
 *
 * @param topics the topics read and written, and the reference set compared with
 * @param windows window shape, emission cadence, reservoir and proxies
 * @param ranking who is ranked and how a new leader is confirmed
 * @param drift how drift is judged
 * @param embedding how samples are batched for the embedder
 * @param lens when LENS scores are requested and joined
 * @param limits the bounds a sample must keep (text, ids, attributes, event time); samples outside
 *     them are dead-lettered
 * @param recovery dead-letter size, stream-thread restart and schema-registry wait
 * @param lifecycle generator lifecycle and the leader's time hysteresis ({@link LifecycleSettings})
 */
public record MonitorSettings(
    TopicSettings topics,
    WindowSettings windows,
    RankingSettings ranking,
    DriftTracker.Settings drift,
    EmbedBatchSettings embedding,
    LensLink lens,
    SampleLimits limits,
    RecoverySettings recovery,
    LifecycleSettings lifecycle) {

  /** Which time windows are kept besides the all-time view. */
  public enum WindowKindSetting {
    TUMBLING,
    HOPPING,
    NONE
  }

  public static final String SYNTHETIC_TOPIC = "synque.topic.synthetic";
  public static final String REFERENCE_TOPIC = "synque.topic.reference";
  public static final String SCORES_TOPIC = "synque.topic.scores";
  public static final String RANKINGS_TOPIC = "synque.topic.rankings";
  public static final String ALERTS_TOPIC = "synque.topic.alerts";
  public static final String DEAD_LETTER_TOPIC = "synque.topic.dead.letters";
  public static final String REFERENCE_SET_ID = "synque.reference.set.id";
  public static final String WINDOW_KIND = "synque.window.kind";
  public static final String WINDOW_ALL_TIME = "synque.window.all.time";
  public static final String WINDOW_SIZE_MS = "synque.window.size.ms";
  public static final String WINDOW_ADVANCE_MS = "synque.window.advance.ms";
  public static final String WINDOW_GRACE_MS = "synque.window.grace.ms";
  public static final String SCORES_EVERY_SAMPLES = "synque.scores.every.samples";
  public static final String SCORES_EVERY_MS = "synque.scores.every.ms";
  public static final String RESERVOIR_CAPACITY = "synque.reservoir.capacity";
  public static final String RESERVOIR_SEED = "synque.reservoir.seed";
  public static final String PROXIES = "synque.proxies";
  public static final String RANKING_MIN_SAMPLES = "synque.ranking.min.samples";
  public static final String RANKING_LEADER_CONFIRMATIONS = "synque.ranking.leader.confirmations";
  public static final String DRIFT_BASELINE = "synque.drift.baseline";
  public static final String DRIFT_WARMUP_WINDOWS = "synque.drift.warmup.windows";
  public static final String DRIFT_EWMA_ALPHA = "synque.drift.ewma.alpha";
  public static final String DRIFT_THRESHOLD = "synque.drift.threshold";
  public static final String DRIFT_CONSECUTIVE_WINDOWS = "synque.drift.consecutive.windows";
  public static final String DRIFT_CLEAR_RATIO = "synque.drift.clear.ratio";
  public static final String DRIFT_MIN_SCALE = "synque.drift.min.scale";
  public static final String EMBED_BATCH_SIZE = "synque.stream.embed.batch.size";
  public static final String EMBED_MAX_WAIT_MS = "synque.stream.embed.max.wait.ms";
  public static final String EMBED_ASYNC = "synque.stream.embed.async";
  public static final String LENS_ENABLED = "synque.lens.enabled";
  public static final String LENS_REQUESTS_TOPIC = "synque.topic.lens.requests";
  public static final String LENS_RESULTS_TOPIC = "synque.topic.lens.results";
  public static final String LENS_EVERY_SAMPLES = "synque.lens.every.samples";
  public static final String LENS_EVERY_MS = "synque.lens.every.ms";
  public static final String LENS_ON_DRIFT = "synque.lens.on.drift";
  public static final String LENS_SYNTHETIC_EXAMPLES = "synque.lens.request.synthetic.examples";
  public static final String LENS_REFERENCE_EXAMPLES = "synque.lens.request.reference.examples";
  public static final String MAX_TEXT_BYTES = "synque.sample.max.text.bytes";
  public static final String MAX_ID_BYTES = "synque.sample.max.id.bytes";
  public static final String MAX_ATTRIBUTES_BYTES = "synque.sample.max.attributes.bytes";
  public static final String MAX_FUTURE_MS = "synque.sample.max.future.ms";
  public static final String DEAD_LETTER_MAX_VALUE_BYTES = "synque.dead.letter.max.value.bytes";
  public static final String RESTART_BACKOFF_MS = "synque.stream.restart.backoff.ms";
  public static final String REGISTRY_WAIT_MS = "synque.stream.registry.wait.ms";

  /** Every key with its type, default, rule and documentation: the areas' fragments, merged. */
  public static final ConfigDef CONFIG =
      LifecycleSettings.define(
          RecoverySettings.define(
              SampleLimits.define(
                  LensLink.define(
                      EmbedBatchSettings.define(
                          DriftSettings.define(
                              RankingSettings.define(
                                  WindowSettings.define(
                                      TopicSettings.define(new ConfigDef())))))))));

  public MonitorSettings {
    Objects.requireNonNull(topics, "topics");
    Objects.requireNonNull(windows, "windows");
    Objects.requireNonNull(ranking, "ranking");
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(recovery, "recovery");
    Objects.requireNonNull(lifecycle, "lifecycle");
  }

  /** The defaults of every key. */
  public static MonitorSettings defaults() {
    return fromConfig(Map.of());
  }

  /**
   * Reads the settings from a configuration map (other keys are ignored; missing keys take their
   * defaults).
   *
   * @throws ConfigException naming the key and the rule
   */
  public static MonitorSettings fromConfig(Map<?, ?> config) {
    Map<String, Object> v =
        CONFIG.parse(
            CONFIG.names().stream()
                .filter(config::containsKey)
                .collect(java.util.stream.Collectors.toMap(k -> k, k -> config.get(k))));
    DriftTracker.Settings drift = DriftSettings.fromParsed(v);
    return new MonitorSettings(
        TopicSettings.fromParsed(v),
        WindowSettings.fromParsed(v),
        RankingSettings.fromParsed(v),
        drift,
        EmbedBatchSettings.fromParsed(v),
        LensLink.fromParsed(v),
        SampleLimits.fromParsed(v),
        RecoverySettings.fromParsed(v),
        LifecycleSettings.fromParsed(v));
  }

  /** A copy with other window settings. */
  public MonitorSettings withWindows(
      WindowKindSetting kind, Duration size, Duration advance, Duration newGrace) {
    return new MonitorSettings(
        topics,
        windows.withShape(kind, size, advance, newGrace),
        ranking,
        drift,
        embedding,
        lens,
        limits,
        recovery,
        lifecycle);
  }

  // Single keys, for callers that read one or two (processors take their areas instead).

  /** {@link TopicSettings#synthetic()}. */
  public String syntheticTopic() {
    return topics.synthetic();
  }

  /** {@link TopicSettings#reference()}. */
  public String referenceTopic() {
    return topics.reference();
  }

  /** {@link TopicSettings#scores()}. */
  public String scoresTopic() {
    return topics.scores();
  }

  /** {@link TopicSettings#rankings()}. */
  public String rankingsTopic() {
    return topics.rankings();
  }

  /** {@link TopicSettings#alerts()}. */
  public String alertsTopic() {
    return topics.alerts();
  }

  /** {@link TopicSettings#deadLetters()}. */
  public String deadLetterTopic() {
    return topics.deadLetters();
  }

  /** {@link TopicSettings#referenceSetId()}. */
  public String referenceSetId() {
    return topics.referenceSetId();
  }

  /** {@link WindowSettings#kind()}. */
  public WindowKindSetting windowKind() {
    return windows.kind();
  }

  /** {@link WindowSettings#allTime()}. */
  public boolean allTime() {
    return windows.allTime();
  }

  /** {@link WindowSettings#size()}. */
  public Duration windowSize() {
    return windows.size();
  }

  /** {@link WindowSettings#advance()}. */
  public Duration windowAdvance() {
    return windows.advance();
  }

  /** {@link WindowSettings#grace()}. */
  public Duration grace() {
    return windows.grace();
  }

  /** {@link WindowSettings#everySamples()}. */
  public int everySamples() {
    return windows.everySamples();
  }

  /** {@link WindowSettings#reservoirCapacity()}. */
  public int reservoirCapacity() {
    return windows.reservoirCapacity();
  }

  /** {@link WindowSettings#proxies()}. */
  public List<String> proxies() {
    return windows.proxies();
  }

  /** {@link RankingSettings#minSamples()}. */
  public int minSamples() {
    return ranking.minSamples();
  }

  /** {@link EmbedBatchSettings#batchSize()}. */
  public int embedBatchSize() {
    return embedding.batchSize();
  }

  /** {@link RecoverySettings#registryWait()}. */
  public Duration registryWait() {
    return recovery.registryWait();
  }

  /** Longest text accepted, in UTF-8 bytes ({@link SampleLimits#maxTextBytes()}). */
  public int maxTextBytes() {
    return limits.maxTextBytes();
  }
}
