package dev.synque.monitor.core;

import java.util.Arrays;

/**
 * What a ranking needs to know about one generator's MMD² to give it an interval and to compare it
 * with another generator scored against the same reference: the value, the number of synthetic
 * samples {@code n}, the sample variance of their witness values ({@code s²(realness)}) and the
 * coverage of every reference sample (see {@link MmdWitness} for the formulas).
 *
 * <pre>
 *   se              = sqrt(4 s²(realness) / n + 4 s²(coverage) / m)
 *   interval        = mmd2 ± z se,  z = Phi⁻¹((1 + level) / 2)
 *   paired sd(A, B) = sqrt(4 s²(realness_A)/n_A + 4 s²(realness_B)/n_B + 4 s²(coverage_A - coverage_B)/m)
 * </pre>
 *
 * <p>It is the {@link MmdWitness} reduced to what travels between the scoring of a window and the
 * ranking of all generators (the realness vector is reduced to its variance; the coverage is kept,
 * because the paired error needs it element by element). {@link #of(MmdWitness, double)} followed
 * by {@link #standardError()} and {@link #pairedDifferenceError} gives the same numbers as the
 * witness itself. Immutable; the coverage array is copied in and out.
 *
 * @param mmd2 the MMD² the interval is centred on, finite
 * @param syntheticCount {@code n}, at least 1
 * @param realnessVariance {@code s²(realness)}, finite and non-negative
 * @param coverage one value per reference sample, in the reference's order, at least one
 */
public record MmdUncertainty(
    double mmd2, int syntheticCount, double realnessVariance, double[] coverage) {

  public MmdUncertainty {
    if (!Double.isFinite(mmd2)) {
      throw new IllegalArgumentException("mmd uncertainty: mmd2 " + mmd2 + " must be finite");
    }
    if (syntheticCount < 1) {
      throw new IllegalArgumentException(
          "mmd uncertainty: synthetic count " + syntheticCount + " must be at least 1");
    }
    if (!(realnessVariance >= 0) || Double.isInfinite(realnessVariance)) {
      throw new IllegalArgumentException(
          "mmd uncertainty: realness variance "
              + realnessVariance
              + " must be finite and non-negative");
    }
    if (coverage == null || coverage.length == 0) {
      throw new IllegalArgumentException(
          "mmd uncertainty: the coverage needs one value per reference sample, at least one");
    }
    coverage = coverage.clone();
  }

  /** The uncertainty of a witness, centred on {@code mmd2} (for example the incremental value). */
  public static MmdUncertainty of(MmdWitness witness, double mmd2) {
    double[] realness = witness.realness();
    return new MmdUncertainty(
        mmd2, realness.length, MmdWitness.sampleVariance(realness), witness.coverage());
  }

  @Override
  public double[] coverage() {
    return coverage.clone();
  }

  /** The first-order standard error of {@link #mmd2()}. */
  public double standardError() {
    return Math.sqrt(
        4 * realnessVariance / syntheticCount
            + 4 * MmdWitness.sampleVariance(coverage) / coverage.length);
  }

  /**
   * The two-sided normal interval {@code mmd2 ± z se} at {@code level}.
   *
   * @param level in {@code (0, 1)}
   * @return {@code {low, high}}
   */
  public double[] interval(double level) {
    double z = normalQuantile((1 + level) / 2);
    double se = standardError();
    return new double[] {mmd2 - z * se, mmd2 + z * se};
  }

  /**
   * The standard deviation of {@code this.mmd2 - other.mmd2} when both were computed against the
   * same reference (same samples, same order): the reference terms are paired.
   *
   * @throws IllegalArgumentException when the reference sizes differ
   */
  public double pairedDifferenceError(MmdUncertainty other) {
    if (other.coverage.length != coverage.length) {
      throw new IllegalArgumentException(
          String.format(
              "mmd uncertainty: paired comparison needs the same reference, got %d and %d samples",
              coverage.length, other.coverage.length));
    }
    double[] diff = new double[coverage.length];
    for (int j = 0; j < diff.length; j++) {
      diff[j] = coverage[j] - other.coverage[j];
    }
    return Math.sqrt(
        4 * realnessVariance / syntheticCount
            + 4 * other.realnessVariance / other.syntheticCount
            + 4 * MmdWitness.sampleVariance(diff) / diff.length);
  }

  /**
   * {@code Phi⁻¹(p)} by bisection on {@link Separation#normalCdf} (to 1e-12 in z).
   *
   * @throws IllegalArgumentException unless {@code 0 < p < 1}
   */
  public static double normalQuantile(double p) {
    if (!(p > 0 && p < 1)) {
      throw new IllegalArgumentException("normal quantile: p " + p + " must be in (0, 1)");
    }
    double lo = -38;
    double hi = 38;
    while (hi - lo > 1e-12) {
      double mid = (lo + hi) / 2;
      if (Separation.normalCdf(mid) < p) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return (lo + hi) / 2;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MmdUncertainty u
        && Double.compare(mmd2, u.mmd2) == 0
        && syntheticCount == u.syntheticCount
        && Double.compare(realnessVariance, u.realnessVariance) == 0
        && Arrays.equals(coverage, u.coverage);
  }

  @Override
  public int hashCode() {
    return 31 * Double.hashCode(mmd2) + Arrays.hashCode(coverage);
  }

  @Override
  public String toString() {
    return String.format(
        "MmdUncertainty[mmd2=%s, n=%d, s2(realness)=%s, m=%d]",
        mmd2, syntheticCount, realnessVariance, coverage.length);
  }
}
