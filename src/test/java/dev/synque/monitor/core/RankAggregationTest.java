package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.core.RankAggregation.ProxyColumn;
import java.util.List;
import org.junit.jupiter.api.Test;

class RankAggregationTest {

  @Test
  void shouldAverageRankScoresRespectingEachOrientation() {
    // Given three candidates: a distance (lower better) ranks them c0 < c1 < c2, MAUVE (higher
    // better) ranks c2 best, then c0, then c1.
    ProxyColumn distance =
        new ProxyColumn("mmd2_poly", Orientation.LOWER_IS_BETTER, new double[] {0.1, 0.2, 0.3});
    ProxyColumn mauve =
        new ProxyColumn("mauve", Orientation.HIGHER_IS_BETTER, new double[] {0.5, 0.4, 0.9});
    // Rank scores (n - rank) / (n - 1): distance (1, 0.5, 0), mauve (0.5, 0, 1).
    assertThat(RankAggregation.combine(List.of(distance, mauve)))
        .containsExactly(new double[] {0.75, 0.25, 0.5}, within(1e-15));
  }

  @Test
  void shouldShareRanksOnTiesAndIgnoreConstantProxiesInTheOrder() {
    ProxyColumn tied =
        new ProxyColumn("pad", Orientation.LOWER_IS_BETTER, new double[] {1, 1, 2, 0});
    // ranks: 0 -> 1, the two 1s -> 2.5, 2 -> 4; scores (4 - rank) / 3.
    assertThat(RankAggregation.combine(List.of(tied)))
        .containsExactly(new double[] {0.5, 0.5, 0, 1}, within(1e-15));
    ProxyColumn constant =
        new ProxyColumn("vendi", Orientation.HIGHER_IS_BETTER, new double[] {3, 3, 3, 3});
    assertThat(RankAggregation.combine(List.of(constant)))
        .containsExactly(new double[] {0.5, 0.5, 0.5, 0.5}, within(1e-15));
  }

  @Test
  void shouldLeaveAMissingValueOutForThatCandidateOnly() {
    ProxyColumn a =
        new ProxyColumn("a", Orientation.LOWER_IS_BETTER, new double[] {1, Double.NaN, 3});
    ProxyColumn b =
        new ProxyColumn("b", Orientation.LOWER_IS_BETTER, new double[] {3, 2, Double.NaN});
    ProxyColumn none =
        new ProxyColumn("c", Orientation.LOWER_IS_BETTER, new double[] {Double.NaN, 1, 2});
    double[] combined = RankAggregation.combine(List.of(a, b, none));
    // a: c0 1, c2 0; b: c0 0, c1 1; c: c1 1, c2 0.
    assertThat(combined).containsExactly(new double[] {0.5, 1.0, 0.0}, within(1e-15));
    // A proxy that scored one of two candidates is no comparison: it is left out (issue 17).
    assertThat(
            RankAggregation.combine(
                List.of(
                    new ProxyColumn(
                        "x", Orientation.LOWER_IS_BETTER, new double[] {Double.NaN, 5}))))
        .containsExactly(Double.NaN, Double.NaN);
    // A single candidate still scores 1 on a proxy it has.
    assertThat(
            RankAggregation.combine(
                List.of(new ProxyColumn("x", Orientation.LOWER_IS_BETTER, new double[] {5}))))
        .containsExactly(1.0);
  }

  @Test
  void shouldNotLetALoneLensScoreLiftOneOfTwoEqualCandidates() {
    // Given A and B equal on the embedding proxies (A first on one, B first on the other, C last
    // on both), and an early LENS score (0.10) for A only.
    ProxyColumn mmd =
        new ProxyColumn("mmd2_poly", Orientation.LOWER_IS_BETTER, new double[] {0.1, 0.2, 0.3});
    ProxyColumn frechet =
        new ProxyColumn("frechet", Orientation.LOWER_IS_BETTER, new double[] {0.2, 0.1, 0.3});
    ProxyColumn lens =
        new ProxyColumn(
            "lens", Orientation.HIGHER_IS_BETTER, new double[] {0.10, Double.NaN, Double.NaN});
    // When combined, then A and B stay tied at 0.75 (averaging the lone LENS rank score 1 in
    // would give A 0.833).
    assertThat(RankAggregation.combine(List.of(mmd, frechet, lens)))
        .containsExactly(new double[] {0.75, 0.75, 0.0}, within(1e-15));
    // Once B has a LENS score too, the column counts for both.
    ProxyColumn both =
        new ProxyColumn(
            "lens", Orientation.HIGHER_IS_BETTER, new double[] {0.10, 0.30, Double.NaN});
    assertThat(RankAggregation.combine(List.of(mmd, frechet, both)))
        .containsExactly(new double[] {0.5, 0.8333333333333334, 0.0}, within(1e-15));
  }

  @Test
  void shouldNotLetALoneLensScoreLiftOneOfTwoEqualCandidatesInTheWeightedScoreEither() {
    // The example above with weights: the lone LENS score stays out whatever its weight.
    ProxyColumn mmd =
        new ProxyColumn("mmd2_poly", Orientation.LOWER_IS_BETTER, new double[] {0.1, 0.2, 0.3});
    ProxyColumn frechet =
        new ProxyColumn("frechet", Orientation.LOWER_IS_BETTER, new double[] {0.2, 0.1, 0.3});
    ProxyColumn lens =
        new ProxyColumn(
            "lens", Orientation.HIGHER_IS_BETTER, new double[] {0.10, Double.NaN, Double.NaN});
    assertThat(
            RankAggregation.combineWeighted(
                List.of(mmd, frechet, lens), new double[] {0.25, 0.25, 0.5}))
        .containsExactly(new double[] {0.75, 0.75, 0.0}, within(1e-15));
  }

  @Test
  void shouldRejectMismatchedOrInfiniteColumns() {
    assertThatThrownBy(
            () ->
                RankAggregation.combine(
                    List.of(
                        new ProxyColumn("a", Orientation.LOWER_IS_BETTER, new double[] {1, 2}),
                        new ProxyColumn("b", Orientation.LOWER_IS_BETTER, new double[] {1}))))
        .hasMessageContaining("proxy b scores 1 candidates, expected 2");
    assertThatThrownBy(
            () ->
                new ProxyColumn(
                    "a", Orientation.LOWER_IS_BETTER, new double[] {Double.POSITIVE_INFINITY}))
        .hasMessageContaining("Infinity");
    assertThatThrownBy(() -> RankAggregation.combine(List.of()))
        .hasMessageContaining("at least one proxy");
  }

  @Test
  void shouldWeighEquallyWithoutInformationAndIgnoreAZeroWeight() {
    // given one proxy: equal weights; two with fewer than 3 candidates: no correlation, equal
    RankAggregation.ProxyColumn a =
        new RankAggregation.ProxyColumn("a", Orientation.LOWER_IS_BETTER, new double[] {1, 2});
    RankAggregation.ProxyColumn b =
        new RankAggregation.ProxyColumn("b", Orientation.HIGHER_IS_BETTER, new double[] {1, 2});
    assertThat(RankAggregation.agreementWeights(java.util.List.of(a))).containsExactly(1.0);
    assertThat(RankAggregation.agreementWeights(java.util.List.of(a, b))).containsExactly(0.5, 0.5);

    // when b weighs nothing, only a decides
    assertThat(RankAggregation.combineWeighted(java.util.List.of(a, b), new double[] {1, 0}))
        .containsExactly(1.0, 0.0);
    assertThatThrownBy(
            () -> RankAggregation.combineWeighted(java.util.List.of(a, b), new double[] {1}))
        .hasMessageContaining("one weight per proxy is required, got 1 for 2 proxies");
    assertThatThrownBy(
            () -> RankAggregation.combineWeighted(java.util.List.of(a, b), new double[] {1, -1}))
        .hasMessageContaining("weight -1.0 of b");
  }

  @Test
  void shouldGiveNoWeightToAProxyThatDisagreesWithTheOthers() {
    double[] truth = {1, 2, 3, 4, 5, 6};
    double[] reversed = {6, 5, 4, 3, 2, 1};
    java.util.List<RankAggregation.ProxyColumn> columns =
        java.util.List.of(
            new RankAggregation.ProxyColumn("x", Orientation.LOWER_IS_BETTER, truth),
            new RankAggregation.ProxyColumn("y", Orientation.LOWER_IS_BETTER, truth),
            new RankAggregation.ProxyColumn("z", Orientation.LOWER_IS_BETTER, reversed));
    double[] w = RankAggregation.agreementWeights(columns);
    assertThat(w[2]).isZero();
    assertThat(w[0]).isCloseTo(0.5, org.assertj.core.data.Offset.offset(1e-12));
  }
}
