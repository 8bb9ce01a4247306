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
    for (int c0 = 0; c0 < cols; c0 += PANEL) {
      int p0 = (j0 + c0) * d; // panel start: (j0 + c0) / PANEL * PANEL * d
      int width = Math.min(PANEL, cols - c0);
      int r = 0;
      for (; r + 4 <= rows; r += 4) {
        if (dot) {
          dots4(a, (i0 + r) * d, d, pb, p0, tile, r * cols + c0, cols, width);
        } else {
          squaredDistances4(a, (i0 + r) * d, d, pb, p0, tile, r * cols + c0, cols, width);
        }
      }
      for (; r < rows; r++) {
        single(dot, a, (i0 + r) * d, d, pb, p0, tile, r * cols + c0, width);
      }
    }
  }

  private static void dots4(
      double[] a, int a0, int d, double[] pb, int p0, double[] tile, int o, int cols, int width) {
    int a1 = a0 + d;
    int a2 = a1 + d;
    int a3 = a2 + d;
    DoubleVector s00 = DoubleVector.zero(SPECIES);
    DoubleVector s01 = s00;
    DoubleVector s10 = s00;
    DoubleVector s11 = s00;
    DoubleVector s20 = s00;
    DoubleVector s21 = s00;
    DoubleVector s30 = s00;
    DoubleVector s31 = s00;
    for (int k = 0, q = p0; k < d; k++, q += PANEL) {
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
    store(s00, s01, tile, o, width);
    store(s10, s11, tile, o + cols, width);
    store(s20, s21, tile, o + 2 * cols, width);
    store(s30, s31, tile, o + 3 * cols, width);
  }

  private static void squaredDistances4(
      double[] a, int a0, int d, double[] pb, int p0, double[] tile, int o, int cols, int width) {
    int a1 = a0 + d;
    int a2 = a1 + d;
    int a3 = a2 + d;
    DoubleVector s00 = DoubleVector.zero(SPECIES);
    DoubleVector s01 = s00;
    DoubleVector s10 = s00;
    DoubleVector s11 = s00;
    DoubleVector s20 = s00;
    DoubleVector s21 = s00;
    DoubleVector s30 = s00;
    DoubleVector s31 = s00;
    for (int k = 0, q = p0; k < d; k++, q += PANEL) {
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
    store(s00, s01, tile, o, width);
    store(s10, s11, tile, o + cols, width);
    store(s20, s21, tile, o + 2 * cols, width);
    store(s30, s31, tile, o + 3 * cols, width);
  }

  /** One row of {@code a} against one panel, with the same per-lane operations as the blocks. */
  private static void single(
      boolean dot,
      double[] a,
      int a0,
      int d,
      double[] pb,
      int p0,
      double[] tile,
      int o,
      int width) {
    DoubleVector s0 = DoubleVector.zero(SPECIES);
    DoubleVector s1 = s0;
    for (int k = 0, q = p0; k < d; k++, q += PANEL) {
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
    store(s0, s1, tile, o, width);
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
