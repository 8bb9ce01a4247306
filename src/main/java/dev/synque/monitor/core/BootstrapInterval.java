package dev.synque.monitor.core;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A percentile bootstrap confidence interval: draw {@code resamples} samples of {@code n} indices
 * with replacement (seeded, so a report is reproducible), evaluate the statistic on each, and take
 * the {@code (1 - level) / 2} and {@code (1 + level) / 2} quantiles (linear interpolation between
 * order statistics, numpy's default).
 *
 * <p>Resamples where the statistic is undefined (NaN, for example a correlation of a resample whose
 * values are all equal) are left out and counted in {@link Interval#undefined()}; if all of them
 * are undefined the bounds are NaN.
 *
 * @param lower lower bound
 * @param upper upper bound
 * @param level the confidence level, in (0, 1)
 * @param resamples how many resamples were drawn
 * @param undefined how many of them gave NaN
 */
public record BootstrapInterval(
    double lower, double upper, double level, int resamples, int undefined) {

  /** Default number of resamples. */
  public static final int DEFAULT_RESAMPLES = 2000;

  /** Default confidence level. */
  public static final double DEFAULT_LEVEL = 0.95;

  /**
   * Bootstraps {@code statistic} over index samples.
   *
   * @param n how many items to resample, at least 1
   * @param resamples at least 1
   * @param level in (0, 1)
   * @param seed of the draws
   * @param statistic called with {@code n} indices in {@code [0, n)}, drawn with replacement
   */
  public static BootstrapInterval of(
      int n, int resamples, double level, long seed, ToDoubleFunction<int[]> statistic) {
    if (statistic == null) {
      throw new IllegalArgumentException("bootstrap: a statistic is required");
    }
    return stratified(
        new int[] {n}, resamples, level, seed, strata -> statistic.applyAsDouble(strata[0]));
  }

  /**
   * Bootstraps {@code statistic} with independent resampling inside each stratum (for example the
   * datasets of each benchmark group): resample {@code b} gives the statistic one index array per
   * stratum, {@code sizes[s]} indices in {@code [0, sizes[s])} drawn with replacement.
   *
   * @param sizes items per stratum, each at least 1
   */
  public static BootstrapInterval stratified(
      int[] sizes, int resamples, double level, long seed, ToDoubleFunction<int[][]> statistic) {
    boolean sizesOk = sizes != null && sizes.length > 0;
    for (int i = 0; sizesOk && i < sizes.length; i++) {
      sizesOk = sizes[i] >= 1;
    }
    if (!sizesOk || resamples < 1 || !(level > 0 && level < 1) || statistic == null) {
      throw new IllegalArgumentException(
          String.format(
              "bootstrap: n %s and resamples %d must be at least 1, level %s in (0, 1), and a"
                  + " statistic given",
              sizes == null ? "null" : (sizes.length == 1 ? sizes[0] : Arrays.toString(sizes)),
              resamples,
              level));
    }
    SplittableRandom random = new SplittableRandom(seed);
    double[] values = new double[resamples];
    int defined = 0;
    for (int b = 0; b < resamples; b++) {
      int[][] strata = new int[sizes.length][];
      for (int s = 0; s < sizes.length; s++) {
        strata[s] = new int[sizes[s]];
        for (int i = 0; i < sizes[s]; i++) {
          strata[s][i] = random.nextInt(sizes[s]);
        }
      }
      double v = statistic.applyAsDouble(strata);
      if (!Double.isNaN(v)) {
        values[defined++] = v;
      }
    }
    if (defined == 0) {
      return new BootstrapInterval(Double.NaN, Double.NaN, level, resamples, resamples);
    }
    double[] sorted = Arrays.copyOf(values, defined);
    Arrays.sort(sorted);
    return new BootstrapInterval(
        quantile(sorted, (1 - level) / 2),
        quantile(sorted, (1 + level) / 2),
        level,
        resamples,
        resamples - defined);
  }

  /** numpy's default ("linear") quantile of sorted values. */
  static double quantile(double[] sorted, double q) {
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    double fraction = position - below;
    return sorted[below] + fraction * (sorted[above] - sorted[below]);
  }
}
