package dev.synque.monitor.core;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD tile kernel on the Vector API ({@code jdk.incubator.vector}, an incubator module in JDK
 * 17 to 25). Only loaded by {@link PairwiseBlocks} when the module is in the boot layer ({@code
 * --add-modules jdk.incubator.vector}); nothing else in the library refers to it.
 *
 * <p>Layout: {@code b} is packed once into panels of {@code P = 2 x lanes} vectors (16 with
 * AVX-512), each panel stored component by component ({@code panel[k * P + c]}), so a register
 * block of 4 rows of {@code a} by one panel keeps 8 vector accumulators, and each step over {@code
 * k} loads two vectors of the panel, broadcasts 4 components of {@code a} and does 8 fused
 * multiply-adds (a GEMM micro-kernel, with no horizontal sums).
 *
 * <p>Determinism: each entry is its own lane, accumulated over {@code k} in order with {@code fma};
 * the remainder rows use the same one-row kernel on the same lanes, so every entry has the same
 * value wherever it falls in a tile, whatever the thread count.
 */
final class VectorTileKernel implements PairwiseBlocks.TileKernel {

  private static final VectorSpecies<Double> SPECIES = DoubleVector.SPECIES_PREFERRED;
  private static final int LANES = SPECIES.length();

  /** Vectors of {@code b} per panel. */
  static final int PANEL = 2 * LANES;

  static {
    if (PairwiseBlocks.ROWS % PANEL != 0 || PairwiseBlocks.COLUMNS % PANEL != 0) {
      throw new IllegalStateException("tile sizes must be multiples of the panel width " + PANEL);
    }
  }

  @Override
  public String name() {
    return "vector-" + SPECIES.vectorBitSize();
  }

  @Override
  public Object pack(double[] b, int m, int d) {
    int panels = (m + PANEL - 1) / PANEL;
    double[] packed = new double[panels * PANEL * d];
    for (int j = 0; j < m; j++) {
      int base = (j / PANEL) * PANEL * d + j % PANEL;
      int bo = j * d;
      for (int k = 0; k < d; k++) {
        packed[base + k * PANEL] = b[bo + k];
      }
    }
    return packed;
  }

  @Override
  public void tile(
      PairwiseBlocks.Measure measure,
      double[] a,
      int i0,
      int rows,
      Object packedB,
      int j0,
      int cols,
      int d,
      double[] tile) {
    double[] pb = (double[]) packedB;
    boolean dot = measure == PairwiseBlocks.Measure.DOT;
    int chunks = (d + MAX_CHUNK - 1) / MAX_CHUNK;
    if (chunks == 1) {
      panels(dot, a, i0, rows, pb, j0, cols, d, 0, d, tile, cols, false);
      return;
    }
    // Long vectors: k in chunks, so that a chunk of the panel and of the rows stay in cache; the
    // sums are carried through a padded scratch tile, which keeps each entry's order over k.
    int stride = (cols + PANEL - 1) / PANEL * PANEL;
    double[] sums = new double[rows * stride];
    for (int c = 0; c < chunks; c++) {
      int k0 = (int) ((long) d * c / chunks);
      int k1 = (int) ((long) d * (c + 1) / chunks);
      panels(dot, a, i0, rows, pb, j0, stride, d, k0, k1, sums, stride, c > 0);
    }
    for (int r = 0; r < rows; r++) {
      System.arraycopy(sums, r * stride, tile, r * cols, cols);
    }
  }

  /** Components per chunk of {@code k}; vectors up to this length run in one pass. */
  static final int MAX_CHUNK = 512;

  /**
   * Runs the micro-kernels over {@code k0 <= k < k1} for all panels of the tile, writing row {@code
   * r} at {@code out[r * stride]}; with {@code carry}, the sums start from {@code out}.
   */
  private static void panels(
      boolean dot,
      double[] a,
      int i0,
      int rows,
      double[] pb,
      int j0,
      int cols,
      int d,
      int k0,
      int k1,
      double[] out,
      int stride,
      boolean carry) {
    for (int c0 = 0; c0 < cols; c0 += PANEL) {
      int p0 = (j0 + c0) * d; // panel start: (j0 + c0) / PANEL * PANEL * d
      int width = Math.min(PANEL, cols - c0);
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        int o = r * stride + c0;
        if (dot) {
          dots4(a, (i0 + r) * d, d, k0, k1, pb, p0, out, o, stride, width, carry);
        } else {
          squaredDistances4(a, (i0 + r) * d, d, k0, k1, pb, p0, out, o, stride, width, carry);
        }
      }
      for (; r < rows; r++) {
        single(dot, a, (i0 + r) * d, k0, k1, pb, p0, out, r * stride + c0, width, carry);
      }
    }
  }

  private static DoubleVector start(double[] out, int o, boolean carry) {
    return carry ? DoubleVector.fromArray(SPECIES, out, o) : DoubleVector.zero(SPECIES);
  }

  private static void dots4(
      double[] a,
      int a0,
      int d,
      int k0,
      int k1,
      double[] pb,
      int p0,
      double[] out,
      int o,
      int stride,
      int width,
      boolean carry) {
    int a1 = a0 + d;
    int a2 = a1 + d;
    int a3 = a2 + d;
    DoubleVector s00 = start(out, o, carry);
    DoubleVector s01 = start(out, o + LANES, carry);
    DoubleVector s10 = start(out, o + stride, carry);
    DoubleVector s11 = start(out, o + stride + LANES, carry);
    DoubleVector s20 = start(out, o + 2 * stride, carry);
    DoubleVector s21 = start(out, o + 2 * stride + LANES, carry);
    DoubleVector s30 = start(out, o + 3 * stride, carry);
    DoubleVector s31 = start(out, o + 3 * stride + LANES, carry);
    for (int k = k0, q = p0 + k0 * PANEL; k < k1; k++, q += PANEL) {
      DoubleVector y0 = DoubleVector.fromArray(SPECIES, pb, q);
      DoubleVector y1 = DoubleVector.fromArray(SPECIES, pb, q + LANES);
      DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
      s00 = x.fma(y0, s00);
      s01 = x.fma(y1, s01);
      x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
      s10 = x.fma(y0, s10);
      s11 = x.fma(y1, s11);
      x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
      s20 = x.fma(y0, s20);
      s21 = x.fma(y1, s21);
      x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
      s30 = x.fma(y0, s30);
      s31 = x.fma(y1, s31);
    }
    store(s00, s01, out, o, width);
    store(s10, s11, out, o + stride, width);
    store(s20, s21, out, o + 2 * stride, width);
    store(s30, s31, out, o + 3 * stride, width);
  }

  private static void squaredDistances4(
      double[] a,
      int a0,
      int d,
      int k0,
      int k1,
      double[] pb,
      int p0,
      double[] out,
      int o,
      int stride,
      int width,
      boolean carry) {
    int a1 = a0 + d;
    int a2 = a1 + d;
    int a3 = a2 + d;
    DoubleVector s00 = start(out, o, carry);
    DoubleVector s01 = start(out, o + LANES, carry);
    DoubleVector s10 = start(out, o + stride, carry);
    DoubleVector s11 = start(out, o + stride + LANES, carry);
    DoubleVector s20 = start(out, o + 2 * stride, carry);
    DoubleVector s21 = start(out, o + 2 * stride + LANES, carry);
    DoubleVector s30 = start(out, o + 3 * stride, carry);
    DoubleVector s31 = start(out, o + 3 * stride + LANES, carry);
    for (int k = k0, q = p0 + k0 * PANEL; k < k1; k++, q += PANEL) {
      DoubleVector y0 = DoubleVector.fromArray(SPECIES, pb, q);
      DoubleVector y1 = DoubleVector.fromArray(SPECIES, pb, q + LANES);
      DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
      DoubleVector e0 = y0.sub(x);
      DoubleVector e1 = y1.sub(x);
      s00 = e0.fma(e0, s00);
      s01 = e1.fma(e1, s01);
      x = DoubleVector.broadcast(SPECIES, a[a1 + k]);
      e0 = y0.sub(x);
      e1 = y1.sub(x);
      s10 = e0.fma(e0, s10);
      s11 = e1.fma(e1, s11);
      x = DoubleVector.broadcast(SPECIES, a[a2 + k]);
      e0 = y0.sub(x);
      e1 = y1.sub(x);
      s20 = e0.fma(e0, s20);
      s21 = e1.fma(e1, s21);
      x = DoubleVector.broadcast(SPECIES, a[a3 + k]);
      e0 = y0.sub(x);
      e1 = y1.sub(x);
      s30 = e0.fma(e0, s30);
      s31 = e1.fma(e1, s31);
    }
    store(s00, s01, out, o, width);
    store(s10, s11, out, o + stride, width);
    store(s20, s21, out, o + 2 * stride, width);
    store(s30, s31, out, o + 3 * stride, width);
  }

  /** One row of {@code a} against one panel, with the same per-lane operations as the blocks. */
  private static void single(
      boolean dot,
      double[] a,
      int a0,
      int k0,
      int k1,
      double[] pb,
      int p0,
      double[] out,
      int o,
      int width,
      boolean carry) {
    DoubleVector s0 = start(out, o, carry);
    DoubleVector s1 = start(out, o + LANES, carry);
    for (int k = k0, q = p0 + k0 * PANEL; k < k1; k++, q += PANEL) {
      DoubleVector y0 = DoubleVector.fromArray(SPECIES, pb, q);
      DoubleVector y1 = DoubleVector.fromArray(SPECIES, pb, q + LANES);
      DoubleVector x = DoubleVector.broadcast(SPECIES, a[a0 + k]);
      if (dot) {
        s0 = x.fma(y0, s0);
        s1 = x.fma(y1, s1);
      } else {
        DoubleVector e0 = y0.sub(x);
        DoubleVector e1 = y1.sub(x);
        s0 = e0.fma(e0, s0);
        s1 = e1.fma(e1, s1);
      }
    }
    store(s0, s1, out, o, width);
  }

  /** Stores the first {@code width} lanes of {@code lo ++ hi} at {@code tile[o..]}. */
  private static void store(DoubleVector lo, DoubleVector hi, double[] tile, int o, int width) {
    if (width == PANEL) {
      lo.intoArray(tile, o);
      hi.intoArray(tile, o + LANES);
    } else {
      double[] lanes = new double[PANEL];
      lo.intoArray(lanes, 0);
      hi.intoArray(lanes, LANES);
      System.arraycopy(lanes, 0, tile, o, width);
    }
  }
}
