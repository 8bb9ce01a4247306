package dev.synque.monitor.core;

import static dev.synque.monitor.core.KernelTestData.gaussian;
import static dev.synque.monitor.core.KernelTestData.set;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrechetReferenceTest {

  @Test
  void shouldMatchTheClosedFormForDiagonalGaussians() {
    // given μx = (0, 0), Sx = diag(1, 4), μr = (3, 4), Sr = diag(9, 16): F = 25 + 4 + 4 = 33
    FrechetReference reference =
        FrechetReference.fromMoments(new double[] {3, 4}, new double[][] {{9, 0}, {0, 16}});

    double value = reference.distance(new double[] {0, 0}, new double[][] {{1, 0}, {0, 4}});

    assertThat(value).isCloseTo(33, within(1e-12));
    assertThat(reference.factorRank()).isEqualTo(2);
  }

  @ParameterizedTest(name = "|X|={0}, |R|={1}, d={2}")
  @CsvSource({
    "30, 8, 20", // |R| < d: the centred rows are the factor
    "6, 40, 20", // |R| > d, positive definite: Cholesky
    "5, 7, 20", // both singular
    "1, 9, 12", // one synthetic vector
    "1, 1, 6", // one reference vector: covariance 0, rank 0
    "60, 50, 10",
    "300, 100, 96" // the monitor's shape: a few hundred samples, |R| ≈ d
  })
  void shouldEqualTheDistanceFromMoments(int nx, int nr, int d) {
    // given
    EmbeddingSet x = set("x", gaussian(41 + nx, nx, d, 0, 1));
    EmbeddingSet r = set("r", gaussian(42 + nr, nr, d, 0.3, 1.5));
    RunningMoments mx = moments(x);
    RunningMoments mr = moments(r);
    double expected =
        FrechetDistance.fromMoments(mx.mean(), mx.covariance(), mr.mean(), mr.covariance());

    // when
    double fromSet = FrechetReference.of(r).distance(mx);
    double fromMoments = FrechetReference.fromMoments(mr.mean(), mr.covariance()).distance(mx);

    // then
    assertThat(expected).isPositive();
    assertThat(fromSet).isCloseTo(expected, within(1e-9 * expected));
    assertThat(fromMoments).isCloseTo(expected, within(1e-9 * expected));
    assertThat(FrechetReference.of(r).factorRank()).isEqualTo(Math.min(nr, d));
  }

  @Test
  void shouldUseTheNumericalRankOfASingularReferenceCovariance() {
    // given 3 distinct vectors repeated, in dimension 8: |R| > d but rank 2
    double[][] base = gaussian(51, 3, 8, 0, 1);
    double[][] rows = new double[12][];
    for (int i = 0; i < rows.length; i++) {
      rows[i] = base[i % 3];
    }
    EmbeddingSet r = set("r", rows);
    EmbeddingSet x = set("x", gaussian(52, 20, 8, 0.2, 1));
    RunningMoments mr = moments(r);
    RunningMoments mx = moments(x);
    double expected =
        FrechetDistance.fromMoments(mx.mean(), mx.covariance(), mr.mean(), mr.covariance());

    FrechetReference reference = FrechetReference.of(r);

    assertThat(reference.factorRank()).isEqualTo(2);
    assertThat(reference.distance(mx)).isCloseTo(expected, within(1e-9 * expected));
  }

  @Test
  void shouldBeZeroForTheReferenceItself() {
    EmbeddingSet r = set("r", gaussian(53, 30, 50, 0, 1));

    assertThat(FrechetReference.of(r).distance(moments(r))).isCloseTo(0, within(1e-9));
  }

  @Test
  void shouldRejectEmptyMomentsAndOtherDimensions() {
    FrechetReference reference = FrechetReference.of(set("r", gaussian(54, 5, 4, 0, 1)));

    assertThatThrownBy(() -> reference.distance(new RunningMoments(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("0 vectors");
    assertThatThrownBy(() -> reference.distance(new double[3], new double[3][3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 3")
        .hasMessageContaining("dimension 4");
    assertThatThrownBy(
            () ->
                FrechetReference.fromMoments(
                    new double[] {0, Double.NaN}, new double[][] {{1, 0}, {0, 1}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NaN");
  }

  private static RunningMoments moments(EmbeddingSet set) {
    RunningMoments m = new RunningMoments(set.dimension());
    for (int i = 0; i < set.size(); i++) {
      m.add(set.row(i));
    }
    return m;
  }
}
