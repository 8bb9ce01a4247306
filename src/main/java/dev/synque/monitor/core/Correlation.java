package dev.synque.monitor.core;

import java.util.Arrays;

/**
 * Pearson and Spearman correlation of two equally long samples, as {@code scipy.stats.pearsonr} and
 * {@code spearmanr} compute them (the SynQuE authors' evaluation protocol uses those).
 *
 * <ul>
 *   <li>Pearson: {@code Σ (x - x̄)(y - ȳ) / sqrt(Σ (x - x̄)² Σ (y - ȳ)²)}, clipped to [-1, 1].
 *   <li>Spearman: Pearson of the {@link #averageRanks ranks}, ties sharing their mean rank.
 * </ul>
 *
 * <p>Edge cases: fewer than two pairs, different lengths or a non-finite value are an {@link
 * IllegalArgumentException}. When either sample is constant the correlation is undefined and the
 * result is {@link Double#NaN} (scipy also returns nan); callers decide how to report it, and the
 * evaluation report shows it as undefined rather than as a number.
 */
public final class Correlation {

  private Correlation() {}

  /** Pearson's r; NaN when either sample is constant. */
  public static double pearson(double[] x, double[] y) {
    check(x, y);
    int n = x.length;
    double meanX = 0;
    double meanY = 0;
    for (int i = 0; i < n; i++) {
      meanX += x[i];
      meanY += y[i];
    }
    meanX /= n;
    meanY /= n;
    double sxy = 0;
    double sxx = 0;
    double syy = 0;
    for (int i = 0; i < n; i++) {
      double dx = x[i] - meanX;
      double dy = y[i] - meanY;
      sxy += dx * dy;
      sxx += dx * dx;
      syy += dy * dy;
    }
    if (sxx == 0 || syy == 0) {
      return Double.NaN;
    }
    double r = sxy / Math.sqrt(sxx * syy);
    return Math.max(-1, Math.min(1, r));
  }

  /** Spearman's rho (Pearson of average ranks); NaN when either sample is constant. */
  public static double spearman(double[] x, double[] y) {
    check(x, y);
    return pearson(averageRanks(x), averageRanks(y));
  }

  /**
   * Ranks 1..n in ascending order of value; tied values all get the mean of the ranks they span
   * (scipy's {@code rankdata(method="average")}).
   */
  public static double[] averageRanks(double[] values) {
    int n = values.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[a], values[b]));
    double[] ranks = new double[n];
    int start = 0;
    while (start < n) {
      int end = start;
      while (end + 1 < n && values[order[end + 1]] == values[order[start]]) {
        end++;
      }
      double rank = (start + end) / 2.0 + 1;
      for (int k = start; k <= end; k++) {
        ranks[order[k]] = rank;
      }
      start = end + 1;
    }
    return ranks;
  }

  private static void check(double[] x, double[] y) {
    if (x == null || y == null || x.length != y.length) {
      throw new IllegalArgumentException(
          String.format(
              "correlation: samples of %s and %s values; both must have the same length",
              x == null ? "null" : x.length, y == null ? "null" : y.length));
    }
    if (x.length < 2) {
      throw new IllegalArgumentException(
          "correlation: " + x.length + " pairs; at least 2 are required");
    }
    for (int i = 0; i < x.length; i++) {
      if (!Double.isFinite(x[i]) || !Double.isFinite(y[i])) {
        throw new IllegalArgumentException(
            String.format(
                "correlation: pair %d is (%s, %s); every value must be finite", i, x[i], y[i]));
      }
    }
  }
}
