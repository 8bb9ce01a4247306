package dev.synque.monitor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.core.LensScore;
import dev.synque.monitor.core.Orientation;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The authors' sentiment benchmark, imported, scored from their own LENS judgements. */
class SentimentBenchmarkLensTest {

  @TempDir Path imported;

  @Test
  void shouldReproduceTheAuthorsLensCorrelations() {
    SynqueImport.Summary summary =
        SynqueImport.run(SharedBenchmark.sentimentAnalysis(), imported, null);
    assertThat(summary.datasets()).isEqualTo(32);
    assertThat(summary.realSamples()).isEqualTo(5);
    assertThat(summary.lensPairs()).isEqualTo(160);

    Benchmark benchmark = Benchmark.open(imported);
    List<ProxyScore> scores = BenchmarkLens.scores(benchmark);
    Map<String, Orientation> proxies = new LinkedHashMap<>();
    proxies.put(LensScore.NAME, Orientation.HIGHER_IS_BETTER);
    proxies.put(LensScore.RAW_NAME, Orientation.HIGHER_IS_BETTER);
    List<SummaryRow> rows = EvaluationSummary.summarise(benchmark, scores, proxies, 200);

    SummaryRow lens =
        rows.stream()
            .filter(r -> r.proxy().equals("lens") && r.group().equals(EvaluationSummary.ALL))
            .findFirst()
            .orElseThrow();
    // The benchmark README's reference values, from the authors' judgements and formula.
    assertThat(lens.spearman()).isCloseTo(0.101, within(0.001));
    assertThat(lens.pearson()).isCloseTo(0.316, within(0.001));
    assertThat(lens.meanAll()).isCloseTo(0.4963, within(0.0001));
    assertThat(lens.oracleTop3()).isCloseTo(0.5833, within(0.0001));
    assertThat(lens.spearmanInterval().lower()).isLessThan(lens.spearman());
    assertThat(lens.spearmanInterval().upper()).isGreaterThan(lens.spearman());
  }
}
