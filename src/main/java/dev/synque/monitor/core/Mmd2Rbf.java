package dev.synque.monitor.core;

import java.util.stream.IntStream;

/**
 * The unbiased squared maximum mean discrepancy with a Gaussian kernel whose bandwidth comes from
 * the median heuristic.
 *
 * <pre>
 *   k(x, y) = exp(-||x - y||² / (2 σ²))
 *   MMD²_u  = 1/(n(n-1)) Σ_{i≠i'} k(x_i, x_i') + 1/(m(m-1)) Σ_{j≠j'} k(r_j, r_j')
 *             - 2/(n m) Σ_{i,j} k(x_i, r_j)
 * </pre>
 *
 * with {@code n = |X|}, {@code m = |R|}. The bandwidth {@code σ} is the median of the Euclidean
 * distances {@code ||p_a - p_b||} over all distinct unordered pairs {@code a < b} of the pooled set
 * {@code P = X ∪ R} (concatenated, duplicates kept, so {@code (n+m)(n+m-1)/2} distances); for an
 * even count it is the mean of the two middle distances, as {@code numpy.median} of {@code
 * scipy.spatial.distance.pdist(P)}. Distances are summed from component differences, so equal
 * vectors are exactly 0 apart.
 *
 * <p>Sign: {@link Orientation#LOWER_IS_BETTER}. Because the diagonal terms are left out, the
 * estimate is unbiased but can be slightly negative when X and R come from the same distribution;
 * it is returned as is, not clamped.
 *
 * <p>Edge cases: needs {@code |X| ≥ 2} and {@code |R| ≥ 2} (an {@link IllegalArgumentException}
 * says so otherwise). When the median distance is 0 (more than half of the pooled pairs are equal
 * vectors, for instance all vectors identical), the kernel is taken at its limit {@code σ → 0}:
 * {@code k(x, y) = 1} when {@code x = y} and 0 otherwise; all-identical sets thus give exactly 0.
 * The result is always finite.
 *
 * <p>Cost: one pass of {@code (n+m)²/2 · d} multiply-adds (parallel, deterministic), plus {@code
 * (n+m)(n+m-1)/2} doubles of memory for the distances (32 MB for {@code n+m = 2000}, 64 MB for
 * {@code 4000}), which are reused for the median (an exact radix select) and the kernel sums.
 * Immutable and thread-safe.
 */
public final class Mmd2Rbf implements QualityProxy {

  /** The proxy's name in records, metrics and configuration. */
  public static final String NAME = "mmd2_rbf";

  private static final Mmd2Rbf INSTANCE = new Mmd2Rbf();

  private Mmd2Rbf() {}

  /** The proxy; it has no settings. */
  public static Mmd2Rbf medianHeuristic() {
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
    int n = synthetic.size();
    int m = reference.size();
    if (n < 2 || m < 2) {
      throw new IllegalArgumentException(
          String.format(
              "mmd2_rbf is the unbiased estimate, which leaves out k(x, x) and needs at least 2"
                  + " synthetic and 2 reference embeddings, got |X| = %d and |R| = %d",
              n, m));
    }
    int total = n + m;
    long pairCount = (long) total * (total - 1) / 2;
    if (pairCount > Integer.MAX_VALUE - 16) {
      throw new IllegalArgumentException(
          String.format(
              "mmd2_rbf keeps all %d pairwise distances of the %d pooled embeddings, more than an"
                  + " array holds; subsample the sets",
              pairCount, total));
    }
    int d = synthetic.dimension();
    double[] pooled = new double[total * d];
    System.arraycopy(synthetic.rowMajor(), 0, pooled, 0, n * d);
    System.arraycopy(reference.rowMajor(), 0, pooled, n * d, m * d);

    double[] squared = pooledSquaredDistances(pooled, total, d);
    double sigma = medianDistance(squared);
    double[] sums = kernelSums(squared, total, n, sigma);
    double xx = 2 * sums[0] / ((double) n * (n - 1));
    double rr = 2 * sums[1] / ((double) m * (m - 1));
    double xr = sums[2] / ((double) n * m);
    return xx + rr - 2 * xr;
  }

  /**
   * Index of pair {@code (i, j)}, {@code i < j}, in the packed upper triangle of order {@code t}.
   */
  static int packedIndex(int i, int j, int t) {
    return (int) ((long) i * (2L * t - i - 1) / 2) + (j - i - 1);
  }

  /** Squared distances of all pairs {@code i < j}, packed row by row. */
  static double[] pooledSquaredDistances(double[] pooled, int total, int d) {
    double[] packed = new double[(int) ((long) total * (total - 1) / 2)];
    PairwiseBlocks.reduce(
        pooled,
        total,
        pooled,
        total,
        d,
        PairwiseBlocks.Measure.SQUARED_DISTANCE,
        true,
        0,
        (i0, rows, j0, cols, tile, acc) -> {
          for (int r = 0; r < rows; r++) {
            int i = i0 + r;
            int from = Math.max(0, i + 1 - j0);
            if (from >= cols) {
              continue;
            }
            int dest = packedIndex(i, j0 + from, total);
            System.arraycopy(tile, r * cols + from, packed, dest, cols - from);
          }
        });
    return packed;
  }

  /**
   * The median of {@code sqrt(squared[k])}; the mean of the two middle values for an even count.
   */
  static double medianDistance(double[] squared) {
    int len = squared.length;
    double lower = Math.sqrt(RadixSelect.kthSmallestNonNegative(squared, (len - 1) / 2));
    if (len % 2 == 1) {
      return lower;
    }
    double upper = Math.sqrt(RadixSelect.kthSmallestNonNegative(squared, len / 2));
    return (lower + upper) / 2;
  }

  /** Sums of k over pairs i < j within X, within R, and across (i in X, j in R). */
  private static double[] kernelSums(double[] squared, int total, int n, double sigma) {
    double scale = sigma > 0 ? -1 / (2 * sigma * sigma) : Double.NEGATIVE_INFINITY;
    int blocks = (total + PairwiseBlocks.ROWS - 1) / PairwiseBlocks.ROWS;
    double[][] partial = new double[blocks][];
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            block -> {
              double[] acc = new double[3];
              int end = Math.min(total, (block + 1) * PairwiseBlocks.ROWS);
              for (int i = block * PairwiseBlocks.ROWS; i < end; i++) {
                int base = packedIndex(i, i + 1, total) - (i + 1);
                if (i < n) {
                  acc[0] += sumKernel(squared, base, i + 1, n, scale);
                  acc[2] += sumKernel(squared, base, Math.max(n, i + 1), total, scale);
                } else {
                  acc[1] += sumKernel(squared, base, i + 1, total, scale);
                }
              }
              partial[block] = acc;
            });
    double[] sums = new double[3];
    for (double[] acc : partial) {
      for (int s = 0; s < 3; s++) {
        sums[s] += acc[s];
      }
    }
    return sums;
  }

  private static double sumKernel(double[] squared, int base, int from, int to, double scale) {
    double s = 0;
    if (scale == Double.NEGATIVE_INFINITY) {
      // σ = 0: the limit kernel, 1 for equal vectors and 0 otherwise.
      for (int j = from; j < to; j++) {
        s += squared[base + j] == 0 ? 1 : 0;
      }
      return s;
    }
    for (int j = from; j < to; j++) {
      s += Math.exp(squared[base + j] * scale);
    }
    return s;
  }
}
