package dev.synque.monitor.stream;

import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.core.DriftTracker;
import dev.synque.monitor.core.QualityProxies;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Everything the monitor topology is configured with. Keys are constants paired with their
 * documentation and default in {@link #CONFIG}, so the configuration reference ({@code
 * docs/configuration.md}) and the validation have one source. Immutable; validated in the
 * constructor.
 *
 * @param syntheticTopic input topic of {@code SyntheticSample}s, keyed by generator id
 * @param referenceTopic compacted input topic of {@code ReferenceSample}s
 * @param scoresTopic output topic of {@code QualityScores}
 * @param rankingsTopic output topic of {@code RankingUpdate}s
 * @param alertsTopic output topic of {@code DriftAlert}s
 * @param deadLetterTopic output topic of {@code DeadLetter}s
 * @param referenceSetId the reference set compared with; blank means any (a single set)
 * @param windowKind {@code TUMBLING}, {@code HOPPING} or {@code NONE} (only the all-time view)
 * @param allTime whether the all-time view is kept (since the reference version started)
 * @param windowSize window length, above 0
 * @param windowAdvance hop of hopping windows, in (0, size]; equals size for tumbling windows
 * @param grace how long after a window's end records are still accepted, at least 0
 * @param everySamples emit scores after this many new samples of a window, at least 1
 * @param everyInterval also emit, by wall clock, windows with new samples; zero disables
 * @param reservoirCapacity samples kept per window for the sample-based proxies, at least 1
 * @param reservoirSeed seed of the deterministic reservoir draws
 * @param proxies the proxies computed, in report order, at least one, known to {@link
 *     QualityProxies}
 * @param minSamples generators with fewer samples are listed but not ranked, at least 1
 * @param leaderConfirmations consecutive rankings a new leader must top before {@code
 *     TOP_GENERATOR_CHANGED} fires, at least 1
 * @param drift how drift is judged
 * @param embedBatchSize samples per embedder call, at least 1
 * @param embedMaxWait longest a buffered sample waits for its batch (wall clock), above 0; with
 *     async embedding an idle embedder is handed a partial batch at once
 * @param embedAsync whether the embedder runs on its own thread while the stream thread updates
 *     window states (see {@code EmbedSamplesProcessor})
 * @param lens when LENS scores are requested and joined
 * @param limits the bounds a sample must keep (text, ids, attributes, event time); samples outside
 *     them are dead-lettered
 * @param deadLetterMaxValueBytes largest key or value copied into a dead letter; a larger one is
 *     left out (the record stays in its source topic) so the dead letter fits the topic
 * @param restartBackoff pause before a stream thread that failed on a transient error (the schema
 *     registry unreachable) is replaced
 * @param registryWait how long a stream thread retries in place while the schema registry is
 *     unreachable before it fails (and is replaced)
 * @param lifecycle generator lifecycle and the leader's time hysteresis ({@link LifecycleSettings})
 */
public record MonitorSettings(
    String syntheticTopic,
    String referenceTopic,
    String scoresTopic,
    String rankingsTopic,
    String alertsTopic,
    String deadLetterTopic,
    String referenceSetId,
    WindowKindSetting windowKind,
    boolean allTime,
    Duration windowSize,
    Duration windowAdvance,
    Duration grace,
    int everySamples,
    Duration everyInterval,
    int reservoirCapacity,
    long reservoirSeed,
    List<String> proxies,
    int minSamples,
    int leaderConfirmations,
    DriftTracker.Settings drift,
    int embedBatchSize,
    Duration embedMaxWait,
    boolean embedAsync,
    LensLink lens,
    SampleLimits limits,
    int deadLetterMaxValueBytes,
    Duration restartBackoff,
    Duration registryWait,
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

  /** Every key with its type, default, rule and documentation. */
  public static final ConfigDef CONFIG =
      LifecycleSettings.define(
          new ConfigDef()
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
                  "Reference set compared with; empty: the topic holds one set.")
              .define(
                  WINDOW_KIND,
                  Type.STRING,
                  "TUMBLING",
                  ConfigDef.CaseInsensitiveValidString.in("TUMBLING", "HOPPING", "NONE"),
                  Importance.HIGH,
                  "Time windows kept besides the all-time view: TUMBLING, HOPPING or NONE.")
              .define(
                  WINDOW_ALL_TIME,
                  Type.BOOLEAN,
                  true,
                  Importance.MEDIUM,
                  "Keep the all-time view (every sample since the reference version started).")
              .define(
                  WINDOW_SIZE_MS,
                  Type.LONG,
                  3_600_000L,
                  ConfigDef.Range.atLeast(1),
                  Importance.HIGH,
                  "Window length in milliseconds of event time.")
              .define(
                  WINDOW_ADVANCE_MS,
                  Type.LONG,
                  0L,
                  ConfigDef.Range.atLeast(0),
                  Importance.MEDIUM,
                  "Hop of hopping windows in milliseconds, at most the size; 0: the window size.")
              .define(
                  WINDOW_GRACE_MS,
                  Type.LONG,
                  300_000L,
                  ConfigDef.Range.atLeast(0),
                  Importance.MEDIUM,
                  "How long after a window's end (in the generator's event time) records are"
                      + " accepted; later ones are dead-lettered as LATE_RECORD.")
              .define(
                  SCORES_EVERY_SAMPLES,
                  Type.INT,
                  100,
                  ConfigDef.Range.atLeast(1),
                  Importance.MEDIUM,
                  "Emit a window's scores after this many new samples (besides window close).")
              .define(
                  SCORES_EVERY_MS,
                  Type.LONG,
                  60_000L,
                  ConfigDef.Range.atLeast(0),
                  Importance.MEDIUM,
                  "Also emit, every this many wall-clock milliseconds, the windows with new samples;"
                      + " 0 disables.")
              .define(
                  RESERVOIR_CAPACITY,
                  Type.INT,
                  1024,
                  ConfigDef.Range.between(1, 1_000_000),
                  Importance.MEDIUM,
                  "Samples kept per generator and window for the sample-based proxies.")
              .define(
                  RESERVOIR_SEED,
                  Type.LONG,
                  42L,
                  Importance.LOW,
                  "Seed of the deterministic reservoir draws (mixed with generator and window).")
              .define(
                  PROXIES,
                  Type.LIST,
                  "mmd2_poly,frechet",
                  Importance.HIGH,
                  "Proxies computed per window, in report order; known: "
                      + String.join(",", QualityProxies.names())
                      + ".")
              .define(
                  RANKING_MIN_SAMPLES,
                  Type.INT,
                  50,
                  ConfigDef.Range.atLeast(1),
                  Importance.MEDIUM,
                  "Generators with fewer samples are listed but not ranked.")
              .define(
                  RANKING_LEADER_CONFIRMATIONS,
                  Type.INT,
                  3,
                  ConfigDef.Range.atLeast(1),
                  Importance.MEDIUM,
                  "A new leader must top this many consecutive rankings of its window kind before"
                      + " TOP_GENERATOR_CHANGED fires (hysteresis: generators of equal quality swap"
                      + " the top rank on small differences); 1 alerts at the first ranking it tops.")
              .define(
                  DRIFT_BASELINE,
                  Type.STRING,
                  "FIRST_WINDOWS",
                  ConfigDef.CaseInsensitiveValidString.in("FIRST_WINDOWS", "EWMA"),
                  Importance.MEDIUM,
                  "Drift baseline: mean of the first windows, or an EWMA of normal windows.")
              .define(
                  DRIFT_WARMUP_WINDOWS,
                  Type.INT,
                  3,
                  ConfigDef.Range.atLeast(1),
                  Importance.LOW,
                  "Windows that form the initial baseline.")
              .define(
                  DRIFT_EWMA_ALPHA,
                  Type.DOUBLE,
                  0.2,
                  Importance.LOW,
                  "Weight of a new normal window in the EWMA baseline, in (0, 1].")
              .define(
                  DRIFT_THRESHOLD,
                  Type.DOUBLE,
                  0.5,
                  Importance.MEDIUM,
                  "Relative degradation that counts as degraded, above 0 (0.5 = 50% worse).")
              .define(
                  DRIFT_CONSECUTIVE_WINDOWS,
                  Type.INT,
                  2,
                  ConfigDef.Range.atLeast(1),
                  Importance.MEDIUM,
                  "Windows in a row needed to raise or clear an alert.")
              .define(
                  DRIFT_CLEAR_RATIO,
                  Type.DOUBLE,
                  0.5,
                  Importance.LOW,
                  "Hysteresis: an alert clears below threshold times this, in (0, 1]; 1 turns it off.")
              .define(
                  DRIFT_MIN_SCALE,
                  Type.DOUBLE,
                  1e-6,
                  Importance.LOW,
                  "Floor of the baseline's scale, above 0.")
              .define(
                  EMBED_BATCH_SIZE,
                  Type.INT,
                  32,
                  ConfigDef.Range.between(1, 10_000),
                  Importance.MEDIUM,
                  "Samples per embedder call (a batch is flushed when full).")
              .define(
                  EMBED_MAX_WAIT_MS,
                  Type.LONG,
                  1_000L,
                  ConfigDef.Range.between(1, 60_000),
                  Importance.MEDIUM,
                  "Longest a buffered sample waits for its batch, wall clock; keep it far below"
                      + " max.poll.interval.ms.")
              .define(
                  EMBED_ASYNC,
                  Type.BOOLEAN,
                  true,
                  Importance.LOW,
                  "Run the embedder on its own thread, one batch in flight per task, while the stream"
                      + " thread updates window states; false embeds on the stream thread.")
              .define(
                  LENS_ENABLED,
                  Type.BOOLEAN,
                  false,
                  Importance.MEDIUM,
                  "Emit LENS requests for the LENS worker and join its results into scores and"
                      + " rankings as the proxy 'lens'.")
              .define(
                  LENS_REQUESTS_TOPIC,
                  Type.STRING,
                  Contracts.LENS_REQUESTS.topic(),
                  new ConfigDef.NonEmptyString(),
                  Importance.LOW,
                  "Output: LENS requests keyed by generator id.")
              .define(
                  LENS_RESULTS_TOPIC,
                  Type.STRING,
                  Contracts.LENS_RESULTS.topic(),
                  new ConfigDef.NonEmptyString(),
                  Importance.LOW,
                  "Input: LENS results keyed by generator id.")
              .define(
                  LENS_EVERY_SAMPLES,
                  Type.INT,
                  500,
                  ConfigDef.Range.atLeast(0),
                  Importance.MEDIUM,
                  "Request LENS after this many new samples of a generator's LENS view; 0 disables.")
              .define(
                  LENS_EVERY_MS,
                  Type.LONG,
                  600_000L,
                  ConfigDef.Range.atLeast(0),
                  Importance.MEDIUM,
                  "Also request LENS when this much wall-clock time passed since the last request and"
                      + " there are new samples; 0 disables.")
              .define(
                  LENS_ON_DRIFT,
                  Type.BOOLEAN,
                  true,
                  Importance.MEDIUM,
                  "Request LENS for the drifted window as soon as a QUALITY_DEGRADED alert is raised.")
              .define(
                  LENS_SYNTHETIC_EXAMPLES,
                  Type.INT,
                  25,
                  ConfigDef.Range.between(1, 1_000),
                  Importance.LOW,
                  "Synthetic texts per LENS request (the first reservoir slots).")
              .define(
                  LENS_REFERENCE_EXAMPLES,
                  Type.INT,
                  25,
                  ConfigDef.Range.between(1, 1_000),
                  Importance.LOW,
                  "Real texts per LENS request (the reference's first samples by id).")
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
                  SampleLimits.DEFAULTS.maxIdBytes(),
                  ConfigDef.Range.between(1, 64 * 1024),
                  Importance.LOW,
                  "Longest generatorId, sampleId, runId and label accepted, in UTF-8 bytes; longer"
                      + " samples are dead-lettered as ID_TOO_LONG. Ids are store keys and reservoir"
                      + " entries, so this bounds state records too.")
              .define(
                  MAX_ATTRIBUTES_BYTES,
                  Type.INT,
                  SampleLimits.DEFAULTS.maxAttributesBytes(),
                  ConfigDef.Range.between(0, 16 * 1024 * 1024),
                  Importance.LOW,
                  "Most UTF-8 bytes of a sample's attribute keys and values together; larger samples"
                      + " are dead-lettered as ATTRIBUTES_TOO_LARGE.")
              .define(
                  MAX_FUTURE_MS,
                  Type.LONG,
                  SampleLimits.DEFAULTS.maxFuture().toMillis(),
                  ConfigDef.Range.between(0, 3_600_000L),
                  Importance.MEDIUM,
                  "How far a sample's eventTime may lie after its record's Kafka timestamp (the"
                      + " producer's or broker's clock); later samples are dead-lettered as"
                      + " EVENT_TIME_IN_FUTURE, so one mis-dated sample (a clock skew, microseconds"
                      + " sent as milliseconds) cannot move a generator's clock ahead and make its later"
                      + " samples late. Negative event times are dead-lettered as"
                      + " EVENT_TIME_OUT_OF_RANGE. At most one hour: the broker refuses records more"
                      + " than message.timestamp.after.max.ms (one hour by default) ahead.")
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
                      + " max.poll.interval.ms."));

  public MonitorSettings {
    Objects.requireNonNull(syntheticTopic, "syntheticTopic");
    Objects.requireNonNull(referenceTopic, "referenceTopic");
    Objects.requireNonNull(scoresTopic, "scoresTopic");
    Objects.requireNonNull(lens, "lens");
    Objects.requireNonNull(rankingsTopic, "rankingsTopic");
    Objects.requireNonNull(alertsTopic, "alertsTopic");
    Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    Objects.requireNonNull(referenceSetId, "referenceSetId");
    Objects.requireNonNull(windowKind, "windowKind");
    Objects.requireNonNull(drift, "drift");
    Objects.requireNonNull(lifecycle, "lifecycle");
    require(positive(windowSize), WINDOW_SIZE_MS, windowSize, "must be above 0");
    require(
        positive(windowAdvance) && windowAdvance.compareTo(windowSize) <= 0,
        WINDOW_ADVANCE_MS,
        windowAdvance,
        "must be above 0 and at most the window size " + windowSize.toMillis());
    require(
        windowKind != WindowKindSetting.TUMBLING || windowAdvance.equals(windowSize),
        WINDOW_ADVANCE_MS,
        windowAdvance,
        "tumbling windows advance by their size");
    require(grace != null && !grace.isNegative(), WINDOW_GRACE_MS, grace, "must be at least 0");
    require(everySamples >= 1, SCORES_EVERY_SAMPLES, everySamples, "must be at least 1");
    require(
        everyInterval != null && !everyInterval.isNegative(),
        SCORES_EVERY_MS,
        everyInterval,
        "must be at least 0");
    require(reservoirCapacity >= 1, RESERVOIR_CAPACITY, reservoirCapacity, "must be at least 1");
    require(proxies != null && !proxies.isEmpty(), PROXIES, proxies, "must name a proxy");
    proxies = List.copyOf(proxies);
    try {
      QualityProxies.byNames(proxies);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(PROXIES, String.join(",", proxies), e.getMessage());
    }
    require(minSamples >= 1, RANKING_MIN_SAMPLES, minSamples, "must be at least 1");
    require(
        leaderConfirmations >= 1,
        RANKING_LEADER_CONFIRMATIONS,
        leaderConfirmations,
        "must be at least 1");
    require(embedBatchSize >= 1, EMBED_BATCH_SIZE, embedBatchSize, "must be at least 1");
    require(positive(embedMaxWait), EMBED_MAX_WAIT_MS, embedMaxWait, "must be above 0");
    Objects.requireNonNull(limits, "limits");
    require(
        deadLetterMaxValueBytes >= 0,
        DEAD_LETTER_MAX_VALUE_BYTES,
        deadLetterMaxValueBytes,
        "must be at least 0");
    require(
        restartBackoff != null && !restartBackoff.isNegative(),
        RESTART_BACKOFF_MS,
        restartBackoff,
        "must be at least 0");
    require(
        registryWait != null && !registryWait.isNegative(),
        REGISTRY_WAIT_MS,
        registryWait,
        "must be at least 0");
    require(
        !lens.enabled()
            || lens.everySamples() > 0
            || !lens.everyInterval().isZero()
            || lens.onDrift(),
        LENS_ENABLED,
        true,
        "needs a cadence: "
            + LENS_EVERY_SAMPLES
            + ", "
            + LENS_EVERY_MS
            + " or "
            + LENS_ON_DRIFT
            + " must be set");
    require(
        allTime || windowKind != WindowKindSetting.NONE,
        WINDOW_ALL_TIME,
        allTime,
        "with " + WINDOW_KIND + "=NONE the all-time view is the only one and must stay on");
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
    WindowKindSetting kind =
        WindowKindSetting.valueOf(((String) v.get(WINDOW_KIND)).toUpperCase(Locale.ROOT));
    Duration size = Duration.ofMillis((Long) v.get(WINDOW_SIZE_MS));
    long advanceMs = (Long) v.get(WINDOW_ADVANCE_MS);
    Duration advance = advanceMs == 0 ? size : Duration.ofMillis(advanceMs);
    double alpha = (Double) v.get(DRIFT_EWMA_ALPHA);
    double threshold = (Double) v.get(DRIFT_THRESHOLD);
    double clearRatio = (Double) v.get(DRIFT_CLEAR_RATIO);
    double minScale = (Double) v.get(DRIFT_MIN_SCALE);
    require(alpha > 0 && alpha <= 1, DRIFT_EWMA_ALPHA, alpha, "must be in (0, 1]");
    require(threshold > 0, DRIFT_THRESHOLD, threshold, "must be above 0");
    require(clearRatio > 0 && clearRatio <= 1, DRIFT_CLEAR_RATIO, clearRatio, "must be in (0, 1]");
    require(minScale > 0, DRIFT_MIN_SCALE, minScale, "must be above 0");
    DriftTracker.Settings drift;
    try {
      drift =
          new DriftTracker.Settings(
              DriftTracker.Settings.Baseline.valueOf(
                  ((String) v.get(DRIFT_BASELINE)).toUpperCase(Locale.ROOT)),
              (Integer) v.get(DRIFT_WARMUP_WINDOWS),
              (Double) v.get(DRIFT_EWMA_ALPHA),
              (Double) v.get(DRIFT_THRESHOLD),
              (Integer) v.get(DRIFT_CONSECUTIVE_WINDOWS),
              (Double) v.get(DRIFT_CLEAR_RATIO),
              (Double) v.get(DRIFT_MIN_SCALE));
    } catch (IllegalArgumentException e) {
      throw new ConfigException("synque.drift.*", "", e.getMessage());
    }
    @SuppressWarnings("unchecked")
    List<String> proxies =
        ((List<String>) v.get(PROXIES))
            .stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new MonitorSettings(
        (String) v.get(SYNTHETIC_TOPIC),
        (String) v.get(REFERENCE_TOPIC),
        (String) v.get(SCORES_TOPIC),
        (String) v.get(RANKINGS_TOPIC),
        (String) v.get(ALERTS_TOPIC),
        (String) v.get(DEAD_LETTER_TOPIC),
        ((String) v.get(REFERENCE_SET_ID)).trim(),
        kind,
        (Boolean) v.get(WINDOW_ALL_TIME),
        size,
        advance,
        Duration.ofMillis((Long) v.get(WINDOW_GRACE_MS)),
        (Integer) v.get(SCORES_EVERY_SAMPLES),
        Duration.ofMillis((Long) v.get(SCORES_EVERY_MS)),
        (Integer) v.get(RESERVOIR_CAPACITY),
        (Long) v.get(RESERVOIR_SEED),
        proxies,
        (Integer) v.get(RANKING_MIN_SAMPLES),
        (Integer) v.get(RANKING_LEADER_CONFIRMATIONS),
        drift,
        (Integer) v.get(EMBED_BATCH_SIZE),
        Duration.ofMillis((Long) v.get(EMBED_MAX_WAIT_MS)),
        (Boolean) v.get(EMBED_ASYNC),
        new LensLink(
            (Boolean) v.get(LENS_ENABLED),
            (String) v.get(LENS_REQUESTS_TOPIC),
            (String) v.get(LENS_RESULTS_TOPIC),
            (Integer) v.get(LENS_EVERY_SAMPLES),
            Duration.ofMillis((Long) v.get(LENS_EVERY_MS)),
            (Boolean) v.get(LENS_ON_DRIFT),
            (Integer) v.get(LENS_SYNTHETIC_EXAMPLES),
            (Integer) v.get(LENS_REFERENCE_EXAMPLES)),
        new SampleLimits(
            (Integer) v.get(MAX_TEXT_BYTES),
            (Integer) v.get(MAX_ID_BYTES),
            (Integer) v.get(MAX_ATTRIBUTES_BYTES),
            Duration.ofMillis((Long) v.get(MAX_FUTURE_MS))),
        (Integer) v.get(DEAD_LETTER_MAX_VALUE_BYTES),
        Duration.ofMillis((Long) v.get(RESTART_BACKOFF_MS)),
        Duration.ofMillis((Long) v.get(REGISTRY_WAIT_MS)),
        LifecycleSettings.fromParsed(v));
  }

  /** A copy with other window settings. */
  public MonitorSettings withWindows(
      WindowKindSetting kind, Duration size, Duration advance, Duration newGrace) {
    return new MonitorSettings(
        syntheticTopic,
        referenceTopic,
        scoresTopic,
        rankingsTopic,
        alertsTopic,
        deadLetterTopic,
        referenceSetId,
        kind,
        allTime,
        size,
        advance,
        newGrace,
        everySamples,
        everyInterval,
        reservoirCapacity,
        reservoirSeed,
        proxies,
        minSamples,
        leaderConfirmations,
        drift,
        embedBatchSize,
        embedMaxWait,
        embedAsync,
        lens,
        limits,
        deadLetterMaxValueBytes,
        restartBackoff,
        registryWait,
        lifecycle);
  }

  /** Longest text accepted, in UTF-8 bytes ({@link SampleLimits#maxTextBytes()}). */
  public int maxTextBytes() {
    return limits.maxTextBytes();
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new ConfigException(key, value instanceof Duration d ? d.toMillis() : value, rule);
    }
  }
}
