package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.embed.Embedder;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Branched;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Repartitioned;

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
   * The topology; with asynchronous embedding ({@code synque.embed.async}) its embedding thread is
   * a daemon that nobody closes and that ends after 30 idle seconds. An application passes its own
   * executor to {@link #build(StreamsBuilder, MonitorSettings, Supplier, MonitorSerdes,
   * MonitorMetrics, EmbeddingExecutor)} and closes it.
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
   * MonitorMetrics#NONE} the topology is the same as without metrics (no extra nodes). See {@link
   * #build(MonitorSettings, Supplier, MonitorSerdes)} for the embedding thread.
   */
  public static void build(
      StreamsBuilder builder,
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes,
      MonitorMetrics metrics) {
    build(
        builder,
        settings,
        embedder,
        serdes,
        metrics,
        settings.embedding().async() ? EmbeddingExecutor.selfEnding() : null);
  }

  /**
   * Adds the monitor to {@code builder}: a table of contents, each flow in a method of its own.
   *
   * @param metrics where the topology reports; {@link MonitorMetrics#NONE} adds no nodes
   * @param executor runs the embedder off the stream threads; owned (and closed) by the caller;
   *     null embeds on the stream threads
   */
  public static void build(
      StreamsBuilder builder,
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes,
      MonitorMetrics metrics,
      EmbeddingExecutor executor) {
    Parts parts = new Parts(builder, settings, embedder, serdes, metrics, executor);
    MonitorStores.add(builder, settings, serdes);
    SampleFlow samples = sampleFlow(parts);
    KStream<String, DriftAlert> driftAlerts =
        samples
            .scores()
            .process(
                () -> new TrackDriftProcessor(settings.drift()),
                Named.as("track-drift"),
                DRIFT_STORE);
    KStream<String, QualityScores> rankingScores = rankingScores(parts, samples.scores());
    KStream<String, QualityScores> published = samples.scores();
    KStream<String, DeadLetter> lensDeadLetters = null;
    if (settings.lens().enabled()) {
      requestLens(parts, samples.scores(), driftAlerts);
      Split<LensResult> lensResults = readLensResults(parts);
      lensDeadLetters = lensResults.rejected();
      rankingScores = joinLens(parts, rankingScores, lensResults.passed());
      // With LENS the published scores are those the ranking task joined the LENS score into.
      published = rankingScores;
    }
    RankingFlow ranked = rankGenerators(parts, rankingScores);
    publishScores(parts, published);
    samples
        .scores()
        .process(RecordHistoryProcessor::new, Named.as("record-history"), SCORE_HISTORY_STORE);
    publishRankings(parts, ranked.rankings());
    publishAlerts(parts, driftAlerts.merge(ranked.leaderChanges(), Named.as("all-alerts")));
    sinkDeadLetters(parts, samples.deadLetters(), "");
    if (lensDeadLetters != null) {
      // A sink of its own: merging with the samples' dead letters would fuse the LENS results'
      // sub-topology with the samples' and tie their partition counts together.
      sinkDeadLetters(parts, lensDeadLetters, "lens-");
    }
  }

  /** What every flow is built from. */
  private record Parts(
      StreamsBuilder builder,
      MonitorSettings settings,
      Supplier<Embedder> embedder,
      MonitorSerdes serdes,
      MonitorMetrics metrics,
      EmbeddingExecutor executor,
      RegistryWait registryWait,
      ReferenceSets references) {

    Parts(
        StreamsBuilder builder,
        MonitorSettings settings,
        Supplier<Embedder> embedder,
        MonitorSerdes serdes,
        MonitorMetrics metrics,
        EmbeddingExecutor executor) {
      this(
          builder,
          settings,
          embedder,
          serdes,
          metrics,
          executor,
          new RegistryWait(settings.recovery().registryWait()));
    }

    private Parts(
        StreamsBuilder builder,
        MonitorSettings settings,
        Supplier<Embedder> embedder,
        MonitorSerdes serdes,
        MonitorMetrics metrics,
        EmbeddingExecutor executor,
        RegistryWait registryWait) {
      this(
          builder,
          settings,
          embedder,
          serdes,
          metrics,
          executor,
          registryWait,
          new ReferenceSets(
              settings.topics().referenceSetId(),
              settings.topics().reference(),
              serdes.reference().deserializer(),
              embedder,
              registryWait));
    }

    boolean metered() {
      return metrics != MonitorMetrics.NONE;
    }
  }

  /** A generator's scores as they leave the sample flow, and the samples it dead-lettered. */
  private record SampleFlow(
      KStream<String, QualityScores> scores, KStream<String, DeadLetter> deadLetters) {}

  /** The ranking's two outputs. */
  private record RankingFlow(
      KStream<String, RankingUpdate> rankings, KStream<String, DriftAlert> leaderChanges) {}

  /** The two branches of a stream of {@link Outcome}s. */
  private record Split<T>(KStream<String, T> passed, KStream<String, DeadLetter> rejected) {}

  /** Samples: read as bytes, validated, embedded in batches, scored per window. */
  private static SampleFlow sampleFlow(Parts p) {
    MonitorSettings settings = p.settings();
    // Bytes in, so that a record the serde cannot read is dead-lettered instead of stopping the
    // app.
    KStream<byte[], byte[]> raw =
        p.builder().stream(
            settings.topics().synthetic(),
            Consumed.with(Serdes.ByteArray(), Serdes.ByteArray()).withName("synthetic-source"));
    if (p.metered()) {
      raw = raw.peek((k, v) -> p.metrics().sampleConsumed(), Named.as("meter-consumed"));
    }
    Split<ValidSample> validated =
        split(
            raw.process(
                () ->
                    new ValidateSampleProcessor(
                        p.serdes().synthetic().deserializer(),
                        settings.limits(),
                        settings.recovery().deadLetterMaxValueBytes(),
                        p.registryWait()),
                Named.as("validate-samples")),
            "valid-samples",
            "invalid-samples");
    KStream<String, ValidSample> valid = validated.passed();
    if (p.metered()) {
      valid =
          valid.peek(
              (k, v) -> p.metrics().sampleAccepted(v.sample().getGeneratorId()),
              Named.as("meter-accepted"));
    }
    Split<EmbeddedSamples> embedded =
        split(
            valid.process(
                () ->
                    new EmbedSamplesProcessor(
                        p.embedder(),
                        p.serdes().synthetic().deserializer(),
                        settings.embedding().batchSize(),
                        settings.embedding().maxWait(),
                        settings.recovery().deadLetterMaxValueBytes(),
                        p.metrics(),
                        p.executor()),
                Named.as("embed-samples"),
                EMBED_BUFFER_STORE),
            "embedded-samples",
            "unembeddable-samples");
    Split<QualityScores> scored =
        split(
            embedded
                .passed()
                .process(
                    () ->
                        new ScoreWindowsProcessor(
                            settings.windows(),
                            settings.lifecycle(),
                            settings.lens().enabled(),
                            settings.recovery().deadLetterMaxValueBytes(),
                            p.references(),
                            p.metrics()),
                    Named.as("score-windows"),
                    MonitorStores.perGenerator(settings)),
            "quality-scores",
            "late-samples");
    KStream<String, DeadLetter> deadLetters =
        validated
            .rejected()
            .merge(embedded.rejected(), Named.as("dead-letters-1"))
            .merge(scored.rejected(), Named.as("dead-letters-2"));
    return new SampleFlow(scored.passed(), deadLetters);
  }

  /** Every generator's scores on one key, one partition: a single task sees them all. */
  private static KStream<String, QualityScores> rankingScores(
      Parts p, KStream<String, QualityScores> scores) {
    return scores
        .selectKey((generator, s) -> RANKING_KEY, Named.as("ranking-key"))
        .repartition(
            Repartitioned.with(Serdes.String(), p.serdes().scores())
                .withName(RANKING_REPARTITION)
                .withNumberOfPartitions(1));
  }

  /** LENS requests, on the scores' cadence and on drift alerts. */
  private static void requestLens(
      Parts p, KStream<String, QualityScores> scores, KStream<String, DriftAlert> driftAlerts) {
    LensLink lens = p.settings().lens();
    scores
        .<LensTrigger>mapValues(LensTrigger.Scores::new, Named.as("lens-trigger-scores"))
        .merge(
            driftAlerts.mapValues(LensTrigger.Drift::new, Named.as("lens-trigger-drift")),
            Named.as("lens-triggers"))
        .process(
            () -> new RequestLensProcessor(lens, p.settings().windows(), p.references()),
            Named.as("request-lens"),
            WINDOW_STATE_STORE,
            LENS_CADENCE_STORE)
        .to(
            lens.requestsTopic(),
            Produced.with(Serdes.String(), p.serdes().lensRequests())
                .withName("lens-requests-sink"));
  }

  /** LENS results, read as bytes so that an unreadable one is dead-lettered. */
  private static Split<LensResult> readLensResults(Parts p) {
    return split(
        p.builder().stream(
                p.settings().lens().resultsTopic(),
                Consumed.with(Serdes.ByteArray(), Serdes.ByteArray())
                    .withName("lens-results-source"))
            .process(
                () ->
                    new ReadLensResultsProcessor(
                        p.serdes().lensResults().deserializer(),
                        p.settings().recovery().deadLetterMaxValueBytes(),
                        p.registryWait()),
                Named.as("read-lens-results")),
        "lens-results",
        "unreadable-lens-results");
  }

  /**
   * LENS results brought to the ranking task's one partition and joined into the scores there
   * ({@link JoinLensProcessor}).
   */
  private static KStream<String, QualityScores> joinLens(
      Parts p, KStream<String, QualityScores> scores, KStream<String, LensResult> results) {
    KStream<String, RankingInput> lens =
        results
            .selectKey((generator, r) -> RANKING_KEY, Named.as("lens-ranking-key"))
            .repartition(
                Repartitioned.with(Serdes.String(), p.serdes().lensResults())
                    .withName(LENS_RANKING_REPARTITION)
                    .withNumberOfPartitions(1))
            .mapValues(RankingInput.Lens::new, Named.as("ranking-lens-results"));
    return scores
        .<RankingInput>mapValues(RankingInput.Scores::new, Named.as("ranking-scores"))
        .merge(lens, Named.as("ranking-input"))
        .process(JoinLensProcessor::new, Named.as("join-lens"), MonitorStores.lensJoin());
  }

  /** The ranking task: ranks and keeps the leader; its outputs split by type. */
  private static RankingFlow rankGenerators(Parts p, KStream<String, QualityScores> scores) {
    MonitorSettings settings = p.settings();
    KStream<String, RankingOutput> ranked =
        scores.process(
            () ->
                new RankGeneratorsProcessor(
                    settings.ranking(),
                    settings.windows(),
                    settings.lifecycle(),
                    settings.lens().enabled(),
                    p.metrics()),
            Named.as("rank-generators"),
            MonitorStores.ranking(settings));
    Map<String, KStream<String, RankingOutput>> branches =
        ranked
            .split(Named.as("ranked-"))
            .branch((k, v) -> v instanceof RankingOutput.Ranking, Branched.as("rankings"))
            .branch((k, v) -> v instanceof RankingOutput.LeaderChange, Branched.as("alerts"))
            .noDefaultBranch();
    return new RankingFlow(
        branches
            .get("ranked-rankings")
            .mapValues(v -> ((RankingOutput.Ranking) v).update(), Named.as("ranking-updates")),
        branches
            .get("ranked-alerts")
            .mapValues(v -> ((RankingOutput.LeaderChange) v).alert(), Named.as("leader-alerts")));
  }

  private static void publishScores(Parts p, KStream<String, QualityScores> scores) {
    publish(
        p,
        scores,
        "scores",
        p.settings().topics().scores(),
        p.serdes().scores(),
        v -> p.metrics().scored(v));
  }

  private static void publishRankings(Parts p, KStream<String, RankingUpdate> rankings) {
    publish(
        p,
        rankings,
        "rankings",
        p.settings().topics().rankings(),
        p.serdes().rankings(),
        v -> p.metrics().ranked(v));
  }

  private static void publishAlerts(Parts p, KStream<String, DriftAlert> alerts) {
    publish(
        p,
        alerts,
        "alerts",
        p.settings().topics().alerts(),
        p.serdes().alerts(),
        v -> p.metrics().alerted(v));
  }

  /**
   * Counts (when metered, node {@code meter-<what>}) and writes an output stream to its topic (node
   * {@code <what>-sink}).
   */
  private static <V> void publish(
      Parts p,
      KStream<String, V> stream,
      String what,
      String topic,
      org.apache.kafka.common.serialization.Serde<V> serde,
      java.util.function.Consumer<V> meter) {
    if (p.metered()) {
      stream = stream.peek((k, v) -> meter.accept(v), Named.as("meter-" + what));
    }
    stream.to(topic, Produced.with(Serdes.String(), serde).withName(what + "-sink"));
  }

  /** Counts (when metered) and writes dead letters keyed by their source key bytes. */
  private static void sinkDeadLetters(Parts p, KStream<String, DeadLetter> letters, String prefix) {
    if (p.metered()) {
      letters =
          letters.peek(
              (key, letter) -> p.metrics().deadLettered(letter.getReason()),
              Named.as("meter-" + prefix + "dead-letters"));
    }
    letters
        .map(
            (key, letter) -> KeyValue.pair(bytes(letter.getKey()), letter),
            Named.as(prefix + "dead-letter-source-key"))
        .to(
            p.settings().topics().deadLetters(),
            Produced.with(Serdes.ByteArray(), p.serdes().deadLetters())
                .withName(prefix + "dead-letters-sink"));
  }

  /**
   * Splits a stream of outcomes into the values that passed (named {@code passedName}) and the dead
   * letters (named {@code rejectedName}).
   */
  private static <T> Split<T> split(
      KStream<String, Outcome<T>> outcomes, String passedName, String rejectedName) {
    String prefix = passedName + "-split-";
    Map<String, KStream<String, Outcome<T>>> branches =
        outcomes
            .split(Named.as(prefix))
            .branch((k, v) -> v instanceof Outcome.Passed, Branched.as("passed"))
            .defaultBranch(Branched.as("rejected"));
    return new Split<>(
        branches
            .get(prefix + "passed")
            .mapValues(v -> ((Outcome.Passed<T>) v).value(), Named.as(passedName)),
        branches
            .get(prefix + "rejected")
            .mapValues(v -> ((Outcome.Rejected<T>) v).letter(), Named.as(rejectedName)));
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
}
