package dev.synque.monitor.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.stream.LifecycleSettings;
import dev.synque.monitor.stream.MonitorJson;
import dev.synque.monitor.stream.MonitorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * {@code synque demo}: the {@link DemoStack} plus the procedural {@link DemoGenerator}s publishing
 * continuously, the page ({@link DemoWebServer}) and progress lines on the terminal.
 *
 * <p>Each generator publishes {@link DemoSettings#rate()} samples per second. Event times are
 * virtual, sample {@code i} at {@code t0 + i / rate} with {@code t0} on a window boundary, so every
 * tumbling window holds the same number of samples whatever the machine's load; the drifting
 * generator turns bad after {@link DemoGenerator#DRIFT_AFTER} samples, after the drift baseline
 * (the first three windows) is set. Close it (or Ctrl-C the command) to stop everything.
 */
public final class LiveDemo implements AutoCloseable {

  /** Windows that form the drift baseline; the drifting generator turns bad right after them. */
  static final int BASELINE_WINDOWS = 3;

  /**
   * Samples of {@link DemoGenerator}'s degradation ramp skipped when the demo's drifting generator
   * turns: it starts half degraded, so the alert fires two windows later instead of five.
   */
  static final long RAMP_SKIP = DemoGenerator.DRIFT_AFTER / 2;

  /** The demo's reference set id and version. */
  static final String REFERENCE_SET = "demo";

  private final DemoSettings settings;
  private final DemoStack stack;
  private final PrintStream out;
  private final List<DemoGenerator> generators = DemoGenerator.all();
  private final AtomicLong sentPerGenerator = new AtomicLong();
  private final long startNanos;
  private final Instant startedAt = Instant.now();
  private volatile boolean running = true;
  private volatile long firstRankedMs = -1;
  private volatile long firstDriftMs = -1;
  private final int pagePort;
  private final int queryPort;
  private final String lensStatus;

  /**
   * Starts a LENS worker on the demo's broker and registry: given their client configuration
   * (bootstrap servers, registry URL) and the topics, returns what stops it. Supplied by the
   * command line, which owns the worker's wiring.
   */
  @FunctionalInterface
  public interface LensWorkerStarter {
    AutoCloseable start(
        Map<String, Object> clientConfig,
        String requestsTopic,
        String resultsTopic,
        String deadLetterTopic)
        throws IOException;
  }

  private LiveDemo(
      DemoSettings settings,
      PrintStream out,
      LensWorkerStarter lensWorker,
      Supplier<? extends Embedder> embedders)
      throws IOException {
    this.settings = settings;
    this.out = out;
    this.startNanos = System.nanoTime();
    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.WINDOW_KIND, "TUMBLING");
    config.put(MonitorSettings.WINDOW_SIZE_MS, settings.window().toMillis());
    config.put(MonitorSettings.WINDOW_GRACE_MS, 0L);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, settings.everySamples());
    config.put(MonitorSettings.SCORES_EVERY_MS, 0L); // samples flow steadily; counts suffice
    config.put(MonitorSettings.RESERVOIR_CAPACITY, 128);
    // The baseline of a faithful generator's MMD² is close to 0 (about 1e-4 at 60 samples per
    // window), where its sampling noise alone is 100% "worse"; a floor of 5e-4 on the scale keeps
    // the faithful generators quiet and still flags the drifting one (its MMD² passes 1e-3).
    // Fréchet values (0.3 and up) are far above the floor and unaffected.
    config.put(MonitorSettings.DRIFT_MIN_SCALE, 5e-4);
    config.put(MonitorSettings.DRIFT_WARMUP_WINDOWS, BASELINE_WINDOWS);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, settings.minSamples());
    // The demo compresses hours into minutes: a new leader must hold the top for two windows, not
    // the production default of five minutes, or the demo would never show a leader change.
    config.put(LifecycleSettings.LEADER_MIN_MS, 2 * settings.window().toMillis());
    config.put(MonitorSettings.PROXIES, String.join(",", settings.proxies()));
    config.put(MonitorSettings.REFERENCE_SET_ID, REFERENCE_SET);
    config.put(MonitorSettings.EMBED_BATCH_SIZE, 16);
    config.put(MonitorSettings.EMBED_MAX_WAIT_MS, 100L);
    boolean lensOn = lensWorker != null && hasEndpoint(settings);
    if (lensOn) {
      // Ask once a window's worth of samples is in (the demo's windows hold about 60 samples) and
      // as soon as the drifting generator degrades.
      config.put(MonitorSettings.LENS_ENABLED, true);
      config.put(MonitorSettings.LENS_EVERY_SAMPLES, 4 * settings.everySamples());
      config.put(MonitorSettings.LENS_EVERY_MS, 0L);
      config.put(MonitorSettings.LENS_SYNTHETIC_EXAMPLES, 10);
      config.put(MonitorSettings.LENS_REFERENCE_EXAMPLES, 10);
    }
    MonitorSettings monitor = MonitorSettings.fromConfig(config);

    say("starting an in-process Kafka broker (KRaft, one node) and schema registry ...");
    this.stack = DemoStack.start(config, 2);
    try {
      say("  broker   %s", stack.bootstrapServers());
      say("  registry %s", stack.registryUrl());
      SamplePublisher publisher =
          stack.closeLater(
              new SamplePublisher(
                  stack.clientConfig(),
                  stack.serdes(),
                  monitor.syntheticTopic(),
                  monitor.referenceTopic()));
      List<String> reference = DemoGenerator.reference(settings.referenceSize(), 1);
      for (int i = 0; i < reference.size(); i++) {
        publisher.referenceSample(
            REFERENCE_SET, "v1", REFERENCE_SET + "-" + i, reference.get(i), Instant.now());
      }
      publisher.flush();
      say(
          "published the reference set: %d real-style financial headlines (set %s, version v1)",
          reference.size(), REFERENCE_SET);
      say("loading the embedding model and starting the monitor (Kafka Streams, exactly once) ...");
      this.queryPort = stack.startMonitor(embedders, settings.queryPort(), settings.metricsPort());
      if (lensOn) {
        stack.closeLater(
            lensWorker.start(
                stack.clientConfig(),
                monitor.lens().requestsTopic(),
                monitor.lens().resultsTopic(),
                monitor.deadLetterTopic()));
      }
      this.lensStatus = lens(settings, lensOn);
      MonitorFeed feed =
          stack.closeLater(
              new MonitorFeed(
                  stack.clientConfig(),
                  stack.serdes(),
                  monitor.rankingsTopic(),
                  monitor.alertsTopic(),
                  this::onRanking,
                  this::onAlert));
      DemoWebServer web =
          stack.closeLater(
              new DemoWebServer(
                  settings.port(),
                  "http://localhost:" + queryPort,
                  this::describe,
                  feed::alertsJson));
      this.pagePort = web.port();
      Thread traffic = new Thread(() -> publish(publisher), "synque-demo-generators");
      traffic.setDaemon(true);
      stack.closeLater(
          () -> {
            running = false;
            traffic.join(5_000);
          });
      Thread progress = new Thread(() -> progress(feed), "synque-demo-progress");
      progress.setDaemon(true);
      traffic.start();
      progress.start();
      banner();
    } catch (IOException | RuntimeException e) {
      stack.close();
      throw e;
    }
  }

  /** Starts the demo without LENS; prints to {@code out}. */
  public static LiveDemo start(DemoSettings settings, PrintStream out) throws IOException {
    return new LiveDemo(settings, out, null, DEFAULT_EMBEDDER);
  }

  /**
   * Starts the demo; with an LLM endpoint in the settings, the monitor asks for LENS and {@code
   * lensWorker} starts the worker that answers.
   */
  public static LiveDemo start(DemoSettings settings, PrintStream out, LensWorkerStarter lensWorker)
      throws IOException {
    return new LiveDemo(settings, out, lensWorker, DEFAULT_EMBEDDER);
  }

  /**
   * Starts the demo with the embedder {@code embedders} opens (for example {@link
   * dev.synque.monitor.embed.OpenAiEmbedder} on an embedding server); the demo closes it.
   */
  public static LiveDemo start(
      DemoSettings settings,
      PrintStream out,
      LensWorkerStarter lensWorker,
      Supplier<? extends Embedder> embedders)
      throws IOException {
    return new LiveDemo(settings, out, lensWorker, embedders);
  }

  /** The local MiniLM with the default settings. */
  private static final Supplier<Embedder> DEFAULT_EMBEDDER =
      () -> DjlEmbedder.open(EmbedderSettings.defaults());

  private static boolean hasEndpoint(DemoSettings s) {
    return s.llmBaseUrl() != null && !s.llmBaseUrl().isBlank();
  }

  /** The page's URL. */
  public String pageUrl() {
    return "http://localhost:" + pagePort + "/";
  }

  /** Port of the monitor's own interactive-query server. */
  public int queryPort() {
    return queryPort;
  }

  /** Port of the monitor's Prometheus metrics ({@code /metrics}, {@code /health}), or -1. */
  public int metricsPort() {
    return stack.metricsPort();
  }

  /**
   * Client settings of the demo's broker and registry ({@code bootstrap.servers}, {@code
   * schema.registry.url}), for clients run beside the demo, such as a LENS worker.
   */
  public Map<String, Object> clientConfig() {
    return stack.clientConfig();
  }

  private static String lens(DemoSettings s, boolean on) {
    if (!hasEndpoint(s)) {
      return "off: no LLM endpoint configured (set --llm-base-url or SYNQUE_LLM_BASE_URL to an"
          + " OpenAI-compatible endpoint, e.g. http://localhost:11434/v1, to turn it on)";
    }
    if (!on) {
      return "endpoint " + s.llmBaseUrl() + " configured, but no LENS worker was supplied";
    }
    return "on: the LENS worker judges with "
        + s.llmBaseUrl()
        + "; scores and the ranking gain a 'lens' column once its first results arrive";
  }

  private void banner() {
    say("");
    say("SynQuE Monitor demo is running (%.0f s after start)", seconds());
    say("  page        %s", pageUrl());
    say(
        "  JSON        %sapi/ranking  %sapi/alerts  %sapi/generators/<id>/history"
            + "  %sapi/generators/<id>/evidence",
        pageUrl(), pageUrl(), pageUrl(), pageUrl());
    say(
        "  queries     http://localhost:%d/ranking?window=ALL_TIME|TUMBLING"
            + "  /generators/<id>/scores  /generators/<id>/history  /generators/<id>/evidence",
        queryPort);
    if (stack.metricsPort() >= 0) {
      say(
          "  metrics     http://localhost:%d/metrics  /health  (Prometheus; see dashboards/)",
          stack.metricsPort());
    }
    say("  broker      %s   registry %s", stack.bootstrapServers(), stack.registryUrl());
    say("  LENS        %s", lensStatus);
    say(
        "generators (%.0f samples/s each, %d-second tumbling windows, reference: %d headlines):",
        settings.rate(), settings.window().toSeconds(), settings.referenceSize());
    for (DemoGenerator g : generators) {
      say("  %-10s %s", g.id(), description(g));
    }
    say("Ctrl-C stops everything; the next run starts from an empty broker.");
    say("");
  }

  private void publish(SamplePublisher publisher) {
    long windowMs = settings.window().toMillis();
    long t0 = (System.currentTimeMillis() / windowMs + 1) * windowMs;
    double periodNanos = 1e9 / settings.rate();
    long start = System.nanoTime();
    for (long i = 0; running; i++) {
      long wait = start + (long) (i * periodNanos) - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      Instant eventTime = Instant.ofEpochMilli(t0 + (long) (i * 1000 / settings.rate()));
      for (DemoGenerator g : generators) {
        try {
          publisher.sample(
              g.id(), g.id() + "-" + i, g.text(index(g, i), settings.seed()), eventTime);
        } catch (RuntimeException e) {
          if (running) {
            say("a sample could not be sent: %s", e.getMessage());
          }
          return;
        }
      }
      sentPerGenerator.set(i + 1);
    }
  }

  /** Samples per generator and window. */
  private long samplesPerWindow() {
    return Math.max(1, Math.round(settings.rate() * settings.window().toMillis() / 1000.0));
  }

  /**
   * The generator's sample index for published sample {@code i}: the identity, except that the
   * drifting generator stays faithful for the {@value #BASELINE_WINDOWS} baseline windows and then
   * continues half-way into its degradation.
   */
  private long index(DemoGenerator g, long i) {
    long turn = BASELINE_WINDOWS * samplesPerWindow();
    if (g.kind() != DemoGenerator.Kind.DRIFTING || i < turn) {
      return i;
    }
    return i - turn + DemoGenerator.DRIFT_AFTER + RAMP_SKIP;
  }

  private String description(DemoGenerator g) {
    return g.kind() == DemoGenerator.Kind.DRIFTING
        ? "faithful for "
            + BASELINE_WINDOWS * samplesPerWindow()
            + " samples (the drift baseline), then degrades"
        : g.description();
  }

  private void progress(MonitorFeed feed) {
    while (running) {
      LockSupport.parkNanos(Duration.ofSeconds(10).toNanos());
      if (!running) {
        return;
      }
      RankingUpdate r = feed.latestAllTime();
      String board =
          r == null
              ? "no ranking yet"
              : r.getEntries().stream()
                  .map(e -> (e.getEligible() ? e.getRank() + "." : "-") + e.getGeneratorId())
                  .collect(Collectors.joining(" "));
      say(
          "[%4.0fs] %d samples per generator sent; all-time ranking: %s",
          seconds(), sentPerGenerator.get(), board);
    }
  }

  private void onRanking(RankingUpdate update) {
    if (firstRankedMs < 0
        && update.getWindowKind() == dev.synque.monitor.avro.WindowKind.ALL_TIME
        && update.getEntries().size() == generators.size()
        && update.getEntries().stream().allMatch(RankingEntry::getEligible)) {
      firstRankedMs = (System.nanoTime() - startNanos) / 1_000_000;
      say(
          "[%4.0fs] all %d generators ranked (all samples so far): %s",
          seconds(),
          generators.size(),
          update.getEntries().stream()
              .map(e -> e.getRank() + "." + e.getGeneratorId())
              .collect(Collectors.joining(" ")));
    }
  }

  private void onAlert(DriftAlert alert) {
    if (alert.getKind() == AlertKind.QUALITY_DEGRADED && firstDriftMs < 0) {
      firstDriftMs = (System.nanoTime() - startNanos) / 1_000_000;
    }
    say(
        "[%4.0fs] ALERT %s %s: %s",
        seconds(), alert.getKind(), alert.getGeneratorId(), alert.getMessage());
  }

  /** Milliseconds from start until every generator was ranked, or -1. */
  public long firstRankedMillis() {
    return firstRankedMs;
  }

  /** Milliseconds from start until the first quality-degraded alert, or -1. */
  public long firstDriftAlertMillis() {
    return firstDriftMs;
  }

  private ObjectNode describe() {
    ObjectNode n = MonitorJson.MAPPER.createObjectNode();
    n.put("startedAt", startedAt.toEpochMilli());
    n.put("uptimeSeconds", seconds());
    n.put("ratePerGenerator", settings.rate());
    n.put("windowMs", settings.window().toMillis());
    n.put("minSamples", settings.minSamples());
    n.put("referenceSize", settings.referenceSize());
    n.put("driftAfterSamples", BASELINE_WINDOWS * samplesPerWindow());
    n.put("lens", lensStatus);
    n.put("monitor", String.valueOf(stack.monitorState()));
    n.putPOJO("proxies", settings.proxies());
    ArrayNode gens = n.putArray("generators");
    for (DemoGenerator g : generators) {
      gens.addObject()
          .put("id", g.id())
          .put("description", description(g))
          .put("sent", sentPerGenerator.get());
    }
    return n;
  }

  private double seconds() {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private void say(String format, Object... args) {
    out.println(String.format(Locale.ROOT, format, args));
    out.flush();
  }

  @Override
  public void close() {
    running = false;
    stack.close();
  }
}
