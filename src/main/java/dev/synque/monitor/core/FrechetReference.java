package dev.synque.monitor.core;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;

/**
 * A reference set prepared once for many {@linkplain FrechetDistance Fréchet distances} against
 * changing synthetic moments, as the streaming monitor needs them: the reference is fixed between
 * versions while every generator's covariance keeps changing.
 *
 * <p>The reference covariance is kept as a factor: {@code S_R = Fᵀ F} with {@code F} of {@code r x
 * d}. Then {@code S_X^{1/2} S_R S_X^{1/2} = (F S_X^{1/2})ᵀ (F S_X^{1/2})} has the nonzero
 * eigenvalues of the {@code r x r} matrix {@code F S_X Fᵀ}, so the trace term {@code tr((S_X^{1/2}
 * S_R S_X^{1/2})^{1/2})} is {@code Σ √λ} over the eigenvalues of {@code F S_X Fᵀ}, and no {@code d
 * x d} eigenproblem or matrix root of the synthetic side is ever needed. The factor is:
 *
 * <ul>
 *   <li>from raw vectors with {@code |R| ≤ d}: the centred rows divided by {@code √(|R| - 1)}, so
 *       {@code r = |R|} (a reference of a few hundred samples at d = 384 costs {@code r d² + r² d}
 *       multiply-adds per distance instead of about {@code 9 d³});
 *   <li>otherwise the transposed Cholesky factor when {@code S_R} is numerically positive definite
 *       ({@code r = d});
 *   <li>otherwise {@code √λ vᵀ} for the eigenpairs of {@code S_R} above its rounding level ({@code
 *       r} = its numerical rank).
 * </ul>
 *
 * <p>The value is the same as {@link FrechetDistance#fromMoments} on the same moments up to
 * rounding (eigenvalues at or below {@code r ε λ_max} count as 0, see {@link FrechetDistance}); the
 * result is clamped at 0. Sign: {@link Orientation#LOWER_IS_BETTER}. Immutable and thread-safe.
 */
public final class FrechetReference {

  private final int dimension;
  private final double[] mean;
  private final double trace;
  private final double[] factor;
  private final int rank;

  private FrechetReference(int dimension, double[] mean, double trace, double[] factor, int rank) {
    this.dimension = dimension;
    this.mean = mean;
    this.trace = trace;
    this.factor = factor;
    this.rank = rank;
  }

  /**
   * Prepares a reference set of raw vectors (unbiased covariance; a single vector has covariance
   * 0). {@link EmbeddingSet}s are never empty.
   */
  public static FrechetReference of(EmbeddingSet reference) {
    int n = reference.size();
    int d = reference.dimension();
    double[] mean = FrechetDistance.mean(reference);
    if (n > d) {
      return fromMoments(mean, FrechetDistance.covariance(reference, mean));
    }
    double[] rows = FrechetDistance.centred(reference, mean);
    double scale = 1 / Math.sqrt(FrechetDistance.divisor(n));
    for (int t = 0; t < rows.length; t++) {
      rows[t] *= scale;
    }
    return new FrechetReference(d, mean, FrechetDistance.sumOfSquares(rows), rows, n);
  }

  /**
   * Prepares a reference given by its mean and (unbiased, symmetric PSD) covariance; only the upper
   * triangle of the covariance is read.
   *
   * @throws IllegalArgumentException for inconsistent dimensions or non-finite values
   */
  public static FrechetReference fromMoments(double[] mean, double[][] covariance) {
    int d = mean.length;
    if (d == 0) {
      throw new IllegalArgumentException("frechet: the reference mean has dimension 0");
    }
    for (double v : mean) {
      FrechetDistance.checkFinite(v, "reference mean");
    }
    DMatrixRMaj s = FrechetDistance.symmetric(covariance, d, "reference");
    double trace = 0;
    for (int a = 0; a < d; a++) {
      trace += s.unsafe_get(a, a);
    }
    DMatrixRMaj lower = FrechetDistance.choleskyOrNull(s);
    if (lower != null) {
      // S = L Lᵀ = F ᵀF with F = Lᵀ: row i of F is column i of L
      double[] rows = new double[d * d];
      for (int i = 0; i < d; i++) {
        for (int k = 0; k < d; k++) {
          rows[i * d + k] = lower.unsafe_get(k, i);
        }
      }
      return new FrechetReference(d, mean.clone(), trace, rows, d);
    }
    FrechetDistance.Eigen eigen = FrechetDistance.eigenvalues(s, true);
    double largest = 0;
    for (double lambda : eigen.values()) {
      largest = Math.max(largest, lambda);
    }
    double floor = d * FrechetDistance.EPSILON * largest;
    int rank = 0;
    double[] rows = new double[d * d];
    for (int c = 0; c < d; c++) {
      double lambda = eigen.values()[c];
      if (lambda > floor) {
        double root = Math.sqrt(lambda);
        double[] v = eigen.vectors()[c].data;
        for (int k = 0; k < d; k++) {
          rows[rank * d + k] = v[k] * root;
        }
        rank++;
      }
    }
    return new FrechetReference(d, mean.clone(), trace, Arrays.copyOf(rows, rank * d), rank);
  }

  /** The dimension of the reference vectors. */
  public int dimension() {
    return dimension;
  }

  /** The number of rows of the covariance factor: the cost of a distance is about {@code r d²}. */
  public int factorRank() {
    return rank;
  }

  /**
   * The Fréchet distance of synthetic moments to this reference.
   *
   * @throws IllegalArgumentException when the moments are empty or of another dimension
   */
  public double distance(RunningMoments synthetic) {
    if (synthetic.count() < 1) {
      throw new IllegalArgumentException(
          "frechet: the synthetic moments cover 0 vectors; at least 1 is required");
    }
    return distance(synthetic.mean(), synthetic.covariance());
  }

  /**
   * The Fréchet distance of a synthetic mean and (unbiased, symmetric PSD) covariance to this
   * reference; only the upper triangle of the covariance is read.
   *
   * @throws IllegalArgumentException for inconsistent dimensions or non-finite values
   */
  public double distance(double[] meanX, double[][] covX) {
    if (meanX.length != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "frechet: synthetic mean has dimension %d but reference mean has dimension %d: both"
                  + " must be the same",
              meanX.length, dimension));
    }
    int d = dimension;
    DMatrixRMaj sx = FrechetDistance.symmetric(covX, d, "synthetic");
    double meanTerm = 0;
    double traceX = 0;
    for (int k = 0; k < d; k++) {
      double diff = FrechetDistance.checkFinite(meanX[k], "synthetic mean") - mean[k];
      meanTerm += diff * diff;
      traceX += sx.unsafe_get(k, k);
    }
    double traceRoot = 0;
    if (rank > 0) {
      // products(A, B) is A Bᵀ; S_X is symmetric, so F S_X = products(F, S_X), then (F S_X) Fᵀ
      double[] half = PairwiseBlocks.products(factor, rank, sx.data, d, d, false);
      DMatrixRMaj inner =
          DMatrixRMaj.wrap(rank, rank, PairwiseBlocks.products(half, rank, factor, rank, d, false));
      FrechetDistance.symmetrize(inner);
      traceRoot = FrechetDistance.sumOfRoots(FrechetDistance.eigenvalues(inner, false).values());
    }
    return Math.max(0, meanTerm + traceX + trace - 2 * traceRoot);
  }
}
