package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.core.PairwiseBlocks.Measure;
import dev.synque.monitor.core.PairwiseBlocks.TileKernel;
import java.util.Random;
import java.util.concurrent.ForkJoinPool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The scalar and the Vector API tile kernels give the same tiles (within rounding), every entry of
 * the vector kernel is exactly the in-order fused multiply-add sum, and results do not depend on
 * the thread count. The tests run with {@code --add-modules jdk.incubator.vector} (pom.xml).
 */
class PairwiseBlocksTest {

  private static final TileKernel VECTOR = PairwiseBlocks.vectorKernelOrNull();

  @Test
  void shouldUseTheVectorKernelWhenTheModuleIsPresent() {
    assertThat(VECTOR).as("tests run with --add-modules jdk.incubator.vector").isNotNull();
    if (!"false".equals(System.getProperty(PairwiseBlocks.SIMD_PROPERTY))) {
      assertThat(PairwiseBlocks.KERNEL.name()).startsWith("vector");
    }
  }

  @ParameterizedTest(name = "{0}x{1}, d={2}")
  @CsvSource({
    "1,1,1",
    "3,5,7",
    "37,21,13",
    "70,150,64",
    "45,300,384",
    "128,129,3",
    "13,40,1100",
    "9,17,1537"
  })
  void shouldAgreeBetweenScalarAndVectorKernels(int n, int m, int d) {
    double[] a = random(1, n * d);
    double[] b = random(2, m * d);
    for (Measure measure : Measure.values()) {
      double[] scalar = all(PairwiseBlocks.SCALAR, measure, a, n, b, m, d);
      double[] vector = all(VECTOR, measure, a, n, b, m, d);
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < m; j++) {
          double exact = fmaChain(measure, a, i * d, b, j * d, d);
          // the vector kernel sums each entry with fma in k order: bit for bit the same
          assertThat(vector[i * m + j]).as("%s (%d, %d)", measure, i, j).isEqualTo(exact);
          double scale = scale(measure, a, i * d, b, j * d, d);
          assertThat(scalar[i * m + j]).isCloseTo(exact, within(1e-14 * scale));
        }
      }
    }
  }

  @Test
  void shouldGiveExactlyZeroDistanceForEqualVectorsWithBothKernels() {
    int d = 19;
    double[] a = random(3, 40 * d);
    for (TileKernel kernel : new TileKernel[] {PairwiseBlocks.SCALAR, VECTOR}) {
      double[] distances = all(kernel, Measure.SQUARED_DISTANCE, a, 40, a, 40, d);
      for (int i = 0; i < 40; i++) {
        assertThat(distances[i * 40 + i]).as(kernel.name()).isEqualTo(0.0);
      }
    }
  }

  @Test
  void shouldNotDependOnTheThreadCount() throws Exception {
    int n = 300;
    int m = 260;
    int d = 50;
    double[] a = random(4, n * d);
    double[] b = random(5, m * d);
    for (TileKernel kernel : new TileKernel[] {PairwiseBlocks.SCALAR, VECTOR}) {
      double[] one = inPool(1, () -> sums(kernel, a, n, b, m, d));
      double[] four = inPool(4, () -> sums(kernel, a, n, b, m, d));
      double[] common = sums(kernel, a, n, b, m, d);
      assertThat(four).as(kernel.name()).containsExactly(one);
      assertThat(common).as(kernel.name()).containsExactly(one);
    }
  }

  @Test
  void shouldMultiplyMatricesSymmetricallyAndNot() {
    int n = 45;
    int d = 17;
    double[] a = random(6, n * d);
    double[] gram = PairwiseBlocks.products(a, n, a, n, d, true);
    double[] general = PairwiseBlocks.products(a, n, a.clone(), n, d, false);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        assertThat(gram[i * n + j]).isEqualTo(gram[j * n + i]);
        assertThat(gram[i * n + j]).isCloseTo(general[i * n + j], within(1e-12));
      }
    }
  }

  private static double[] sums(TileKernel kernel, double[] a, int n, double[] b, int m, int d) {
    double[] out = new double[4];
    for (Measure measure : Measure.values()) {
      double[] s =
          PairwiseBlocks.reduce(
              kernel,
              a,
              n,
              b,
              m,
              d,
              measure,
              false,
              1,
              (i0, rows, j0, cols, tile, acc) -> {
                for (int t = 0; t < rows * cols; t++) {
                  acc[0] += Math.sqrt(Math.abs(tile[t]));
                }
              });
      out[measure.ordinal()] = s[0];
      double[] upper =
          PairwiseBlocks.reduce(
              kernel,
              a,
              n,
              a,
              n,
              d,
              measure,
              true,
              1,
              (i0, rows, j0, cols, tile, acc) -> {
                for (int t = 0; t < rows * cols; t++) {
                  acc[0] += tile[t];
                }
              });
      out[2 + measure.ordinal()] = upper[0];
    }
    return out;
  }

  private static double[] inPool(int threads, java.util.concurrent.Callable<double[]> task)
      throws Exception {
    ForkJoinPool pool = new ForkJoinPool(threads);
    try {
      return pool.submit(task).get();
    } finally {
      pool.shutdown();
    }
  }

  private static double[] all(
      TileKernel kernel, Measure measure, double[] a, int n, double[] b, int m, int d) {
    double[] out = new double[n * m];
    PairwiseBlocks.reduce(
        kernel,
        a,
        n,
        b,
        m,
        d,
        measure,
        false,
        0,
        (i0, rows, j0, cols, tile, acc) -> {
          for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * cols, out, (i0 + r) * m + j0, cols);
          }
        });
    return out;
  }

  private static double fmaChain(Measure measure, double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      if (measure == Measure.DOT) {
        s = Math.fma(a[ao + k], b[bo + k], s);
      } else {
        double e = b[bo + k] - a[ao + k];
        s = Math.fma(e, e, s);
      }
    }
    return s;
  }

  /** The sum of absolute terms, which bounds the rounding error of any summation order. */
  private static double scale(Measure measure, double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double t =
          measure == Measure.DOT ? a[ao + k] * b[bo + k] : Math.pow(a[ao + k] - b[bo + k], 2);
      s += Math.abs(t);
    }
    return Math.max(s, Double.MIN_NORMAL);
  }

  private static double[] random(long seed, int length) {
    Random random = new Random(seed);
    double[] v = new double[length];
    for (int k = 0; k < length; k++) {
      v[k] = random.nextGaussian();
    }
    return v;
  }
}
