package dev.synque.monitor.core;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Which candidates a proxy can tell apart: the probability that one beats another, and tiers of
 * candidates that cannot be separated at a stated level.
 *
 * <p><b>P(A beats B).</b> With estimates {@code v_A}, {@code v_B} and the standard deviation {@code
 * s} of their difference (for MMD² against a shared reference, {@link
 * MmdWitness#pairedDifferenceError}; for independent estimates {@code sqrt(se_A² + se_B²)}), under
 * a normal approximation with a flat prior, {@code P(A beats B) = Phi(g / s)} where {@code g = v_B
 * - v_A} for {@link Orientation#LOWER_IS_BETTER} and {@code v_A - v_B} for {@link
 * Orientation#HIGHER_IS_BETTER}. {@code s = 0} gives 1, 0.5 or 0 as {@code g} is positive, zero or
 * negative.
 *
 * <p><b>Tiers.</b> Candidates are sorted best first (ties by index). Tier 1 starts at the best one,
 * its head. Walking down, a candidate joins the current tier unless its tier's head beats it with
 * probability at least {@code level}; then it heads a new tier. So every member of a tier is
 * indistinguishable from its head at that level, and every head is separated from the previous
 * head. (A one-sided test at {@code 1 - level} per step, not corrected for multiple comparisons.)
 *
 * <p>Pure; immutable results; inputs are not modified.
 */
public final class Separation {

  /** The default level: a head must beat a candidate with probability 0.95 to separate them. */
  public static final double DEFAULT_LEVEL = 0.95;

  private Separation() {}

  /** The standard deviation of the difference between candidates {@code a} and {@code b}. */
  @FunctionalInterface
  public interface DifferenceError {
    /** Non-negative and finite for distinct candidates. */
    double of(int a, int b);

    /** Independent estimates: {@code sqrt(se[a]² + se[b]²)}. */
    static DifferenceError independent(double[] standardErrors) {
      double[] se = standardErrors.clone();
      return (a, b) -> Math.sqrt(se[a] * se[a] + se[b] * se[b]);
    }
  }

  /**
   * The tiers of some candidates.
   *
   * @param order candidate indices, best first
   * @param tier each candidate's tier (1 = best), indexed by candidate
   * @param beatsNext for position {@code p} in {@link #order}, P(order[p] beats order[p + 1]); NaN
   *     for the last
   * @param level the level used
   */
  public record Tiers(int[] order, int[] tier, double[] beatsNext, double level) {
    public Tiers {
      order = order.clone();
      tier = tier.clone();
      beatsNext = beatsNext.clone();
    }

    @Override
    public int[] order() {
      return order.clone();
    }

    @Override
    public int[] tier() {
      return tier.clone();
    }

    @Override
    public double[] beatsNext() {
      return beatsNext.clone();
    }

    /** How many tiers there are. */
    public int count() {
      return Arrays.stream(tier).max().orElse(0);
    }
  }

  /**
   * P(A beats B) for estimates {@code a} and {@code b} whose difference has standard deviation
   * {@code sd}.
   *
   * @throws IllegalArgumentException for a NaN estimate or a negative or non-finite {@code sd}
   */
  public static double probabilityBeats(double a, double b, double sd, Orientation orientation) {
    if (Double.isNaN(a) || Double.isNaN(b) || !(sd >= 0) || Double.isInfinite(sd)) {
      throw new IllegalArgumentException(
          "separation: estimates "
              + a
              + " and "
              + b
              + " must be numbers and the deviation "
              + sd
              + " finite and non-negative");
    }
    double gap = orientation == Orientation.LOWER_IS_BETTER ? b - a : a - b;
    if (sd == 0) {
      return gap > 0 ? 1 : gap == 0 ? 0.5 : 0;
    }
    return normalCdf(gap / sd);
  }

  /**
   * Tiers of the candidates.
   *
   * @param estimates one per candidate, at least one, none NaN
   * @param orientation of the proxy
   * @param error the standard deviation of each pairwise difference
   * @param level in {@code (0.5, 1)}
   */
  public static Tiers tiers(
      double[] estimates, Orientation orientation, DifferenceError error, double level) {
    if (estimates == null || estimates.length == 0) {
      throw new IllegalArgumentException("separation: at least one candidate is required");
    }
    if (!(level > 0.5 && level < 1)) {
      throw new IllegalArgumentException("separation: level " + level + " must be in (0.5, 1)");
    }
    int n = estimates.length;
    double sign = orientation == Orientation.LOWER_IS_BETTER ? 1 : -1;
    Integer[] boxed = new Integer[n];
    for (int i = 0; i < n; i++) {
      if (Double.isNaN(estimates[i])) {
        throw new IllegalArgumentException("separation: candidate " + i + " has no estimate");
      }
      boxed[i] = i;
    }
    Arrays.sort(
        boxed,
        Comparator.<Integer>comparingDouble(i -> sign * estimates[i]).thenComparingInt(i -> i));
    int[] order = Arrays.stream(boxed).mapToInt(Integer::intValue).toArray();
    int[] tier = new int[n];
    double[] beatsNext = new double[n];
    int head = order[0];
    int current = 1;
    tier[head] = 1;
    for (int p = 1; p < n; p++) {
      int c = order[p];
      int previous = order[p - 1];
      beatsNext[p - 1] =
          probabilityBeats(estimates[previous], estimates[c], error.of(previous, c), orientation);
      double headBeats =
          probabilityBeats(estimates[head], estimates[c], error.of(head, c), orientation);
      if (headBeats >= level) {
        current++;
        head = c;
      }
      tier[c] = current;
    }
    beatsNext[n - 1] = Double.NaN;
    return new Tiers(order, tier, beatsNext, level);
  }

  /**
   * The standard normal distribution function, by Marsaglia's (2004) series {@code Phi(z) = 1/2 +
   * phi(z) (z + z³/3 + z⁵/(3·5) + ...)} for {@code |z| <= 3}, and beyond by Laplace's continued
   * fraction for {@code 1 - Phi(|z|)} (60 terms; relative error about 1e-14 there); exactly 0 below
   * -38 and 1 above 38. Checked against scipy to 1e-14 absolute.
   */
  public static double normalCdf(double z) {
    if (Double.isNaN(z)) {
      return Double.NaN;
    }
    if (z < -3) {
      // the series loses relative accuracy in the tails; the continued fraction keeps it
      return z < -38 ? 0 : tail(-z);
    }
    if (z > 3) {
      return z > 38 ? 1 : 1 - tail(z);
    }
    double s = z;
    double t = 0;
    double b = z;
    double q = z * z;
    double i = 1;
    while (s != t) {
      t = s;
      i += 2;
      b *= q / i;
      s = t + b;
    }
    return 0.5 + s * Math.exp(-0.5 * q - 0.91893853320467274178);
  }

  /** {@code 1 - Phi(z)} for {@code z > 3} by the asymptotic continued fraction (Laplace). */
  private static double tail(double z) {
    // 1 - Phi(z) = phi(z) / (z + 1/(z + 2/(z + 3/(z + ...))))
    double f = z;
    for (int k = 60; k >= 1; k--) {
      f = z + k / f;
    }
    return Math.exp(-0.5 * z * z - 0.91893853320467274178) / f;
  }
}
