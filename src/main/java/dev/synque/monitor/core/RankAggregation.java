package dev.synque.monitor.core;

import java.util.List;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

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
      if (!shared(column, n)) {
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

  /**
   * Whether a proxy enters a combined score: it scored at least {@value #MIN_SHARED} of the {@code
   * n} candidates (every candidate when {@code n} is 1). The one rule of {@link #combine} and
   * {@link #combineWeighted}.
   */
  private static boolean shared(ProxyColumn column, int n) {
    return present(column.values()) >= Math.min(MIN_SHARED, n);
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

  /** The agreement-weighted combined proxy's name in records and reports. */
  public static final String AGREEMENT_NAME = "combined_pc1";

  /**
   * Weights for the proxies from their agreement alone (no performance numbers): the leading
   * eigenvector of the proxies' Spearman correlation matrix over the candidates, signed so its
   * entries sum to a non-negative number, negative entries set to 0, then scaled to sum 1.
   *
   * <p>Why: if every proxy's ranking is the unknown true ranking plus its own independent noise (a
   * one-factor model), the correlation between two proxies is the product of their loadings on the
   * truth, the matrix is rank one off the diagonal, and its leading eigenvector is proportional to
   * the loadings: proxies that agree with the consensus of the others weigh more, a proxy that
   * agrees with none weighs about nothing, and one that disagrees weighs nothing. This is the
   * spectral idea of Parisi et al. (PNAS 2014, "Ranking and combining multiple predictors without
   * labeled data") applied to ranks. Correlations use the oriented rank scores of {@link
   * #rankScores} over the candidates both proxies scored; a pair with fewer than 3 such candidates
   * or no variation correlates 0. With a single proxy, when the two largest eigenvalues tie (within
   * 1e-9: no leading direction, for example when no pair correlates) or when every entry of the
   * eigenvector is 0, the weights are equal.
   *
   * @param columns as for {@link #combine}
   * @return one weight per column, non-negative, summing to 1
   */
  public static double[] agreementWeights(List<ProxyColumn> columns) {
    int p = columns.size();
    double[][] scores = new double[p][];
    for (int i = 0; i < p; i++) {
      scores[i] = rankScores(columns.get(i).values(), columns.get(i).orientation());
    }
    DMatrixRMaj corr = new DMatrixRMaj(p, p);
    for (int i = 0; i < p; i++) {
      corr.set(i, i, 1);
      for (int j = i + 1; j < p; j++) {
        double r = pairwisePearson(scores[i], scores[j]);
        corr.set(i, j, r);
        corr.set(j, i, r);
      }
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(p, true, true);
    if (!eig.decompose(corr)) {
      throw new IllegalStateException("rank aggregation: the eigendecomposition did not converge");
    }
    int lead = 0;
    for (int i = 1; i < p; i++) {
      if (eig.getEigenvalue(i).getReal() > eig.getEigenvalue(lead).getReal()) {
        lead = i;
      }
    }
    double second = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < p; i++) {
      if (i != lead) {
        second = Math.max(second, eig.getEigenvalue(i).getReal());
      }
    }
    if (p == 1 || eig.getEigenvalue(lead).getReal() - second < 1e-9) {
      // no leading direction (for example no pair correlates): nothing to prefer
      double[] equal = new double[p];
      java.util.Arrays.fill(equal, 1.0 / p);
      return equal;
    }
    DMatrixRMaj v = eig.getEigenVector(lead);
    double sum = 0;
    for (int i = 0; i < p; i++) {
      sum += v.get(i);
    }
    double sign = sum < 0 ? -1 : 1;
    double[] w = new double[p];
    double total = 0;
    for (int i = 0; i < p; i++) {
      w[i] = Math.max(0, sign * v.get(i));
      total += w[i];
    }
    for (int i = 0; i < p; i++) {
      w[i] = total > 0 ? w[i] / total : 1.0 / p;
    }
    return w;
  }

  /**
   * The weighted combined score: {@code sum_p w_p score_p(c) / sum_p w_p} over the shared proxies
   * (the rule of {@link #combine}: a proxy that scored a lone candidate does not enter) that scored
   * candidate {@code c}; NaN when none with positive weight did.
   *
   * @param weights one per column, non-negative and finite
   */
  public static double[] combineWeighted(List<ProxyColumn> columns, double[] weights) {
    if (columns == null
        || columns.isEmpty()
        || weights == null
        || weights.length != columns.size()) {
      throw new IllegalArgumentException(
          "rank aggregation: one weight per proxy is required, got "
              + (weights == null ? "none" : weights.length)
              + " for "
              + (columns == null ? 0 : columns.size())
              + " proxies");
    }
    int n = columns.get(0).values().length;
    double[] sum = new double[n];
    double[] weight = new double[n];
    for (int p = 0; p < columns.size(); p++) {
      if (!(weights[p] >= 0) || Double.isInfinite(weights[p])) {
        throw new IllegalArgumentException(
            "rank aggregation: weight "
                + weights[p]
                + " of "
                + columns.get(p).proxy()
                + " must be finite and non-negative");
      }
      if (columns.get(p).values().length != n) {
        throw new IllegalArgumentException(
            String.format(
                "rank aggregation: proxy %s scores %d candidates, expected %d",
                columns.get(p).proxy(), columns.get(p).values().length, n));
      }
      if (!shared(columns.get(p), n) || weights[p] == 0) {
        continue;
      }
      double[] scores = rankScores(columns.get(p).values(), columns.get(p).orientation());
      for (int c = 0; c < n; c++) {
        if (!Double.isNaN(scores[c])) {
          sum[c] += weights[p] * scores[c];
          weight[c] += weights[p];
        }
      }
    }
    double[] out = new double[n];
    for (int c = 0; c < n; c++) {
      out[c] = weight[c] > 0 ? sum[c] / weight[c] : Double.NaN;
    }
    return out;
  }

  /** Pearson correlation over the positions where both are numbers; 0 when undefined. */
  static double pairwisePearson(double[] a, double[] b) {
    int n = 0;
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
        n++;
        ma += a[i];
        mb += b[i];
      }
    }
    if (n < 3) {
      return 0;
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      if (!Double.isNaN(a[i]) && !Double.isNaN(b[i])) {
        sab += (a[i] - ma) * (b[i] - mb);
        saa += (a[i] - ma) * (a[i] - ma);
        sbb += (b[i] - mb) * (b[i] - mb);
      }
    }
    return saa > 0 && sbb > 0 ? sab / Math.sqrt(saa * sbb) : 0;
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
