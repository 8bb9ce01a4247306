package dev.synque.monitor.core;

import static dev.synque.monitor.core.KernelTestData.gaussian;
import static dev.synque.monitor.core.KernelTestData.set;
import static dev.synque.monitor.core.KernelTestData.shuffled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrechetDistanceTest {

  private final FrechetDistance proxy = FrechetDistance.instance();

  @Test
  void shouldMatchTheClosedFormForDiagonalGaussians() {
    // given μx = (0, 0), Sx = diag(1, 4), μr = (3, 4), Sr = diag(9, 16): for commuting
    // covariances F = |μx - μr|² + Σ (√a_k - √b_k)² = 25 + (1 - 3)² + (2 - 4)² = 33
    double value =
        FrechetDistance.fromMoments(
            new double[] {0, 0},
            new double[][] {{1, 0}, {0, 4}},
            new double[] {3, 4},
            new double[][] {{9, 0}, {0, 16}});

    assertThat(value).isCloseTo(33, within(1e-12));
  }

  @Test
  void shouldMatchTheClosedFormForRotatedCommutingCovariances() {
    // given both covariances Q diag(.) Qᵀ with the same rotation Q by 30°: still
    // F = Σ (√a_k - √b_k)² = (1 - 3)² + (2 - 5)² = 13, with equal means
    double c = Math.cos(Math.PI / 6);
    double s = Math.sin(Math.PI / 6);
    double[][] sx = rotated(c, s, 1, 4);
    double[][] sr = rotated(c, s, 9, 25);

    assertThat(FrechetDistance.fromMoments(new double[2], sx, new double[2], sr))
        .isCloseTo(13, within(1e-12));
  }

  @Test
  void shouldBeZeroForIdenticalSets() {
    double[][] rows = gaussian(21, 40, 10, 0, 1);

    assertThat(proxy.compute(set("x", rows), set("r", rows))).isCloseTo(0, within(1e-10));
  }

  @Test
  void shouldBeZeroAndNeverNaNForIdenticalRankDeficientSets() {
    // given fewer samples than dimensions: singular covariances whose eigenvalues round around 0
    double[][] rows = gaussian(22, 5, 30, 0, 1);

    assertThat(proxy.compute(set("x", rows), set("r", rows))).isNotNaN().isCloseTo(0, within(1e-9));
  }

  @Test
  void shouldTreatASingleVectorAsZeroCovariance() {
    // given X = {x}, so Sx = 0 and F = |x - μr|² + tr(Sr)
    double[][] rs = {{0, 0}, {2, 0}, {0, 2}, {2, 2}};
    // μr = (1, 1), Sr = diag(4/3, 4/3)
    double value = proxy.compute(set("x", new double[][] {{4, 5}}), set("r", rs));

    assertThat(value).isCloseTo(9 + 16 + 8.0 / 3, within(1e-12));
  }

  @Test
  void shouldAgreeWithRunningMoments() {
    double[][] xs = gaussian(23, 30, 4, 0, 1);
    double[][] rs = gaussian(24, 25, 4, 1, 2);
    EmbeddingSet x = set("x", xs);
    EmbeddingSet r = set("r", rs);
    double[] mx = FrechetDistance.mean(x);
    double[] mr = FrechetDistance.mean(r);

    double fromMoments =
        FrechetDistance.fromRunningMoments(30, mx, comoment(xs, mx), 25, mr, comoment(rs, mr));

    assertThat(fromMoments).isCloseTo(proxy.compute(x, r), within(1e-10));
  }

  @Test
  void shouldBeSymmetricAndPermutationInvariant() {
    double[][] xs = gaussian(25, 50, 8, 0, 1);
    double[][] rs = gaussian(26, 35, 8, 0.4, 1.3);
    double value = proxy.compute(set("x", xs), set("r", rs));

    assertThat(proxy.compute(set("r", rs), set("x", xs))).isCloseTo(value, within(1e-10));
    assertThat(proxy.compute(shuffled(xs, 27), shuffled(rs, 28))).isCloseTo(value, within(1e-10));
  }

  @ParameterizedTest(name = "|X|={0}, |R|={1}, d={2}")
  @CsvSource({
    "30, 8, 20", // |R| < d
    "6, 40, 20", // |X| < d
    "5, 7, 20", // both below d: both covariances singular
    "1, 9, 12", // a single synthetic vector
    "60, 50, 10", // both above d
    "200, 120, 64"
  })
  void shouldAgreeBetweenTheGramAndTheCovarianceRoutes(int nx, int nr, int d) {
    // given
    double[][] xs = gaussian(31 + nx, nx, d, 0, 1);
    double[][] rs = gaussian(32 + nr, nr, d, 0.3, 1.5);
    EmbeddingSet x = set("x", xs);
    EmbeddingSet r = set("r", rs);
    double[] mx = FrechetDistance.mean(x);
    double[] mr = FrechetDistance.mean(r);

    // when
    double gram = FrechetDistance.viaGram(x, r);
    double covariances = FrechetDistance.viaCovariances(x, r);
    double running =
        FrechetDistance.fromRunningMoments(nx, mx, comoment(xs, mx), nr, mr, comoment(rs, mr));

    // then
    assertThat(gram).isPositive();
    assertThat(covariances).isCloseTo(gram, within(1e-9 * gram));
    assertThat(running).isCloseTo(gram, within(1e-9 * gram));
    assertThat(proxy.compute(x, r)).isIn(gram, covariances);
  }

  @Test
  void shouldPickTheGramRouteForFewVectorsAndTheCovariancesForMany() {
    assertThat(FrechetDistance.gramRouteIsCheaper(1000, 200, 384)).isTrue();
    assertThat(FrechetDistance.gramRouteIsCheaper(200, 1000, 384)).isTrue();
    assertThat(FrechetDistance.gramRouteIsCheaper(2000, 2000, 384)).isFalse();
    assertThat(FrechetDistance.gramRouteIsCheaper(100_000, 300, 384)).isFalse();
  }

  @Test
  void shouldRejectMismatchedDimensions() {
    assertThatThrownBy(
            () ->
                proxy.compute(
                    set("x", new double[][] {{1, 2}}), set("r", new double[][] {{1, 2, 3}})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 2");
    assertThatThrownBy(
            () ->
                FrechetDistance.fromMoments(
                    new double[2],
                    new double[][] {{1, 0}, {0, 1}},
                    new double[2],
                    new double[1][1]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference covariance has 1 rows");
    assertThatThrownBy(
            () ->
                FrechetDistance.fromRunningMoments(
                    0, new double[1], new double[1][1], 1, new double[1], new double[1][1]))
        .hasMessageContaining("at least 1");
  }

  @Test
  void shouldNameItselfAndPreferLowerValues() {
    assertThat(proxy.name()).isEqualTo("frechet");
    assertThat(proxy.orientation()).isEqualTo(Orientation.LOWER_IS_BETTER);
  }

  private static double[][] rotated(double c, double s, double a, double b) {
    // Q diag(a, b) Qᵀ with Q = [c -s; s c]
    return new double[][] {
      {c * c * a + s * s * b, c * s * (a - b)},
      {c * s * (a - b), s * s * a + c * c * b}
    };
  }

  private static double[][] comoment(double[][] rows, double[] mean) {
    int d = mean.length;
    double[][] m2 = new double[d][d];
    for (double[] row : rows) {
      for (int a = 0; a < d; a++) {
        for (int b = 0; b < d; b++) {
          m2[a][b] += (row[a] - mean[a]) * (row[b] - mean[b]);
        }
      }
    }
    return m2;
  }
}
