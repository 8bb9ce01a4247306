package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.FakeEmbeddingServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synque embed} and {@code synque evaluate} through {@code --embeddings-url}: a loopback
 * server wrapping the local MiniLM gives the files the local model writes, byte for byte.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RemoteEmbeddingsCliTest {

  private DjlEmbedder local;
  private FakeEmbeddingServer server;

  @BeforeAll
  void start() {
    local = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2));
    server = FakeEmbeddingServer.start(local);
  }

  @AfterAll
  void stop() {
    server.close();
    local.close();
  }

  @Test
  void shouldWriteTheLocalModelsNpyThroughTheServer(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        "{\"text\": \"Stocks rallied on Friday\"}\n"
            + "{\"text\": \"The café's crème brûlée was naïvely priced at €4.50!\"}\n"
            + "{\"text\": \""
            + "long ".repeat(300)
            + "\"}\n");

    CliRun localRun =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("local.npy").toString(),
            "--threads",
            "2");
    CliRun remoteRun =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("remote.npy").toString(),
            "--embeddings-url",
            server.baseUrl(),
            "--model",
            "all-MiniLM-L6-v2",
            "--tokenizer",
            "minilm",
            "--batch-size",
            "2");

    assertThat(localRun.exitCode()).as(localRun.err()).isZero();
    assertThat(remoteRun.exitCode()).as(remoteRun.err()).isZero();
    assertThat(remoteRun.out())
        .contains("3 x 384 float32 (model all-MiniLM-L6-v2)")
        .contains("1 truncated to 256 tokens");
    assertThat(Files.mismatch(dir.resolve("local.npy"), dir.resolve("remote.npy"))).isEqualTo(-1);
  }

  @Test
  void shouldNeedTheServersModelName(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"Stocks rallied\"}\n");

    CliRun run =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("out.npy").toString(),
            "--embeddings-url",
            server.baseUrl());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("synque.embed.model").contains("synque.embed.url");
  }

  @Test
  void shouldCheckTheDemosEmbeddingOptionsBeforeStarting() {
    CliRun run = CliRun.of("demo", "--embeddings-url", server.baseUrl());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("synque.embed.model");
  }

  @Test
  void shouldEvaluateWithTheLocalModelsEmbeddingsAndScores(@TempDir Path bench, @TempDir Path out)
      throws IOException {
    writeBenchmark(bench);
    Path localOut = out.resolve("local");
    Path remoteOut = out.resolve("remote");

    CliRun localRun =
        CliRun.of(
            "evaluate",
            "--benchmark",
            bench.toString(),
            "--out",
            localOut.toString(),
            "--proxies",
            "mmd2_poly,frechet",
            "--cache",
            "none",
            "--export-embeddings");
    CliRun remoteRun =
        CliRun.of(
            "evaluate",
            "--benchmark",
            bench.toString(),
            "--out",
            remoteOut.toString(),
            "--proxies",
            "mmd2_poly,frechet",
            "--cache",
            "none",
            "--export-embeddings",
            "--embeddings-url",
            server.baseUrl(),
            "--model",
            "all-MiniLM-L6-v2");

    assertThat(localRun.exitCode()).as(localRun.err()).isZero();
    assertThat(remoteRun.exitCode()).as(remoteRun.err()).isZero();
    for (String npy : new String[] {"real-1.npy", "faithful.npy", "collapsed.npy"}) {
      Path a = localOut.resolve("embeddings/news").resolve(npy);
      Path b = remoteOut.resolve("embeddings/news").resolve(npy);
      assertThat(Files.mismatch(a, b)).as(npy).isEqualTo(-1);
    }
    assertThat(Files.readAllLines(remoteOut.resolve("scores.csv")))
        .isEqualTo(Files.readAllLines(localOut.resolve("scores.csv")));
  }

  private static void writeBenchmark(Path bench) throws IOException {
    String[][] datasets = {
      {"faithful", "Shares of %s rose after strong quarterly earnings", "0.6"},
      {"collapsed", "Stock goes up", "0.3"},
      {"offtopic", "My cat %s likes to sleep in the sun", "0.1"}
    };
    String[] names = {"Acme", "Globex", "Initech", "Umbrella", "Hooli", "Stark"};
    StringBuilder perf = new StringBuilder("group,dataset,performance\n");
    Files.createDirectories(bench.resolve("synthetic/news"));
    Files.createDirectories(bench.resolve("real/news"));
    for (String[] d : datasets) {
      StringBuilder lines = new StringBuilder();
      for (String name : names) {
        lines.append("{\"text\":\"").append(String.format(d[1], name)).append("\"}\n");
      }
      Files.writeString(bench.resolve("synthetic/news/" + d[0] + ".jsonl"), lines.toString());
      perf.append("news,").append(d[0]).append(',').append(d[2]).append('\n');
    }
    Files.writeString(bench.resolve("performance.csv"), perf.toString());
    StringBuilder real = new StringBuilder();
    for (String name : names) {
      real.append("{\"text\":\"").append(name).append(" shares fell after a profit warning\"}\n");
    }
    Files.writeString(bench.resolve("real/news/1.jsonl"), real.toString());
  }
}
