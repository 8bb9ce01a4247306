package dev.synque.monitor.core;

/**
 * Exact order statistics of non-negative doubles without sorting or copying: the bit patterns of
 * non-negative doubles order like the numbers, so four passes of a 16-bit histogram, from the high
 * bits to the low, pin down the {@code k}-th smallest value. {@code O(4 n)} time, 512 KB of
 * histogram, input unchanged.
 */
final class RadixSelect {

  private static final int BITS = 16;
  private static final int BUCKETS = 1 << BITS;

  private RadixSelect() {}

  /**
   * The {@code k}-th smallest value (0-based) of {@code values}, all of which must be {@code >= 0}
   * (or {@code -0.0}, counted as 0).
   */
  static double kthSmallestNonNegative(double[] values, long k) {
    if (k < 0 || k >= values.length) {
      throw new IllegalArgumentException("rank " + k + " is outside 0 .. " + (values.length - 1));
    }
    long prefix = 0;
    long remaining = k;
    int[] histogram = new int[BUCKETS];
    for (int shift = 64 - BITS; shift >= 0; shift -= BITS) {
      java.util.Arrays.fill(histogram, 0);
      int prefixShift = shift + BITS;
      for (double v : values) {
        long bits = Double.doubleToRawLongBits(v) & Long.MAX_VALUE;
        if (prefixShift == 64 || (bits >>> prefixShift) == prefix) {
          histogram[(int) ((bits >>> shift) & (BUCKETS - 1))]++;
        }
      }
      int bucket = 0;
      while (remaining >= histogram[bucket]) {
        remaining -= histogram[bucket];
        bucket++;
      }
      prefix = (prefix << BITS) | bucket;
    }
    return Double.longBitsToDouble(prefix);
  }
}
