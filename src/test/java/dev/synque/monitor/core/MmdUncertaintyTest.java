package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The live route to the MMD² interval (realness from the incremental sums, coverage from one X × R
 * pass, reduced to {@link MmdUncertainty}) against numpy's values in {@code uncertainty.json}
 * ({@code src/test/python/make_uncertainty_fixtures.py}) and against the batch {@link MmdWitness}.
 */
class MmdUncertaintyTest {

  private static final JsonNode FIXTURE = LearnerFixtures.load("uncertainty", "uncertainty.json");

  private static EmbeddingSet set(String field) {
    return EmbeddingSet.of(field, LearnerFixtures.matrix(FIXTURE.get(field)));
  }

  private static MmdUncertainty live(String synthetic) {
    EmbeddingSet x = set(synthetic);
    EmbeddingSet r = set("r");
    PolynomialKernel kernel = PolynomialKernel.synqueDefault(x.dimension());
    double[] realness = MmdWitness.polynomial(x, r, kernel).realness();
    MmdWitness w =
        MmdWitness.fromRealness(realness, x, r, kernel, MmdWitness.referenceRowSums(r, kernel));
    return MmdUncertainty.of(w, w.mmd2());
  }

  @Test
  void shouldMatchNumpysStandardErrorAndPairedError() {
    // when
    MmdUncertainty ux = live("x");
    MmdUncertainty uy = live("y");

    // then
    assertRelative(ux.mmd2(), FIXTURE.get("x_mmd2").asDouble(), 1e-10);
    assertRelative(ux.standardError(), FIXTURE.get("x_se").asDouble(), 1e-10);
    assertRelative(uy.standardError(), FIXTURE.get("y_se").asDouble(), 1e-10);
    assertRelative(ux.pairedDifferenceError(uy), FIXTURE.get("paired_sd").asDouble(), 1e-10);
    double[] coverage = LearnerFixtures.vector(FIXTURE.get("x_coverage"));
    for (int j = 0; j < coverage.length; j++) {
      assertThat(ux.coverage()[j]).isCloseTo(coverage[j], within(1e-12));
    }
  }

  @Test
  void shouldGiveTheIncrementalStatesRealnessInReservoirOrder() {
    // given a reservoir that has replaced items, and its incremental MMD state
    int d = 6;
    SplittableRandom random = new SplittableRandom(3);
    double[][] ref = new double[15][d];
    for (double[] row : ref) {
      for (int j = 0; j < d; j++) {
        row[j] = random.nextGaussian();
      }
    }
    EmbeddingSet reference = EmbeddingSet.of("r", ref);
    Reservoir reservoir = new Reservoir(12, d, 9);
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, 12);
    for (int i = 0; i < 40; i++) {
      float[] v = new float[d];
      for (int j = 0; j < d; j++) {
        v[j] = (float) (random.nextGaussian() + 0.5);
      }
      mmd.apply(reservoir.offer("s" + i, v, "t" + i), reservoir);
    }

    // when
    double[] live = mmd.realness();
    MmdWitness batch = MmdWitness.polynomial(reservoir.toEmbeddingSet("x"), reference);

    // then
    assertThat(live).hasSize(12);
    for (int i = 0; i < live.length; i++) {
      assertThat(live[i]).isCloseTo(batch.realness()[i], within(1e-9));
    }
    MmdWitness fromLive =
        MmdWitness.fromRealness(
            live,
            reservoir.toEmbeddingSet("x"),
            reference,
            PolynomialKernel.synqueDefault(d),
            MmdWitness.referenceRowSums(reference, PolynomialKernel.synqueDefault(d)));
    assertRelative(fromLive.mmd2(), mmd.value(), 1e-9);
    assertRelative(fromLive.standardError(), batch.standardError(), 1e-9);
  }

  @Test
  void shouldCentreTheIntervalOnTheValueWithTheNormalQuantile() {
    MmdUncertainty u = new MmdUncertainty(1.0, 4, 0.25, new double[] {0, 0.5, 1});
    double se = Math.sqrt(4 * 0.25 / 4 + 4 * 0.25 / 3);

    assertThat(u.standardError()).isCloseTo(se, within(1e-15));
    assertThat(MmdUncertainty.normalQuantile(0.975)).isCloseTo(1.959963984540054, within(1e-10));
    assertThat(u.interval(0.95)[0]).isCloseTo(1 - 1.959963984540054 * se, within(1e-10));
    assertThat(u.interval(0.95)[1]).isCloseTo(1 + 1.959963984540054 * se, within(1e-10));
  }

  @Test
  void shouldRejectBadInputNamingTheValue() {
    assertThatThrownBy(() -> new MmdUncertainty(Double.NaN, 1, 0, new double[] {1}))
        .hasMessageContaining("mmd2 NaN must be finite");
    assertThatThrownBy(() -> new MmdUncertainty(1, 0, 0, new double[] {1}))
        .hasMessageContaining("synthetic count 0 must be at least 1");
    assertThatThrownBy(() -> new MmdUncertainty(1, 1, -1, new double[] {1}))
        .hasMessageContaining("realness variance -1.0");
    assertThatThrownBy(
            () ->
                new MmdUncertainty(1, 1, 0, new double[] {1})
                    .pairedDifferenceError(new MmdUncertainty(1, 1, 0, new double[] {1, 2})))
        .hasMessageContaining("got 1 and 2 samples");
    assertThatThrownBy(() -> MmdUncertainty.normalQuantile(1))
        .hasMessageContaining("p 1.0 must be in (0, 1)");
  }

  private static void assertRelative(double actual, double expected, double relative) {
    assertThat(actual)
        .isFinite()
        .isCloseTo(expected, within(Math.max(1e-15, relative * Math.abs(expected))));
  }
}
