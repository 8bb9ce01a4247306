package dev.synque.monitor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.MmdWitness;
import dev.synque.monitor.core.NoiseFloor;
import dev.synque.monitor.core.QualityProxies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UncertaintyTest {

  @TempDir Path root;
  @TempDir Path out;

  @Test
  void shouldReportFloorsIntervalsTiersAndEvidenceAsTheCoreComputesThem() throws IOException {
    // given the evaluation test's benchmark: 6 datasets of 12 texts, 2 real samples of 10
    new EvaluationTest().writeBenchmarkInto(root);
    Benchmark benchmark = Benchmark.open(root);
    EvaluationTest.HashEmbeddings source = new EvaluationTest.HashEmbeddings();

    // when
    Uncertainty.Result result =
        Uncertainty.run(
            benchmark,
            QualityProxies.byNames(List.of("mmd2_poly", "frechet", "vendi")),
            source,
            Progress.NONE);

    // then floors for the two reference-using proxies of each real sample, none for vendi
    assertThat(result.floors()).hasSize(4);
    assertThat(result.floors()).noneMatch(f -> f.floor().proxy().equals("vendi"));
    EmbeddingSet real1 = source.embeddings(root.resolve("real/g/1.jsonl"));
    NoiseFloor expected =
        NoiseFloor.of(
            Mmd2Polynomial.synqueDefault(),
            real1,
            Uncertainty.FLOOR_REPEATS,
            Uncertainty.FLOOR_SEED);
    assertThat(result.floors().get(0).floor().values()).containsExactly(expected.values());

    // intervals: every dataset once per seed, ranked, value equal to the proxy's
    assertThat(result.intervals()).hasSize(12);
    Uncertainty.Interval best = result.intervals().get(0);
    assertThat(best.rank()).isEqualTo(1);
    assertThat(best.tier()).isEqualTo(1);
    EmbeddingSet x = source.embeddings(root.resolve("synthetic/g/" + best.dataset() + ".jsonl"));
    assertThat(best.value())
        .isCloseTo(Mmd2Polynomial.synqueDefault().compute(x, real1), within(1e-12));
    assertThat(best.se()).isEqualTo(MmdWitness.polynomial(x, real1).standardError());
    assertThat(best.low()).isLessThan(best.value()).isLessThan(best.high());
    assertThat(result.intervals().get(5).beatsNext()).isNaN();
    assertThat(result.intervals().subList(0, 6)).extracting(Uncertainty.Interval::value).isSorted();
    assertThat(result.evidence()).hasSize(12);
    assertThat(result.evidence().get(0).realness()).hasSize(12);
    assertThat(result.evidence().get(0).coverage()).hasSize(10);

    // and the files and the report section
    Uncertainty.writeFloors(out.resolve("noise_floors.csv"), result.floors());
    Uncertainty.writeIntervals(out.resolve("intervals.csv"), result);
    Uncertainty.writeSamples(out.resolve("samples.csv"), result.evidence());
    assertThat(Files.readAllLines(out.resolve("noise_floors.csv")))
        .hasSize(5)
        .first()
        .isEqualTo("group,seed,proxy,repeats,mean,sd,p95");
    assertThat(Files.readAllLines(out.resolve("intervals.csv"))).hasSize(13);
    assertThat(Files.readAllLines(out.resolve("samples.csv"))).hasSize(1 + 12 * (12 + 10));
    String html = Uncertainty.html(benchmark, result);
    assertThat(html)
        .contains("Noise floors, intervals and tiers")
        .contains("Tiers by mmd2_poly: g, real sample 1")
        .contains("Evidence: g, real sample 1")
        .contains("dataset 0 text");
  }

  @Test
  void shouldListTheLowestIndicesFirst() {
    assertThat(Uncertainty.lowest(new double[] {3, 1, 2, 1}, 3)).containsExactly(1, 3, 2);
    assertThat(Uncertainty.lowest(new double[] {3}, 3)).containsExactly(0);
  }
}
