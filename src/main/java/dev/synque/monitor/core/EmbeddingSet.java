package dev.synque.monitor.core;

import java.util.Arrays;

/**
 * A set of {@code n} embedding vectors of dimension {@code d}, stored row-major in one array of
 * doubles. Immutable; validated on construction so that no proxy ever sees an empty set, ragged
 * rows or a non-finite component. What is derived from a whole set and asked for again and again
 * (its {@link #fingerprint()}, a kernel sum over it) is computed once per set ({@link #derived}).
 */
public final class EmbeddingSet {

  private final int size;
  private final int dimension;
  private final double[] data;
  private final java.util.concurrent.ConcurrentHashMap<Object, Double> derived =
      new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Long fingerprint;

  private EmbeddingSet(int size, int dimension, double[] data) {
    this.size = size;
    this.dimension = dimension;
    this.data = data;
  }

  /**
   * Copies and validates rows of doubles.
   *
   * @param name what the set is, named in errors (for example "synthetic" or "reference")
   * @throws IllegalArgumentException for no rows, a zero dimension, rows of different lengths or a
   *     NaN or infinite component, naming the row and column
   */
  public static EmbeddingSet of(String name, double[][] rows) {
    return copy(
        name,
        rows == null ? 0 : rows.length,
        i -> rows[i] == null ? 0 : rows[i].length,
        (i, j) -> rows[i][j]);
  }

  /**
   * Copies and validates rows of floats (as embedders produce them); see {@link #of(String,
   * double[][])}.
   */
  public static EmbeddingSet of(String name, float[][] rows) {
    return copy(
        name,
        rows == null ? 0 : rows.length,
        i -> rows[i] == null ? 0 : rows[i].length,
        (i, j) -> rows[i][j]);
  }

  /** Reads component {@code j} of row {@code i} of some row source. */
  private interface Component {
    double at(int i, int j);
  }

  private static EmbeddingSet copy(
      String name, int size, java.util.function.IntUnaryOperator rowLength, Component component) {
    int dimension = checkShape(name, size, size == 0 ? 0 : rowLength.applyAsInt(0));
    double[] data = new double[size * dimension];
    for (int i = 0; i < size; i++) {
      int length = rowLength.applyAsInt(i);
      if (length != dimension) {
        throw new IllegalArgumentException(
            String.format(
                "%s embedding %d has dimension %d, expected %d like embedding 0: all vectors of a"
                    + " set must have the same dimension",
                name, i, length, dimension));
      }
      for (int j = 0; j < dimension; j++) {
        data[i * dimension + j] = checkFinite(name, i, j, component.at(i, j));
      }
    }
    return new EmbeddingSet(size, dimension, data);
  }

  /**
   * Wraps a row-major array without copying it, after validation. The caller must not change the
   * array afterwards (skipping the copy matters for large reservoirs).
   */
  public static EmbeddingSet wrap(String name, int size, int dimension, double[] rowMajor) {
    checkShape(name, size, dimension);
    if (rowMajor.length != size * dimension) {
      throw new IllegalArgumentException(
          String.format(
              "%s embeddings: array of %d values does not hold %d vectors of dimension %d",
              name, rowMajor.length, size, dimension));
    }
    for (int k = 0; k < rowMajor.length; k++) {
      checkFinite(name, k / dimension, k % dimension, rowMajor[k]);
    }
    return new EmbeddingSet(size, dimension, rowMajor);
  }

  private static int checkShape(String name, int size, int dimension) {
    if (size == 0) {
      throw new IllegalArgumentException(
          name + " embeddings: the set is empty; at least one vector is required");
    }
    if (dimension == 0) {
      throw new IllegalArgumentException(name + " embeddings: vectors have dimension 0");
    }
    return dimension;
  }

  private static double checkFinite(String name, int row, int column, double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(
          String.format(
              "%s embedding %d, component %d is %s: embeddings must be finite numbers",
              name, row, column, value));
    }
    return value;
  }

  /** Number of vectors, at least 1. */
  public int size() {
    return size;
  }

  /** Dimension of every vector, at least 1. */
  public int dimension() {
    return dimension;
  }

  /** Component {@code j} of vector {@code i}. */
  public double get(int i, int j) {
    return data[i * dimension + j];
  }

  /** A copy of vector {@code i}. */
  public double[] row(int i) {
    return Arrays.copyOfRange(data, i * dimension, (i + 1) * dimension);
  }

  /** The row-major backing array, not copied, for tight loops. Callers must not modify it. */
  public double[] rowMajor() {
    return data;
  }

  /**
   * Checks that two sets can be compared.
   *
   * @throws IllegalArgumentException naming both dimensions when they differ
   */
  public static void requireSameDimension(EmbeddingSet synthetic, EmbeddingSet reference) {
    if (synthetic.dimension != reference.dimension) {
      throw new IllegalArgumentException(
          String.format(
              "synthetic embeddings have dimension %d but reference embeddings have dimension %d:"
                  + " both sets must come from the same embedding model",
              synthetic.dimension, reference.dimension));
    }
  }

  /**
   * A 64-bit fingerprint of the set's shape and values, computed once: two sets with the same
   * fingerprint are taken to be the same set (a state built against one is read against the other).
   */
  public long fingerprint() {
    Long f = fingerprint;
    if (f == null) {
      long h = Reservoir.mix64(size * 31L + dimension);
      for (double v : data) {
        h = Reservoir.mix64(h ^ Double.doubleToLongBits(v));
      }
      fingerprint = f = h;
    }
    return f;
  }

  /**
   * A number derived from the whole set, computed on first use and kept with the set (sets are
   * immutable, so it never goes stale). Thread-safe; {@code compute} may run more than once under a
   * race and must be a pure function of the set.
   *
   * @param key identifies the computation (a record of its parameters), compared by {@code equals}
   */
  public double derived(Object key, java.util.function.ToDoubleFunction<EmbeddingSet> compute) {
    Double value = derived.get(key);
    if (value == null) {
      value = compute.applyAsDouble(this);
      derived.putIfAbsent(key, value);
    }
    return value;
  }
}
