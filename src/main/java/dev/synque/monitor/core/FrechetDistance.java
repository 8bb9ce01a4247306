package dev.synque.monitor.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Fréchet distance between Gaussians fitted to X and to R (as in FID), in squared units:
 *
 * <pre>
 *   F(X, R) = ||μ_X - μ_R||² + tr(S_X + S_R - 2 (S_X^{1/2} S_R S_X^{1/2})^{1/2})
 * </pre>
 *
 * <p>Covariances are unbiased, divided by {@code n - 1} like {@code numpy.cov}'s default; a set of
 * one vector has covariance 0. The trace of the matrix square root is computed with symmetric
 * eigendecompositions only: {@code S_X^{1/2} = V diag(√λ) Vᵀ} from {@code S_X = V diag(λ) Vᵀ}, then
 * {@code tr((S_X^{1/2} S_R S_X^{1/2})^{1/2}) = Σ √λ'} over the eigenvalues {@code λ'} of the
 * symmetric positive semi-definite product (it equals {@code tr((S_X S_R)^{1/2})}). Eigenvalues
 * that rounding leaves slightly negative (both matrices are positive semi-definite) are clamped to
 * 0 before the square root, so the result is never NaN; the final value is also clamped at 0.
 *
 * <p>Sign: {@link Orientation#LOWER_IS_BETTER}; 0 for identical sets (up to rounding).
 *
 * <p>Cost: {@code O((|X| + |R|) d²)} for the covariances plus two {@code d × d} symmetric
 * eigendecompositions ({@code O(d³)}, EJML, pure Java). Immutable and thread-safe.
 */
public final class FrechetDistance implements QualityProxy {

  /** The proxy's name in records, metrics and configuration. */
  public static final String NAME = "frechet";

  private static final FrechetDistance INSTANCE = new FrechetDistance();

  private FrechetDistance() {}

  /** The proxy; it has no settings. */
  public static FrechetDistance instance() {
    return INSTANCE;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Orientation orientation() {
    return Orientation.LOWER_IS_BETTER;
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    double[] meanX = mean(synthetic);
    double[] meanR = mean(reference);
    return fromMoments(meanX, covariance(synthetic, meanX), meanR, covariance(reference, meanR));
  }

  /**
   * The distance from running moments as Welford's algorithm keeps them: {@code count}, {@code
   * mean} and the co-moment {@code m2 = Σ (v - μ)(v - μ)ᵀ}; the covariance is {@code m2 / (count -
   * 1)}, or 0 for a count of 1.
   *
   * @throws IllegalArgumentException for a count below 1 or inconsistent dimensions
   */
  public static double fromRunningMoments(
      long countX, double[] meanX, double[][] m2X, long countR, double[] meanR, double[][] m2R) {
    return fromMoments(
        meanX, scaled(countX, m2X, "synthetic"), meanR, scaled(countR, m2R, "reference"));
  }

  /**
   * The distance from means and (unbiased) covariances directly. The covariances must be symmetric
   * positive semi-definite; only their upper triangles are read.
   *
   * @throws IllegalArgumentException for inconsistent dimensions or non-finite values
   */
  public static double fromMoments(
      double[] meanX, double[][] covX, double[] meanR, double[][] covR) {
    int d = meanX.length;
    if (d == 0 || meanR.length != d) {
      throw new IllegalArgumentException(
          String.format(
              "frechet: synthetic mean has dimension %d but reference mean has dimension %d: both"
                  + " must be the same, at least 1",
              d, meanR.length));
    }
    DMatrixRMaj sx = symmetric(covX, d, "synthetic");
    DMatrixRMaj sr = symmetric(covR, d, "reference");
    double meanTerm = 0;
    for (int k = 0; k < d; k++) {
      double diff =
          checkFinite(meanX[k], "synthetic mean") - checkFinite(meanR[k], "reference mean");
      meanTerm += diff * diff;
    }
    double traces = CommonOps_DDRM.trace(sx) + CommonOps_DDRM.trace(sr);

    DMatrixRMaj rootX = symmetricSquareRoot(sx);
    DMatrixRMaj tmp = new DMatrixRMaj(d, d);
    DMatrixRMaj product = new DMatrixRMaj(d, d);
    CommonOps_DDRM.mult(rootX, sr, tmp);
    CommonOps_DDRM.mult(tmp, rootX, product);
    symmetrize(product);
    double traceRoot = 0;
    for (double lambda : eigenvalues(product, false).values) {
      traceRoot += Math.sqrt(Math.max(0, lambda));
    }
    double value = meanTerm + traces - 2 * traceRoot;
    return Math.max(0, value);
  }

  static double[] mean(EmbeddingSet set) {
    int n = set.size();
    int d = set.dimension();
    double[] data = set.rowMajor();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        mean[k] += data[i * d + k];
      }
    }
    for (int k = 0; k < d; k++) {
      mean[k] /= n;
    }
    return mean;
  }

  /** Unbiased covariance ({@code n - 1}); zero for a single vector. */
  static double[][] covariance(EmbeddingSet set, double[] mean) {
    int n = set.size();
    int d = set.dimension();
    double[] data = set.rowMajor();
    DMatrixRMaj centred = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        centred.data[i * d + k] = data[i * d + k] - mean[k];
      }
    }
    DMatrixRMaj scatter = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multInner(centred, scatter);
    double[][] cov = new double[d][d];
    double divisor = n > 1 ? n - 1 : 1;
    for (int a = 0; a < d; a++) {
      for (int b = 0; b < d; b++) {
        cov[a][b] = scatter.get(a, b) / divisor;
      }
    }
    return cov;
  }

  private static double[][] scaled(long count, double[][] m2, String name) {
    if (count < 1) {
      throw new IllegalArgumentException(
          "frechet: the " + name + " moments cover " + count + " vectors; at least 1 is required");
    }
    double divisor = count > 1 ? count - 1 : 1;
    double[][] cov = new double[m2.length][];
    for (int a = 0; a < m2.length; a++) {
      cov[a] = new double[m2[a].length];
      for (int b = 0; b < m2[a].length; b++) {
        cov[a][b] = count > 1 ? m2[a][b] / divisor : 0;
      }
    }
    return cov;
  }

  private static DMatrixRMaj symmetric(double[][] cov, int d, String name) {
    if (cov.length != d) {
      throw new IllegalArgumentException(
          String.format(
              "frechet: %s covariance has %d rows but the mean has dimension %d",
              name, cov.length, d));
    }
    DMatrixRMaj m = new DMatrixRMaj(d, d);
    for (int a = 0; a < d; a++) {
      if (cov[a] == null || cov[a].length != d) {
        throw new IllegalArgumentException(
            String.format(
                "frechet: %s covariance row %d has %d columns, expected %d",
                name, a, cov[a] == null ? 0 : cov[a].length, d));
      }
      for (int b = a; b < d; b++) {
        double v = checkFinite(cov[a][b], name + " covariance");
        m.unsafe_set(a, b, v);
        m.unsafe_set(b, a, v);
      }
    }
    return m;
  }

  private static double checkFinite(double v, String what) {
    if (!Double.isFinite(v)) {
      throw new IllegalArgumentException("frechet: " + what + " holds " + v + "; must be finite");
    }
    return v;
  }

  private static void symmetrize(DMatrixRMaj m) {
    int d = m.numRows;
    for (int a = 0; a < d; a++) {
      for (int b = a + 1; b < d; b++) {
        double v = (m.unsafe_get(a, b) + m.unsafe_get(b, a)) / 2;
        m.unsafe_set(a, b, v);
        m.unsafe_set(b, a, v);
      }
    }
  }

  /** {@code V diag(√max(λ, 0)) Vᵀ} of a symmetric matrix. */
  private static DMatrixRMaj symmetricSquareRoot(DMatrixRMaj s) {
    int d = s.numRows;
    Eigen eigen = eigenvalues(s, true);
    DMatrixRMaj scaledVectors = new DMatrixRMaj(d, d);
    DMatrixRMaj vectors = new DMatrixRMaj(d, d);
    for (int c = 0; c < d; c++) {
      double root = Math.sqrt(Math.max(0, eigen.values[c]));
      DMatrixRMaj v = eigen.vectors[c];
      for (int r = 0; r < d; r++) {
        vectors.unsafe_set(r, c, v.data[r]);
        scaledVectors.unsafe_set(r, c, v.data[r] * root);
      }
    }
    DMatrixRMaj root = new DMatrixRMaj(d, d);
    CommonOps_DDRM.multTransB(scaledVectors, vectors, root);
    symmetrize(root);
    return root;
  }

  private record Eigen(double[] values, DMatrixRMaj[] vectors) {}

  private static Eigen eigenvalues(DMatrixRMaj symmetric, boolean withVectors) {
    int d = symmetric.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(d, withVectors, true);
    if (!eig.decompose(symmetric.copy())) {
      throw new IllegalStateException(
          "frechet: the symmetric eigendecomposition of a " + d + "x" + d + " matrix failed");
    }
    double[] values = new double[d];
    DMatrixRMaj[] vectors = withVectors ? new DMatrixRMaj[d] : null;
    for (int c = 0; c < d; c++) {
      values[c] = eig.getEigenvalue(c).real;
      if (withVectors) {
        vectors[c] = eig.getEigenVector(c);
      }
    }
    return new Eigen(values, vectors);
  }
}
