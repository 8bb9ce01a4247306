package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class L2LogisticRegressionTest {

  /**
   * Coefficient tolerance: the Python reference stops at gradient norm below 1e-9 and this fit
   * below 1e-10; on these well-conditioned problems (Hessian eigenvalues at least about 1) that
   * bounds each parameter's error by about 1e-9, so 1e-7 leaves room for rounding.
   */
  private static final double PARAMETER_TOLERANCE = 1e-7;

  @Test
  void shouldMatchTheIndependentOptimumOnEveryFixture() {
    for (JsonNode c : LearnerFixtures.load("pad.json")) {
      // given the training part of each fixture, as the Python script split it
      double[][] x = LearnerFixtures.matrix(c.get("x"));
      double[][] r = LearnerFixtures.matrix(c.get("r"));
      boolean[] test = new boolean[x.length + r.length];
      for (int i : LearnerFixtures.indices(c.get("held_out"))) {
        test[i] = true;
      }
      int trainSize = test.length - c.get("held_out").size();
      double[][] features = new double[trainSize][];
      int[] labels = new int[trainSize];
      int t = 0;
      for (int i = 0; i < test.length; i++) {
        if (!test[i]) {
          features[t] = i < x.length ? x[i] : r[i - x.length];
          labels[t++] = i < x.length ? 0 : 1;
        }
      }

      // when
      L2LogisticRegression model = L2LogisticRegression.fit(features, labels, null, 1.0);

      // then
      double[] expected = LearnerFixtures.vector(c.get("pad_coef"));
      double[] actual = model.coefficients();
      for (int j = 0; j < expected.length; j++) {
        assertThat(actual[j])
            .as(c.get("name") + " coef " + j)
            .isCloseTo(expected[j], within(PARAMETER_TOLERANCE));
      }
      assertThat(model.intercept())
          .as(c.get("name") + " intercept")
          .isCloseTo(c.get("pad_intercept").asDouble(), within(PARAMETER_TOLERANCE));
      assertThat(model.gradientNorm()).isLessThan(1e-9);
    }
  }

  @Test
  void shouldSolveTheSymmetricTwoPointProblemInClosedForm() {
    // given x = -1 with label 0 and x = +1 with label 1: by symmetry b = 0 and w = 2 sigmoid(-w)
    double[][] features = {{-1}, {1}};
    int[] labels = {0, 1};

    // when
    L2LogisticRegression model = L2LogisticRegression.fit(features, labels, null, 1.0);

    // then
    double w = model.coefficients()[0];
    assertThat(model.intercept()).isCloseTo(0.0, within(1e-12));
    assertThat(w).isCloseTo(2 * L2LogisticRegression.sigmoid(-w), within(1e-12));
    assertThat(model.predictProbability(new double[] {1}))
        .isCloseTo(L2LogisticRegression.sigmoid(w), within(1e-15));
  }

  @Test
  void shouldTreatWeightsAsRepeatedSamples() {
    // given one sample of weight 2 versus the same sample twice
    double[][] twice = {{0.5, 1}, {0.5, 1}, {-1, 0.2}, {1, -2}};
    int[] twiceLabels = {1, 1, 0, 1};
    double[][] weighted = {{0.5, 1}, {-1, 0.2}, {1, -2}};
    int[] weightedLabels = {1, 0, 1};

    // when
    L2LogisticRegression a = L2LogisticRegression.fit(twice, twiceLabels, null, 1.0);
    L2LogisticRegression b =
        L2LogisticRegression.fit(weighted, weightedLabels, new double[] {2, 1, 1}, 1.0);

    // then
    assertThat(b.coefficients()).containsExactly(a.coefficients(), within(1e-10));
    assertThat(b.intercept()).isCloseTo(a.intercept(), within(1e-10));
  }

  @Test
  void shouldRejectBadInput() {
    double[][] features = {{1}, {2}};
    assertThatThrownBy(() -> L2LogisticRegression.fit(features, new int[] {1, 1}, null, 1.0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("both classes");
    assertThatThrownBy(() -> L2LogisticRegression.fit(features, new int[] {0, 2}, null, 1.0))
        .hasMessageContaining("not 0 or 1");
    assertThatThrownBy(() -> L2LogisticRegression.fit(features, new int[] {0}, null, 1.0))
        .hasMessageContaining("2 samples but 1 labels");
    assertThatThrownBy(() -> L2LogisticRegression.fit(features, new int[] {0, 1}, null, 0.0))
        .hasMessageContaining("C = 0.0");
    assertThatThrownBy(
            () -> L2LogisticRegression.fit(features, new int[] {0, 1}, new double[] {1, -1}, 1.0))
        .hasMessageContaining("sample weight -1.0");
    assertThatThrownBy(
            () -> L2LogisticRegression.fit(new double[][] {{1}, {2, 3}}, new int[] {0, 1}, null, 1))
        .hasMessageContaining("sample 1 has 2 features, expected 1");
    assertThatThrownBy(() -> L2LogisticRegression.fit(new double[0][], new int[0], null, 1.0))
        .hasMessageContaining("no training samples");
    L2LogisticRegression model = L2LogisticRegression.fit(features, new int[] {0, 1}, null, 1.0);
    assertThatThrownBy(() -> model.predictProbability(new double[] {1, 2}))
        .hasMessageContaining("dimension 2");
  }
}
