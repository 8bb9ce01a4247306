package dev.synque.monitor.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.stream.MonitorJson;
import dev.synque.monitor.stream.MonitorSettings;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * {@code synque demo --replay DIR --group G --seed S}: replays one group of a benchmark directory
 * through the embedded broker and the monitor topology, each synthetic dataset as one generator and
 * the seed's real file as the reference set, and writes the final all-time ranking as JSON.
 *
 * <p>To compare with {@code synque evaluate}, the monitor keeps only the all-time view (no time
 * windows), its reservoir holds every sample (capacity at least the largest dataset), every
 * generator counts as ranked from one sample, and its scores are emitted when the generator's whole
 * dataset is in (and by a 500 ms timer), so the last ranking covers every sample. Event times are
 * those of publishing; they do not matter without windows.
 */
public final class ReplayRun {

  private ReplayRun() {}

  /** What a replay produced. */
  public record Result(RankingUpdate ranking, Map<String, Integer> datasetSizes) {}

  /**
   * Runs the replay and writes {@code out} (parent directories created).
   *
   * @param proxies proxies to compute, in report order
   * @param timeout longest wait for every sample to be scored
   * @param whenDone called with the stack still running (for example to keep serving queries); may
   *     be null
   */
  public static Result run(
      Path benchmarkDir,
      String group,
      String seed,
      List<String> proxies,
      EmbedderSettings embedder,
      Path out,
      Duration timeout,
      PrintStream log,
      java.util.function.Consumer<Integer> whenDone)
      throws IOException, InterruptedException {
    return run(
        benchmarkDir,
        group,
        seed,
        proxies,
        () -> DjlEmbedder.open(embedder),
        out,
        timeout,
        log,
        whenDone);
  }

  /** As the other {@code run}, with the embedder {@code embedders} opens (closed by the run). */
  public static Result run(
      Path benchmarkDir,
      String group,
      String seed,
      List<String> proxies,
      Supplier<? extends Embedder> embedders,
      Path out,
      Duration timeout,
      PrintStream log,
      java.util.function.Consumer<Integer> whenDone)
      throws IOException, InterruptedException {
    Benchmark benchmark = Benchmark.open(benchmarkDir);
    Benchmark.Group g = benchmark.groupWithSeed(group, seed);
    Path real = g.realSamples().get(seed);
    Map<String, List<String>> datasets = new LinkedHashMap<>();
    g.datasets().forEach((name, file) -> datasets.put(name, nonBlank(Benchmark.texts(file))));
    List<String> reference = nonBlank(Benchmark.texts(real));
    int largest = datasets.values().stream().mapToInt(List::size).max().orElse(1);

    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.WINDOW_KIND, "NONE");
    config.put(MonitorSettings.WINDOW_ALL_TIME, true);
    config.put(MonitorSettings.RESERVOIR_CAPACITY, Math.max(largest, 1));
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, Math.max(largest, 1));
    config.put(MonitorSettings.SCORES_EVERY_MS, 500L);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
    config.put(MonitorSettings.PROXIES, String.join(",", proxies));
    config.put(MonitorSettings.REFERENCE_SET_ID, group);
    MonitorSettings monitor = MonitorSettings.fromConfig(config);

    AtomicReference<RankingUpdate> latest = new AtomicReference<>();
    log.printf(
        Locale.ROOT,
        "replaying %s group %s: %d datasets against real sample %s (%d texts)%n",
        benchmarkDir,
        group,
        datasets.size(),
        seed,
        reference.size());
    try (DemoStack stack = DemoStack.start(config, 1)) {
      SamplePublisher publisher =
          stack.closeLater(
              new SamplePublisher(
                  stack.clientConfig(),
                  stack.serdes(),
                  monitor.syntheticTopic(),
                  monitor.referenceTopic()));
      for (int i = 0; i < reference.size(); i++) {
        publisher.referenceSample(group, seed, group + "-" + i, reference.get(i), Instant.now());
      }
      publisher.flush();
      int queryPort = stack.startMonitor(embedders, 0, -1);
      stack.closeLater(
          new MonitorFeed(
              stack.clientConfig(),
              stack.serdes(),
              monitor.rankingsTopic(),
              monitor.alertsTopic(),
              r -> {
                if (r.getWindowKind() == WindowKind.ALL_TIME) {
                  latest.set(r);
                }
              },
              a -> {}));
      long sent = 0;
      for (Map.Entry<String, List<String>> d : datasets.entrySet()) {
        List<String> texts = d.getValue();
        for (int i = 0; i < texts.size(); i++) {
          publisher.sample(d.getKey(), d.getKey() + "-" + i, texts.get(i), Instant.now());
          sent++;
        }
      }
      publisher.flush();
      log.printf(
          Locale.ROOT, "published %d samples; waiting until every one is scored ...%n", sent);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!complete(latest.get(), datasets)) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "not every sample was scored within "
                  + timeout.toSeconds()
                  + " s; last ranking: "
                  + (latest.get() == null ? "none" : MonitorJson.ranking(latest.get())));
        }
        Thread.sleep(200);
      }
      RankingUpdate ranking = latest.get();
      Map<String, Integer> sizes = new LinkedHashMap<>();
      datasets.forEach((k, v) -> sizes.put(k, v.size()));
      write(out, group, seed, reference.size(), ranking, proxies);
      log.printf(
          Locale.ROOT, "wrote the final ranking of %d generators to %s%n", sizes.size(), out);
      if (whenDone != null) {
        whenDone.accept(queryPort);
      }
      return new Result(ranking, sizes);
    }
  }

  private static boolean complete(RankingUpdate r, Map<String, List<String>> datasets) {
    if (r == null || r.getEntries().size() != datasets.size()) {
      return false;
    }
    for (RankingEntry e : r.getEntries()) {
      List<String> texts = datasets.get(e.getGeneratorId());
      if (texts == null || e.getSampleCount() != texts.size()) {
        return false;
      }
    }
    return true;
  }

  private static List<String> nonBlank(List<String> texts) {
    return texts.stream().filter(t -> t != null && !t.isBlank()).toList();
  }

  private static void write(
      Path out,
      String group,
      String seed,
      int referenceCount,
      RankingUpdate ranking,
      List<String> proxies)
      throws IOException {
    ObjectNode root = MonitorJson.MAPPER.createObjectNode();
    root.put("group", group);
    root.put("seed", seed);
    root.put("referenceCount", referenceCount);
    root.put("combinationRule", ranking.getCombinationRule());
    root.putPOJO("proxies", proxies);
    ArrayNode rows = root.putArray("ranking");
    for (RankingEntry e : ranking.getEntries()) {
      ObjectNode row = rows.addObject();
      row.put("generator", e.getGeneratorId());
      row.put("sampleCount", e.getSampleCount());
      row.put("rank", e.getRank());
      row.put("combinedScore", e.getCombinedScore());
      ObjectNode ranks = MonitorJson.MAPPER.createObjectNode();
      for (ProxyRank p : e.getProxies()) {
        row.put(p.getProxy(), p.getValue());
        ranks.put(p.getProxy(), p.getRank());
      }
      row.set("ranks", ranks);
    }
    Path parent = out.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    MonitorJson.MAPPER.writerWithDefaultPrettyPrinter().writeValue(out.toFile(), root);
  }
}
