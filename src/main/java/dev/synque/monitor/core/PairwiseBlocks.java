package dev.synque.monitor.core;

import java.util.stream.IntStream;

/**
 * The hot loops of the kernel proxies: inner products or squared Euclidean distances between the
 * rows of two row-major matrices, computed tile by tile and handed to a {@link TileReducer}.
 *
 * <p>Speed: the tiles come from a {@link TileKernel}. When the JVM runs with {@code --add-modules
 * jdk.incubator.vector} (as {@code bin/synque}, the tests and the benchmarks do) that is {@link
 * VectorTileKernel}, a SIMD micro-kernel on the Vector API; otherwise, or with {@code
 * -Dsynque.simd=false}, it is the plain-Java {@link #SCALAR} kernel (register blocked, 4 x 2
 * independent sums, so each loaded component feeds several multiply-adds and the sums do not wait
 * on each other). The library needs no JVM flag; the Vector API only makes it faster. A tile of
 * {@value #COLUMNS} vectors of {@code b} stays in the L2 cache while a row block of {@value #ROWS}
 * vectors of {@code a} runs over it. Row blocks run in parallel on the common fork-join pool.
 *
 * <p>Determinism: every entry is summed over {@code k} in order by either kernel (the two kernels
 * may differ from each other in the last bits: the vector one fuses multiply and add), each row
 * block reduces its tiles in a fixed order, and the per-block results are combined in block order
 * after the parallel loop, so the result does not depend on the number of threads or their
 * scheduling.
 */
final class PairwiseBlocks {

  /** Rows per parallel task. */
  static final int ROWS = 32;

  /** Vectors of {@code b} per tile; {@code COLUMNS * d} doubles stay in L2. */
  static final int COLUMNS = 128;

  /** The system property that turns the Vector API kernel off when set to {@code false}. */
  static final String SIMD_PROPERTY = "synque.simd";

  /** The plain-Java kernel, always available. */
  static final TileKernel SCALAR = new ScalarTileKernel();

  /** The kernel in use: the vector kernel when available and not turned off, else the scalar. */
  static final TileKernel KERNEL = select();

  private PairwiseBlocks() {}

  /** Which pairwise quantity a tile holds. */
  enum Measure {
    /** {@code <a_i, b_j>}. */
    DOT,
    /** {@code ||a_i - b_j||^2}, summed from differences (exactly 0 for equal vectors). */
    SQUARED_DISTANCE
  }

  /** Computes tiles of pairwise values; implementations are stateless and thread-safe. */
  interface TileKernel {

    /** A short name for logs and benchmarks. */
    String name();

    /**
     * Rearranges {@code b} ({@code m x d}, row-major) once per {@link #reduce} call into whatever
     * layout {@link #tile} reads.
     */
    Object pack(double[] b, int m, int d);

    /**
     * Fills {@code tile[r * cols + c]} with the measure between row {@code i0 + r} of {@code a} and
     * row {@code j0 + c} of {@code b}, for {@code r < rows} and {@code c < cols}. {@code j0} is a
     * multiple of {@value #ROWS}.
     */
    void tile(
        Measure measure,
        double[] a,
        int i0,
        int rows,
        Object packedB,
        int j0,
        int cols,
        int d,
        double[] tile);
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

  /** The vector kernel, or {@code null} when the Vector API module is not in the boot layer. */
  static TileKernel vectorKernelOrNull() {
    if (ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
      return null;
    }
    try {
      return (TileKernel)
          Class.forName("dev.synque.monitor.core.VectorTileKernel")
              .getDeclaredConstructor()
              .newInstance();
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return null;
    }
  }

  /** False when {@code -Dsynque.simd=false} turns the Vector API kernels off. */
  static boolean simdEnabled() {
    return !"false".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, "true").trim());
  }

  private static TileKernel select() {
    if (!simdEnabled()) {
      return SCALAR;
    }
    TileKernel vector = vectorKernelOrNull();
    return vector != null ? vector : SCALAR;
  }

  /**
   * Visits tiles of the {@code n x m} matrix of pairwise values between rows of {@code a} and rows
   * of {@code b} and returns the per-accumulator sums over all row blocks, with {@link #KERNEL}.
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
    return reduce(KERNEL, a, n, b, m, d, measure, upperOnly, accumulators, reducer);
  }

  /** {@code reduce} with a given kernel (the tests compare both kernels). */
  static double[] reduce(
      TileKernel kernel,
      double[] a,
      int n,
      double[] b,
      int m,
      int d,
      Measure measure,
      boolean upperOnly,
      int accumulators,
      TileReducer reducer) {
    Object packed = kernel.pack(b, m, d);
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
                kernel.tile(measure, a, i0, rows, packed, j0, cols, d, tile);
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

  /**
   * The full {@code n x m} matrix {@code a bᵀ} of inner products, row-major: a matrix product on
   * the tile kernels. With {@code symmetric} ({@code b} is {@code a}), only the upper triangle is
   * computed and mirrored, so the result is exactly symmetric.
   */
  static double[] products(double[] a, int n, double[] b, int m, int d, boolean symmetric) {
    double[] out = new double[n * m];
    reduce(
        a,
        n,
        b,
        m,
        d,
        Measure.DOT,
        symmetric,
        0,
        (i0, rows, j0, cols, tile, acc) -> {
          for (int r = 0; r < rows; r++) {
            System.arraycopy(tile, r * cols, out, (i0 + r) * m + j0, cols);
          }
        });
    if (symmetric) {
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          out[j * n + i] = out[i * n + j];
        }
      }
    }
    return out;
  }

  /** The plain-Java kernel: 4 x 2 register blocks of scalar sums, each summed over k in order. */
  private static final class ScalarTileKernel implements TileKernel {

    @Override
    public String name() {
      return "scalar";
    }

    @Override
    public Object pack(double[] b, int m, int d) {
      return b;
    }

    @Override
    public void tile(
        Measure measure,
        double[] a,
        int i0,
        int rows,
        Object packedB,
        int j0,
        int cols,
        int d,
        double[] tile) {
      double[] b = (double[]) packedB;
      boolean dot = measure == Measure.DOT;
      int rows4 = rows & ~3;
      int cols2 = cols & ~1;
      for (int r = 0; r < rows4; r += 4) {
        int a0 = (i0 + r) * d;
        for (int c = 0; c < cols2; c += 2) {
          int b0 = (j0 + c) * d;
          if (dot) {
            dots4x2(a, a0, b, b0, d, tile, r * cols + c, cols);
          } else {
            squaredDistances4x2(a, a0, b, b0, d, tile, r * cols + c, cols);
          }
        }
        for (int c = cols2; c < cols; c++) {
          for (int q = 0; q < 4; q++) {
            tile[(r + q) * cols + c] = single(dot, a, a0 + q * d, b, (j0 + c) * d, d);
          }
        }
      }
      for (int r = rows4; r < rows; r++) {
        for (int c = 0; c < cols; c++) {
          tile[r * cols + c] = single(dot, a, (i0 + r) * d, b, (j0 + c) * d, d);
        }
      }
    }

    /** A 4 x 2 register block: 8 independent sums, each loaded value used 2 or 4 times. */
    private static void dots4x2(
        double[] a, int a0, double[] b, int b0, int d, double[] tile, int o, int cols) {
      int a1 = a0 + d;
      int a2 = a1 + d;
      int a3 = a2 + d;
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
      store4x2(tile, o, cols, s00, s01, s10, s11, s20, s21, s30, s31);
    }

    /** A 4 x 2 register block of sums of squared differences. */
    private static void squaredDistances4x2(
        double[] a, int a0, double[] b, int b0, int d, double[] tile, int o, int cols) {
      int a1 = a0 + d;
      int a2 = a1 + d;
      int a3 = a2 + d;
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
      store4x2(tile, o, cols, s00, s01, s10, s11, s20, s21, s30, s31);
    }

    private static void store4x2(
        double[] tile,
        int o,
        int cols,
        double s00,
        double s01,
        double s10,
        double s11,
        double s20,
        double s21,
        double s30,
        double s31) {
      tile[o] = s00;
      tile[o + 1] = s01;
      tile[o + cols] = s10;
      tile[o + cols + 1] = s11;
      tile[o + 2 * cols] = s20;
      tile[o + 2 * cols + 1] = s21;
      tile[o + 3 * cols] = s30;
      tile[o + 3 * cols + 1] = s31;
    }

    /** One entry, summed over k in order like the blocks. */
    private static double single(boolean dot, double[] a, int ao, double[] b, int bo, int d) {
      double s = 0;
      if (dot) {
        for (int k = 0; k < d; k++) {
          s += a[ao + k] * b[bo + k];
        }
      } else {
        for (int k = 0; k < d; k++) {
          double e = a[ao + k] - b[bo + k];
          s += e * e;
        }
      }
      return s;
    }
  }
}
