package dev.synque.monitor.core;

/**
 * Mean distance to medoid (MDM) of the synthetic set alone: a diversity proxy from k-medoids
 * clustering.
 *
 * <p><b>Formula.</b> Cluster X into {@code k = min(5, n)} clusters with k-medoids under the
 * Euclidean distance, then {@code MDM = (1/k) sum_{non-empty clusters C} mean_{x in C} |x -
 * medoid(C)|}, as in the SynQuE authors' code (each medoid counts as a member of its own cluster,
 * at distance 0; empty clusters add nothing but still count in {@code k}).
 *
 * <p><b>Clustering.</b> The authors call {@code kmedoids.fasterpam(D, 5, random_state=42)}, a
 * randomly initialised local search. Here classic PAM (Kaufman and Rousseeuw) is used instead:
 * greedy BUILD, then SWAP steps that each apply the single best medoid/non-medoid exchange until
 * none lowers the total distance. It needs no random numbers, so the result is fully deterministic
 * (ties go to the lowest index). Both are local searches over the same swap neighbourhood and
 * usually end at the same medoids; where they stop at different local optima, values differ from
 * the authors'. On the tiny test fixtures PAM finds the brute-force optimum. Points are assigned to
 * their nearest medoid, ties to the medoid chosen first. Cost: {@code O(n^2 d)} for the distance
 * matrix ({@code n^2} doubles of memory) plus {@code O(k n^2)} per SWAP step.
 *
 * <p><b>Sign.</b> {@link Orientation#HIGHER_IS_BETTER}: more spread, more diverse. Non-negative, in
 * the units of the embeddings.
 *
 * <p><b>Edge cases.</b> The reference set is ignored. With {@code n <= 5} every point is its own
 * medoid and MDM is 0; identical vectors give 0. Invariant under permutation of the vectors (except
 * for how exact ties are broken). Immutable and thread-safe.
 */
public final class MeanDistanceToMedoid implements QualityProxy {

  /** The authors' number of clusters. */
  public static final int DEFAULT_CLUSTERS = 5;

  private static final int MAX_SWAPS = 10_000;

  private final int clusters;

  /** MDM with the authors' {@code k = 5}. */
  public MeanDistanceToMedoid() {
    this(DEFAULT_CLUSTERS);
  }

  /** MDM with {@code k >= 1} clusters (reduced to {@code n} for smaller sets). */
  public MeanDistanceToMedoid(int clusters) {
    if (clusters < 1) {
      throw new IllegalArgumentException("mdm: " + clusters + " clusters; at least 1 is required");
    }
    this.clusters = clusters;
  }

  @Override
  public String name() {
    return "mdm";
  }

  /** False: a property of the synthetic set alone. */
  @Override
  public boolean usesReference() {
    return false;
  }

  @Override
  public Orientation orientation() {
    return Orientation.HIGHER_IS_BETTER;
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    int n = synthetic.size();
    int k = Math.min(clusters, n);
    double[][] distance = distances(synthetic);
    int[] medoids = medoids(distance, k);
    double[] sum = new double[k];
    int[] count = new int[k];
    for (int j = 0; j < n; j++) {
      int best = 0;
      for (int m = 1; m < k; m++) {
        if (distance[medoids[m]][j] < distance[medoids[best]][j]) {
          best = m;
        }
      }
      sum[best] += distance[medoids[best]][j];
      count[best]++;
    }
    double total = 0;
    for (int m = 0; m < k; m++) {
      if (count[m] > 0) {
        total += sum[m] / count[m];
      }
    }
    return total / k;
  }

  /** The Euclidean distance matrix of a set. */
  static double[][] distances(EmbeddingSet set) {
    int n = set.size();
    int d = set.dimension();
    double[] data = set.rowMajor();
    double[][] distance = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        double s = 0;
        for (int c = 0; c < d; c++) {
          double diff = data[i * d + c] - data[j * d + c];
          s += diff * diff;
        }
        distance[i][j] = Math.sqrt(s);
        distance[j][i] = distance[i][j];
      }
    }
    return distance;
  }

  /**
   * PAM BUILD then SWAP on a symmetric distance matrix.
   *
   * @return the indices of {@code k <= n} medoids, in the order they were chosen or swapped in
   */
  static int[] medoids(double[][] distance, int k) {
    int n = distance.length;
    int[] medoids = new int[k];
    boolean[] isMedoid = new boolean[n];
    double[] nearest = new double[n];
    java.util.Arrays.fill(nearest, Double.POSITIVE_INFINITY);
    // BUILD: add, one at a time, the point that lowers the total distance most.
    for (int m = 0; m < k; m++) {
      int best = -1;
      double bestCost = Double.POSITIVE_INFINITY;
      for (int o = 0; o < n; o++) {
        if (isMedoid[o]) {
          continue;
        }
        double cost = 0;
        for (int j = 0; j < n; j++) {
          cost += Math.min(nearest[j], distance[o][j]);
        }
        if (cost < bestCost) {
          bestCost = cost;
          best = o;
        }
      }
      medoids[m] = best;
      isMedoid[best] = true;
      for (int j = 0; j < n; j++) {
        nearest[j] = Math.min(nearest[j], distance[best][j]);
      }
    }
    // SWAP: apply the best exchange while it strictly lowers the total distance.
    int[] nearSlot = new int[n];
    double[] first = new double[n];
    double[] second = new double[n];
    for (int swaps = 0; swaps < MAX_SWAPS; swaps++) {
      double total = 0;
      for (int j = 0; j < n; j++) {
        first[j] = Double.POSITIVE_INFINITY;
        second[j] = Double.POSITIVE_INFINITY;
        for (int m = 0; m < k; m++) {
          double dj = distance[medoids[m]][j];
          if (dj < first[j]) {
            second[j] = first[j];
            first[j] = dj;
            nearSlot[j] = m;
          } else if (dj < second[j]) {
            second[j] = dj;
          }
        }
        total += first[j];
      }
      double bestDelta = -1e-12 * Math.max(total, Double.MIN_NORMAL);
      int bestSlot = -1;
      int bestPoint = -1;
      for (int m = 0; m < k; m++) {
        for (int o = 0; o < n; o++) {
          if (isMedoid[o]) {
            continue;
          }
          double delta = 0;
          for (int j = 0; j < n; j++) {
            double without = nearSlot[j] == m ? second[j] : first[j];
            delta += Math.min(without, distance[o][j]) - first[j];
          }
          if (delta < bestDelta) {
            bestDelta = delta;
            bestSlot = m;
            bestPoint = o;
          }
        }
      }
      if (bestSlot < 0) {
        break;
      }
      isMedoid[medoids[bestSlot]] = false;
      medoids[bestSlot] = bestPoint;
      isMedoid[bestPoint] = true;
    }
    return medoids;
  }
}
