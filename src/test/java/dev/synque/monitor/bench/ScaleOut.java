package dev.synque.monitor.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.stream.MonitorJson;
import dev.synque.monitor.stream.MonitorSettings;
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
import java.util.TreeSet;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.ThreadMetadata;

/**
 * Scale-out: the same input through one, two and three monitor instances (one application id per
 * configuration, each instance with its own state directory and its own MiniLM embedder, all in
 * this JVM on one in-process broker); measures throughput and checks that every configuration ends
 * with the same final ranking, entry by entry (ranks, combined scores, sample counts, every proxy's
 * value and rank, compared exactly).
 *
 * <pre>
 * bin/load scale-out [--instances 1,2,3] [--generators 12] [--samples 300] [--partitions 6]
 *                    [--warmup-samples 100] [--seed 7] [--reference-size 200]
 *                    [--out target/load/scale-out] [--config KEY=VALUE ...]
 * </pre>
 *
 * <p>Each configuration gets fresh topics; its instances are started and running before the first
 * sample is sent, then {@code generators x samples} samples are sent as fast as the producer goes
 * (sample i of every generator, then i + 1, event times fixed, so the input is identical) and the
 * time runs to the moment the all-time ranking counts every sample of every generator ({@code
 * read_committed}). A warm-up configuration (one instance, {@code --warmup-samples} per generator)
 * runs first so the JIT has compiled the hot paths before anything is timed. All-time view only,
 * scores every 50 samples, no wall-clock timer (its emissions would depend on timing); {@code
 * --samples} must be a multiple of the cadence so the last scores count every sample.
 */
public final class ScaleOut {

  private static final Set<String> OPTIONS =
      Set.of(
          "instances",
          "generators",
          "samples",
          "partitions",
          "warmup-samples",
          "seed",
          "reference-size",
          "out");

  private ScaleOut() {}

  /** One configuration's outcome. */
  record Result(
      int instances,
      double seconds,
      long samples,
      List<RankingEntry> ranking,
      String leader,
      List<String> tasksPerInstance,
      long deadLetters,
      double cpuCoresUsed,
      double loadAverage) {

    double perSecond() {
      return samples / seconds;
    }
  }

  static final String USAGE =
      "usage: bin/load scale-out [--instances 1,2,3] [--generators 12] [--samples 300]"
          + " [--partitions 6] [--warmup-samples 100] [--seed 7] [--reference-size 200]"
          + " [--out target/load/scale-out] [--config KEY=VALUE ...]";

  public static void main(String[] args) throws Exception {
    LoadArgs a;
    try {
      a = LoadArgs.parse(args, OPTIONS);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      System.exit(2);
      return;
    }
    int code;
    try {
      code = run(a);
    } catch (Exception e) {
      e.printStackTrace();
      code = 1;
    }
    System.exit(code);
  }

  private static int run(LoadArgs a) throws Exception {
    List<Integer> instances = a.integers("instances", List.of(1, 2, 3));
    int generators = a.integer("generators", 12);
    int samples = a.integer("samples", 300);
    int partitions = a.integer("partitions", 6);
    int warmupSamples = a.integer("warmup-samples", 100);
    long seed = a.integer("seed", 7);
    int referenceSize = a.integer("reference-size", 200);
    Path out = Path.of(a.text("out", "target/load/scale-out"));
    Files.createDirectories(out);
    Map<String, Object> base = new LinkedHashMap<>();
    base.put(MonitorSettings.REFERENCE_SET_ID, LoadStack.REFERENCE_SET);
    base.put(MonitorSettings.WINDOW_KIND, "NONE");
    base.put(MonitorSettings.SCORES_EVERY_SAMPLES, 50);
    base.put(MonitorSettings.SCORES_EVERY_MS, 0);
    base.put(MonitorSettings.RANKING_MIN_SAMPLES, 20);
    base.putAll(a.config());
    int every = MonitorSettings.fromConfig(base).everySamples();
    if (samples % every != 0 || warmupSamples % every != 0) {
      throw new IllegalArgumentException(
          "--samples and --warmup-samples must be multiples of the score cadence " + every);
    }
    LoadSoak.say(
        "scale-out: %d generators x %d samples, %d partitions, instances %s, monitor config %s",
        generators, samples, partitions, instances, base);
    List<Result> results = new ArrayList<>();
    try (LoadStack stack = LoadStack.start()) {
      List<String> reference = DemoGenerator.reference(referenceSize, 1);
      Result warm =
          configuration(
              stack, base, "warmup", 1, generators, warmupSamples, partitions, seed, reference);
      LoadSoak.say(
          "warm-up (1 instance): %.1f s, %.1f samples/s", warm.seconds(), warm.perSecond());
      for (int n : instances) {
        Result r =
            configuration(
                stack, base, "n" + n, n, generators, samples, partitions, seed, reference);
        results.add(r);
        LoadSoak.say(
            "%d instance(s): %.1f s, %.1f samples/s, tasks %s, dead letters %d, this JVM used %.2f"
                + " cores, machine load average %.1f",
            n,
            r.seconds(),
            r.perSecond(),
            r.tasksPerInstance(),
            r.deadLetters(),
            r.cpuCoresUsed(),
            r.loadAverage());
      }
    }
    return report(results, out, generators, samples, partitions, base) ? 0 : 1;
  }

  private static Result configuration(
      LoadStack stack,
      Map<String, Object> base,
      String tag,
      int instances,
      int generators,
      int samples,
      int partitions,
      long seed,
      List<String> reference)
      throws Exception {
    Map<String, Object> config = new LinkedHashMap<>(base);
    config.put(MonitorSettings.SYNTHETIC_TOPIC, "scale-" + tag + "-samples");
    config.put(MonitorSettings.REFERENCE_TOPIC, "scale-" + tag + "-reference");
    config.put(MonitorSettings.SCORES_TOPIC, "scale-" + tag + "-scores");
    config.put(MonitorSettings.RANKINGS_TOPIC, "scale-" + tag + "-rankings");
    config.put(MonitorSettings.ALERTS_TOPIC, "scale-" + tag + "-alerts");
    config.put(MonitorSettings.DEAD_LETTER_TOPIC, "scale-" + tag + "-dead-letters");
    MonitorSettings settings = MonitorSettings.fromConfig(config);
    stack.createTopics(settings, partitions);
    stack.publishReference(settings, reference);

    String applicationId = "synque-scale-" + tag;
    EmbedderSettings embedderSettings = EmbedderSettings.fromConfig(config);
    List<DjlEmbedder> embedders = new ArrayList<>();
    List<KafkaStreams> running = new ArrayList<>();
    try {
      for (int i = 0; i < instances; i++) {
        DjlEmbedder embedder = DjlEmbedder.open(embedderSettings);
        embedders.add(embedder);
        running.add(stack.startInstance(config, applicationId, "i" + i, embedder).streams());
      }
      LoadStack.awaitRunning(running, Duration.ofMinutes(3));
      FinalRanking done = new FinalRanking(generators, samples);
      try (OutputReader reader =
          new OutputReader(stack.clientConfig(), stack.serdes(), settings, done::offer)) {
        long started = System.nanoTime();
        long cpuStarted = ResourceProbe.processCpuNanos();
        send(stack, settings, generators, samples, seed);
        RankingUpdate last = done.await(Duration.ofMinutes(30), reader);
        double seconds = (System.nanoTime() - started) / 1e9;
        double cores = (ResourceProbe.processCpuNanos() - cpuStarted) / 1e9 / seconds;
        List<String> tasks = new ArrayList<>();
        for (KafkaStreams s : running) {
          Set<String> ids = new TreeSet<>();
          for (ThreadMetadata t : s.metadataForLocalThreads()) {
            t.activeTasks().forEach(task -> ids.add(task.taskId().toString()));
          }
          tasks.add(String.join(" ", ids));
        }
        return new Result(
            instances,
            seconds,
            (long) generators * samples,
            last.getEntries(),
            last.getLeader(),
            tasks,
            reader.deadLetters(),
            cores,
            ResourceProbe.loadAverage());
      }
    } finally {
      for (KafkaStreams s : running) {
        s.close(Duration.ofSeconds(60));
      }
      for (DjlEmbedder e : embedders) {
        e.close();
      }
    }
  }

  /** Sample i of every generator, then i + 1; the same texts and event times on every call. */
  private static void send(
      LoadStack stack, MonitorSettings settings, int generators, int samples, long seed) {
    List<DemoGenerator> kinds = DemoGenerator.all();
    List<DemoGenerator> gens = new ArrayList<>();
    for (int n = 0; n < generators; n++) {
      DemoGenerator kind = kinds.get(n % kinds.size());
      gens.add(
          new DemoGenerator(
              String.format(Locale.ROOT, "g%03d-%s", n, kind.id()),
              kind.description(),
              kind.kind()));
    }
    try (SamplePublisher publisher = stack.publisher(settings)) {
      for (int i = 0; i < samples; i++) {
        for (DemoGenerator g : gens) {
          publisher.sample(
              g.id(), g.id() + "-" + i, g.text(i, seed), Instant.ofEpochMilli(1_000_000L + i));
        }
      }
      publisher.flush();
    }
  }

  /** Waits for the first all-time ranking that counts every sample of every generator. */
  private static final class FinalRanking {
    private final int generators;
    private final long samples;
    private RankingUpdate complete;

    FinalRanking(int generators, long samples) {
      this.generators = generators;
      this.samples = samples;
    }

    synchronized void offer(RankingUpdate update) {
      if (complete == null
          && update.getWindowKind() == WindowKind.ALL_TIME
          && update.getEntries().size() == generators
          && update.getEntries().stream().allMatch(e -> e.getSampleCount() == samples)) {
        complete = update;
        notifyAll();
      }
    }

    synchronized RankingUpdate await(Duration timeout, OutputReader reader)
        throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (complete == null) {
        reader.check();
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new IllegalStateException("no complete ranking within " + timeout);
        }
        wait(Math.min(1_000, Math.max(1, left / 1_000_000)));
      }
      return complete;
    }
  }

  /** Prints and writes the table; true when every ranking equals the first configuration's. */
  private static boolean report(
      List<Result> results,
      Path out,
      int generators,
      int samples,
      int partitions,
      Map<String, Object> config)
      throws java.io.IOException {
    Result first = results.get(0);
    boolean allSame = true;
    LoadSoak.say("");
    LoadSoak.say(
        "=== scale-out: %d generators x %d samples, %d partitions, one broker, instances in one"
            + " JVM on %d cores",
        generators, samples, partitions, Runtime.getRuntime().availableProcessors());
    LoadSoak.say("instances | seconds | samples/s | vs 1 | cores used | load avg | final ranking");
    ObjectNode json = MonitorJson.MAPPER.createObjectNode();
    json.put("command", "ScaleOut");
    json.put("cores", Runtime.getRuntime().availableProcessors());
    json.put("generators", generators);
    json.put("samplesPerGenerator", samples);
    json.put("partitions", partitions);
    json.putPOJO("monitorConfig", config);
    ArrayNode rows = json.putArray("configurations");
    for (Result r : results) {
      boolean same =
          r.ranking().equals(first.ranking())
              && java.util.Objects.equals(r.leader(), first.leader());
      allSame &= same;
      String verdict =
          r == first ? "reference" : same ? "IDENTICAL" : "DIFFERENT: " + firstDifference(first, r);
      LoadSoak.say(
          "%9d | %7.1f | %9.1f | %4.2f | %10.2f | %8.1f | %s",
          r.instances(),
          r.seconds(),
          r.perSecond(),
          r.perSecond() / first.perSecond(),
          r.cpuCoresUsed(),
          r.loadAverage(),
          verdict);
      rows.addObject()
          .put("instances", r.instances())
          .put("seconds", r.seconds())
          .put("samplesPerSecond", r.perSecond())
          .put("deadLetters", r.deadLetters())
          .put("cpuCoresUsed", r.cpuCoresUsed())
          .put("loadAverage", r.loadAverage())
          .put("finalRanking", verdict)
          .put("leader", r.leader())
          .putPOJO("tasksPerInstance", r.tasksPerInstance());
    }
    json.putPOJO(
        "finalRanking",
        first.ranking().stream()
            .map(e -> e.getRank() + " " + e.getGeneratorId() + " " + e.getCombinedScore())
            .toList());
    json.put("rankingsIdentical", allSame);
    MonitorJson.MAPPER
        .writerWithDefaultPrettyPrinter()
        .writeValue(out.resolve("summary.json").toFile(), json);
    LoadSoak.say(
        "final rankings %s; summary: %s",
        allSame ? "IDENTICAL in every configuration" : "DIFFER", out.resolve("summary.json"));
    return allSame;
  }

  private static String firstDifference(Result a, Result b) {
    if (a.ranking().size() != b.ranking().size()) {
      return a.ranking().size() + " vs " + b.ranking().size() + " entries";
    }
    for (int i = 0; i < a.ranking().size(); i++) {
      if (!a.ranking().get(i).equals(b.ranking().get(i))) {
        return "entry " + i + ": " + a.ranking().get(i) + " vs " + b.ranking().get(i);
      }
    }
    return "leader " + a.leader() + " vs " + b.leader();
  }
}
