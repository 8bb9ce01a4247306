package dev.synque.monitor.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.stream.MonitorJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Batch equals stream: {@code synque demo --replay} on a small benchmark (three datasets of the
 * demo's generators against a real sample of the reference grammar) gives {@code mmd2_poly} and
 * {@code frechet} equal, to a relative 1e-6, to the core proxies on the same texts embedded by the
 * same model outside Kafka, and the same ranking by each proxy.
 */
class DemoReplayIT {

  private static final List<String> PROXIES = List.of("mmd2_poly", "frechet");
  private static final List<String> DATASETS = List.of("faithful", "templated", "off-topic");

  @TempDir Path root;

  @Test
  void shouldReplayABenchmarkAndRankItAsTheOfflineProxiesDo() throws Exception {
    Map<String, List<String>> datasets = new LinkedHashMap<>();
    for (DemoGenerator g : DemoGenerator.all()) {
      if (DATASETS.contains(g.id())) {
        datasets.put(
            g.id(), java.util.stream.LongStream.range(0, 70).mapToObj(i -> g.text(i, 3)).toList());
      }
    }
    List<String> real = DemoGenerator.reference(60, 11);
    StringBuilder perf = new StringBuilder(Benchmark.PERFORMANCE_HEADER + "\n");
    datasets.forEach(
        (name, texts) -> {
          write(root.resolve("synthetic/news/" + name + ".jsonl"), texts);
          perf.append("news,").append(name).append(",0.5\n");
        });
    write(root.resolve("real/news/s1.jsonl"), real);
    Files.writeString(root.resolve(Benchmark.PERFORMANCE_FILE), perf.toString());
    Path out = root.resolve("out/ranking.json");

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    ReplayRun.run(
        root,
        "news",
        "s1",
        PROXIES,
        EmbedderSettings.defaults(),
        out,
        Duration.ofMinutes(5),
        new PrintStream(log, true, StandardCharsets.UTF_8),
        null);

    JsonNode written = MonitorJson.MAPPER.readTree(out.toFile());
    Map<String, JsonNode> rows = new LinkedHashMap<>();
    written.get("ranking").forEach(r -> rows.put(r.get("generator").asText(), r));
    assertThat(rows).containsOnlyKeys(DATASETS);
    rows.values().forEach(r -> assertThat(r.get("sampleCount").asLong()).isEqualTo(70));

    Map<String, Map<String, Double>> offline = offline(datasets, real);
    for (String proxy : PROXIES) {
      for (String d : DATASETS) {
        double expected = offline.get(proxy).get(d);
        double actual = rows.get(d).get(proxy).asDouble();
        assertThat(actual)
            .as("%s of %s", proxy, d)
            .isCloseTo(expected, within(1e-6 * Math.abs(expected)));
      }
      QualityProxy p = QualityProxies.byNames(List.of(proxy)).get(0);
      Comparator<String> better = Comparator.comparingDouble(d -> offline.get(proxy).get(d));
      if (p.orientation() == Orientation.HIGHER_IS_BETTER) {
        better = better.reversed();
      }
      List<String> offlineOrder = DATASETS.stream().sorted(better).toList();
      List<String> streamOrder =
          DATASETS.stream()
              .sorted(Comparator.comparingInt(d -> rows.get(d).get("ranks").get(proxy).asInt()))
              .toList();
      assertThat(streamOrder).as("ranking by %s", proxy).isEqualTo(offlineOrder);
    }
    assertThat(offlineOrderOfCombined(rows)).first().isEqualTo("faithful");
  }

  private static List<String> offlineOrderOfCombined(Map<String, JsonNode> rows) {
    return rows.keySet().stream()
        .sorted(Comparator.comparingInt(d -> rows.get(d).get("rank").asInt()))
        .toList();
  }

  /** The proxies on the same texts, embedded here by the same model, computed by core. */
  private static Map<String, Map<String, Double>> offline(
      Map<String, List<String>> datasets, List<String> real) {
    Map<String, Map<String, Double>> values = new LinkedHashMap<>();
    try (DjlEmbedder embedder = DjlEmbedder.open(EmbedderSettings.defaults())) {
      EmbeddingSet reference = embed(embedder, "real", real);
      for (QualityProxy p : QualityProxies.byNames(PROXIES)) {
        Map<String, Double> byDataset = new LinkedHashMap<>();
        datasets.forEach(
            (name, texts) ->
                byDataset.put(name, p.compute(embed(embedder, name, texts), reference)));
        values.put(p.name(), byDataset);
      }
    }
    return values;
  }

  private static EmbeddingSet embed(DjlEmbedder embedder, String name, List<String> texts) {
    EmbeddingBatch batch = embedder.embed(texts);
    float[][] rows = new float[batch.size()][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = batch.vector(i);
    }
    return EmbeddingSet.of(name, rows);
  }

  private static void write(Path file, List<String> texts) {
    try {
      Files.createDirectories(file.getParent());
      StringBuilder b = new StringBuilder();
      for (String t : texts) {
        b.append(MonitorJson.MAPPER.createObjectNode().put("text", t)).append('\n');
      }
      Files.writeString(file, b.toString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
