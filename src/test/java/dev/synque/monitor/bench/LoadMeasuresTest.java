package dev.synque.monitor.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The arithmetic behind the load commands' figures: latency attribution, verdicts, options. */
class LoadMeasuresTest {

  @Test
  void shouldChargeEachSampleToTheFirstRankingThatCountsIt() {
    SampleLatencies latencies = new SampleLatencies(1_000);
    for (int i = 0; i < 5; i++) {
      latencies.sent("a", i, 900 + 100 * i); // sent at 900, 1000, 1100, 1200, 1300
    }
    latencies.sent("b", 0, 1_050);

    latencies.ranked(ranking(WindowKind.ALL_TIME, Map.of("a", 3L, "b", 0L)), 2_000);
    latencies.ranked(ranking(WindowKind.TUMBLING, Map.of("a", 5L, "b", 1L)), 2_100); // ignored
    latencies.ranked(ranking(WindowKind.ALL_TIME, Map.of("a", 3L, "b", 1L)), 2_500);
    latencies.ranked(ranking(WindowKind.ALL_TIME, Map.of("a", 5L, "b", 1L)), 3_000);

    assertThat(latencies.rankedTotal()).isEqualTo(6);
    // a0..a2 at 2000, b0 at 2500, a3 and a4 at 3000.
    assertThat(latencies.takeInterval()).containsExactly(900, 1_000, 1_100, 1_450, 1_700, 1_800);
    assertThat(latencies.takeInterval()).isEmpty();
    // Sent before the warm-up's end (1000): a0 only, whose latency was 1100.
    assertThat(latencies.measured()).containsExactly(900, 1_000, 1_450, 1_700, 1_800);
  }

  @Test
  void shouldTakeNearestRankQuantiles() {
    long[] sorted = new long[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(SampleLatencies.quantile(sorted, 0.5)).isEqualTo(50);
    assertThat(SampleLatencies.quantile(sorted, 0.99)).isEqualTo(99);
    assertThat(SampleLatencies.quantile(new long[] {7}, 0.99)).isEqualTo(7);
    assertThat(SampleLatencies.quantile(new long[0], 0.5)).isEqualTo(-1);
  }

  @Test
  void shouldJudgeOnlyTheSteadyStateAndAllowStepsWithinTheTolerance() {
    List<double[]> flat = new ArrayList<>();
    List<double[]> growing = new ArrayList<>();
    for (int t = 0; t <= 600; t += 30) {
      // Before 120 s both grow (reservoirs filling); after it one stays near 200, one leaks.
      double fill = Math.min(t, 120);
      flat.add(new double[] {t, fill + 80 + (t % 60 == 0 ? 10 : 0)});
      growing.add(new double[] {t, fill + 80 + (t > 120 ? (t - 120) * 0.5 : 0)});
    }
    assertThat(FlatnessVerdict.of(flat, 120, 0.10, 16, "MB").verdict()).isEqualTo("FLAT");
    FlatnessVerdict leak = FlatnessVerdict.of(growing, 120, 0.10, 16, "MB");
    assertThat(leak.verdict()).isEqualTo("GROWING");
    assertThat(leak.detail()).contains("+30.00 MB/min");
    assertThat(FlatnessVerdict.of(flat, 500, 0.10, 16, "MB").verdict()).isEqualTo("INCONCLUSIVE");
  }

  @Test
  void shouldParseOptionsAndRejectUnknownOnes() {
    LoadArgs args =
        LoadArgs.parse(
            new String[] {
              "--rate", "2.5", "--duration", "90s", "--instances", "1, 3", "--config", "a.b=c=d"
            },
            Set.of("rate", "duration", "instances"));
    assertThat(args.decimal("rate", 0)).isEqualTo(2.5);
    assertThat(args.duration("duration", Duration.ZERO)).isEqualTo(Duration.ofSeconds(90));
    assertThat(args.duration("other", Duration.ofMinutes(10))).isEqualTo(Duration.ofMinutes(10));
    assertThat(args.integers("instances", List.of())).containsExactly(1, 3);
    assertThat(args.config()).containsEntry("a.b", "c=d");
    assertThat(LoadArgs.parseDuration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(LoadArgs.parseDuration("2h")).isEqualTo(Duration.ofHours(2));
    assertThatThrownBy(() -> LoadArgs.parse(new String[] {"--rtae", "1"}, Set.of("rate")))
        .hasMessageContaining("unknown option --rtae");
    assertThatThrownBy(() -> LoadArgs.parse(new String[] {"--rate"}, Set.of("rate")))
        .hasMessageContaining("expected --name value");
    assertThatThrownBy(() -> LoadArgs.parseDuration("10"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static RankingUpdate ranking(WindowKind kind, Map<String, Long> counts) {
    List<RankingEntry> entries =
        counts.entrySet().stream()
            .map(
                e ->
                    RankingEntry.newBuilder()
                        .setGeneratorId(e.getKey())
                        .setRank(null)
                        .setCombinedScore(null)
                        .setEligible(false)
                        .setIneligibleReason("test")
                        .setSampleCount(e.getValue())
                        .setProxies(List.of())
                        .build())
            .toList();
    return RankingUpdate.newBuilder()
        .setReferenceVersion("v1")
        .setWindowKind(kind)
        .setCombinationRule("test")
        .setMinSamples(1)
        .setEntries(entries)
        .setLeader(null)
        .setCause(null)
        .setComputedAt(Instant.EPOCH)
        .build();
  }
}
