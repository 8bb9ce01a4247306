package dev.synque.monitor.core;

import java.util.Random;

/** Seeded random embedding sets for the proxy tests. */
final class KernelTestData {

  private KernelTestData() {}

  static double[][] gaussian(long seed, int n, int d, double shift, double scale) {
    Random random = new Random(seed);
    double[][] rows = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < d; k++) {
        rows[i][k] = shift + scale * random.nextGaussian();
      }
    }
    return rows;
  }

  static EmbeddingSet set(String name, double[][] rows) {
    return EmbeddingSet.of(name, rows);
  }

  /** The same rows in a seeded random order. */
  static EmbeddingSet shuffled(double[][] rows, long seed) {
    double[][] copy = rows.clone();
    Random random = new Random(seed);
    for (int i = copy.length - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      double[] t = copy[i];
      copy[i] = copy[j];
      copy[j] = t;
    }
    return EmbeddingSet.of("shuffled", copy);
  }
}
