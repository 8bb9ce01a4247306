package dev.synque.monitor.core;

import java.util.stream.IntStream;

/**
 * The hot loops of the kernel proxies: inner products or squared Euclidean distances between the
 * rows of two row-major matrices, computed tile by tile and handed to a {@link TileReducer}.
 *
 * <p>Speed: register blocking (4 x 2 independent sums) so each loaded component feeds several
 * multiply-adds and the sums do not wait on each other; plain Java (measured faster here than
 * transposed, C2-vectorised {@code axpy} tiles, and it needs no Vector API flags). A tile of
 * {@value #COLUMNS} vectors of {@code b} stays in the L2 cache while a row block of {@value #ROWS}
 * vectors of {@code a} runs over it. Row blocks run in parallel on the common fork-join pool.
 *
 * <p>Determinism: every entry is summed over {@code k} in order, each row block reduces its tiles
 * in a fixed order, and the per-block results are combined in block order after the parallel loop,
 * so the result does not depend on the number of threads or their scheduling.
 */
final class PairwiseBlocks {

  /** Rows per parallel task. */
  static final int ROWS = 32;

  /** Vectors of {@code b} per tile; {@code COLUMNS * d} doubles stay in L2. */
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

  /**
   * Visits tiles of the {@code n x m} matrix of pairwise values between rows of {@code a} and rows
   * of {@code b} and returns the per-accumulator sums over all row blocks.
   *
   * @param a row-major, {@code n x d}
   * @param b row-major, {@code m x d} (the same array as {@code a} for {@code upperOnly})
   * @param upperOnly when true ({@code a} and {@code b} are the same matrix), only tiles with a
   *     column at or right of their first row are visited; the reducer must still skip {@code j <=
   *     i} (or {@code j < i}) itself
   * @param accumulators how many sums the reducer keeps
   */
  static double[] reduce(
      double[] a,
      int n,
      double[] b,
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
                  dots(a, i0, rows, b, j0, cols, d, tile);
                } else {
                  squaredDistances(a, i0, rows, b, j0, cols, d, tile);
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
      double[] a, int i0, int rows, double[] b, int j0, int cols, int d, double[] tile) {
    int rows4 = rows & ~3;
    int cols2 = cols & ~1;
    for (int r = 0; r < rows4; r += 4) {
      int a0 = (i0 + r) * d;
      int a1 = a0 + d;
      int a2 = a1 + d;
      int a3 = a2 + d;
      for (int c = 0; c < cols2; c += 2) {
        // A 4 x 2 register block: 8 independent sums, each loaded value used 2 or 4 times.
        int b0 = (j0 + c) * d;
        int b1 = b0 + d;
        double s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (int k = 0; k < d; k++) {
          double y0 = b[b0 + k];
          double y1 = b[b1 + k];
          double x0 = a[a0 + k];
          s00 += x0 * y0;
          s01 += x0 * y1;
          double x1 = a[a1 + k];
          s10 += x1 * y0;
          s11 += x1 * y1;
          double x2 = a[a2 + k];
          s20 += x2 * y0;
          s21 += x2 * y1;
          double x3 = a[a3 + k];
          s30 += x3 * y0;
          s31 += x3 * y1;
        }
        int o = r * cols + c;
        tile[o] = s00;
        tile[o + 1] = s01;
        tile[o + cols] = s10;
        tile[o + cols + 1] = s11;
        tile[o + 2 * cols] = s20;
        tile[o + 2 * cols + 1] = s21;
        tile[o + 3 * cols] = s30;
        tile[o + 3 * cols + 1] = s31;
      }
      for (int c = cols2; c < cols; c++) {
        for (int q = 0; q < 4; q++) {
          tile[(r + q) * cols + c] = dot(a, a0 + q * d, b, (j0 + c) * d, d);
        }
      }
    }
    for (int r = rows4; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        tile[r * cols + c] = dot(a, (i0 + r) * d, b, (j0 + c) * d, d);
      }
    }
  }

  private static double dot(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      s += a[ao + k] * b[bo + k];
    }
    return s;
  }

  private static void squaredDistances(
      double[] a, int i0, int rows, double[] b, int j0, int cols, int d, double[] tile) {
    int rows4 = rows & ~3;
    int cols2 = cols & ~1;
    for (int r = 0; r < rows4; r += 4) {
      int a0 = (i0 + r) * d;
      int a1 = a0 + d;
      int a2 = a1 + d;
      int a3 = a2 + d;
      for (int c = 0; c < cols2; c += 2) {
        // A 4 x 2 register block of sums of squared differences.
        int b0 = (j0 + c) * d;
        int b1 = b0 + d;
        double s00 = 0, s01 = 0, s10 = 0, s11 = 0, s20 = 0, s21 = 0, s30 = 0, s31 = 0;
        for (int k = 0; k < d; k++) {
          double y0 = b[b0 + k];
          double y1 = b[b1 + k];
          double x0 = a[a0 + k];
          double e00 = x0 - y0;
          double e01 = x0 - y1;
          s00 += e00 * e00;
          s01 += e01 * e01;
          double x1 = a[a1 + k];
          double e10 = x1 - y0;
          double e11 = x1 - y1;
          s10 += e10 * e10;
          s11 += e11 * e11;
          double x2 = a[a2 + k];
          double e20 = x2 - y0;
          double e21 = x2 - y1;
          s20 += e20 * e20;
          s21 += e21 * e21;
          double x3 = a[a3 + k];
          double e30 = x3 - y0;
          double e31 = x3 - y1;
          s30 += e30 * e30;
          s31 += e31 * e31;
        }
        int o = r * cols + c;
        tile[o] = s00;
        tile[o + 1] = s01;
        tile[o + cols] = s10;
        tile[o + cols + 1] = s11;
        tile[o + 2 * cols] = s20;
        tile[o + 2 * cols + 1] = s21;
        tile[o + 3 * cols] = s30;
        tile[o + 3 * cols + 1] = s31;
      }
      for (int c = cols2; c < cols; c++) {
        for (int q = 0; q < 4; q++) {
          tile[(r + q) * cols + c] = squaredDistance(a, a0 + q * d, b, (j0 + c) * d, d);
        }
      }
    }
    for (int r = rows4; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        tile[r * cols + c] = squaredDistance(a, (i0 + r) * d, b, (j0 + c) * d, d);
      }
    }
  }

  private static double squaredDistance(double[] a, int ao, double[] b, int bo, int d) {
    double s = 0;
    for (int k = 0; k < d; k++) {
      double e = a[ao + k] - b[bo + k];
      s += e * e;
    }
    return s;
  }
}
