package dev.synque.monitor.core;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Streaming count, mean vector and covariance matrix of {@code d}-dimensional embeddings, updated
 * one sample at a time with Welford's algorithm and mergeable with Chan et al.'s parallel formula,
 * so that windows and partitions can be combined without revisiting samples.
 *
 * <p><b>State.</b> The count {@code n}, the mean {@code μ} and the co-moment matrix {@code M2 = Σ
 * (x − μ)(x − μ)ᵀ}. Because {@code M2} is symmetric only its upper triangle (diagonal included) is
 * stored, packed row by row: {@code d(d+1)/2} doubles, 73,920 for {@code d = 384}. Welford's update
 * works on deviations from the running mean, so it stays accurate for data far from the origin (for
 * example components around {@code 1e6}), unlike the textbook {@code Σx², Σx} form.
 *
 * <ul>
 *   <li>{@link #add}: {@code n ← n+1}, {@code δ = x − μ}, {@code μ ← μ + δ/n}, {@code M2 ← M2 + δ
 *       (x − μ)ᵀ = M2 + ((n−1)/n) δ δᵀ}.
 *   <li>{@link #merge}: with {@code δ = μ_b − μ_a}, {@code n = n_a + n_b}: {@code μ = μ_a + δ
 *       n_b/n}, {@code M2 = M2_a + M2_b + δ δᵀ n_a n_b / n}.
 *   <li>{@link #covariance}: {@code M2 / (n − 1)}, the unbiased sample covariance (like {@code
 *       numpy.cov(x, rowvar=False)}); the zero matrix while {@code n < 2}.
 * </ul>
 *
 * <p><b>Threading.</b> Not thread-safe: an instance is mutable state owned by one stream task (one
 * thread). Arrays passed in are not retained; arrays returned are copies.
 *
 * <p><b>Serialised size</b> ({@link #toBytes}): {@code 13 + 8d + 4d(d+1)} bytes, that is 594,445
 * bytes for {@code d = 384} (asserted by a test).
 */
public final class RunningMoments {

  /** The leading byte of {@link #toBytes()}; bumped when the layout changes. */
  public static final byte FORMAT_VERSION = 1;

  /** The largest dimension whose {@link #toBytes()} fits in one Java array (int-sized). */
  public static final int MAX_SERIALIZED_DIMENSION = 16_384;

  private static final String WHAT = "running moments bytes";

  private final int dimension;
  private long count;
  private final double[] mean;

  /** Upper triangle of M2, packed row by row: (i, j ≥ i) at {@link #index(int, int)}. */
  private final double[] m2;

  /**
   * Empty moments of the given dimension.
   *
   * @param dimension the embedding dimension, at least 1
   * @throws IllegalArgumentException when {@code dimension < 1}
   */
  public RunningMoments(int dimension) {
    if (dimension < 1) {
      throw new IllegalArgumentException(
          "running moments dimension " + dimension + " must be at least 1");
    }
    this.dimension = dimension;
    this.mean = new double[dimension];
    this.m2 = new double[triangleSize(dimension)];
  }

  private RunningMoments(int dimension, long count, double[] mean, double[] m2) {
    this.dimension = dimension;
    this.count = count;
    this.mean = mean;
    this.m2 = m2;
  }

  private static int triangleSize(int d) {
    return Math.multiplyExact(d, d + 1) / 2;
  }

  private int index(int i, int j) {
    // row i starts after rows 0..i-1, which hold d, d-1, ..., d-i+1 values
    return i * dimension - i * (i - 1) / 2 + (j - i);
  }

  /**
   * Adds one sample.
   *
   * @param x the sample, never null, of length {@link #dimension()}, all components finite; not
   *     retained
   * @throws IllegalArgumentException for a null sample, a wrong length or a NaN or infinite
   *     component, naming the rule
   */
  public void add(double[] x) {
    if (x == null) {
      throw new IllegalArgumentException("running moments: the sample is null");
    }
    if (x.length != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "running moments: sample has dimension %d, expected %d: all samples must have the"
                  + " same dimension",
              x.length, dimension));
    }
    for (int j = 0; j < dimension; j++) {
      if (!Double.isFinite(x[j])) {
        throw new IllegalArgumentException(
            String.format(
                "running moments: component %d is %s: samples must be finite numbers", j, x[j]));
      }
    }
    count++;
    double[] delta = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      delta[j] = x[j] - mean[j];
      mean[j] += delta[j] / count;
    }
    double factor = (count - 1) / (double) count;
    int k = 0;
    for (int i = 0; i < dimension; i++) {
      double di = delta[i] * factor;
      for (int j = i; j < dimension; j++) {
        m2[k++] += di * delta[j];
      }
    }
  }

  /**
   * Folds {@code other} into this (Chan et al.), as if its samples had been added here. {@code
   * other} is not changed.
   *
   * @throws IllegalArgumentException when the dimensions differ
   */
  public void merge(RunningMoments other) {
    requireSameDimension(other);
    if (other.count == 0) {
      return;
    }
    if (count == 0) {
      count = other.count;
      System.arraycopy(other.mean, 0, mean, 0, dimension);
      System.arraycopy(other.m2, 0, m2, 0, m2.length);
      return;
    }
    long n = count + other.count;
    double[] delta = new double[dimension];
    for (int j = 0; j < dimension; j++) {
      delta[j] = other.mean[j] - mean[j];
      mean[j] += delta[j] * (other.count / (double) n);
    }
    double factor = (double) count * (double) other.count / n;
    int k = 0;
    for (int i = 0; i < dimension; i++) {
      double di = delta[i] * factor;
      for (int j = i; j < dimension; j++, k++) {
        m2[k] += other.m2[k] + di * delta[j];
      }
    }
    count = n;
  }

  /**
   * A new instance holding the samples of both {@code a} and {@code b}; neither is changed.
   *
   * @throws IllegalArgumentException when the dimensions differ
   */
  public static RunningMoments combine(RunningMoments a, RunningMoments b) {
    RunningMoments result = a.copy();
    result.merge(b);
    return result;
  }

  /** An independent deep copy. */
  public RunningMoments copy() {
    return new RunningMoments(dimension, count, mean.clone(), m2.clone());
  }

  /** The embedding dimension {@code d}, at least 1. */
  public int dimension() {
    return dimension;
  }

  /** Number of samples added (directly or through merges), at least 0. */
  public long count() {
    return count;
  }

  /** A copy of the mean vector; all zeros while {@link #count()} is 0. */
  public double[] mean() {
    return mean.clone();
  }

  /**
   * A copy of the unbiased sample covariance {@code M2 / (n − 1)} as a full symmetric {@code d × d}
   * matrix (the same normalisation as {@code numpy.cov}). While fewer than 2 samples have been seen
   * the covariance is undefined and the zero matrix is returned.
   */
  public double[][] covariance() {
    double[][] cov = new double[dimension][dimension];
    if (count < 2) {
      return cov;
    }
    double scale = 1.0 / (count - 1);
    int k = 0;
    for (int i = 0; i < dimension; i++) {
      for (int j = i; j < dimension; j++) {
        double v = m2[k++] * scale;
        cov[i][j] = v;
        cov[j][i] = v;
      }
    }
    return cov;
  }

  /**
   * MMD² with the linear kernel {@code k(x, y) = <x, y>} against a reference's moments: {@code |μ_x
   * − μ_r|²}, the squared Euclidean distance of the two means, in squared embedding units.
   * Non-negative; 0 when the means coincide. This is exact (the linear-kernel V-statistic reduces
   * to it), so it needs no samples, only the means.
   *
   * @param reference the real reference set's moments, same dimension, at least one sample
   * @throws IllegalArgumentException when the dimensions differ or the reference is empty
   * @throws IllegalStateException when this has no samples yet
   */
  public double linearMmd2(RunningMoments reference) {
    requireSameDimension(reference);
    if (reference.count == 0) {
      throw new IllegalArgumentException(
          "linear MMD²: the reference moments are empty; at least one sample is required");
    }
    if (count == 0) {
      throw new IllegalStateException(
          "linear MMD²: no synthetic samples yet; at least one sample is required");
    }
    double sum = 0;
    for (int j = 0; j < dimension; j++) {
      double diff = mean[j] - reference.mean[j];
      sum += diff * diff;
    }
    return sum;
  }

  private void requireSameDimension(RunningMoments other) {
    if (other.dimension != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "running moments of dimension %d and %d cannot be combined: both must come from the"
                  + " same embedding model",
              dimension, other.dimension));
    }
  }

  /**
   * Compact big-endian binary form: version byte {@value #FORMAT_VERSION}, dimension (int), count
   * (long), mean ({@code d} doubles), packed upper triangle of M2 ({@code d(d+1)/2} doubles).
   * {@code 13 + 8d + 4d(d+1)} bytes.
   */
  public byte[] toBytes() {
    ByteBuffer buffer = ByteBuffer.allocate(serializedSize(dimension));
    buffer.put(FORMAT_VERSION).putInt(dimension).putLong(count);
    StateBytes.putDoubles(buffer, mean);
    StateBytes.putDoubles(buffer, m2);
    return buffer.array();
  }

  /** The exact length of {@link #toBytes()} for dimension {@code d}. */
  public static int serializedSize(int dimension) {
    return 1 + 4 + 8 + 8 * dimension + 8 * triangleSize(dimension);
  }

  /**
   * Reads the form written by {@link #toBytes()}.
   *
   * @throws IllegalArgumentException for null, truncated or oversized input, an unknown version, a
   *     non-positive dimension, a negative count or non-finite values
   */
  public static RunningMoments fromBytes(byte[] bytes) {
    return StateBytes.decode(
        bytes,
        FORMAT_VERSION,
        WHAT,
        buffer -> {
          int dimension = buffer.getInt();
          if (dimension < 1 || dimension > MAX_SERIALIZED_DIMENSION) {
            throw StateBytes.corrupt(WHAT, "dimension " + dimension + " is out of range");
          }
          if (bytes.length != serializedSize(dimension)) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: %d bytes, expected %d for dimension %d (truncated or corrupt input)",
                    WHAT, bytes.length, serializedSize(dimension), dimension));
          }
          long count = buffer.getLong();
          if (count < 0) {
            throw StateBytes.corrupt(WHAT, "negative count " + count);
          }
          double[] mean = StateBytes.getFiniteDoubles(buffer, dimension, WHAT);
          double[] m2 = StateBytes.getFiniteDoubles(buffer, triangleSize(dimension), WHAT);
          return new RunningMoments(dimension, count, mean, m2);
        });
  }

  @Override
  public String toString() {
    return "RunningMoments[dimension=" + dimension + ", count=" + count + "]";
  }

  /** Exact equality of dimension, count and stored values (for tests and dedup). */
  @Override
  public boolean equals(Object o) {
    return o instanceof RunningMoments other
        && other.dimension == dimension
        && other.count == count
        && Arrays.equals(other.mean, mean)
        && Arrays.equals(other.m2, m2);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(count) + Arrays.hashCode(mean);
  }
}
