package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetDistance;
import dev.synque.monitor.core.Mmd2Polynomial;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code synque evaluate} end to end with the real default model on a small benchmark. */
class EvaluateCommandTest {

  @TempDir Path bench;
  @TempDir Path out;

  private void write(String file, String content) throws IOException {
    Path p = bench.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  private void writeBenchmark() throws IOException {
    String[][] datasets = {
      {"faithful", "Shares of %s rose after strong quarterly earnings", "0.6"},
      {"collapsed", "Stock goes up", "0.3"},
      {"offtopic", "My cat %s likes to sleep in the sun", "0.1"}
    };
    StringBuilder perf = new StringBuilder("group,dataset,performance\n");
    String[] names = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"};
    for (String[] d : datasets) {
      StringBuilder lines = new StringBuilder();
      for (String name : names) {
        lines.append("{\"text\":\"").append(String.format(d[1], name)).append("\"}\n");
      }
      write("synthetic/news/" + d[0] + ".jsonl", lines.toString());
      perf.append("news,").append(d[0]).append(',').append(d[2]).append('\n');
    }
    write("performance.csv", perf.toString());
    StringBuilder real = new StringBuilder();
    for (String name : names) {
      real.append("{\"text\":\"").append(name).append(" shares fell after a profit warning\"}\n");
    }
    write("real/news/1.jsonl", real.toString());
  }

  @Test
  void shouldWriteScoresSummaryAndReportAndReuseTheCache() throws IOException {
    writeBenchmark();
    CliRun first =
        CliRun.of(
            "evaluate",
            "--benchmark",
            bench.toString(),
            "--out",
            out.toString(),
            "--proxies",
            "mmd2_poly,frechet,vendi",
            "--export-embeddings");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.err()).contains("embedding [").contains("proxies   [");
    assertThat(first.out())
        .contains("mmd2_poly")
        .contains("combined")
        .contains("24 texts embedded");
    List<String> scores = Files.readAllLines(out.resolve("scores.csv"));
    // 3 datasets x (3 proxies + combined + combined_pc1) + header
    assertThat(scores).hasSize(1 + 3 * 5);
    assertThat(out.resolve("summary.csv")).exists();
    assertThat(Files.readString(out.resolve("report.html")))
        .contains("sentence-transformers/all-MiniLM-L6-v2")
        .contains("Noise floors, intervals and tiers")
        .contains("Evidence: news, real sample 1");
    // floors of the two reference-using proxies, mmd2_poly intervals, per-sample evidence
    assertThat(Files.readAllLines(out.resolve("noise_floors.csv")))
        .first()
        .isEqualTo("group,seed,proxy,repeats,mean,sd,p95");
    assertThat(Files.readAllLines(out.resolve("intervals.csv"))).hasSizeGreaterThan(3);
    assertThat(Files.readAllLines(out.resolve("samples.csv")))
        .first()
        .isEqualTo("group,seed,dataset,set,index,value");
    assertThat(out.resolve("embeddings/news/real-1.npy")).exists();
    // The proxy engine on the exported embeddings gives the reported value exactly.
    EmbeddingSet x = npy(out.resolve("embeddings/news/faithful.npy"));
    EmbeddingSet r = npy(out.resolve("embeddings/news/real-1.npy"));
    assertThat(x.size()).isEqualTo(6);
    assertThat(scores)
        .contains(
            "news,1,faithful,mmd2_poly," + Mmd2Polynomial.synqueDefault().compute(x, r),
            "news,1,faithful,frechet," + FrechetDistance.instance().compute(x, r));

    CliRun second =
        CliRun.of(
            "evaluate",
            "--benchmark",
            bench.toString(),
            "--out",
            out.toString(),
            "--proxies",
            "mmd2_poly,frechet,vendi");
    assertThat(second.exitCode()).isZero();
    assertThat(second.out()).contains("0 texts embedded, 4 files from the cache");
    assertThat(Files.readAllLines(out.resolve("scores.csv"))).isEqualTo(scores);
  }

  /** A float32 .npy written by the command (header layout: see NpyWriterTest). */
  private static EmbeddingSet npy(Path file) throws IOException {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    String header = new String(bytes.array(), 10, 118, StandardCharsets.US_ASCII);
    Matcher shape = Pattern.compile("'shape': \\((\\d+), (\\d+)\\)").matcher(header);
    assertThat(shape.find()).as(header).isTrue();
    int rows = Integer.parseInt(shape.group(1));
    int d = Integer.parseInt(shape.group(2));
    bytes.position(128);
    double[] data = new double[rows * d];
    for (int i = 0; i < data.length; i++) {
      data[i] = bytes.getFloat();
    }
    return EmbeddingSet.wrap(file.toString(), rows, d, data);
  }

  @Test
  void shouldNameTheFileOfAMalformedBenchmark() throws IOException {
    writeBenchmark();
    Files.delete(bench.resolve("real/news/1.jsonl"));
    CliRun r = CliRun.of("evaluate", "--benchmark", bench.toString(), "--out", out.toString());
    assertThat(r.exitCode()).isEqualTo(2);
    assertThat(r.err()).contains("real/news").contains("no real sample");
    CliRun unknown =
        CliRun.of(
            "evaluate",
            "--benchmark",
            bench.toString(),
            "--out",
            out.toString(),
            "--proxies",
            "fid");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown proxy \"fid\"").contains("mmd2_poly");
  }
}
