package dev.synque.monitor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkTest {

  @TempDir Path root;

  static final String JUDGEMENT =
      "{\"score_real_given_synth_loc_A_judgement\":\"likely\","
          + "\"score_real_given_synth_loc_B_judgement\":\"unsure\","
          + "\"score_synth_given_synth_loc_A_judgement\":\"unlikely\","
          + "\"score_synth_given_synth_loc_B_judgement\":\"very likely\"}";

  /** A valid two-group benchmark. */
  static void writeValid(Path root) throws IOException {
    write(root, "performance.csv", "group,dataset,performance\ng1,d1,0.5\ng1,d2,0.7\ng2,d3,0.1\n");
    write(root, "real/g1/42.jsonl", "{\"text\":\"real one\"}\n{\"text\":\"real two\"}\n");
    write(root, "real/g2/7.jsonl", "{\"text\":\"real three\"}\n");
    write(root, "synthetic/g1/d1.jsonl", "{\"text\":\"a\"}\n\n{\"text\":\"b\"}\n");
    write(root, "synthetic/g1/d2.jsonl", "{\"text\":\"c\", \"label\": 1}\n");
    write(root, "synthetic/g2/d3.jsonl", "{\"text\":\"d\"}\n");
  }

  static void write(Path root, String file, String content) throws IOException {
    Path p = root.resolve(file);
    Files.createDirectories(p.getParent());
    Files.writeString(p, content);
  }

  @BeforeEach
  void setUp() throws IOException {
    writeValid(root);
  }

  @Test
  void shouldReadGroupsSeedsDatasetsAndTexts() {
    Benchmark b = Benchmark.open(root);
    assertThat(b.groups()).containsOnlyKeys("g1", "g2");
    assertThat(b.groups().get("g1").datasets()).containsOnlyKeys("d1", "d2");
    assertThat(b.groups().get("g1").performance()).containsEntry("d2", 0.7);
    assertThat(b.cells())
        .containsExactly(
            new Benchmark.Cell("g1", "42", "d1"),
            new Benchmark.Cell("g1", "42", "d2"),
            new Benchmark.Cell("g2", "7", "d3"));
    assertThat(Benchmark.texts(b.groups().get("g1").datasets().get("d1")))
        .containsExactly("a", "b");
    assertThat(BenchmarkLens.present(b)).isFalse();
  }

  @Test
  void shouldFindAGroupAndSeedForAReplayOrNameWhatExists() {
    Benchmark b = Benchmark.open(root);
    assertThat(b.groupWithSeed("g1", "42").datasets()).containsOnlyKeys("d1", "d2");
    assertThatThrownBy(() -> b.groupWithSeed("g9", "42"))
        .hasMessageContaining("--group g9")
        .hasMessageContaining("[g1, g2]");
    assertThatThrownBy(() -> b.groupWithSeed("g1", "7"))
        .hasMessageContaining("--seed 7")
        .hasMessageContaining("[42]");
  }

  @Test
  void shouldNameTheMissingPerformanceRow() throws IOException {
    write(root, "synthetic/g2/d4.jsonl", "{\"text\":\"e\"}\n");
    assertThatThrownBy(() -> Benchmark.open(root))
        .isInstanceOf(BenchmarkFormatException.class)
        .hasMessageContaining("performance.csv")
        .hasMessageContaining("no row for group \"g2\", dataset \"d4\"");
  }

  @Test
  void shouldNameARowWithoutItsDataset() throws IOException {
    Files.writeString(
        root.resolve("performance.csv"), "\ng2,d9,0.3\n", java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(() -> Benchmark.open(root))
        .hasMessageContaining("dataset \"d9\"")
        .hasMessageContaining("d9.jsonl does not exist");
  }

  @Test
  void shouldNameAGroupWithoutARealSample() throws IOException {
    Files.delete(root.resolve("real/g2/7.jsonl"));
    assertThatThrownBy(() -> Benchmark.open(root))
        .hasMessageContaining("real/g2")
        .hasMessageContaining("no real sample");
  }

  @Test
  void shouldNameEmptyFilesBadLinesAndInvalidUtf8() throws IOException {
    write(root, "synthetic/g1/d1.jsonl", "");
    Path d1 = Benchmark.open(root).groups().get("g1").datasets().get("d1");
    assertThatThrownBy(() -> Benchmark.texts(d1))
        .hasMessageContaining("d1.jsonl")
        .hasMessageContaining("empty");
    write(root, "synthetic/g1/d1.jsonl", "{\"text\":\"ok\"}\n{\"txt\":\"typo\"}\n");
    assertThatThrownBy(() -> Benchmark.texts(d1))
        .hasMessageContaining("object 2 has no string field \"text\"");
    write(root, "synthetic/g1/d1.jsonl", "{\"text\":\"ok\"}\nnot json\n");
    assertThatThrownBy(() -> Benchmark.texts(d1)).hasMessageContaining("line 2 is not valid JSON");
    Files.write(
        d1, new byte[] {'{', '"', 't', 'e', 'x', 't', '"', ':', '"', (byte) 0xC3, '"', '}'});
    assertThatThrownBy(() -> Benchmark.texts(d1)).hasMessageContaining("not valid UTF-8");
  }

  @Test
  void shouldRejectABadPerformanceFile() throws IOException {
    write(root, "performance.csv", "dataset,performance\n");
    assertThatThrownBy(() -> Benchmark.open(root)).hasMessageContaining("header");
    write(root, "performance.csv", "group,dataset,performance\ng1,d1,high\n");
    assertThatThrownBy(() -> Benchmark.open(root))
        .hasMessageContaining("line 2: performance \"high\" is not a finite number");
    write(root, "performance.csv", "group,dataset,performance\ng1,d1,0.1\ng1,d1,0.2\n");
    assertThatThrownBy(() -> Benchmark.open(root)).hasMessageContaining("line 3 repeats");
  }

  @Test
  void shouldPairLensFilesAndScoreThem() throws IOException {
    write(root, "lens/g1/42/synthetic/d1.jsonl", JUDGEMENT + "\n");
    assertThatThrownBy(() -> Benchmark.open(root))
        .hasMessageContaining("lens/g1/42/real/d1.jsonl")
        .hasMessageContaining("pairs");
    write(root, "lens/g1/42/real/d1.jsonl", JUDGEMENT + "\n" + JUDGEMENT + "\n");
    Benchmark b = Benchmark.open(root);
    assertThat(BenchmarkLens.present(b)).isTrue();
    List<ProxyScore> scores = BenchmarkLens.scores(b);
    assertThat(scores).extracting(ProxyScore::proxy).containsExactly("lens", "lens_raw");
    // raw: (3 / (3 + 1) + 2 / (2 + 4)) / 2
    assertThat(scores.get(1).value()).isEqualTo((0.75 + 2 / 6.0) / 2);
    write(root, "lens/g1/42/real/d1.jsonl", JUDGEMENT.replace("\"unsure\"", "\"maybe\"") + "\n");
    assertThatThrownBy(() -> BenchmarkLens.scores(Benchmark.open(root)))
        .hasMessageContaining("object 1, field score_real_given_synth_loc_B_judgement")
        .hasMessageContaining("\"maybe\"");
  }
}
