package dev.synque.monitor.core;

/**
 * The squared maximum mean discrepancy with a polynomial kernel, as in the SynQuE paper: the biased
 * V-statistic
 *
 * <pre>
 *   MMD²(X, R) = mean_{i,i'} k(x_i, x_i') + mean_{j,j'} k(r_j, r_j') - 2 mean_{i,j} k(x_i, r_j)
 * </pre>
 *
 * where the means run over all ordered pairs, diagonal included, and {@code k} is a {@link
 * PolynomialKernel}, by default {@link PolynomialKernel#synqueDefault(int)} for the embeddings'
 * dimension {@code d}: {@code k(x, y) = (<x, y> / d + 1)^3}, the same as scikit-learn's {@code
 * polynomial_kernel(X, Y)} with {@code gamma=None}.
 *
 * <p>Sign: {@link Orientation#LOWER_IS_BETTER}; 0 when X and R are the same multiset (up to
 * rounding), and never negative for a positive-definite kernel except by rounding (it is a squared
 * norm of a difference of mean embeddings).
 *
 * <p>Edge cases: a single vector in either set is fine (the V-statistic includes the diagonal);
 * sets of different dimensions are rejected. Cost: {@code O((|X|² / 2 + |R|² / 2 + |X| |R|) d)}
 * multiply-adds, using the symmetry of the within-set sums, run in parallel on the common fork-join
 * pool with a deterministic result. Immutable and thread-safe.
 */
public final class Mmd2Polynomial implements QualityProxy {

  /** The proxy's name in records, metrics and configuration. */
  public static final String NAME = "mmd2_poly";

  private final PolynomialKernel kernel;

  private Mmd2Polynomial(PolynomialKernel kernel) {
    this.kernel = kernel;
  }

  /** The paper's proxy: {@link PolynomialKernel#synqueDefault(int)} for the data's dimension. */
  public static Mmd2Polynomial synqueDefault() {
    return new Mmd2Polynomial(null);
  }

  /** The proxy with a fixed kernel, whatever the data's dimension. */
  public static Mmd2Polynomial withKernel(PolynomialKernel kernel) {
    if (kernel == null) {
      throw new IllegalArgumentException("the polynomial kernel must not be null");
    }
    return new Mmd2Polynomial(kernel);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Orientation orientation() {
    return Orientation.LOWER_IS_BETTER;
  }

  /** The kernel used for data of dimension {@code d}. */
  public PolynomialKernel kernelFor(int dimension) {
    return kernel != null ? kernel : PolynomialKernel.synqueDefault(dimension);
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    return kernelSums(synthetic, reference, kernelFor(synthetic.dimension())).biasedMmd2();
  }

  /**
   * The three kernel sums over all ordered pairs, from which the MMD² and its incremental updates
   * follow.
   *
   * @throws IllegalArgumentException when the dimensions differ
   */
  public static KernelSums kernelSums(
      EmbeddingSet synthetic, EmbeddingSet reference, PolynomialKernel kernel) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    return new KernelSums(
        withinSum(synthetic, kernel),
        withinSum(reference, kernel),
        crossSum(synthetic, reference, kernel),
        synthetic.size(),
        reference.size());
  }

  /** {@code sum over all ordered pairs (i, i') of k(s_i, s_i')}, diagonal included. */
  public static double withinSum(EmbeddingSet set, PolynomialKernel kernel) {
    int n = set.size();
    int d = set.dimension();
    double[] a = set.rowMajor();
    double[] sums =
        PairwiseBlocks.reduce(
            a,
            n,
            a,
            n,
            d,
            PairwiseBlocks.Measure.DOT,
            true,
            2,
            (i0, rows, j0, cols, tile, acc) -> {
              double off = 0;
              double diagonal = 0;
              for (int r = 0; r < rows; r++) {
                int i = i0 + r;
                int from = Math.max(0, i + 1 - j0);
                int o = r * cols;
                if (from > 0 && from - 1 < cols) {
                  diagonal += kernel.ofDot(tile[o + from - 1]);
                }
                for (int c = from; c < cols; c++) {
                  off += kernel.ofDot(tile[o + c]);
                }
              }
              acc[0] += off;
              acc[1] += diagonal;
            });
    return 2 * sums[0] + sums[1];
  }

  /** {@code sum over i, j of k(x_i, r_j)}. */
  public static double crossSum(EmbeddingSet x, EmbeddingSet r, PolynomialKernel kernel) {
    EmbeddingSet.requireSameDimension(x, r);
    int d = x.dimension();
    return PairwiseBlocks.reduce(
        x.rowMajor(),
        x.size(),
        r.rowMajor(),
        r.size(),
        d,
        PairwiseBlocks.Measure.DOT,
        false,
        1,
        (i0, rows, j0, cols, tile, acc) -> {
          double s = 0;
          int len = rows * cols;
          for (int t = 0; t < len; t++) {
            s += kernel.ofDot(tile[t]);
          }
          acc[0] += s;
        })[0];
  }
}
