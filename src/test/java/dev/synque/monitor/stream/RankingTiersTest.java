package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.avro.MmdPairing;
import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyInterval;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.MmdUncertainty;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.Separation;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@link RankingTiers} against {@code core} applied by hand to the same carried numbers. */
class RankingTiersTest {

  private static QualityScores scores(
      String generator, double value, double realnessVariance, List<Float> coverage) {
    return QualityScores.newBuilder()
        .setGeneratorId(generator)
        .setWindowKind(WindowKind.ALL_TIME)
        .setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH)
        .setReferenceVersion("v1")
        .setModelId("m")
        .setSampleCount(100)
        .setReservoirSize(100)
        .setReferenceCount(coverage.size())
        .setScores(
            List.of(
                ProxyScore.newBuilder()
                    .setProxy("mmd2_poly")
                    .setValue(value)
                    .setHigherIsBetter(false)
                    .setStatus(ProxyStatus.OK)
                    .build()))
        .setTrigger(ScoreTrigger.SAMPLE_COUNT)
        .setComputedAt(Instant.EPOCH)
        .setIntervals(
            List.of(
                ProxyInterval.newBuilder()
                    .setProxy("mmd2_poly")
                    .setMethod("delta-method")
                    .setLevel(0.95)
                    .setStandardError(0.01)
                    .setLow(value - 0.02)
                    .setHigh(value + 0.02)
                    .build()))
        .setMmdPairing(
            MmdPairing.newBuilder()
                .setSyntheticCount(100)
                .setRealnessVariance(realnessVariance)
                .setCoverage(coverage)
                .build())
        .setNoiseFloors(
            List.of(
                NoiseFloorSummary.newBuilder()
                    .setProxy("mmd2_poly")
                    .setRepeats(10)
                    .setSeed(3)
                    .setMean(0.001)
                    .setSd(0.0001)
                    .setP95(0.0012)
                    .build()))
        .build();
  }

  private static RankingUpdate ranking(List<String> ids, double[] values) {
    List<RankingEntry> entries = new ArrayList<>();
    for (int i = 0; i < ids.size(); i++) {
      entries.add(
          RankingEntry.newBuilder()
              .setGeneratorId(ids.get(i))
              .setRank(i + 1)
              .setCombinedScore(1.0 - i)
              .setEligible(true)
              .setSampleCount(100)
              .setProxies(
                  List.of(
                      ProxyRank.newBuilder()
                          .setProxy("mmd2_poly")
                          .setValue(values[i])
                          .setHigherIsBetter(false)
                          .setRank(i + 1)
                          .build()))
              .build());
    }
    return RankingUpdate.newBuilder()
        .setReferenceVersion("v1")
        .setWindowKind(WindowKind.ALL_TIME)
        .setCombinationRule("x")
        .setMinSamples(1)
        .setEntries(entries)
        .setLeader(ids.get(0))
        .setComputedAt(Instant.EPOCH)
        .build();
  }

  @Test
  void shouldTierWithThePairedErrorsOfTheCarriedCoverage() {
    // given three generators; b close to a, c far behind
    List<Float> ca = List.of(0.1f, -0.2f, 0.05f, 0.3f, -0.1f);
    List<Float> cb = List.of(0.12f, -0.25f, 0.07f, 0.28f, -0.12f);
    List<Float> cc = List.of(0.08f, -0.22f, 0.04f, 0.33f, -0.12f);
    Map<String, QualityScores> board =
        Map.of(
            "a", scores("a", 0.10, 0.004, ca),
            "b", scores("b", 0.11, 0.004, cb),
            "c", scores("c", 0.30, 0.004, cc));
    double[] values = {0.10, 0.11, 0.30};

    // when
    RankingUpdate out = RankingTiers.annotate(ranking(List.of("a", "b", "c"), values), board);

    // then: the same as core's tiers on the same numbers
    List<MmdUncertainty> u =
        List.of(
            new MmdUncertainty(0.10, 100, 0.004, doubles(ca)),
            new MmdUncertainty(0.11, 100, 0.004, doubles(cb)),
            new MmdUncertainty(0.30, 100, 0.004, doubles(cc)));
    Separation.Tiers expected =
        Separation.tiers(
            values,
            Orientation.LOWER_IS_BETTER,
            (x, y) -> u.get(x).pairedDifferenceError(u.get(y)),
            0.95);
    for (int i = 0; i < 3; i++) {
      ProxyRank p = out.getEntries().get(i).getProxies().get(0);
      assertThat(p.getTier()).isEqualTo(expected.tier()[i]);
      assertThat(p.getLow()).isCloseTo(values[i] - 0.02, within(1e-15));
      assertThat(p.getHigh()).isCloseTo(values[i] + 0.02, within(1e-15));
    }
    assertThat(expected.tier()).containsExactly(1, 1, 2);
    assertThat(out.getEntries().get(0).getProxies().get(0).getBeatsNext())
        .isCloseTo(expected.beatsNext()[0], within(1e-15));
    assertThat(out.getEntries().get(2).getProxies().get(0).getBeatsNext()).isNull();
    assertThat(out.getTierLevel()).isEqualTo(0.95);
    assertThat(out.getNoiseFloors())
        .singleElement()
        .satisfies(f -> assertThat(f.getP95()).isEqualTo(0.0012));

    // and the leader rule: b is not separated from a, c is not separated above a
    assertThat(RankingTiers.separatedAbove(out, "b", "a")).isFalse();
    assertThat(RankingTiers.separatedAbove(out, "a", "c")).isTrue();
    assertThat(RankingTiers.separatedAbove(out, "c", "a")).isFalse();
    assertThat(RankingTiers.separatedAbove(out, "a", "nobody")).as("no tier: plain rule").isTrue();
  }

  @Test
  void shouldLeaveOutOfTheTiersAGeneratorScoredAgainstAnotherReferenceSize() {
    Map<String, QualityScores> board =
        Map.of(
            "a", scores("a", 0.10, 0.004, List.of(0.1f, -0.1f, 0.2f)),
            "b", scores("b", 0.20, 0.004, List.of(0.1f, -0.1f)));

    RankingUpdate out =
        RankingTiers.annotate(ranking(List.of("a", "b"), new double[] {0.10, 0.20}), board);

    assertThat(out.getEntries().get(0).getProxies().get(0).getTier()).isEqualTo(1);
    assertThat(out.getEntries().get(1).getProxies().get(0).getTier()).isNull();
    assertThat(out.getEntries().get(1).getProxies().get(0).getLow()).isNotNull();
  }

  private static double[] doubles(List<Float> f) {
    double[] d = new double[f.size()];
    for (int i = 0; i < d.length; i++) {
      d[i] = f.get(i);
    }
    return d;
  }
}
