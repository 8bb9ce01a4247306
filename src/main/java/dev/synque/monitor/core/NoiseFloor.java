package dev.synque.monitor.core;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * A proxy's value between two random halves of the reference set, repeated: what the proxy gives
 * real data against real data, so that a generator's score can be read as "this far above
 * real-versus-real".
 *
 * <p>Each repeat shuffles the reference indices (Fisher-Yates from a {@link SplittableRandom} with
 * the given seed, so a rerun or a replay gives the same floor), takes the first {@code floor(m /
 * 2)} as the "synthetic" half and the rest as the reference half, and computes the proxy. The floor
 * summarises the repeats by their mean, sample standard deviation and 95th percentile (linear
 * interpolation, numpy's default).
 *
 * <p>How to read it: the halves hold {@code m / 2} vectors each, fewer than a generator's window,
 * and a proxy's small-sample bias grows as sets shrink (the biased MMD²'s by about {@code 1/n +
 * 1/m}), so the floor sits somewhat above what two full-size real samples would give. A score at or
 * below the floor's 95th percentile is indistinguishable from real data at this reference size.
 *
 * @param proxy the proxy's name
 * @param values the proxy between the halves, one per repeat (a copy)
 * @param mean the mean of {@link #values}
 * @param sd their sample standard deviation (divisor {@code r - 1}; 0 for one repeat)
 * @param p95 their 95th percentile
 */
public record NoiseFloor(String proxy, double[] values, double mean, double sd, double p95) {

  /** Default number of random splits. */
  public static final int DEFAULT_REPEATS = 10;

  public NoiseFloor {
    values = values.clone();
  }

  @Override
  public double[] values() {
    return values.clone();
  }

  /**
   * The noise floor of a proxy for a reference set.
   *
   * @param proxy one that uses the reference ({@link QualityProxy#usesReference()})
   * @param reference at least 4 vectors (two per half)
   * @param repeats at least 1
   * @param seed of the splits
   * @throws IllegalArgumentException for a reference-free proxy, a reference too small or no
   *     repeats
   */
  public static NoiseFloor of(QualityProxy proxy, EmbeddingSet reference, int repeats, long seed) {
    return of(proxy, reference, halves(reference.size(), repeats, seed));
  }

  /**
   * The noise floor over given splits: for each split, the proxy of the rows {@code split[0]} (as
   * the synthetic set) against the rows {@code split[1]}.
   */
  public static NoiseFloor of(QualityProxy proxy, EmbeddingSet reference, int[][][] splits) {
    if (!proxy.usesReference()) {
      throw new IllegalArgumentException(
          "noise floor: proxy " + proxy.name() + " does not use the reference set");
    }
    if (splits.length == 0) {
      throw new IllegalArgumentException("noise floor: at least one split is required");
    }
    double[] values = new double[splits.length];
    for (int s = 0; s < splits.length; s++) {
      values[s] =
          proxy.compute(
              rows(reference, splits[s][0], "reference half A"),
              rows(reference, splits[s][1], "reference half B"));
    }
    double mean = MmdWitness.mean(values);
    double sd = Math.sqrt(MmdWitness.sampleVariance(values));
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return new NoiseFloor(proxy.name(), values, mean, sd, BootstrapInterval.quantile(sorted, 0.95));
  }

  /**
   * {@code repeats} random splits of {@code 0..m-1}: {@code [s][0]} the first {@code floor(m/2)}
   * shuffled indices, {@code [s][1]} the rest, each in ascending order.
   *
   * @throws IllegalArgumentException for {@code m < 4} or {@code repeats < 1}
   */
  public static int[][][] halves(int m, int repeats, long seed) {
    if (m < 4) {
      throw new IllegalArgumentException(
          "noise floor: the reference has " + m + " vectors; at least 4 are needed to split it");
    }
    if (repeats < 1) {
      throw new IllegalArgumentException("noise floor: repeats " + repeats + " must be at least 1");
    }
    SplittableRandom random = new SplittableRandom(seed);
    int[][][] out = new int[repeats][][];
    int[] index = new int[m];
    for (int s = 0; s < repeats; s++) {
      for (int i = 0; i < m; i++) {
        index[i] = i;
      }
      for (int i = m - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = index[i];
        index[i] = index[j];
        index[j] = t;
      }
      int[] a = Arrays.copyOfRange(index, 0, m / 2);
      int[] b = Arrays.copyOfRange(index, m / 2, m);
      Arrays.sort(a);
      Arrays.sort(b);
      out[s] = new int[][] {a, b};
    }
    return out;
  }

  private static EmbeddingSet rows(EmbeddingSet set, int[] indices, String name) {
    int d = set.dimension();
    double[] data = set.rowMajor();
    double[] out = new double[indices.length * d];
    for (int k = 0; k < indices.length; k++) {
      System.arraycopy(data, indices[k] * d, out, k * d, d);
    }
    return EmbeddingSet.wrap(name, indices.length, d, out);
  }
}
