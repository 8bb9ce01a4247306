package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.embed.Embedder;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The monitor's Kafka Streams topology: wiring only, every operator, store and internal topic
 * named.
 *
 * <pre>
 * synque-synthetic-samples-v1 ─▶ validate-samples ─▶ embed-samples ─▶ score-windows ─┬▶ synque-quality-scores-v1
 *   (bytes)                       │ [embed-buffer-store]    │ [window-state-store,     ├▶ track-drift [drift-trackers-store] ─▶ synque-drift-alerts-v1
 *                                 │                         │  generator-clock-store]  └▶ ranking-key ─▶ &lt;app&gt;-ranking-repartition (1 partition)
 *                                 ▼                         ▼                               ─▶ rank-generators [latest-scores-store, leader-store]
 *                          synque-dead-letters-v1 ◀─────────┴── (LATE_RECORD)                  ├▶ synque-rankings-v1
 *                                                                                              └▶ synque-drift-alerts-v1 (TOP_GENERATOR_CHANGED)
 * synque-reference-samples-v1 ─▶ store-reference (global) [reference-store] ─ read by score-windows
 * </pre>
 */
public final class MonitorTopology {

  /** Global store: reference topic key to raw value bytes. */
  public static final String REFERENCE_STORE = "reference-store";

  /**
   * Global store: the control topic, generator id to its raw lifecycle command (see {@link
   * Lifecycle}).
   */
  public static final String CONTROL_STORE = "generator-control-store";

  /**
   * Per retired generator: its final standing (a {@code RankingUpdate} holding its last entry;
   * window start and end are its latest activity and its retirement, in event time), kept for
   * {@code synque.generator.retire.ms} after it retired.
   */
  public static final String RETIRED_STORE = "retired-generators-store";

  /** Samples waiting for their embedding batch (sequence number to source record). */
  public static final String EMBED_BUFFER_STORE = "embed-buffer-store";

  /** Per generator and window: {@link WindowState} bytes. */
  public static final String WINDOW_STATE_STORE = "window-state-store";

  /** Per generator: the latest event time seen. */
  public static final String GENERATOR_CLOCK_STORE = "generator-clock-store";

  /** Per window kind and generator: the latest {@code QualityScores}. */
  public static final String LATEST_SCORES_STORE = "latest-scores-store";

  /** Per window kind: the current leader. */
  public static final String LEADER_STORE = "leader-store";

  /**
   * Per time-window kind, window and generator: the window's final {@code QualityScores}, kept for
   * {@code window size + grace} behind the newest ranked window (see {@link WindowScoresKey}).
   */
  public static final String WINDOW_SCORES_STORE = "window-scores-store";

  /** Per window kind: the latest {@code RankingUpdate}. */
  public static final String LATEST_RANKING_STORE = "latest-ranking-store";

  /** Per generator: the last {@link #HISTORY_SIZE} scores, a JSON array. */
  public static final String SCORE_HISTORY_STORE = "score-history-store";

  /** Scores kept per generator in {@link #SCORE_HISTORY_STORE}. */
  public static final int HISTORY_SIZE = 100;

  /** Per generator: when LENS was last requested for its LENS view (see {@link LensLink}). */
  public static final String LENS_CADENCE_STORE = "lens-cadence-store";

  /** Per generator: the latest {@code LensResult} (in the ranking task). */
  public static final String LATEST_LENS_STORE = "latest-lens-store";

  /** Name of the repartition step bringing LENS results to the ranking task. */
  public static final String LENS_RANKING_REPARTITION = "lens-ranking";

  /** Per generator and proxy: the drift tracker and the reference version it follows. */
  public static final String DRIFT_STORE = "drift-trackers-store";

  /**
   * Name of the repartition step feeding the ranking; the topic is {@code
   * <app>-ranking-repartition}.
   */
  public static final String RANKING_REPARTITION = "ranking";

  /** The single key every score is re-keyed to before ranking. */
  static final String RANKING_KEY = "all-generators";

  private MonitorTopology() {}

  /**
   * The topology.
   *
   * @param embedder gives the embedder, called once per processor instance; return one shared,
   *     thread-safe instance owned (and closed) by the caller
   */
  public static Topology build(
      MonitorSettings settings, Supplier<Embedder> embedder, MonitorSerdes serdes) {
    return build(settings, embedder, serdes, MonitorMetrics.NONE);
  }

  /**
   * The topology, reporting to {@code metrics} (thread-safe, called from every stream thread).
   *
   * @see #build(MonitorSettings, Supplier, MonitorSerdes)
   */
  public static Topology build(
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes,
      MonitorMetrics metrics) {
    StreamsBuilder builder = new StreamsBuilder();
    build(builder, settings, embedder, serdes, metrics);
    return builder.build();
  }

  /**
   * Adds the monitor to {@code builder}; see {@link #build(MonitorSettings, Supplier,
   * MonitorSerdes)}.
   */
  public static void build(
      StreamsBuilder builder,
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes) {
    build(builder, settings, embedder, serdes, MonitorMetrics.NONE);
  }

  /**
   * Adds the monitor to {@code builder}, reporting to {@code metrics}; with {@link
   * MonitorMetrics#NONE} the topology is the same as without metrics (no extra nodes).
   */
  public static void build(
      StreamsBuilder builder,
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes,
      MonitorMetrics metrics) {
    boolean metered = metrics != MonitorMetrics.NONE;
    RegistryWait registryWait = new RegistryWait(settings.registryWait());
    ReferenceSets references =
        new ReferenceSets(
            settings.referenceSetId(),
            settings.referenceTopic(),
            serdes.reference().deserializer(),
            embedder,
            registryWait);

    builder.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(REFERENCE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(),
        settings.referenceTopic(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("reference-source"),
        () -> new StoreReferenceProcessor(serdes.reference().deserializer()));
    if (settings.lifecycle().commands()) {
      builder.addGlobalStore(
          Stores.keyValueStoreBuilder(
                  Stores.persistentKeyValueStore(CONTROL_STORE),
                  Serdes.String(),
                  Serdes.ByteArray())
              .withLoggingDisabled(),
          settings.lifecycle().controlTopic(),
          Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("control-source"),
          StoreControlProcessor::new);
    }
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EMBED_BUFFER_STORE), Serdes.Long(), Serdes.ByteArray()));
    // Cached: a window state is megabytes and changes with every batch; the record cache keeps
    // only its latest bytes until the next commit, so the changelog gets one write per window per
    // commit instead of one per batch (exactly once still holds: the cache is flushed into the
    // transaction before the offsets are committed).
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(WINDOW_STATE_STORE),
                WindowKey.SERDE,
                Serdes.ByteArray())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(GENERATOR_CLOCK_STORE),
                Serdes.String(),
                Serdes.Long())
            .withCachingEnabled());
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DRIFT_STORE), Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LATEST_SCORES_STORE), Serdes.String(), serdes.scores()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LEADER_STORE), Serdes.String(), Serdes.String()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LATEST_RANKING_STORE),
            Serdes.String(),
            serdes.rankings()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(SCORE_HISTORY_STORE), Serdes.String(), Serdes.String()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(WINDOW_SCORES_STORE), Serdes.String(), serdes.scores()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RETIRED_STORE), Serdes.String(), serdes.rankings()));

    LensLink lens = settings.lens();
    if (lens.enabled()) {
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(LENS_CADENCE_STORE),
              Serdes.String(),
              Serdes.ByteArray()));
      builder.addStateStore(
          Stores.keyValueStoreBuilder(
              Stores.persistentKeyValueStore(LATEST_LENS_STORE),
              Serdes.String(),
              serdes.lensResults()));
    }

    // Bytes in, so that a record the serde cannot read is dead-lettered instead of stopping the
    // app.
    KStream<byte[], byte[]> raw =
        builder.stream(
            settings.syntheticTopic(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("synthetic-source"));
    if (metered) {
      raw = raw.peek((k, v) -> metrics.sampleConsumed(), Named.as("meter-consumed"));
    }
    KStream<String, Object> validated =
        raw.process(
            () ->
                new ValidateSampleProcessor(
                    serdes.synthetic().deserializer(),
                    settings.limits(),
                    settings.deadLetterMaxValueBytes(),
                    registryWait),
            Named.as("validate-samples"));
    KStream<String, ValidSample> valid = only(validated, ValidSample.class, "valid-samples");
    if (metered) {
      valid =
          valid.peek(
              (k, v) -> metrics.sampleAccepted(v.sample().getGeneratorId()),
              Named.as("meter-accepted"));
    }
    EmbeddingExecutor executor = settings.embedAsync() ? new EmbeddingExecutor() : null;
    KStream<String, Object> embedded =
        valid.process(
            () ->
                new EmbedSamplesProcessor(
                    embedder,
                    serdes.synthetic().deserializer(),
                    settings.embedBatchSize(),
                    settings.embedMaxWait(),
                    settings.deadLetterMaxValueBytes(),
                    metrics,
                    executor),
            Named.as("embed-samples"),
            EMBED_BUFFER_STORE);
    KStream<String, Object> scored =
        only(embedded, EmbeddedSamples.class, "embedded-samples")
            .process(
                () -> new ScoreWindowsProcessor(settings, references, metrics),
                Named.as("score-windows"),
                // the per-generator stores of this sub-topology: a retired generator leaves them
                lens.enabled()
                    ? new String[] {
                      WINDOW_STATE_STORE,
                      GENERATOR_CLOCK_STORE,
                      DRIFT_STORE,
                      SCORE_HISTORY_STORE,
                      LENS_CADENCE_STORE
                    }
                    : new String[] {
                      WINDOW_STATE_STORE, GENERATOR_CLOCK_STORE, DRIFT_STORE, SCORE_HISTORY_STORE
                    });
    KStream<String, QualityScores> scores = only(scored, QualityScores.class, "quality-scores");

    KStream<String, DriftAlert> driftAlerts =
        scores.process(
            () -> new TrackDriftProcessor(settings.drift()), Named.as("track-drift"), DRIFT_STORE);

    // One key, one partition: a single task sees every generator's scores.
    KStream<String, Object> rankingInput =
        scores
            .selectKey((generator, s) -> RANKING_KEY, Named.as("ranking-key"))
            .repartition(
                Repartitioned.with(Serdes.String(), serdes.scores())
                    .withName(RANKING_REPARTITION)
                    .withNumberOfPartitions(1))
            .mapValues(v -> (Object) v, Named.as("ranking-scores"));
    KStream<String, DeadLetter> lensDeadLetters = null;
    if (lens.enabled()) {
      scores
          .mapValues(v -> (Object) v, Named.as("lens-trigger-scores"))
          .merge(
              driftAlerts.mapValues(v -> (Object) v, Named.as("lens-trigger-drift")),
              Named.as("lens-triggers"))
          .process(
              () -> new RequestLensProcessor(settings, references),
              Named.as("request-lens"),
              WINDOW_STATE_STORE,
              LENS_CADENCE_STORE)
          .to(
              lens.requestsTopic(),
              Produced.with(Serdes.String(), serdes.lensRequests()).withName("lens-requests-sink"));
      KStream<String, Object> results =
          builder.stream(
                  lens.resultsTopic(),
                  Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                      .withName("lens-results-source"))
              .process(
                  () ->
                      new ReadLensResultsProcessor(
                          serdes.lensResults().deserializer(),
                          settings.deadLetterMaxValueBytes(),
                          registryWait),
                  Named.as("read-lens-results"));
      lensDeadLetters = only(results, DeadLetter.class, "unreadable-lens-results");
      rankingInput =
          rankingInput.merge(
              only(results, LensResult.class, "lens-results")
                  .selectKey((generator, r) -> RANKING_KEY, Named.as("lens-ranking-key"))
                  .repartition(
                      Repartitioned.with(Serdes.String(), serdes.lensResults())
                          .withName(LENS_RANKING_REPARTITION)
                          .withNumberOfPartitions(1))
                  .mapValues(v -> (Object) v, Named.as("ranking-lens-results")),
              Named.as("ranking-input"));
    }
    KStream<String, Object> ranked =
        rankingInput.process(
            RankGeneratorsProcessorSupplier.of(settings, metrics),
            Named.as("rank-generators"),
            lens.enabled()
                ? new String[] {
                  LATEST_SCORES_STORE,
                  LEADER_STORE,
                  LATEST_RANKING_STORE,
                  WINDOW_SCORES_STORE,
                  RETIRED_STORE,
                  LATEST_LENS_STORE
                }
                : new String[] {
                  LATEST_SCORES_STORE,
                  LEADER_STORE,
                  LATEST_RANKING_STORE,
                  WINDOW_SCORES_STORE,
                  RETIRED_STORE
                });
    // With LENS the published scores are those the ranking task joined the LENS score into.
    KStream<String, QualityScores> published =
        lens.enabled() ? only(ranked, QualityScores.class, "joined-scores") : scores;
    if (metered) {
      published = published.peek((k, v) -> metrics.scored(v), Named.as("meter-scores"));
    }
    published.to(
        settings.scoresTopic(),
        Produced.with(Serdes.String(), serdes.scores()).withName("scores-sink"));
    scores.process(RecordHistoryProcessor::new, Named.as("record-history"), SCORE_HISTORY_STORE);
    KStream<String, RankingUpdate> rankings = only(ranked, RankingUpdate.class, "ranking-updates");
    if (metered) {
      rankings = rankings.peek((k, v) -> metrics.ranked(v), Named.as("meter-rankings"));
    }
    rankings.to(
        settings.rankingsTopic(),
        Produced.with(Serdes.String(), serdes.rankings()).withName("rankings-sink"));
    KStream<String, DriftAlert> alerts =
        driftAlerts.merge(only(ranked, DriftAlert.class, "leader-alerts"), Named.as("all-alerts"));
    if (metered) {
      alerts = alerts.peek((k, v) -> metrics.alerted(v), Named.as("meter-alerts"));
    }
    alerts.to(
        settings.alertsTopic(),
        Produced.with(Serdes.String(), serdes.alerts()).withName("alerts-sink"));

    KStream<String, DeadLetter> deadLetters =
        only(validated, DeadLetter.class, "invalid-samples")
            .merge(
                only(embedded, DeadLetter.class, "unembeddable-samples"),
                Named.as("dead-letters-1"))
            .merge(only(scored, DeadLetter.class, "late-samples"), Named.as("dead-letters-2"));
    sinkDeadLetters(deadLetters, "", settings, serdes, metered ? metrics : null);
    if (lensDeadLetters != null) {
      // A sink of its own: merging with the samples' dead letters would fuse the LENS results'
      // sub-topology with the samples' and tie their partition counts together.
      sinkDeadLetters(lensDeadLetters, "lens-", settings, serdes, metered ? metrics : null);
    }
  }

  /** Counts (when metered) and writes dead letters keyed by their source key bytes. */
  private static void sinkDeadLetters(
      KStream<String, DeadLetter> letters,
      String prefix,
      MonitorSettings settings,
      MonitorSerdes serdes,
      MonitorMetrics metrics) {
    if (metrics != null) {
      letters =
          letters.peek(
              (key, letter) -> metrics.deadLettered(letter.getReason()),
              Named.as("meter-" + prefix + "dead-letters"));
    }
    letters
        .map(
            (key, letter) -> KeyValue.pair(bytes(letter.getKey()), letter),
            Named.as(prefix + "dead-letter-source-key"))
        .to(
            settings.deadLetterTopic(),
            Produced.with(Serdes.ByteArray(), serdes.deadLetters())
                .withName(prefix + "dead-letters-sink"));
  }

  private static <T> KStream<String, T> only(
      KStream<String, Object> stream, Class<T> type, String name) {
    return stream
        .filter((key, value) -> type.isInstance(value), Named.as(name + "-filter"))
        .mapValues(type::cast, Named.as(name));
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] b = new byte[copy.remaining()];
    copy.get(b);
    return b;
  }

  /** Keeps the lambda short. */
  private static final class RankGeneratorsProcessorSupplier {
    static org.apache.kafka.streams.processor.api.ProcessorSupplier<String, Object, String, Object>
        of(MonitorSettings settings, MonitorMetrics metrics) {
      return () -> new RankGeneratorsProcessor(settings, metrics);
    }
  }
}
