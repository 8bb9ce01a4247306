package dev.synque.monitor.core;

/**
 * The inner loop of {@link IncrementalMmd2}: inner products of a stored float32 embedding with one
 * or two double vectors (float values widened once, exactly), summed in double. Products of a float
 * and a widened float are exact in double, so the implementations differ only in the order of the
 * additions (rounding well below the incremental state's 1e-9 tolerance).
 *
 * <p>{@link #best()} is the Vector API implementation ({@code VectorRowDots}) when the JVM runs
 * with {@code --add-modules jdk.incubator.vector} and {@code -Dsynque.simd=false} is not set, and
 * the plain-Java {@link #SCALAR} one otherwise. Either is stateless and thread-safe.
 */
interface RowDots {

  /** {@code <a, y>}. */
  double dot(double[] a, float[] y);

  /** {@code out[0] = <a, y>}, {@code out[1] = <b, y>}, reading {@code y} once. */
  void dot2(double[] a, double[] b, float[] y, double[] out);

  /** Four independent partial sums so the multiply-adds overlap instead of waiting on one sum. */
  RowDots SCALAR =
      new RowDots() {
        @Override
        public double dot(double[] a, float[] y) {
          int d = y.length;
          double s0 = 0;
          double s1 = 0;
          double s2 = 0;
          double s3 = 0;
          int j = 0;
          for (; j + 3 < d; j += 4) {
            s0 += a[j] * y[j];
            s1 += a[j + 1] * y[j + 1];
            s2 += a[j + 2] * y[j + 2];
            s3 += a[j + 3] * y[j + 3];
          }
          for (; j < d; j++) {
            s0 += a[j] * y[j];
          }
          return (s0 + s1) + (s2 + s3);
        }

        @Override
        public void dot2(double[] a, double[] b, float[] y, double[] out) {
          int d = y.length;
          double a0 = 0;
          double a1 = 0;
          double a2 = 0;
          double a3 = 0;
          double b0 = 0;
          double b1 = 0;
          double b2 = 0;
          double b3 = 0;
          int j = 0;
          for (; j + 3 < d; j += 4) {
            double y0 = y[j];
            double y1 = y[j + 1];
            double y2 = y[j + 2];
            double y3 = y[j + 3];
            a0 += a[j] * y0;
            a1 += a[j + 1] * y1;
            a2 += a[j + 2] * y2;
            a3 += a[j + 3] * y3;
            b0 += b[j] * y0;
            b1 += b[j + 1] * y1;
            b2 += b[j + 2] * y2;
            b3 += b[j + 3] * y3;
          }
          for (; j < d; j++) {
            a0 += a[j] * y[j];
            b0 += b[j] * y[j];
          }
          out[0] = (a0 + a1) + (a2 + a3);
          out[1] = (b0 + b1) + (b2 + b3);
        }
      };

  /** The Vector API implementation when available and allowed, else {@link #SCALAR}. */
  static RowDots best() {
    RowDots vector = PairwiseBlocks.simdEnabled() ? vectorOrNull() : null;
    return vector != null ? vector : SCALAR;
  }

  /** The Vector API implementation, or null when the module is not in the boot layer. */
  static RowDots vectorOrNull() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (RowDots)
          Class.forName("dev.synque.monitor.core.VectorRowDots")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }
}
