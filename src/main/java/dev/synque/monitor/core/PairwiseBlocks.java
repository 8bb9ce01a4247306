package dev.synque.monitor.core;

import java.util.stream.IntStream;

/**
 * The hot loops of the kernel proxies: inner products or squared Euclidean distances between the
 * rows of two row-major matrices, computed tile by tile and handed to a {@link TileReducer}.
 *
 * <p>Speed: the second matrix is transposed once, so a tile row is an {@code axpy} over contiguous
 * columns that HotSpot's C2 vectorises (a dot-product reduction over {@code k} would not be, since
 * Java keeps floating-point addition order), and a tile of {@value #COLUMNS} columns times {@code
 * d} stays in the L2 cache. Row blocks of {@value #ROWS} rows run in parallel on the common
 * fork-join pool.
 *
 * <p>Determinism: every entry is summed over {@code k} in order, each row block reduces its tiles
 * in a fixed order, and the per-block results are combined in block order after the parallel loop,
 * so the result does not depend on the number of threads or their scheduling.
 */
final class PairwiseBlocks {

  /** Rows per parallel task. */
  static final int ROWS = 32;

  /** Columns per tile; {@code COLUMNS * d} doubles of the transposed matrix stay in L2. */
  static final int COLUMNS = 128;

  private PairwiseBlocks() {}

  /** Which pairwise quantity a tile holds. */
  enum Measure {
    /** {@code <a_i, b_j>}. */
    DOT,
    /** {@code ||a_i - b_j||^2}, summed from differences (exactly 0 for equal vectors). */
    SQUARED_DISTANCE
  }

  /** Reduces one tile; called concurrently for different row blocks, so it must be stateless. */
  @FunctionalInterface
  interface TileReducer {
    /**
     * @param i0 first row of the tile (rows {@code i0 .. i0 + rows - 1})
     * @param rows rows in the tile
     * @param j0 first column of the tile
     * @param cols columns in the tile
     * @param tile the values, {@code tile[(i - i0) * cols + (j - j0)]}
     * @param acc the row block's accumulators, to add into
     */
    void reduce(int i0, int rows, int j0, int cols, double[] tile, double[] acc);
  }

  /** {@code b} transposed: {@code d} rows of {@code m} values. */
  static double[] transpose(double[] b, int m, int d) {
    double[] t = new double[m * d];
    for (int j = 0; j < m; j++) {
      int off = j * d;
      for (int k = 0; k < d; k++) {
        t[k * m + j] = b[off + k];
      }
    }
    return t;
  }

  /**
   * Visits tiles of the {@code n x m} matrix of pairwise values between rows of {@code a} and rows
   * of {@code b} and returns the per-accumulator sums over all row blocks.
   *
   * @param a row-major, {@code n x d}
   * @param bt {@code b} transposed, {@code d x m} (see {@link #transpose})
   * @param upperOnly when true ({@code a} and {@code b} are the same matrix), only tiles with a
   *     column at or right of their first row are visited; the reducer must still skip {@code j <=
   *     i} (or {@code j < i}) itself
   * @param accumulators how many sums the reducer keeps
   */
  static double[] reduce(
      double[] a,
      int n,
      double[] bt,
      int m,
      int d,
      Measure measure,
      boolean upperOnly,
      int accumulators,
      TileReducer reducer) {
    int blocks = (n + ROWS - 1) / ROWS;
    double[][] partial = new double[blocks][];
    IntStream.range(0, blocks)
        .parallel()
        .forEach(
            block -> {
              int i0 = block * ROWS;
              int rows = Math.min(ROWS, n - i0);
              double[] acc = new double[accumulators];
              double[] tile = new double[ROWS * COLUMNS];
              int firstColumn = upperOnly ? i0 : 0;
              for (int j0 = firstColumn; j0 < m; j0 += COLUMNS) {
                int cols = Math.min(COLUMNS, m - j0);
                if (measure == Measure.DOT) {
                  dots(a, i0, rows, bt, m, j0, cols, d, tile);
                } else {
                  squaredDistances(a, i0, rows, bt, m, j0, cols, d, tile);
                }
                reducer.reduce(i0, rows, j0, cols, tile, acc);
              }
              partial[block] = acc;
            });
    double[] total = new double[accumulators];
    for (double[] acc : partial) {
      for (int s = 0; s < accumulators; s++) {
        total[s] += acc[s];
      }
    }
    return total;
  }

  private static void dots(
      double[] a, int i0, int rows, double[] bt, int m, int j0, int cols, int d, double[] tile) {
    // Two rows at a time share each load of bt.
    int r = 0;
    for (; r + 1 < rows; r += 2) {
      int o0 = r * cols;
      int o1 = o0 + cols;
      int a0 = (i0 + r) * d;
      int a1 = a0 + d;
      java.util.Arrays.fill(tile, o0, o1 + cols, 0.0);
      for (int k = 0; k < d; k++) {
        double x0 = a[a0 + k];
        double x1 = a[a1 + k];
        int bo = k * m + j0;
        for (int j = 0; j < cols; j++) {
          double y = bt[bo + j];
          tile[o0 + j] += x0 * y;
          tile[o1 + j] += x1 * y;
        }
      }
    }
    for (; r < rows; r++) {
      int o0 = r * cols;
      int a0 = (i0 + r) * d;
      java.util.Arrays.fill(tile, o0, o0 + cols, 0.0);
      for (int k = 0; k < d; k++) {
        double x0 = a[a0 + k];
        int bo = k * m + j0;
        for (int j = 0; j < cols; j++) {
          tile[o0 + j] += x0 * bt[bo + j];
        }
      }
    }
  }

  private static void squaredDistances(
      double[] a, int i0, int rows, double[] bt, int m, int j0, int cols, int d, double[] tile) {
    for (int r = 0; r < rows; r++) {
      int o0 = r * cols;
      int a0 = (i0 + r) * d;
      java.util.Arrays.fill(tile, o0, o0 + cols, 0.0);
      for (int k = 0; k < d; k++) {
        double x0 = a[a0 + k];
        int bo = k * m + j0;
        for (int j = 0; j < cols; j++) {
          double diff = x0 - bt[bo + j];
          tile[o0 + j] += diff * diff;
        }
      }
    }
  }
}
