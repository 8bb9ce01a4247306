package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RowDotsTest {

  @Test
  void shouldGiveTheSameInnerProductsOnTheVectorAndScalarPaths() {
    // The tests run with --add-modules jdk.incubator.vector (see the pom), so both paths exist.
    RowDots vector = RowDots.vectorOrNull();
    assertThat(vector).as("Vector API implementation loaded").isNotNull();
    Random random = new Random(9);
    for (int d : new int[] {1, 7, 16, 384, 385}) {
      double[] a = new double[d];
      double[] b = new double[d];
      float[] y = new float[d];
      double exactA = 0;
      double exactB = 0;
      for (int j = 0; j < d; j++) {
        a[j] = (float) random.nextGaussian();
        b[j] = (float) random.nextGaussian();
        y[j] = (float) random.nextGaussian();
        exactA += a[j] * y[j];
        exactB += b[j] * y[j];
      }
      double[] scalar = new double[2];
      double[] simd = new double[2];
      RowDots.SCALAR.dot2(a, b, y, scalar);
      vector.dot2(a, b, y, simd);
      assertThat(simd[0]).isCloseTo(scalar[0], within(1e-12 * d));
      assertThat(simd[1]).isCloseTo(scalar[1], within(1e-12 * d));
      assertThat(scalar[0]).isCloseTo(exactA, within(1e-12 * d));
      assertThat(vector.dot(a, y)).isEqualTo(simd[0]);
      assertThat(RowDots.SCALAR.dot(b, y)).isEqualTo(scalar[1]);
    }
  }
}
