package dev.synque.monitor.core;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * MAUVE (Pillutla et al. 2021) between the synthetic and the reference set, following {@code
 * mauve-text} except for the number of clusters.
 *
 * <p><b>Features.</b> As {@code mauve-text} ({@code cluster_feats} with {@code norm='l2'}, {@code
 * whiten=False}, {@code kmeans_explained_var=0.9}): every row of X and R, pooled, is scaled to unit
 * Euclidean length (a zero row stays zero), the rows are centred and projected onto their leading
 * principal components, keeping the fewest components whose cumulative share of the total variance
 * is at least 0.9 (at least one; all-equal rows give one all-zero component). See {@link
 * #principalComponents}.
 *
 * <p><b>Number of clusters.</b> {@code k = max(2, rint((|X| + |R|) / 20))}, rounding half to even
 * like Python's {@code round}. {@code mauve-text}'s {@code num_buckets='auto'} is {@code max(2,
 * round(min(|X|, |R|) / 10))}: its authors size the quantisation for two samples of equal size
 * {@code n} (then k = n / 10, about 20 points of the pooled set per cluster). The clusters quantise
 * the pooled set, so their count should follow the pooled size: the rule here keeps the same 20
 * pooled points per cluster and equals {@code mauve-text}'s rule whenever {@code |X| = |R|}. With
 * {@code min}, a small reference starves the quantisation: 1,000 synthetic and 30 real points get 3
 * clusters, too coarse to see any difference in shape, and the score stops ranking anything; the
 * pooled rule gives 52 clusters there, each reference point landing in a bin whose synthetic mass
 * is measured against it. The rule was chosen on this reasoning, not on downstream results. {@link
 * #mauveTextBuckets} keeps the original rule for comparison.
 *
 * <p><b>Quantisation.</b> K-means on the projected rows: k-means++ seeding from a {@link
 * SplittableRandom} with the given seed (default 25, {@code mauve-text}'s), then Lloyd iterations
 * (at most 500, until no assignment changes; an empty cluster keeps its centroid), best of 5 runs
 * by inertia. ({@code mauve-text} uses faiss' k-means with the same run and iteration counts; the
 * seeding differs, so individual values differ slightly.) {@code p} and {@code q} are the cluster
 * histograms of X and R, each normalised to sum 1.
 *
 * <p><b>From histograms.</b> For {@code lambda} in {@code linspace(1e-6, 1 - 1e-6, 25)}, {@code r =
 * lambda p + (1 - lambda) q} and the point {@code (exp(-c KL(q || r)), exp(-c KL(p || r)))} with
 * {@code c = 5}; add the end points {@code (0, 1)} and {@code (1, 0)}, sort by the first coordinate
 * and take the trapezoidal area. {@code KL(a || b) = sum_{a_i > 0} a_i log(a_i / b_i)}.
 *
 * <p><b>Sign.</b> {@link Orientation#HIGHER_IS_BETTER}. Range {@code (0, 1]}: equal histograms give
 * exactly 1 (every mixture point is {@code (1, 1)}); disjoint histograms give the small value
 * {@code trapezoid area of {(0,1), ((1-lambda)^c, lambda^c), (1,0)}} (about 0.0041 with the
 * defaults).
 *
 * <p><b>Edge cases.</b> Throws {@link IllegalArgumentException} when the dimensions differ. Single
 * vectors are allowed (then {@code k = 2}). Deterministic given the seed; invariant under
 * permutation of the histogram bins. Immutable and thread-safe.
 */
public final class Mauve implements QualityProxy {

  /** {@code mauve-text}'s default scaling factor {@code c}. */
  public static final double DEFAULT_SCALING = 5.0;

  /** {@code mauve-text}'s default number of mixture weights. */
  public static final int DEFAULT_DISCRETIZATION = 25;

  /** {@code mauve-text}'s default seed. */
  public static final long DEFAULT_SEED = 25L;

  /** Runs of k-means, the best kept ({@code mauve-text}: {@code kmeans_num_redo=5}). */
  public static final int KMEANS_RUNS = 5;

  /** Lloyd iterations per run ({@code mauve-text}: {@code kmeans_max_iter=500}). */
  public static final int KMEANS_MAX_ITERATIONS = 500;

  private final long seed;

  /** MAUVE with the default seed. */
  public Mauve() {
    this(DEFAULT_SEED);
  }

  /** MAUVE with a k-means seed. */
  public Mauve(long seed) {
    this.seed = seed;
  }

  @Override
  public String name() {
    return "mauve";
  }

  @Override
  public Orientation orientation() {
    return Orientation.HIGHER_IS_BETTER;
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    double[][] pq = histograms(synthetic, reference, seed);
    return fromHistograms(pq[0], pq[1]);
  }

  /** Share of the variance the principal components keep ({@code mauve-text}'s default). */
  public static final double EXPLAINED_VARIANCE = 0.9;

  /**
   * The number of clusters for set sizes {@code nx} and {@code nr}: {@code max(2, rint((nx + nr) /
   * 20))} (see the class comment for why the pooled size).
   */
  public static int buckets(int nx, int nr) {
    return Math.max(2, (int) Math.rint((nx + (double) nr) / 20.0));
  }

  /**
   * {@code mauve-text}'s {@code num_buckets='auto'}, {@code max(2, round(min(nx, nr) / 10))}: not
   * used here, kept to document the difference.
   */
  public static int mauveTextBuckets(int nx, int nr) {
    return Math.max(2, (int) Math.rint(Math.min(nx, nr) / 10.0));
  }

  /**
   * Quantises both sets jointly and returns {@code {p, q}}, the normalised cluster histograms of X
   * and R.
   */
  public static double[][] histograms(EmbeddingSet synthetic, EmbeddingSet reference, long seed) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    int nx = synthetic.size();
    int nr = reference.size();
    int k = buckets(nx, nr);
    double[][] rows = new double[nx + nr][];
    for (int i = 0; i < nx; i++) {
      rows[i] = unit(synthetic.row(i));
    }
    for (int i = 0; i < nr; i++) {
      rows[nx + i] = unit(reference.row(i));
    }
    double[][] points = principalComponents(rows, EXPLAINED_VARIANCE);
    int[] labels = kMeans(points, points[0].length, k, seed);
    double[] p = new double[k];
    double[] q = new double[k];
    for (int i = 0; i < nx; i++) {
      p[labels[i]] += 1.0 / nx;
    }
    for (int i = 0; i < nr; i++) {
      q[labels[nx + i]] += 1.0 / nr;
    }
    return new double[][] {p, q};
  }

  /** The row scaled to unit Euclidean length; a zero row stays zero (as sklearn's normalize). */
  static double[] unit(double[] row) {
    double norm = 0;
    for (double v : row) {
      norm += v * v;
    }
    norm = Math.sqrt(norm);
    double[] out = row.clone();
    if (norm > 0) {
      for (int j = 0; j < out.length; j++) {
        out[j] /= norm;
      }
    }
    return out;
  }

  /**
   * The rows centred and projected onto their leading principal components, as sklearn's {@code
   * PCA(n_components=None).fit_transform} truncated to the fewest components whose cumulative
   * explained-variance ratio reaches {@code explained} ({@code np.argmax(cumsum >= explained) +
   * 1}). Each column is determined up to its sign (which no Euclidean distance sees).
   *
   * <p>Computed from the eigendecomposition of the smaller of the scatter matrix {@code Z^T Z}
   * ({@code d x d}) and the Gram matrix {@code Z Z^T} ({@code n x n}) of the centred rows {@code
   * Z}: with {@code Z = U S V^T}, the projection is {@code Z V = U S}. When every row is equal (no
   * variance) the result is one all-zero column.
   *
   * @param rows {@code n >= 1} rows of one length {@code d >= 1}
   * @param explained in {@code (0, 1]}
   * @return {@code n} rows of {@code m} components, {@code 1 <= m <= min(n, d)}
   */
  static double[][] principalComponents(double[][] rows, double explained) {
    if (!(explained > 0 && explained <= 1)) {
      throw new IllegalArgumentException(
          "mauve: explained variance " + explained + " must be in (0, 1]");
    }
    int n = rows.length;
    int d = rows[0].length;
    double[] mean = new double[d];
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        mean[j] += row[j];
      }
    }
    for (int j = 0; j < d; j++) {
      mean[j] /= n;
    }
    DMatrixRMaj z = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        z.unsafe_set(i, j, rows[i][j] - mean[j]);
      }
    }
    boolean scatter = d <= n;
    int m = Math.min(n, d);
    DMatrixRMaj product = new DMatrixRMaj(m, m);
    if (scatter) {
      CommonOps_DDRM.multTransA(z, z, product);
    } else {
      CommonOps_DDRM.multTransB(z, z, product);
    }
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, true, true);
    if (!eig.decompose(product)) {
      throw new IllegalStateException("mauve: the PCA eigendecomposition did not converge");
    }
    Integer[] order = new Integer[m];
    double[] values = new double[m];
    double total = 0;
    for (int i = 0; i < m; i++) {
      order[i] = i;
      values[i] = Math.max(0.0, eig.getEigenvalue(i).getReal());
      total += values[i];
    }
    Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    if (!(total > 0)) {
      return new double[n][1];
    }
    int keep = m;
    double cumulative = 0;
    for (int c = 0; c < m; c++) {
      cumulative += values[order[c]];
      if (cumulative / total >= explained) {
        keep = c + 1;
        break;
      }
    }
    double[][] out = new double[n][keep];
    for (int c = 0; c < keep; c++) {
      DMatrixRMaj vector = eig.getEigenVector(order[c]);
      double norm = Math.sqrt(CommonOps_DDRM.dot(vector, vector));
      if (scatter) {
        // column c of Z V, V's column the unit eigenvector of Z^T Z
        for (int i = 0; i < n; i++) {
          double s = 0;
          for (int j = 0; j < d; j++) {
            s += z.unsafe_get(i, j) * vector.get(j);
          }
          out[i][c] = s / norm;
        }
      } else {
        // column c of U S: the unit eigenvector of Z Z^T times the singular value
        double scale = Math.sqrt(values[order[c]]) / norm;
        for (int i = 0; i < n; i++) {
          out[i][c] = vector.get(i) * scale;
        }
      }
    }
    return out;
  }

  /** Best-of-{@value #KMEANS_RUNS} k-means (k-means++ then Lloyd); returns each point's cluster. */
  static int[] kMeans(double[][] points, int d, int k, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[] bestLabels = null;
    double bestInertia = Double.POSITIVE_INFINITY;
    for (int run = 0; run < KMEANS_RUNS; run++) {
      double[][] centroids = kMeansPlusPlus(points, k, random);
      int[] labels = new int[points.length];
      Arrays.fill(labels, -1);
      double inertia = 0;
      for (int iteration = 0; iteration < KMEANS_MAX_ITERATIONS; iteration++) {
        boolean changed = false;
        inertia = 0;
        for (int i = 0; i < points.length; i++) {
          int best = 0;
          double bestDistance = squared(points[i], centroids[0]);
          for (int c = 1; c < k; c++) {
            double dist = squared(points[i], centroids[c]);
            if (dist < bestDistance) {
              bestDistance = dist;
              best = c;
            }
          }
          inertia += bestDistance;
          if (labels[i] != best) {
            labels[i] = best;
            changed = true;
          }
        }
        if (!changed) {
          break;
        }
        double[][] sums = new double[k][d];
        int[] counts = new int[k];
        for (int i = 0; i < points.length; i++) {
          counts[labels[i]]++;
          for (int j = 0; j < d; j++) {
            sums[labels[i]][j] += points[i][j];
          }
        }
        for (int c = 0; c < k; c++) {
          if (counts[c] > 0) {
            for (int j = 0; j < d; j++) {
              centroids[c][j] = sums[c][j] / counts[c];
            }
          }
        }
      }
      if (inertia < bestInertia) {
        bestInertia = inertia;
        bestLabels = labels;
      }
    }
    return bestLabels;
  }

  private static double[][] kMeansPlusPlus(double[][] points, int k, SplittableRandom random) {
    int n = points.length;
    double[][] centroids = new double[k][];
    centroids[0] = points[random.nextInt(n)].clone();
    double[] nearest = new double[n];
    for (int i = 0; i < n; i++) {
      nearest[i] = squared(points[i], centroids[0]);
    }
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (double v : nearest) {
        total += v;
      }
      int chosen;
      if (total > 0) {
        double target = random.nextDouble() * total;
        chosen = n - 1;
        double cumulative = 0;
        for (int i = 0; i < n; i++) {
          cumulative += nearest[i];
          if (cumulative > target) {
            chosen = i;
            break;
          }
        }
      } else {
        chosen = random.nextInt(n);
      }
      centroids[c] = points[chosen].clone();
      for (int i = 0; i < n; i++) {
        nearest[i] = Math.min(nearest[i], squared(points[i], centroids[c]));
      }
    }
    return centroids;
  }

  private static double squared(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double diff = a[j] - b[j];
      s += diff * diff;
    }
    return s;
  }

  /** MAUVE of two histograms with the defaults {@code c = 5} and 25 mixture weights. */
  public static double fromHistograms(double[] p, double[] q) {
    return fromHistograms(p, q, DEFAULT_SCALING, DEFAULT_DISCRETIZATION);
  }

  /**
   * MAUVE of two histograms over the same bins.
   *
   * @param p the synthetic histogram: non-negative finite, positive sum (normalised here)
   * @param q the reference histogram, likewise
   * @param scaling the scaling factor {@code c > 0}
   * @param discretization the number of mixture weights, at least 2
   */
  public static double fromHistograms(double[] p, double[] q, double scaling, int discretization) {
    double[] pn = normalised("p", p);
    double[] qn = normalised("q", q);
    if (pn.length != qn.length) {
      throw new IllegalArgumentException(
          String.format("mauve: histograms of %d and %d bins", pn.length, qn.length));
    }
    if (!(scaling > 0) || !Double.isFinite(scaling) || discretization < 2) {
      throw new IllegalArgumentException(
          "mauve: scaling "
              + scaling
              + " must be positive, discretization "
              + discretization
              + " at least 2");
    }
    double[][] curve = new double[discretization + 2][];
    curve[0] = new double[] {0, 1};
    double[] r = new double[pn.length];
    for (int s = 0; s < discretization; s++) {
      double lambda = 1e-6 + (1 - 2e-6) * s / (discretization - 1);
      for (int i = 0; i < r.length; i++) {
        r[i] = lambda * pn[i] + (1 - lambda) * qn[i];
      }
      curve[s + 1] = new double[] {Math.exp(-scaling * kl(qn, r)), Math.exp(-scaling * kl(pn, r))};
    }
    curve[discretization + 1] = new double[] {1, 0};
    Arrays.sort(curve, (a, b) -> Double.compare(a[0], b[0]));
    double area = 0;
    for (int s = 1; s < curve.length; s++) {
      area += (curve[s][0] - curve[s - 1][0]) * (curve[s][1] + curve[s - 1][1]) / 2;
    }
    return area;
  }

  private static double kl(double[] a, double[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i] > 0) {
        sum += a[i] * Math.log(a[i] / b[i]);
      }
    }
    return sum;
  }

  private static double[] normalised(String name, double[] h) {
    if (h == null || h.length == 0) {
      throw new IllegalArgumentException("mauve: histogram " + name + " has no bins");
    }
    double total = 0;
    for (double v : h) {
      if (!(v >= 0) || !Double.isFinite(v)) {
        throw new IllegalArgumentException(
            "mauve: histogram " + name + " has a negative or non-finite bin " + v);
      }
      total += v;
    }
    if (!(total > 0)) {
      throw new IllegalArgumentException("mauve: histogram " + name + " sums to 0");
    }
    double[] out = new double[h.length];
    for (int i = 0; i < h.length; i++) {
      out[i] = h[i] / total;
    }
    return out;
  }
}
