package dev.synque.monitor.embed;

/**
 * Token ids of a micro-batch, padded to its longest text, row-major {@code [rows, length]}.
 * Package-private: the arrays are shared with the translator without copies.
 *
 * @param ids token ids, padding positions hold the pad id
 * @param attentionMask 1 for a real token, 0 for padding
 * @param typeIds segment ids (all 0 for single sentences)
 * @param rows texts in the batch
 * @param length tokens per row after padding
 */
record TokenBatch(long[] ids, long[] attentionMask, long[] typeIds, int rows, int length) {
  TokenBatch {
    int cells = Math.multiplyExact(rows, length);
    if (rows < 1 || length < 1) {
      throw new IllegalArgumentException("a token batch needs rows and tokens");
    }
    if (ids.length != cells || attentionMask.length != cells || typeIds.length != cells) {
      throw new IllegalArgumentException("token arrays must hold rows * length = " + cells);
    }
  }

  /** Pads token rows with {@code padId} (mask 0, type 0) to the longest row. */
  static TokenBatch pad(long[][] ids, long[][] typeIds, long padId) {
    int rows = ids.length;
    int length = 0;
    for (long[] row : ids) {
      length = Math.max(length, row.length);
    }
    long[] flatIds = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    java.util.Arrays.fill(flatIds, padId);
    for (int r = 0; r < rows; r++) {
      System.arraycopy(ids[r], 0, flatIds, r * length, ids[r].length);
      System.arraycopy(typeIds[r], 0, types, r * length, typeIds[r].length);
      java.util.Arrays.fill(mask, r * length, r * length + ids[r].length, 1L);
    }
    return new TokenBatch(flatIds, mask, types, rows, length);
  }
}
