package dev.synque.monitor.core;

import static dev.synque.monitor.core.KernelTestData.gaussian;
import static dev.synque.monitor.core.KernelTestData.set;
import static dev.synque.monitor.core.KernelTestData.shuffled;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class Mmd2RbfTest {

  private final Mmd2Rbf proxy = Mmd2Rbf.medianHeuristic();

  @Test
  void shouldMatchAHandComputedOneDimensionalCase() {
    // given X = {0, 1}, R = {0, 2}; pooled distances 1, 0, 2, 1, 1, 2 -> sorted 0 1 1 1 2 2,
    // median (1 + 1) / 2 = 1 = σ, so k = exp(-D² / 2):
    //   within X (off-diagonal): e^{-1/2}
    //   within R (off-diagonal): e^{-2}
    //   across: (1 + e^{-2} + 2 e^{-1/2}) / 4
    //   MMD²_u = e^{-1/2} + e^{-2} - (1 + e^{-2} + 2 e^{-1/2}) / 2 = (e^{-2} - 1) / 2 < 0
    EmbeddingSet x = set("synthetic", new double[][] {{0}, {1}});
    EmbeddingSet r = set("reference", new double[][] {{0}, {2}});

    // then the unbiased estimate is negative here, and returned as is
    assertThat(proxy.compute(x, r)).isCloseTo((Math.exp(-2) - 1) / 2, within(1e-15));
  }

  @Test
  void shouldBeZeroWhenAllVectorsAreIdentical() {
    // given every pooled distance 0, so the median is 0 and the σ -> 0 limit kernel is 1 everywhere
    double[][] rows = {{1, 2, 3}, {1, 2, 3}, {1, 2, 3}};

    assertThat(proxy.compute(set("x", rows), set("r", rows))).isEqualTo(0.0);
  }

  @Test
  void shouldUseTheLimitKernelWhenMostPairsAreEqual() {
    // given X = {a, a}, R = {a, b}: pooled distances 0 0 0 |ab| |ab| |ab| -> median 0,
    // k = [x == y]: within X 1, within R 0, across 2/4, so MMD² = 1 + 0 - 1 = 0
    double[] a = {1, 1};
    double[] b = {4, 5};

    assertThat(proxy.compute(set("x", new double[][] {a, a}), set("r", new double[][] {a, b})))
        .isEqualTo(0.0);
  }

  @Test
  void shouldBeSymmetricAndPermutationInvariant() {
    double[][] xs = gaussian(12, 60, 6, 0, 1);
    double[][] rs = gaussian(13, 41, 6, 0.5, 1);
    double value = proxy.compute(set("x", xs), set("r", rs));

    assertThat(proxy.compute(set("r", rs), set("x", xs))).isCloseTo(value, within(1e-12));
    assertThat(proxy.compute(shuffled(xs, 14), shuffled(rs, 15))).isCloseTo(value, within(1e-12));
  }

  @Test
  void shouldMatchANaiveComputationAcrossManyTiles() {
    double[][] xs = gaussian(16, 150, 5, 0, 1);
    double[][] rs = gaussian(17, 133, 5, 0.25, 1);

    assertThat(proxy.compute(set("x", xs), set("r", rs))).isCloseTo(naive(xs, rs), within(1e-12));
  }

  @Test
  void shouldRejectFewerThanTwoVectorsNamingTheRule() {
    EmbeddingSet one = set("x", new double[][] {{1, 2}});
    EmbeddingSet two = set("r", new double[][] {{1, 2}, {3, 4}});

    assertThatThrownBy(() -> proxy.compute(one, two))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unbiased")
        .hasMessageContaining("at least 2")
        .hasMessageContaining("|X| = 1 and |R| = 2");
    assertThatThrownBy(() -> proxy.compute(two, one)).hasMessageContaining("|X| = 2 and |R| = 1");
  }

  @Test
  void shouldRejectMismatchedDimensions() {
    assertThatThrownBy(
            () ->
                proxy.compute(
                    set("x", new double[][] {{1}, {2}}), set("r", new double[][] {{1, 2}, {3, 4}})))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("same embedding model");
  }

  @Test
  void shouldNameItselfAndPreferLowerValues() {
    assertThat(proxy.name()).isEqualTo("mmd2_rbf");
    assertThat(proxy.orientation()).isEqualTo(Orientation.LOWER_IS_BETTER);
  }

  @Test
  void shouldSelectExactOrderStatistics() {
    double[] values = gaussian(18, 1, 1001, 0, 1)[0];
    for (int k = 0; k < values.length; k++) {
      values[k] = Math.abs(values[k]);
    }
    values[7] = 0;
    values[8] = -0.0;
    double[] sorted = values.clone();
    Arrays.sort(sorted);

    for (int k : new int[] {0, 1, 2, 500, 999, 1000}) {
      assertThat(RadixSelect.kthSmallestNonNegative(values, k)).isEqualTo(Math.abs(sorted[k]));
    }
  }

  private static double naive(double[][] xs, double[][] rs) {
    double[][] pooled = new double[xs.length + rs.length][];
    System.arraycopy(xs, 0, pooled, 0, xs.length);
    System.arraycopy(rs, 0, pooled, xs.length, rs.length);
    int t = pooled.length;
    double[] distances = new double[t * (t - 1) / 2];
    int p = 0;
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        distances[p++] = Math.sqrt(squared(pooled[i], pooled[j]));
      }
    }
    Arrays.sort(distances);
    int mid = distances.length / 2;
    double sigma =
        distances.length % 2 == 1 ? distances[mid] : (distances[mid - 1] + distances[mid]) / 2;
    double xx = 0;
    for (int i = 0; i < xs.length; i++) {
      for (int j = 0; j < xs.length; j++) {
        xx += i == j ? 0 : Math.exp(-squared(xs[i], xs[j]) / (2 * sigma * sigma));
      }
    }
    double rr = 0;
    for (int i = 0; i < rs.length; i++) {
      for (int j = 0; j < rs.length; j++) {
        rr += i == j ? 0 : Math.exp(-squared(rs[i], rs[j]) / (2 * sigma * sigma));
      }
    }
    double xr = 0;
    for (double[] x : xs) {
      for (double[] r : rs) {
        xr += Math.exp(-squared(x, r) / (2 * sigma * sigma));
      }
    }
    int n = xs.length;
    int m = rs.length;
    return xx / (n * (n - 1.0)) + rr / (m * (m - 1.0)) - 2 * xr / ((double) n * m);
  }

  private static double squared(double[] a, double[] b) {
    double s = 0;
    for (int k = 0; k < a.length; k++) {
      double diff = a[k] - b[k];
      s += diff * diff;
    }
    return s;
  }
}
