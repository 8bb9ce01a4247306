package dev.synque.monitor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.stream.LifecycleSettings;
import dev.synque.monitor.stream.MonitorJson;
import dev.synque.monitor.stream.MonitorSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.KafkaStreams;

/**
 * Sustained load: many generators publish at a fixed rate for a set time through the in-process
 * broker into one monitor instance (the real topology, exactly once, the real MiniLM embedder on
 * the CPU); every interval it records throughput, backlog, end-to-end latency ({@link
 * SampleLatencies} defines it), the heap after a full GC, the monitor's state on disk and the
 * dead-letter count, prints the reading and at the end a summary with verdicts, and writes {@code
 * timeseries.csv} and {@code summary.json} to {@code --out}.
 *
 * <pre>
 * bin/load soak [--generators 50] [--rate 2] [--duration 10m] [--interval 30s] [--warmup 60s]
 *               [--drain 3m] [--partitions 8] [--seed 7] [--reference-size 200]
 *               [--out target/load/soak] [--config KEY=VALUE ...]
 * </pre>
 *
 * <p>Monitor defaults of the run (each can be changed with {@code --config}): tumbling windows of
 * one minute with 5 s grace (so windows close and their state is deleted during the run) plus the
 * all-time view, scores every 10 samples and no wall-clock timer, generators ranked from 20
 * samples, reservoirs of 256 (full after 128 s at 2 samples/s, so most of the run is the steady
 * state); everything else is the monitor's default ({@code mmd2_poly,frechet}, micro-batches of 32,
 * commit every second).
 *
 * <p>The default rate, 2 samples/s per generator (100/s in all), leaves room below the embedder's
 * 250–300 texts/s on 2 cores for the rest of the monitor; a rate above capacity shows as a backlog
 * that grows for the whole run (verdict {@code NOT SUSTAINED}).
 */
public final class LoadSoak {

  private static final Set<String> OPTIONS =
      Set.of(
          "generators",
          "rate",
          "duration",
          "interval",
          "warmup",
          "drain",
          "partitions",
          "seed",
          "reference-size",
          "churn-stop",
          "churn-start",
          "churn-at",
          "out");

  private static final String APPLICATION_ID = "synque-load";

  private LoadSoak() {}

  /** The run's monitor configuration: the soak's defaults, then {@code --config}. */
  static Map<String, Object> monitorConfig(Map<String, Object> overrides) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(MonitorSettings.REFERENCE_SET_ID, LoadStack.REFERENCE_SET);
    config.put(MonitorSettings.WINDOW_KIND, "TUMBLING");
    config.put(MonitorSettings.WINDOW_SIZE_MS, 60_000);
    config.put(MonitorSettings.WINDOW_GRACE_MS, 5_000);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 10);
    // No wall-clock timer: the generators never pause, so the count cadence alone emits, and a
    // timer emission would shift the cadence off the blocks the generators stop on.
    config.put(MonitorSettings.SCORES_EVERY_MS, 0);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 20);
    // A reservoir of 256 is full after 128 s at 2 samples/s, so most of a 10-minute run is the
    // steady state where heap and disk must stay flat; at the default 1,024 the all-time states
    // grow (as they should) for 8.5 minutes of it.
    config.put(MonitorSettings.RESERVOIR_CAPACITY, 256);
    config.putAll(overrides);
    return config;
  }

  static final String USAGE =
      "usage: bin/load soak [--generators 50] [--rate 2] [--duration 10m] [--interval 30s]"
          + " [--warmup 60s] [--drain 3m] [--partitions 8] [--seed 7] [--reference-size 200]"
          + " [--out target/load/soak] [--churn-stop 20 --churn-start 10 --churn-at 3m]"
          + " [--config KEY=VALUE ...]";

  public static void main(String[] args) throws Exception {
    Plan plan;
    try {
      plan = plan(LoadArgs.parse(args, OPTIONS));
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    int code;
    try {
      code = run(plan);
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  private static Plan plan(LoadArgs a) {
    int churnStop = a.integer("churn-stop", 0);
    Map<String, Object> config = monitorConfig(a.config());
    if (churnStop > 0) {
      // Churn: stopped generators go idle after 1 minute and retire after 2 (event time), so a
      // run of a few minutes sees them leave; --config overrides.
      Map<String, Object> churn = new LinkedHashMap<>();
      churn.put(LifecycleSettings.IDLE_MS, 60_000);
      churn.put(LifecycleSettings.RETIRE_MS, 120_000);
      churn.putAll(config);
      config = churn;
    }
    return new Plan(
        churnStop,
        a.integer("churn-start", 0),
        a.duration("churn-at", Duration.ofMinutes(3)),
        a.integer("generators", 50),
        a.decimal("rate", 2.0),
        a.duration("duration", Duration.ofMinutes(10)),
        a.duration("interval", Duration.ofSeconds(30)),
        a.duration("warmup", Duration.ofSeconds(60)),
        a.duration("drain", Duration.ofMinutes(3)),
        a.integer("partitions", 8),
        a.integer("seed", 7),
        a.integer("reference-size", 200),
        Path.of(a.text("out", "target/load/soak")),
        config);
  }

  /** What to run. */
  record Plan(
      int churnStop,
      int churnStart,
      Duration churnAt,
      int generators,
      double rate,
      Duration duration,
      Duration interval,
      Duration warmup,
      Duration drain,
      int partitions,
      long seed,
      int referenceSize,
      Path out,
      Map<String, Object> config) {

    double offered() {
      return generators * rate;
    }
  }

  private static int run(Plan plan) throws Exception {
    MonitorSettings settings = MonitorSettings.fromConfig(plan.config());
    Files.createDirectories(plan.out());
    say(
        "sustained load: %d generators x %.2f samples/s = %.1f samples/s offered for %d s"
            + " (readings every %d s, warm-up %d s); monitor config %s",
        plan.generators(),
        plan.rate(),
        plan.offered(),
        plan.duration().toSeconds(),
        plan.interval().toSeconds(),
        plan.warmup().toSeconds(),
        plan.config());
    try (LoadStack stack = LoadStack.start()) {
      stack.createTopics(settings, plan.partitions());
      stack.publishReference(settings, DemoGenerator.reference(plan.referenceSize(), 1));
      EmbedderSettings embedderSettings = EmbedderSettings.fromConfig(plan.config());
      DjlEmbedder embedder = stack.closeLater(DjlEmbedder.open(embedderSettings));
      LoadStack.Instance instance =
          stack.startInstance(plan.config(), APPLICATION_ID, "one", embedder);
      KafkaStreams monitor = instance.streams();
      LoadStack.awaitRunning(List.of(monitor), Duration.ofMinutes(3));
      Path stateDir = stack.stateDir(APPLICATION_ID, "one");
      say(
          "broker, registry and monitor are up (%s, %d intra-op threads); starting the generators",
          embedder.model().id(), embedderSettings.threads());

      long startMillis = System.currentTimeMillis();
      SampleLatencies latencies = new SampleLatencies(startMillis + plan.warmup().toMillis());
      OutputReader reader =
          stack.closeLater(
              new OutputReader(
                  stack.clientConfig(),
                  stack.serdes(),
                  settings,
                  update -> latencies.ranked(update, System.currentTimeMillis())));
      SamplePublisher publisher = stack.closeLater(stack.publisher(settings));
      LoadGenerators generators =
          new LoadGenerators(
              publisher,
              latencies,
              plan.generators(),
              plan.rate(),
              plan.seed(),
              settings.everySamples());
      InputLag lag = stack.closeLater(new InputLag(stack.clientConfig(), APPLICATION_ID, settings));
      Readings readings =
          new Readings(plan, startMillis, generators, latencies, reader, lag, stateDir, monitor);
      generators.start();
      long end = startMillis + plan.duration().toMillis();
      long churnAt =
          plan.churnStop() > 0 ? startMillis + plan.churnAt().toMillis() : Long.MAX_VALUE;
      List<String> stoppedIds = List.of();
      for (long next = startMillis + plan.interval().toMillis(); ; ) {
        next = Math.min(next, end);
        if (churnAt <= next) {
          LoadStack.sleep(Duration.ofMillis(Math.max(0, churnAt - now())));
          stoppedIds = generators.stopFirst(plan.churnStop());
          List<String> added = generators.add(plan.churnStart());
          say(
              "churn at %d s: %d generators stop (%s .. %s), %d start (%s .. %s)",
              (now() - startMillis) / 1000,
              stoppedIds.size(),
              stoppedIds.get(0),
              stoppedIds.get(stoppedIds.size() - 1),
              added.size(),
              added.isEmpty() ? "-" : added.get(0),
              added.isEmpty() ? "-" : added.get(added.size() - 1));
          churnAt = Long.MAX_VALUE;
        }
        LoadStack.sleep(Duration.ofMillis(Math.max(0, next - now())));
        readings.take("run");
        if (next >= end) {
          break;
        }
        next += plan.interval().toMillis();
      }
      generators.close(); // each generator completes its cadence block first (a few seconds)
      long runEnd = now();
      long sent = generators.sent();
      say("generators stopped after %d samples; waiting until every sample is ranked", sent);
      long drainEnd = runEnd + plan.drain().toMillis();
      long next = runEnd + plan.interval().toMillis();
      while (latencies.rankedTotal() < sent && now() < drainEnd) {
        LoadStack.sleep(Duration.ofMillis(200));
        readings.check();
        if (now() >= next) {
          readings.take("drain");
          next += plan.interval().toMillis();
        }
      }
      readings.take("end");
      Summary summary = new Summary(plan, settings, readings, latencies, reader, sent, runEnd);
      summary.print();
      summary.write();
      if (plan.churnStop() > 0) {
        churnReport(plan, reader, stoppedIds, startMillis, instance.scrape());
      }
      return 0;
    }
  }

  /**
   * What churn left behind: stopped generators still in the latest all-time ranking (none once
   * retired), and leader alerts per minute of the run.
   */
  private static void churnReport(
      Plan plan, OutputReader reader, List<String> stopped, long startMillis, String metrics)
      throws IOException {
    RankingUpdate last = reader.latestAllTime();
    List<String> ranked =
        last == null
            ? List.of()
            : last.getEntries().stream().map(RankingEntry::getGeneratorId).toList();
    List<String> stillRanked = stopped.stream().filter(ranked::contains).toList();
    List<Long> alerts = reader.leaderAlertsAt();
    Map<Long, Long> perMinute = new java.util.TreeMap<>();
    for (long at : alerts) {
      perMinute.merge((at - startMillis) / 60_000, 1L, Long::sum);
    }
    long minutes = Math.max(1, (now() - startMillis + 59_999) / 60_000);
    long max = perMinute.values().stream().mapToLong(Long::longValue).max().orElse(0);
    Set<String> exported = generatorTagValues(metrics);
    List<String> stillExported = stopped.stream().filter(exported::contains).toList();
    String report =
        String.format(
            Locale.ROOT,
            "=== churn: %d stopped, %d started; latest all-time ranking lists %d generators, %d of"
                + " the stopped ones %s; /metrics has series for %d generators, %d of the stopped"
                + " ones %s; leader alerts %d in %d min (max %d in one minute, per minute %s)%n",
            stopped.size(),
            plan.churnStart(),
            ranked.size(),
            stillRanked.size(),
            stillRanked,
            exported.size(),
            stillExported.size(),
            stillExported,
            alerts.size(),
            minutes,
            max,
            perMinute);
    System.out.print(report);
    Files.writeString(plan.out().resolve("churn.txt"), report);
    // The whole page, to see which series a stopped generator still has.
    Files.writeString(plan.out().resolve("metrics.txt"), metrics);
  }

  private static final java.util.regex.Pattern GENERATOR_TAG =
      java.util.regex.Pattern.compile("[{,]generator=\"([^\"]*)\"");

  /** The values of the {@code generator} label on a Prometheus text page. */
  static Set<String> generatorTagValues(String scrape) {
    Set<String> values = new java.util.TreeSet<>();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      java.util.regex.Matcher m = GENERATOR_TAG.matcher(line);
      while (m.find()) {
        values.add(m.group(1));
      }
    }
    return values;
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  static void say(String format, Object... args) {
    System.out.println(String.format(Locale.ROOT, format, args));
    System.out.flush();
  }

  /** The time series: one row per reading. */
  static final class Readings {
    static final String HEADER =
        "elapsed_s,phase,sent,ranked,sent_per_s,ranked_per_s,backlog,input_lag,latency_n,"
            + "latency_p50_ms,latency_p99_ms,latency_max_ms,heap_after_gc_mb,gc_ms,state_disk_mb,"
            + "dead_letters,ranking_updates,alerts,cpu_cores_used,load_average";

    final Plan plan;
    final long startMillis;
    final LoadGenerators generators;
    final SampleLatencies latencies;
    final OutputReader reader;
    final InputLag lag;
    final Path stateDir;
    final KafkaStreams monitor;
    final List<Row> rows = new ArrayList<>();
    private long lastMillis;
    private long lastSent;
    private long lastRanked;
    private long lastCpuNanos = ResourceProbe.processCpuNanos();

    Readings(
        Plan plan,
        long startMillis,
        LoadGenerators generators,
        SampleLatencies latencies,
        OutputReader reader,
        InputLag lag,
        Path stateDir,
        KafkaStreams monitor) {
      this.plan = plan;
      this.startMillis = startMillis;
      this.generators = generators;
      this.latencies = latencies;
      this.reader = reader;
      this.lag = lag;
      this.stateDir = stateDir;
      this.monitor = monitor;
      this.lastMillis = startMillis;
    }

    /** Fails the run when the monitor, the reader or a generator stopped working. */
    void check() {
      KafkaStreams.State state = monitor.state();
      if (state == KafkaStreams.State.ERROR
          || state == KafkaStreams.State.NOT_RUNNING
          || state == KafkaStreams.State.PENDING_SHUTDOWN) {
        throw new IllegalStateException("the monitor stopped: " + state);
      }
      reader.check();
      generators.check();
    }

    void take(String phase) {
      check();
      long now = System.currentTimeMillis();
      long sent = generators.sent();
      long ranked = latencies.rankedTotal();
      long[] interval = latencies.takeInterval();
      long cpu = ResourceProbe.processCpuNanos();
      ResourceProbe.Heap heap = ResourceProbe.heapAfterGc();
      double seconds = Math.max(1e-3, (now - lastMillis) / 1000.0);
      Row row =
          new Row(
              (now - startMillis) / 1000.0,
              phase,
              sent,
              ranked,
              (sent - lastSent) / seconds,
              (ranked - lastRanked) / seconds,
              sent - ranked,
              lag.records(),
              interval.length,
              SampleLatencies.quantile(interval, 0.5),
              SampleLatencies.quantile(interval, 0.99),
              interval.length == 0 ? -1 : interval[interval.length - 1],
              heap.usedBytes() / 1048576.0,
              heap.gcMillis(),
              ResourceProbe.directoryBytes(List.of(stateDir)) / 1048576.0,
              reader.deadLetters(),
              reader.rankingUpdates(),
              reader.alertsByKind().values().stream().mapToLong(Long::longValue).sum(),
              (cpu - lastCpuNanos) / 1e9 / seconds,
              ResourceProbe.loadAverage());
      rows.add(row);
      lastCpuNanos = ResourceProbe.processCpuNanos(); // the probe's GC is not the next interval's
      lastMillis = now;
      lastSent = sent;
      lastRanked = ranked;
      say("%s", row.describe());
    }
  }

  /** One reading. Latencies are those of the samples first ranked since the previous reading. */
  record Row(
      double elapsedSeconds,
      String phase,
      long sent,
      long ranked,
      double sentPerSecond,
      double rankedPerSecond,
      long backlog,
      long inputLag,
      int latencyCount,
      long latencyP50Ms,
      long latencyP99Ms,
      long latencyMaxMs,
      double heapAfterGcMb,
      long gcMillis,
      double stateDiskMb,
      long deadLetters,
      long rankingUpdates,
      long alerts,
      double cpuCoresUsed,
      double loadAverage) {

    String csv() {
      return String.format(
          Locale.ROOT,
          "%.1f,%s,%d,%d,%.2f,%.2f,%d,%d,%d,%d,%d,%d,%.1f,%d,%.1f,%d,%d,%d,%.2f,%.2f",
          elapsedSeconds,
          phase,
          sent,
          ranked,
          sentPerSecond,
          rankedPerSecond,
          backlog,
          inputLag,
          latencyCount,
          latencyP50Ms,
          latencyP99Ms,
          latencyMaxMs,
          heapAfterGcMb,
          gcMillis,
          stateDiskMb,
          deadLetters,
          rankingUpdates,
          alerts,
          cpuCoresUsed,
          loadAverage);
    }

    String describe() {
      return String.format(
          Locale.ROOT,
          "[%5.0f s %-5s] sent %d (%.1f/s), ranked %d (%.1f/s), backlog %d, input lag %d |"
              + " latency p50 %s p99 %s max %s (n=%d) | heap after GC %.0f MB (gc %d ms) | state"
              + " on disk %.1f MB | dead letters %d | rankings %d | alerts %d | cpu %.2f cores, load"
              + " %.1f",
          elapsedSeconds,
          phase,
          sent,
          sentPerSecond,
          ranked,
          rankedPerSecond,
          backlog,
          inputLag,
          seconds(latencyP50Ms),
          seconds(latencyP99Ms),
          seconds(latencyMaxMs),
          latencyCount,
          heapAfterGcMb,
          gcMillis,
          stateDiskMb,
          deadLetters,
          rankingUpdates,
          alerts,
          cpuCoresUsed,
          loadAverage);
    }

    static String seconds(long millis) {
      return millis < 0 ? "-" : String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
    }
  }

  /** The end of a run: throughput, latency, verdicts; printed and written as JSON and CSV. */
  private record Summary(
      Plan plan,
      MonitorSettings settings,
      Readings readings,
      SampleLatencies latencies,
      OutputReader reader,
      long sent,
      long runEndMillis) {

    double steadyFromSeconds() {
      double fill = settings.reservoirCapacity() / plan.rate();
      double firstClose =
          settings.windowKind() == MonitorSettings.WindowKindSetting.NONE
              ? 0
              : (settings.windowSize().toMillis() + settings.grace().toMillis()) / 1000.0;
      return Math.max(plan.warmup().toSeconds(), Math.max(fill, firstClose));
    }

    List<Row> runRows() {
      return readings.rows.stream().filter(r -> r.phase().equals("run")).toList();
    }

    /** The first run reading at or after the warm-up, else the first. */
    Row afterWarmup() {
      List<Row> run = runRows();
      return run.stream()
          .filter(r -> r.elapsedSeconds() >= plan.warmup().toSeconds())
          .findFirst()
          .orElse(run.get(0));
    }

    Row lastRun() {
      List<Row> run = runRows();
      return run.get(run.size() - 1);
    }

    double rankedPerSecondAfterWarmup() {
      Row from = afterWarmup();
      Row to = lastRun();
      double seconds = to.elapsedSeconds() - from.elapsedSeconds();
      return seconds <= 0 ? Double.NaN : (to.ranked() - from.ranked()) / seconds;
    }

    /** Sustained when the backlog grew by less than 5 s of offered load after the warm-up. */
    String backlogVerdict() {
      Row from = afterWarmup();
      Row to = lastRun();
      double seconds = to.elapsedSeconds() - from.elapsedSeconds();
      long growth = to.backlog() - from.backlog();
      boolean sustained = growth < 5 * plan.offered();
      return String.format(
          Locale.ROOT,
          "%s: backlog (sent, not yet in a ranking) %d at %.0f s, %d at %.0f s (%+.1f samples/s)",
          sustained ? "SUSTAINED" : "NOT SUSTAINED (offered load above capacity)",
          from.backlog(),
          from.elapsedSeconds(),
          to.backlog(),
          to.elapsedSeconds(),
          seconds <= 0 ? 0 : growth / seconds);
    }

    FlatnessVerdict heap() {
      return FlatnessVerdict.of(
          runRows().stream()
              .map(r -> new double[] {r.elapsedSeconds(), r.heapAfterGcMb()})
              .toList(),
          steadyFromSeconds(),
          0.10,
          32,
          "MB");
    }

    FlatnessVerdict disk() {
      return FlatnessVerdict.of(
          runRows().stream().map(r -> new double[] {r.elapsedSeconds(), r.stateDiskMb()}).toList(),
          steadyFromSeconds(),
          0.10,
          32,
          "MB");
    }

    /** How busy the machine was: a run on a shared machine is only comparable with its load. */
    String conditions() {
      List<Row> run = runRows();
      return String.format(
          Locale.ROOT,
          "this JVM used %.2f cores on average during the run; machine load average %.1f on average"
              + " (max %.1f) on %d cores",
          run.stream().mapToDouble(Row::cpuCoresUsed).average().orElse(Double.NaN),
          run.stream().mapToDouble(Row::loadAverage).average().orElse(Double.NaN),
          run.stream().mapToDouble(Row::loadAverage).max().orElse(Double.NaN),
          Runtime.getRuntime().availableProcessors());
    }

    void print() {
      long[] measured = latencies.measured();
      Row last = readings.rows.get(readings.rows.size() - 1);
      say("");
      say(
          "=== sustained load: %d generators x %.2f/s = %.1f samples/s offered, %d s run, one"
              + " monitor instance, %d partitions, %d cores, max heap %d MB",
          plan.generators(),
          plan.rate(),
          plan.offered(),
          plan.duration().toSeconds(),
          plan.partitions(),
          Runtime.getRuntime().availableProcessors(),
          Runtime.getRuntime().maxMemory() / 1048576);
      say(
          "throughput: %d samples sent (%.1f/s); ranked after the warm-up: %.1f samples/s; all"
              + " ranked: %s (%.0f s after the generators stopped)",
          sent,
          sent / ((runEndMillis - readings.startMillis) / 1000.0),
          rankedPerSecondAfterWarmup(),
          latencies.rankedTotal() >= sent ? "yes" : "NO, " + (sent - latencies.rankedTotal()),
          (last.elapsedSeconds() * 1000 + readings.startMillis - runEndMillis) / 1000.0);
      say(
          "latency, send -> first ALL_TIME ranking that counts the sample, %d samples sent after"
              + " the warm-up: median %s, p99 %s, max %s",
          measured.length,
          Row.seconds(SampleLatencies.quantile(measured, 0.5)),
          Row.seconds(SampleLatencies.quantile(measured, 0.99)),
          Row.seconds(measured.length == 0 ? -1 : measured[measured.length - 1]));
      say("backlog: %s", backlogVerdict());
      say("conditions: %s", conditions());
      say("heap after GC: %s (%s)", heap().verdict(), heap().detail());
      say("state on disk: %s (%s)", disk().verdict(), disk().detail());
      say(
          "dead letters: %d %s%s",
          reader.deadLetters(),
          reader.deadLetters() == 0 ? "(OK: none for valid input)" : "(FAIL: expected none) ",
          reader.deadLetters() == 0 ? "" : reader.deadLettersByReason().toString());
      say("alerts: %s; ranking updates: %d", reader.alertsByKind(), reader.rankingUpdates());
      say("time series: %s, summary: %s", csvPath(), jsonPath());
    }

    Path csvPath() {
      return plan.out().resolve("timeseries.csv");
    }

    Path jsonPath() {
      return plan.out().resolve("summary.json");
    }

    void write() throws java.io.IOException {
      List<String> lines = new ArrayList<>();
      lines.add(Readings.HEADER);
      readings.rows.forEach(r -> lines.add(r.csv()));
      Files.write(csvPath(), lines);

      long[] measured = latencies.measured();
      ObjectNode json = MonitorJson.MAPPER.createObjectNode();
      json.put("command", "LoadSoak");
      json.put("startedAt", Instant.ofEpochMilli(readings.startMillis).toString());
      json.put("cores", Runtime.getRuntime().availableProcessors());
      json.put("maxHeapMb", Runtime.getRuntime().maxMemory() / 1048576);
      json.put("java", System.getProperty("java.version"));
      json.put("generators", plan.generators());
      json.put("ratePerGenerator", plan.rate());
      json.put("offeredPerSecond", plan.offered());
      json.put("durationSeconds", plan.duration().toSeconds());
      json.put("warmupSeconds", plan.warmup().toSeconds());
      json.put("partitions", plan.partitions());
      json.put("steadyFromSeconds", steadyFromSeconds());
      json.putPOJO("monitorConfig", plan.config());
      json.put("sent", sent);
      json.put("ranked", latencies.rankedTotal());
      json.put("sentPerSecond", sent / ((runEndMillis - readings.startMillis) / 1000.0));
      json.put("rankedPerSecondAfterWarmup", rankedPerSecondAfterWarmup());
      ObjectNode latency = json.putObject("latency");
      latency.put(
          "definition",
          "wall-clock ms from just before a sample's send to the read_committed receipt of the"
              + " first ALL_TIME ranking update whose entry for its generator has a sampleCount"
              + " above the sample's index; samples sent after the warm-up");
      latency.put("count", measured.length);
      latency.put("p50Ms", SampleLatencies.quantile(measured, 0.5));
      latency.put("p99Ms", SampleLatencies.quantile(measured, 0.99));
      latency.put("maxMs", measured.length == 0 ? -1 : measured[measured.length - 1]);
      json.put("backlog", backlogVerdict());
      json.put("conditions", conditions());
      json.putObject("heapAfterGc").put("verdict", heap().verdict()).put("detail", heap().detail());
      json.putObject("stateOnDisk").put("verdict", disk().verdict()).put("detail", disk().detail());
      json.putObject("deadLetters")
          .put("count", reader.deadLetters())
          .putPOJO("byReason", reader.deadLettersByReason());
      json.putPOJO("alerts", reader.alertsByKind());
      json.put("rankingUpdates", reader.rankingUpdates());
      ArrayNode series = json.putArray("timeSeries");
      readings.rows.forEach(series::addPOJO);
      MonitorJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(jsonPath().toFile(), json);
    }
  }
}
