package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/**
 * Compares the witness, its standard errors, the normal distribution function, tiers and noise
 * floors with values computed independently in numpy and scipy by {@code
 * src/test/python/make_uncertainty_fixtures.py}. Tolerances: 1e-12 relative for sums of kernel
 * values (their rounding), 1e-14 absolute for probabilities (Marsaglia's series against scipy).
 */
class UncertaintyFixturesTest {

  private static final JsonNode FIXTURE = LearnerFixtures.load("uncertainty", "uncertainty.json");

  private static EmbeddingSet set(String field) {
    return EmbeddingSet.of(field, LearnerFixtures.matrix(FIXTURE.get(field)));
  }

  @Test
  void shouldMatchNumpysWitnessAndStandardError() {
    // given
    EmbeddingSet x = set("x");
    EmbeddingSet r = set("r");

    // when
    MmdWitness w = MmdWitness.polynomial(x, r);

    // then
    double[] realness = LearnerFixtures.vector(FIXTURE.get("x_realness"));
    double[] coverage = LearnerFixtures.vector(FIXTURE.get("x_coverage"));
    for (int i = 0; i < realness.length; i++) {
      assertThat(w.realness()[i]).isCloseTo(realness[i], within(1e-12));
    }
    for (int j = 0; j < coverage.length; j++) {
      assertThat(w.coverage()[j]).isCloseTo(coverage[j], within(1e-12));
    }
    assertRelative(w.mmd2(), FIXTURE.get("x_mmd2").asDouble(), 1e-10);
    assertRelative(w.standardError(), FIXTURE.get("x_se").asDouble(), 1e-10);
    assertRelative(w.mmd2(), Mmd2Polynomial.synqueDefault().compute(x, r), 1e-10);
  }

  @Test
  void shouldMatchNumpysPairedDifferenceError() {
    MmdWitness wx = MmdWitness.polynomial(set("x"), set("r"));
    MmdWitness wy = MmdWitness.polynomial(set("y"), set("r"));

    assertRelative(wy.mmd2(), FIXTURE.get("y_mmd2").asDouble(), 1e-10);
    assertRelative(wy.standardError(), FIXTURE.get("y_se").asDouble(), 1e-10);
    assertRelative(wx.pairedDifferenceError(wy), FIXTURE.get("paired_sd").asDouble(), 1e-10);
    assertRelative(wy.pairedDifferenceError(wx), FIXTURE.get("paired_sd").asDouble(), 1e-10);
    assertThatThrownBy(() -> wx.pairedDifferenceError(MmdWitness.polynomial(set("x"), set("y"))))
        .hasMessageContaining("same reference, got 25 and 30 samples");
  }

  @Test
  void shouldMatchScipysNormalCdf() {
    for (JsonNode pair : FIXTURE.get("cdf")) {
      double z = pair.get(0).asDouble();
      assertThat(Separation.normalCdf(z))
          .as("Phi(%s)", z)
          .isCloseTo(pair.get(1).asDouble(), within(1e-14));
    }
  }

  @Test
  void shouldTierLikeTheIndependentImplementation() {
    for (JsonNode c : FIXTURE.get("tiers")) {
      // given
      double[] estimates = LearnerFixtures.vector(c.get("estimates"));
      double[] se = LearnerFixtures.vector(c.get("se"));
      Orientation orientation =
          c.get("lower_is_better").asBoolean()
              ? Orientation.LOWER_IS_BETTER
              : Orientation.HIGHER_IS_BETTER;

      // when
      Separation.Tiers tiers =
          Separation.tiers(
              estimates,
              orientation,
              Separation.DifferenceError.independent(se),
              c.get("level").asDouble());

      // then
      assertThat(tiers.order()).containsExactly(LearnerFixtures.indices(c.get("order")));
      assertThat(tiers.tier()).containsExactly(LearnerFixtures.indices(c.get("tier")));
      JsonNode next = c.get("beats_next");
      for (int p = 0; p < next.size(); p++) {
        if (next.get(p).isNull()) {
          assertThat(tiers.beatsNext()[p]).isNaN();
        } else {
          assertThat(tiers.beatsNext()[p]).isCloseTo(next.get(p).asDouble(), within(1e-14));
        }
      }
    }
  }

  @Test
  void shouldMatchNumpysNoiseFloorOnTheSameSplits() {
    // given the splits numpy drew
    JsonNode floor = FIXTURE.get("noise_floor");
    JsonNode splitNodes = floor.get("splits");
    int[][][] splits = new int[splitNodes.size()][][];
    for (int s = 0; s < splits.length; s++) {
      splits[s] =
          new int[][] {
            LearnerFixtures.indices(splitNodes.get(s).get(0)),
            LearnerFixtures.indices(splitNodes.get(s).get(1))
          };
    }

    // when
    NoiseFloor nf = NoiseFloor.of(Mmd2Polynomial.synqueDefault(), set("r"), splits);

    // then
    double[] values = LearnerFixtures.vector(floor.get("values"));
    for (int s = 0; s < values.length; s++) {
      assertRelative(nf.values()[s], values[s], 1e-10);
    }
    assertRelative(nf.mean(), floor.get("mean").asDouble(), 1e-10);
    assertRelative(nf.sd(), floor.get("sd").asDouble(), 1e-9);
    assertRelative(nf.p95(), floor.get("p95").asDouble(), 1e-10);
    assertThat(nf.proxy()).isEqualTo("mmd2_poly");
  }

  @Test
  void shouldWeighProxiesByAgreementLikeNumpy() {
    // given three noisy views of one order and one proxy of pure noise
    JsonNode c = FIXTURE.get("agreement");
    java.util.List<RankAggregation.ProxyColumn> columns = new java.util.ArrayList<>();
    for (int p = 0; p < c.get("columns").size(); p++) {
      columns.add(
          new RankAggregation.ProxyColumn(
              "p" + p,
              c.get("higher_is_better").get(p).asBoolean()
                  ? Orientation.HIGHER_IS_BETTER
                  : Orientation.LOWER_IS_BETTER,
              LearnerFixtures.vector(c.get("columns").get(p))));
    }

    // when
    double[] weights = RankAggregation.agreementWeights(columns);
    double[] combined = RankAggregation.combineWeighted(columns, weights);

    // then
    double[] expectedWeights = LearnerFixtures.vector(c.get("weights"));
    for (int p = 0; p < weights.length; p++) {
      assertThat(weights[p]).as("weight %d", p).isCloseTo(expectedWeights[p], within(1e-12));
    }
    double[] expected = LearnerFixtures.vector(c.get("combined"));
    for (int i = 0; i < expected.length; i++) {
      assertThat(combined[i]).isCloseTo(expected[i], within(1e-12));
    }
    assertThat(weights[3]).isLessThan(weights[0]);
  }

  private static void assertRelative(double actual, double expected, double relative) {
    assertThat(actual)
        .isFinite()
        .isCloseTo(expected, within(Math.max(1e-15, relative * Math.abs(expected))));
  }
}
