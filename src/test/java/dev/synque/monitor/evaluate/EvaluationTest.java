package dev.synque.monitor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EvaluationTest {

  @TempDir Path root;
  @TempDir Path out;

  /** Seeded pseudo-embeddings: each text hashes to a vector; files are counted per call. */
  static final class HashEmbeddings implements EmbeddingSource {
    final Map<Path, Integer> calls = new HashMap<>();

    @Override
    public String modelId() {
      return "hash-8";
    }

    @Override
    public EmbeddingSet embeddings(Path file) {
      calls.merge(file, 1, Integer::sum);
      List<String> texts = Benchmark.texts(file);
      double[] data = new double[texts.size() * 8];
      for (int i = 0; i < texts.size(); i++) {
        Random r = new Random(texts.get(i).hashCode());
        for (int k = 0; k < 8; k++) {
          data[i * 8 + k] = r.nextGaussian();
        }
      }
      return EmbeddingSet.wrap(file.toString(), texts.size(), 8, data);
    }
  }

  private void writeBenchmark() throws IOException {
    writeBenchmarkInto(root);
  }

  /** Six datasets of twelve texts, two seeds, LENS judgements for one cell. */
  void writeBenchmarkInto(Path root) throws IOException {
    StringBuilder perf = new StringBuilder("group,dataset,performance\n");
    for (int d = 0; d < 6; d++) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 12; i++) {
        lines.append("{\"text\":\"dataset ").append(d).append(" text ").append(i).append("\"}\n");
      }
      BenchmarkTest.write(root, "synthetic/g/d" + d + ".jsonl", lines.toString());
      perf.append("g,d").append(d).append(',').append(0.1 * d).append('\n');
    }
    BenchmarkTest.write(root, "performance.csv", perf.toString());
    for (String seed : List.of("1", "2")) {
      StringBuilder lines = new StringBuilder();
      for (int i = 0; i < 10; i++) {
        lines.append("{\"text\":\"real ").append(seed).append(' ').append(i).append("\"}\n");
      }
      BenchmarkTest.write(root, "real/g/" + seed + ".jsonl", lines.toString());
    }
    BenchmarkTest.write(root, "lens/g/1/synthetic/d0.jsonl", BenchmarkTest.JUDGEMENT + "\n");
    BenchmarkTest.write(root, "lens/g/1/real/d0.jsonl", BenchmarkTest.JUDGEMENT + "\n");
  }

  @Test
  void shouldReportEveryProxyExactlyAsTheEngineComputesIt() throws IOException {
    writeBenchmark();
    Benchmark benchmark = Benchmark.open(root);
    HashEmbeddings source = new HashEmbeddings();
    List<String> stages = new ArrayList<>();

    Evaluation.Result result =
        Evaluation.run(
            benchmark,
            QualityProxies.all(),
            source,
            (stage, done, total, detail) -> {
              if (done == total) {
                stages.add(stage);
              }
            });

    assertThat(stages).containsExactly("embedding", "proxies");
    assertThat(result.failures()).isEmpty();
    assertThat(result.orientations().keySet())
        .containsExactly(
            "mmd2_poly",
            "mmd2_rbf",
            "pad",
            "pad_balanced",
            "frechet",
            "mauve",
            "mdm",
            "vendi",
            "lens",
            "lens_raw",
            "combined",
            "combined_pc1");
    for (QualityProxy proxy : QualityProxies.all()) {
      for (String seed : List.of("1", "2")) {
        for (int d = 0; d < 6; d++) {
          EmbeddingSet x = source.embeddings(root.resolve("synthetic/g/d" + d + ".jsonl"));
          EmbeddingSet r = source.embeddings(root.resolve("real/g/" + seed + ".jsonl"));
          double expected = proxy.compute(x, r);
          String dataset = "d" + d;
          assertThat(value(result, proxy.name(), seed, dataset))
              .as("%s on %s/%s", proxy.name(), seed, dataset)
              .isEqualTo(expected);
        }
      }
    }
    // lens only where judgements exist; combined for every cell, within [0, 1].
    assertThat(result.scores()).filteredOn(s -> s.proxy().equals("lens")).hasSize(1);
    assertThat(result.scores())
        .filteredOn(s -> s.proxy().equals("combined"))
        .hasSize(12)
        .allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0));
    assertThat(result.scores())
        .filteredOn(s -> s.proxy().equals("combined_pc1"))
        .hasSize(12)
        .allSatisfy(s -> assertThat(s.value()).isBetween(0.0, 1.0));
  }

  @Test
  void shouldRecordAFailingProxyAsAMissingValueAndGoOn() throws IOException {
    writeBenchmark();
    BenchmarkTest.write(root, "real/g/2.jsonl", "{\"text\":\"only one\"}\n");
    Evaluation.Result result =
        Evaluation.run(
            Benchmark.open(root),
            QualityProxies.byNames(List.of("mmd2_rbf", "mmd2_poly")),
            new HashEmbeddings(),
            Progress.NONE);
    // mmd2_rbf is unbiased: it needs two reference vectors.
    assertThat(result.failures())
        .hasSize(6)
        .allSatisfy(
            f -> {
              assertThat(f.proxy()).isEqualTo("mmd2_rbf");
              assertThat(f.cell().seed()).isEqualTo("2");
            });
    assertThat(value(result, "mmd2_rbf", "2", "d0")).isNaN();
    assertThat(value(result, "mmd2_poly", "2", "d0")).isFinite();
  }

  @Test
  void shouldWriteCsvFilesAndASelfContainedReport() throws IOException {
    writeBenchmark();
    Benchmark benchmark = Benchmark.open(root);
    Evaluation.Result result =
        Evaluation.run(benchmark, QualityProxies.all(), new HashEmbeddings(), Progress.NONE);
    List<SummaryRow> summary =
        EvaluationSummary.summarise(benchmark, result.scores(), result.orientations(), 100);
    EvaluationOutput.writeScores(out.resolve("scores.csv"), result.scores());
    EvaluationOutput.writeSummary(out.resolve("summary.csv"), summary);
    HtmlReport.write(
        out.resolve("report.html"),
        new HtmlReport.Header("test", Map.of("model", "hash-8")),
        benchmark,
        result.scores(),
        summary);

    List<String> scores = Files.readAllLines(out.resolve("scores.csv"));
    assertThat(scores.get(0)).isEqualTo("group,seed,dataset,proxy,value");
    assertThat(scores).hasSize(1 + result.scores().size());
    List<String> rows = Files.readAllLines(out.resolve("summary.csv"));
    assertThat(rows.get(0))
        .startsWith("group,proxy,higher_is_better,spearman,pearson,top3,mean_all,oracle_top3");
    // 12 proxies (combined_pc1 added next to combined), one group plus ALL.
    assertThat(rows).hasSize(1 + 12 * 2);
    assertThat(rows).anyMatch(r -> r.startsWith("ALL,mmd2_poly,false,"));
    String html = Files.readString(out.resolve("report.html"));
    assertThat(html)
        .contains("<svg")
        .contains("mmd2_poly")
        .doesNotContain("<script")
        .doesNotContain("http://")
        .doesNotContain("https://");
    assertThat(html.split("<figure>", -1)).hasSize(13);
  }

  private static double value(Evaluation.Result result, String proxy, String seed, String dataset) {
    return result.scores().stream()
        .filter(
            s -> s.proxy().equals(proxy) && s.seed().equals(seed) && s.dataset().equals(dataset))
        .findFirst()
        .orElseThrow()
        .value();
  }
}
