package dev.synque.monitor.core;

import java.util.List;

/**
 * The {@code combined} proxy: a Borda count over single proxies. Each proxy ranks the candidates
 * (datasets offline, generators live) by its own {@link Orientation}; the combined value of a
 * candidate is the mean over proxies of its rank score
 *
 * <pre>
 *   score_p(c) = (n - rank_p(c)) / (n - 1)      rank 1 = best under p, ties share their mean rank
 *   combined(c) = mean over proxies p of score_p(c)
 * </pre>
 *
 * <p>so 1 means best under every proxy and 0 worst under every proxy. Sign: {@link
 * Orientation#HIGHER_IS_BETTER}. Why a rank rule: the proxies live on incomparable scales (MMD² in
 * kernel units, Fréchet in squared embedding units, PAD in [0, 2]), ranks need no scaling, and
 * nothing is fitted to downstream results, so the rule cannot overfit a benchmark. Every proxy
 * weighs the same.
 *
 * <p><b>Shared proxies only.</b> A proxy enters the combined score only when it scored at least
 * {@value #MIN_SHARED} candidates (or every candidate, when there is just one): a rank among one is
 * no comparison, and counting it would let a lone value decide. Example: candidates A and B tie on
 * two embedding proxies (A first on one, B first on the other, C last on both: 0.75 each); if only
 * A has an early LENS score, averaging that lone score (rank score 1) in would give A 0.833 against
 * B's 0.75. With the rule, the LENS column is left out until a second candidate has a LENS score,
 * and A and B stay tied at 0.75.
 *
 * <p>Edge cases: a single candidate scores 1 on every proxy it has; a proxy whose values are all
 * equal gives every candidate 0.5 (no information, no effect on the order); a missing (NaN) value
 * of a shared proxy for a candidate means that proxy is left out for that candidate only (the mean
 * runs over the shared proxies that did score it), and a candidate no shared proxy scored gets NaN.
 */
public final class RankAggregation {

  /** The combined proxy's name in records, metrics and reports. */
  public static final String NAME = "combined";

  /**
   * Candidates a proxy must score to enter the combined score (capped at the number of candidates).
   */
  public static final int MIN_SHARED = 2;

  private RankAggregation() {}

  /** One proxy's values for all candidates (NaN where it has none) and its orientation. */
  public record ProxyColumn(String proxy, Orientation orientation, double[] values) {
    /**
     * @throws IllegalArgumentException for a null part or an infinite value
     */
    public ProxyColumn {
      if (proxy == null || orientation == null || values == null) {
        throw new IllegalArgumentException("rank aggregation: proxy, orientation, values required");
      }
      for (double v : values) {
        if (Double.isInfinite(v)) {
          throw new IllegalArgumentException(
              "rank aggregation: proxy " + proxy + " has value " + v + "; use NaN for missing");
        }
      }
      values = values.clone();
    }
  }

  /**
   * The combined score of each candidate.
   *
   * @param columns at least one, all of the same length (the number of candidates, at least 1)
   * @return one value per candidate, in {@code [0, 1]}, or NaN when no shared proxy (see the class
   *     comment) scored it
   */
  public static double[] combine(List<ProxyColumn> columns) {
    if (columns == null || columns.isEmpty()) {
      throw new IllegalArgumentException("rank aggregation: at least one proxy is required");
    }
    int n = columns.get(0).values().length;
    if (n == 0) {
      throw new IllegalArgumentException("rank aggregation: no candidates");
    }
    double[] sum = new double[n];
    int[] count = new int[n];
    for (ProxyColumn column : columns) {
      if (column.values().length != n) {
        throw new IllegalArgumentException(
            String.format(
                "rank aggregation: proxy %s scores %d candidates, expected %d",
                column.proxy(), column.values().length, n));
      }
      if (present(column.values()) < Math.min(MIN_SHARED, n)) {
        continue;
      }
      double[] scores = rankScores(column.values(), column.orientation());
      for (int c = 0; c < n; c++) {
        if (!Double.isNaN(scores[c])) {
          sum[c] += scores[c];
          count[c]++;
        }
      }
    }
    double[] combined = new double[n];
    for (int c = 0; c < n; c++) {
      combined[c] = count[c] == 0 ? Double.NaN : sum[c] / count[c];
    }
    return combined;
  }

  private static int present(double[] values) {
    int m = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        m++;
      }
    }
    return m;
  }

  /**
   * {@code (m - rank) / (m - 1)} among the {@code m} non-NaN values (rank 1 = best, ties averaged);
   * 1 when {@code m = 1}; NaN where the value is NaN.
   */
  static double[] rankScores(double[] values, Orientation orientation) {
    int m = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        m++;
      }
    }
    double[] present = new double[m];
    int k = 0;
    for (double v : values) {
      if (!Double.isNaN(v)) {
        // Rank ascending on "badness": negate values where higher is better.
        present[k++] = orientation == Orientation.HIGHER_IS_BETTER ? -v : v;
      }
    }
    double[] ranks = m == 0 ? present : Correlation.averageRanks(present);
    double[] scores = new double[values.length];
    k = 0;
    for (int c = 0; c < values.length; c++) {
      if (Double.isNaN(values[c])) {
        scores[c] = Double.NaN;
      } else {
        scores[c] = m == 1 ? 1 : (m - ranks[k++]) / (m - 1);
      }
    }
    return scores;
  }
}
