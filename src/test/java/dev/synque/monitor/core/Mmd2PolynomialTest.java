package dev.synque.monitor.core;

import static dev.synque.monitor.core.KernelTestData.gaussian;
import static dev.synque.monitor.core.KernelTestData.set;
import static dev.synque.monitor.core.KernelTestData.shuffled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class Mmd2PolynomialTest {

  private final Mmd2Polynomial proxy = Mmd2Polynomial.synqueDefault();

  @Test
  void shouldMatchAHandComputedOneDimensionalCase() {
    // given d = 1, so k(x, y) = (x y + 1)^3, X = {0, 1}, R = {1, 2}:
    //   K(X,X) = [1 1; 1 8]   -> mean 11/4
    //   K(R,R) = [8 27; 27 125] -> mean 187/4
    //   K(X,R) = [1 1; 8 27]  -> mean 37/4
    //   MMD² = 11/4 + 187/4 - 2 * 37/4 = 124/4 = 31
    EmbeddingSet x = set("synthetic", new double[][] {{0}, {1}});
    EmbeddingSet r = set("reference", new double[][] {{1}, {2}});

    // when
    double value = proxy.compute(x, r);
    KernelSums sums = Mmd2Polynomial.kernelSums(x, r, PolynomialKernel.synqueDefault(1));

    // then
    assertThat(value).isEqualTo(31.0);
    assertThat(sums.xx()).isEqualTo(11.0);
    assertThat(sums.rr()).isEqualTo(187.0);
    assertThat(sums.xr()).isEqualTo(37.0);
    assertThat(sums.meanXr()).isEqualTo(37.0 / 4);
  }

  @Test
  void shouldBeZeroForIdenticalSets() {
    double[][] rows = gaussian(1, 50, 16, 0, 1);

    assertThat(proxy.compute(set("synthetic", rows), set("reference", rows)))
        .isCloseTo(0, within(1e-12));
  }

  @Test
  void shouldAcceptASingleSampleAsAVStatistic() {
    // given one vector each: MMD² = k(x,x) + k(r,r) - 2 k(x,r), here with d = 2, gamma = 1/2
    EmbeddingSet x = set("synthetic", new double[][] {{1, 0}});
    EmbeddingSet r = set("reference", new double[][] {{0, 2}});

    // then (1.5)^3 + (3)^3 - 2 * 1^3
    assertThat(proxy.compute(x, r)).isCloseTo(3.375 + 27 - 2, within(1e-12));
  }

  @Test
  void shouldBeSymmetricAndPermutationInvariant() {
    double[][] xs = gaussian(2, 70, 9, 0, 1);
    double[][] rs = gaussian(3, 45, 9, 0.3, 1.1);
    double value = proxy.compute(set("x", xs), set("r", rs));

    assertThat(proxy.compute(set("r", rs), set("x", xs))).isCloseTo(value, within(1e-12 * value));
    assertThat(proxy.compute(shuffled(xs, 4), shuffled(rs, 5)))
        .isCloseTo(value, within(1e-12 * value));
  }

  @Test
  void shouldMatchNaivePairwiseSumsAcrossManyTiles() {
    // given sizes that span several row blocks (32) and column tiles (128), with ragged ends
    double[][] xs = gaussian(6, 301, 7, 0, 1);
    double[][] rs = gaussian(7, 170, 7, 0.2, 0.9);
    PolynomialKernel kernel = new PolynomialKernel(3, 0.3, 0.5);

    // when
    KernelSums sums = Mmd2Polynomial.kernelSums(set("x", xs), set("r", rs), kernel);

    // then
    assertThat(sums.xx()).isCloseTo(naive(xs, xs, kernel), within(1e-9 * Math.abs(sums.xx())));
    assertThat(sums.rr()).isCloseTo(naive(rs, rs, kernel), within(1e-9 * Math.abs(sums.rr())));
    assertThat(sums.xr()).isCloseTo(naive(xs, rs, kernel), within(1e-9 * Math.abs(sums.xr())));
  }

  @Test
  void shouldBeDeterministic() {
    EmbeddingSet x = set("x", gaussian(8, 200, 24, 0, 1));
    EmbeddingSet r = set("r", gaussian(9, 150, 24, 0, 1));

    assertThat(proxy.compute(x, r)).isEqualTo(proxy.compute(x, r));
  }

  @Test
  void shouldRejectMismatchedDimensions() {
    assertThatThrownBy(
            () ->
                proxy.compute(
                    set("x", new double[][] {{1, 2}}), set("r", new double[][] {{1, 2, 3}})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 2")
        .hasMessageContaining("dimension 3");
  }

  @Test
  void shouldNameItselfAndPreferLowerValues() {
    assertThat(proxy.name()).isEqualTo("mmd2_poly");
    assertThat(proxy.orientation()).isEqualTo(Orientation.LOWER_IS_BETTER);
    assertThat(proxy.kernelFor(384)).isEqualTo(new PolynomialKernel(3, 1.0 / 384, 1));
  }

  private static double naive(double[][] a, double[][] b, PolynomialKernel kernel) {
    double s = 0;
    for (double[] u : a) {
      for (double[] v : b) {
        s += kernel.apply(u, v);
      }
    }
    return s;
  }
}
