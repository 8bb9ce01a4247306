package dev.synque.monitor.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link RowDots} on the Vector API: float lanes of {@code y} are widened to double lanes ({@code
 * F2D}) and accumulated with fused multiply-adds in two independent vector sums per product, which
 * are added lane-wise and reduced at the end. Only loaded by {@link RowDots#vectorOrNull()}.
 */
final class VectorRowDots implements RowDots {

  private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
  private static final int L = D.length();

  /** Floats of half the bit size, so one float vector widens into exactly one double vector. */
  private static final VectorSpecies<Float> F =
      VectorSpecies.of(float.class, VectorShape.forBitSize(Math.max(64, D.vectorBitSize() / 2)));

  static {
    if (F.length() != L) {
      throw new IllegalStateException("no float species with " + L + " lanes");
    }
  }

  private static DoubleVector widen(float[] y, int j) {
    return (DoubleVector) FloatVector.fromArray(F, y, j).convertShape(VectorOperators.F2D, D, 0);
  }

  @Override
  public double dot(double[] a, float[] y) {
    int d = y.length;
    DoubleVector s0 = DoubleVector.zero(D);
    DoubleVector s1 = DoubleVector.zero(D);
    int j = 0;
    for (; j + 2 * L <= d; j += 2 * L) {
      s0 = DoubleVector.fromArray(D, a, j).fma(widen(y, j), s0);
      s1 = DoubleVector.fromArray(D, a, j + L).fma(widen(y, j + L), s1);
    }
    double sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
    for (; j < d; j++) {
      sum += a[j] * y[j];
    }
    return sum;
  }

  @Override
  public void dot2(double[] a, double[] b, float[] y, double[] out) {
    int d = y.length;
    DoubleVector a0 = DoubleVector.zero(D);
    DoubleVector a1 = DoubleVector.zero(D);
    DoubleVector b0 = DoubleVector.zero(D);
    DoubleVector b1 = DoubleVector.zero(D);
    int j = 0;
    for (; j + 2 * L <= d; j += 2 * L) {
      DoubleVector y0 = widen(y, j);
      DoubleVector y1 = widen(y, j + L);
      a0 = DoubleVector.fromArray(D, a, j).fma(y0, a0);
      a1 = DoubleVector.fromArray(D, a, j + L).fma(y1, a1);
      b0 = DoubleVector.fromArray(D, b, j).fma(y0, b0);
      b1 = DoubleVector.fromArray(D, b, j + L).fma(y1, b1);
    }
    double sa = a0.add(a1).reduceLanes(VectorOperators.ADD);
    double sb = b0.add(b1).reduceLanes(VectorOperators.ADD);
    for (; j < d; j++) {
      sa += a[j] * y[j];
      sb += b[j] * y[j];
    }
    out[0] = sa;
    out[1] = sb;
  }
}
