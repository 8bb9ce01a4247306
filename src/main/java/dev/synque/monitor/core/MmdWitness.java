package dev.synque.monitor.core;

/**
 * Per-sample evidence behind a kernel MMD² between a synthetic set X ({@code n} vectors) and a
 * reference set R ({@code m} vectors), and the first-order standard error of the MMD² estimate.
 *
 * <pre>
 *   realness(x_i)  = mean_j k(x_i, r_j) - mean_i' k(x_i, x_i')     (the MMD witness at x_i)
 *   coverage(r_j)  = mean_i k(r_j, x_i) - mean_j' k(r_j, r_j')     (minus the witness at r_j)
 *   MMD²           = -mean_i realness(x_i) - mean_j coverage(r_j)  (the biased V-statistic)
 *   se²            = 4 s²(realness) / n + 4 s²(coverage) / m
 * </pre>
 *
 * <p>All means run over every element, self included (as {@link Mmd2Polynomial}'s V-statistic), so
 * the MMD² here equals {@link Mmd2Polynomial#compute} for the same kernel up to rounding. {@code
 * realness} is higher for a synthetic sample that sits among the real data rather than among the
 * other synthetic samples: the least real-looking samples have the lowest values. {@code coverage}
 * is lower for a real sample that the synthetic set leaves uncovered: it is near other real samples
 * but far from every synthetic one.
 *
 * <p><b>Standard error.</b> {@code MMD² = ||mu_X - mu_R||²} in the kernel's feature space; its
 * first-order (delta-method, Hoeffding projection) variance is {@code 4 Var_x <phi(x), mu_X - mu_R>
 * / n + 4 Var_r <phi(r), mu_R - mu_X> / m}, and {@code <phi(x_i), mu_X - mu_R> = -realness(x_i)},
 * {@code <phi(r_j), mu_R - mu_X> = -coverage(r_j)}, with the sample variances {@code s²} (divisor
 * {@code n - 1}, 0 for a single element) in place of the variances. Caveat: when X and R come from
 * the same distribution the first-order term vanishes and the MMD²'s spread is of second order;
 * there the standard error understates it, and the noise floor ({@link NoiseFloor}) is the
 * yardstick to read a score against.
 *
 * <p>Cost: {@code O((n²/2 + n m + m²/2) d)} multiply-adds on the proxies' SIMD tile kernels ({@code
 * PairwiseBlocks}, parallel, deterministic), the same as the MMD² itself; the Gram blocks are
 * reduced tile by tile to row and column sums and never stored (memory {@code O((n + m)²/32)} for
 * the per-block sums). Immutable; arrays are copied out.
 */
public final class MmdWitness {

  private final double[] realness;
  private final double[] coverage;
  private final double mmd2;
  private final double standardError;

  private MmdWitness(double[] realness, double[] coverage) {
    this.realness = realness;
    this.coverage = coverage;
    this.mmd2 = -mean(realness) - mean(coverage);
    this.standardError =
        Math.sqrt(
            4 * sampleVariance(realness) / realness.length
                + 4 * sampleVariance(coverage) / coverage.length);
  }

  /**
   * The witness of X against R under a polynomial kernel.
   *
   * @throws IllegalArgumentException when the dimensions differ or the kernel is null
   */
  public static MmdWitness polynomial(
      EmbeddingSet synthetic, EmbeddingSet reference, PolynomialKernel kernel) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    if (kernel == null) {
      throw new IllegalArgumentException("mmd witness: the kernel must not be null");
    }
    int n = synthetic.size();
    int m = reference.size();
    int d = synthetic.dimension();
    double[] x = synthetic.rowMajor();
    double[] r = reference.rowMajor();
    double[] xxSum = withinRowSums(x, n, d, kernel);
    double[] rrSum = withinRowSums(r, m, d, kernel);
    // accumulators 0..n-1: row sums of k(x_i, r_.); n..n+m-1: column sums of k(x_., r_j)
    double[] xrSums =
        PairwiseBlocks.reduce(
            x,
            n,
            r,
            m,
            d,
            PairwiseBlocks.Measure.DOT,
            false,
            n + m,
            (i0, rows, j0, cols, tile, acc) -> {
              for (int a = 0; a < rows; a++) {
                for (int b = 0; b < cols; b++) {
                  double k = kernel.ofDot(tile[a * cols + b]);
                  acc[i0 + a] += k;
                  acc[n + j0 + b] += k;
                }
              }
            });
    double[] realness = new double[n];
    double[] coverage = new double[m];
    for (int i = 0; i < n; i++) {
      realness[i] = xrSums[i] / m - xxSum[i] / n;
    }
    for (int j = 0; j < m; j++) {
      coverage[j] = xrSums[n + j] / n - rrSum[j] / m;
    }
    return new MmdWitness(realness, coverage);
  }

  /**
   * The witness from realness values already known (for example {@link IncrementalMmd2#realness()},
   * kept up to date by the streaming state) and one pass over X × R for the coverage: {@code O(n m
   * d)} instead of {@code O((n²/2 + n m + m²/2) d)}. Equals {@link #polynomial(EmbeddingSet,
   * EmbeddingSet, PolynomialKernel)} up to rounding when {@code realness} belongs to the same X.
   *
   * @param realness one value per row of {@code synthetic}, in its order; copied
   * @param referenceRowSums {@link #referenceRowSums} of {@code reference} under {@code kernel}
   * @throws IllegalArgumentException when a length or a dimension does not match
   */
  public static MmdWitness fromRealness(
      double[] realness,
      EmbeddingSet synthetic,
      EmbeddingSet reference,
      PolynomialKernel kernel,
      double[] referenceRowSums) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    int n = synthetic.size();
    int m = reference.size();
    if (realness.length != n || referenceRowSums.length != m) {
      throw new IllegalArgumentException(
          String.format(
              "mmd witness: %d realness values for %d synthetic rows and %d reference row sums for"
                  + " %d reference rows; each must match",
              realness.length, n, referenceRowSums.length, m));
    }
    double[] colSums =
        PairwiseBlocks.reduce(
            synthetic.rowMajor(),
            n,
            reference.rowMajor(),
            m,
            synthetic.dimension(),
            PairwiseBlocks.Measure.DOT,
            false,
            m,
            (i0, rows, j0, cols, tile, acc) -> {
              for (int a = 0; a < rows; a++) {
                for (int b = 0; b < cols; b++) {
                  acc[j0 + b] += kernel.ofDot(tile[a * cols + b]);
                }
              }
            });
    double[] coverage = new double[m];
    for (int j = 0; j < m; j++) {
      coverage[j] = colSums[j] / n - referenceRowSums[j] / m;
    }
    return new MmdWitness(realness.clone(), coverage);
  }

  /**
   * {@code sum_j' k(r_j, r_j')} for every reference row (self included): the part of the coverage
   * that depends on the reference alone, {@code O(m² d / 2)}, to be computed once per reference.
   */
  public static double[] referenceRowSums(EmbeddingSet reference, PolynomialKernel kernel) {
    return withinRowSums(reference.rowMajor(), reference.size(), reference.dimension(), kernel);
  }

  /** The SynQuE default kernel ({@link PolynomialKernel#synqueDefault(int)}) for the data. */
  public static MmdWitness polynomial(EmbeddingSet synthetic, EmbeddingSet reference) {
    return polynomial(synthetic, reference, PolynomialKernel.synqueDefault(synthetic.dimension()));
  }

  /** {@code realness(x_i)} for every synthetic sample, in input order (a copy). */
  public double[] realness() {
    return realness.clone();
  }

  /** {@code coverage(r_j)} for every reference sample, in input order (a copy). */
  public double[] coverage() {
    return coverage.clone();
  }

  /** The biased MMD² (V-statistic). */
  public double mmd2() {
    return mmd2;
  }

  /** The first-order standard error of {@link #mmd2()}. */
  public double standardError() {
    return standardError;
  }

  /**
   * The first-order standard deviation of {@code this.mmd2() - other.mmd2()} when both were
   * computed against the same reference set (same vectors, same order): the reference terms are
   * paired, {@code 4 s²(realness_A)/n_A + 4 s²(realness_B)/n_B + 4 s²(coverage_A - coverage_B)/m}.
   *
   * @throws IllegalArgumentException when the reference sizes differ
   */
  public double pairedDifferenceError(MmdWitness other) {
    if (other.coverage.length != coverage.length) {
      throw new IllegalArgumentException(
          String.format(
              "mmd witness: paired comparison needs the same reference, got %d and %d samples",
              coverage.length, other.coverage.length));
    }
    double[] diff = new double[coverage.length];
    for (int j = 0; j < diff.length; j++) {
      diff[j] = coverage[j] - other.coverage[j];
    }
    return Math.sqrt(
        4 * sampleVariance(realness) / realness.length
            + 4 * sampleVariance(other.realness) / other.realness.length
            + 4 * sampleVariance(diff) / diff.length);
  }

  static double mean(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x;
    }
    return s / v.length;
  }

  /** Sample variance with divisor {@code n - 1}; 0 for fewer than two values. */
  static double sampleVariance(double[] v) {
    if (v.length < 2) {
      return 0;
    }
    double mu = mean(v);
    double s = 0;
    for (double x : v) {
      s += (x - mu) * (x - mu);
    }
    return s / (v.length - 1);
  }

  /**
   * {@code sum_j k(a_i, a_j)} for every row {@code i}, over the upper triangle of tiles: each pair
   * {@code i < j} is computed once and added to both rows, the diagonal once.
   */
  private static double[] withinRowSums(double[] a, int n, int d, PolynomialKernel kernel) {
    return PairwiseBlocks.reduce(
        a,
        n,
        a,
        n,
        d,
        PairwiseBlocks.Measure.DOT,
        true,
        n,
        (i0, rows, j0, cols, tile, acc) -> {
          for (int p = 0; p < rows; p++) {
            int i = i0 + p;
            for (int q = 0; q < cols; q++) {
              int j = j0 + q;
              if (j < i) {
                continue;
              }
              double k = kernel.ofDot(tile[p * cols + q]);
              acc[i] += k;
              if (j != i) {
                acc[j] += k;
              }
            }
          }
        });
  }
}
