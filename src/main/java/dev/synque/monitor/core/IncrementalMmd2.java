package dev.synque.monitor.core;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * MMD² between the current contents {@code X} of a reservoir of capacity {@code k} and a fixed real
 * reference set {@code R}, kept up to date as single items enter or leave {@code X}.
 *
 * <p><b>Formula.</b> The biased V-statistic used by SynQuE: {@code MMD² = mean K(X,X) + mean K(R,R)
 * − 2 mean K(X,R)}, means over all pairs including the diagonal, with a {@link PolynomialKernel}
 * (default {@link PolynomialKernel#synqueDefault(int)}: degree 3, gamma {@code 1/d}, coef0 1).
 * Lower is better ({@link Orientation#LOWER_IS_BETTER}); about 0 when {@code X} and {@code R} are
 * the same set; small negative values from rounding are possible and not clamped.
 *
 * <p><b>Incremental state.</b> For each occupied slot {@code i}: {@code sXR[i] = Σ_r K(x_i, r)} and
 * {@code sXX[i] = Σ_j K(x_i, x_j)} over occupied {@code j} (including {@code j = i}), plus the
 * totals {@code TXX = Σ_i sXX[i]}, {@code TXR = Σ_i sXR[i]} and the constant {@code TRR}. Writing
 * one slot ({@link #put}) evaluates the kernel of the leaving and the entering item against the
 * other {@code k − 1} items and the entering one against {@code R}: {@code O(k·d + |R|·d)}, never
 * the {@code O(k²·d)} of a recomputation. {@link #value()} is {@code O(1)}.
 *
 * <p><b>Drift and exact refresh.</b> The running sums accumulate rounding error with every add and
 * subtract. Every {@code refreshInterval} changes (0: never) {@link #recomputeExactly()} rebuilds
 * all sums from the items in {@code O(k²·d + k·|R|·d)}, bounding the drift. The default interval is
 * {@code k}, which amortises the refresh to {@code O(k·d)} per change, the order of an incremental
 * update itself.
 *
 * <p><b>Storage.</b> Items are float32 (as the {@link Reservoir} keeps them); every kernel value is
 * computed and summed in double. The reference set and kernel are configuration and are not
 * serialised; a fingerprint of the reference guards against restoring against another one.
 *
 * <p><b>Threading.</b> Not thread-safe: mutable state owned by one stream task.
 */
public final class IncrementalMmd2 {

  /** The leading byte of {@link #toBytes()}; bumped when the layout changes. */
  public static final byte FORMAT_VERSION = 1;

  /**
   * The leading byte of {@link #sumsToBytes()}: the same layout without the items, which the
   * reservoir the state follows already holds.
   */
  public static final byte SUMS_FORMAT_VERSION = 2;

  private static final String WHAT = "incremental MMD² bytes";

  private final EmbeddingSet reference;
  private final PolynomialKernel kernel;
  private final int capacity;
  private final int dimension;
  private final int refreshInterval;
  private final long referenceFingerprint;
  private final double totalRr;

  private final float[][] items;
  private final double[] sXr;
  private final double[] sXx;
  private final double[] pair = new double[2];

  /** The inner loops: SIMD when the Vector API module is loaded (see {@link RowDots}). */
  private static final RowDots DOTS = RowDots.best();

  private int size;
  private double totalXx;
  private double totalXr;
  private long changesSinceRefresh;

  /**
   * Empty state with SynQuE's default kernel and a refresh interval of {@code capacity}.
   *
   * @see #IncrementalMmd2(EmbeddingSet, PolynomialKernel, int, int)
   */
  public IncrementalMmd2(EmbeddingSet reference, int capacity) {
    this(
        Objects.requireNonNull(reference, "reference"),
        PolynomialKernel.synqueDefault(reference.dimension()),
        capacity,
        capacity);
  }

  /**
   * Empty state. Computes {@code Σ K(R,R)} once, {@code O(|R|²·d)}.
   *
   * @param reference the fixed real reference set R, never null; not copied (it is immutable)
   * @param kernel never null
   * @param capacity the number of slots {@code k}, at least 1 (the reservoir's capacity)
   * @param refreshInterval recompute exactly after this many changes; 0 disables the refresh
   * @throws IllegalArgumentException for a null argument, a capacity below 1 or a negative interval
   */
  public IncrementalMmd2(
      EmbeddingSet reference, PolynomialKernel kernel, int capacity, int refreshInterval) {
    if (reference == null || kernel == null) {
      throw new IllegalArgumentException("incremental MMD²: reference and kernel must not be null");
    }
    if (capacity < 1) {
      throw new IllegalArgumentException(
          "incremental MMD² capacity " + capacity + " must be at least 1");
    }
    if (refreshInterval < 0) {
      throw new IllegalArgumentException(
          "incremental MMD² refresh interval " + refreshInterval + " must be 0 (never) or more");
    }
    this.reference = reference;
    this.kernel = kernel;
    this.capacity = capacity;
    this.dimension = reference.dimension();
    this.refreshInterval = refreshInterval;
    this.referenceFingerprint = fingerprint(reference);
    this.items = new float[capacity][];
    this.sXr = new double[capacity];
    this.sXx = new double[capacity];
    this.totalRr = sumReferenceKernel(reference, kernel);
  }

  private static double sumReferenceKernel(EmbeddingSet r, PolynomialKernel kernel) {
    double[] data = r.rowMajor();
    int m = r.size();
    int d = r.dimension();
    double sum = 0;
    for (int a = 0; a < m; a++) {
      for (int b = a; b < m; b++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += data[a * d + j] * data[b * d + j];
        }
        sum += (a == b ? 1 : 2) * kernel.ofDot(dot);
      }
    }
    return sum;
  }

  /** A 64-bit fingerprint of the reference's shape and values. */
  static long fingerprint(EmbeddingSet r) {
    long h = Reservoir.mix64(r.size() * 31L + r.dimension());
    for (double v : r.rowMajor()) {
      h = Reservoir.mix64(h ^ Double.doubleToLongBits(v));
    }
    return h;
  }

  /**
   * Mirrors one reservoir change: for {@code ACCEPTED} or {@code REPLACED} writes the item now in
   * {@code update.slot()}; ignores {@code REJECTED}. The reservoir's embedding array is shared, not
   * copied (the reservoir replaces arrays and never mutates them).
   *
   * @throws IllegalArgumentException when the reservoir's capacity or dimension differ
   */
  public void apply(Reservoir.Update update, Reservoir reservoir) {
    if (reservoir.capacity() != capacity || reservoir.dimension() != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "incremental MMD² (capacity %d, dimension %d) cannot follow a reservoir of capacity"
                  + " %d, dimension %d",
              capacity, dimension, reservoir.capacity(), reservoir.dimension()));
    }
    if (update.changed()) {
      write(update.slot(), reservoir.embeddingView(update.slot()));
    }
  }

  /**
   * A state following the reservoir's current contents, computed exactly.
   *
   * @param refreshInterval see the constructor
   */
  public static IncrementalMmd2 of(
      Reservoir reservoir, EmbeddingSet reference, PolynomialKernel kernel, int refreshInterval) {
    IncrementalMmd2 mmd =
        new IncrementalMmd2(reference, kernel, reservoir.capacity(), refreshInterval);
    if (reservoir.dimension() != mmd.dimension) {
      throw new IllegalArgumentException(
          String.format(
              "reservoir dimension %d differs from reference dimension %d",
              reservoir.dimension(), mmd.dimension));
    }
    for (int i = 0; i < reservoir.size(); i++) {
      mmd.items[i] = reservoir.embeddingView(i);
    }
    mmd.size = reservoir.size();
    mmd.recomputeExactly();
    return mmd;
  }

  /**
   * Puts an item into {@code slot}, replacing what was there. {@code O(k·d + |R|·d)}.
   *
   * @param slot in {@code [0, capacity)}
   * @param embedding never null, length {@code d}, finite; copied
   * @throws IllegalArgumentException for a slot out of range, a wrong length or a non-finite value
   */
  public void put(int slot, float[] embedding) {
    if (embedding == null || embedding.length != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "incremental MMD²: embedding has dimension %s, expected %d",
              embedding == null ? "null" : embedding.length, dimension));
    }
    for (float v : embedding) {
      if (!Float.isFinite(v)) {
        throw new IllegalArgumentException(
            "incremental MMD²: embedding component " + v + " is not a finite number");
      }
    }
    write(slot, embedding.clone());
  }

  private void write(int slot, float[] x) {
    if (slot < 0 || slot >= capacity) {
      throw new IllegalArgumentException(
          "incremental MMD²: slot " + slot + " is outside [0, " + capacity + ")");
    }
    float[] old = items[slot];
    double[] wideX = widen(x);
    double[] wideOld = old == null ? null : widen(old);
    double row = kernel.ofDot(DOTS.dot(wideX, x));
    // One pass over the other items: the leaving item's kernel value is subtracted and the
    // entering one's added, reading each other item once.
    for (int j = 0; j < capacity; j++) {
      float[] other = items[j];
      if (j == slot || other == null) {
        continue;
      }
      double added;
      if (old == null) {
        added = kernel.ofDot(DOTS.dot(wideX, other));
      } else {
        DOTS.dot2(wideX, wideOld, other, pair);
        added = kernel.ofDot(pair[0]);
        double removed = kernel.ofDot(pair[1]);
        sXx[j] -= removed;
        totalXx -= removed;
      }
      sXx[j] += added;
      row += added;
      totalXx += added;
    }
    if (old != null) {
      totalXx -= sXx[slot]; // the old row; its column entries went in the loop
      totalXr -= sXr[slot];
      size--;
    }
    items[slot] = x;
    sXx[slot] = row;
    totalXx += row;
    sXr[slot] = sumAgainstReference(x);
    totalXr += sXr[slot];
    size++;
    changesSinceRefresh++;
    if (refreshInterval > 0 && changesSinceRefresh >= refreshInterval) {
      recomputeExactly();
    }
  }

  private double sumAgainstReference(float[] x) {
    double[] r = reference.rowMajor();
    int m = reference.size();
    double sum = 0;
    for (int a = 0; a < m; a++) {
      int base = a * dimension;
      double s0 = 0;
      double s1 = 0;
      double s2 = 0;
      double s3 = 0;
      int j = 0;
      for (; j + 3 < dimension; j += 4) {
        s0 += x[j] * r[base + j];
        s1 += x[j + 1] * r[base + j + 1];
        s2 += x[j + 2] * r[base + j + 2];
        s3 += x[j + 3] * r[base + j + 3];
      }
      for (; j < dimension; j++) {
        s0 += x[j] * r[base + j];
      }
      sum += kernel.ofDot((s0 + s1) + (s2 + s3));
    }
    return sum;
  }

  /** The float values as doubles (exact), so the inner loops widen only the other operand. */
  private static double[] widen(float[] x) {
    double[] wide = new double[x.length];
    for (int j = 0; j < x.length; j++) {
      wide[j] = x[j];
    }
    return wide;
  }

  /**
   * Rebuilds every per-slot and total sum from the items, {@code O(k²·d + k·|R|·d)}, discarding
   * accumulated rounding drift, and resets the refresh counter.
   */
  public void recomputeExactly() {
    totalXx = 0;
    totalXr = 0;
    for (int i = 0; i < capacity; i++) {
      sXx[i] = 0;
      sXr[i] = 0;
    }
    // Rows two at a time, so each other item is read once per pair (dot2).
    for (int i = 0; i < capacity; i += 2) {
      float[] a = items[i];
      float[] b = i + 1 < capacity ? items[i + 1] : null;
      double[] wideA = a == null ? null : widen(a);
      double[] wideB = b == null ? null : widen(b);
      if (a != null) {
        sXx[i] += kernel.ofDot(DOTS.dot(wideA, a));
        sXr[i] = sumAgainstReference(a);
      }
      if (b != null) {
        sXx[i + 1] += kernel.ofDot(DOTS.dot(wideB, b));
        sXr[i + 1] = sumAgainstReference(b);
        if (a != null) {
          double k = kernel.ofDot(DOTS.dot(wideA, b));
          sXx[i] += k;
          sXx[i + 1] += k;
        }
      }
      for (int j = i + 2; j < capacity; j++) {
        float[] y = items[j];
        if (y == null || (a == null && b == null)) {
          continue;
        }
        if (a != null && b != null) {
          DOTS.dot2(wideA, wideB, y, pair);
          double ka = kernel.ofDot(pair[0]);
          double kb = kernel.ofDot(pair[1]);
          sXx[i] += ka;
          sXx[i + 1] += kb;
          sXx[j] += ka + kb;
        } else {
          double k = kernel.ofDot(DOTS.dot(a != null ? wideA : wideB, y));
          sXx[a != null ? i : i + 1] += k;
          sXx[j] += k;
        }
      }
    }
    for (int i = 0; i < capacity; i++) {
      totalXx += sXx[i];
      totalXr += sXr[i];
    }
    changesSinceRefresh = 0;
  }

  /**
   * The current MMD² (dimensionless kernel units), {@code O(1)}.
   *
   * @throws IllegalStateException while no item has been put
   */
  public double value() {
    if (size == 0) {
      throw new IllegalStateException(
          "incremental MMD²: no synthetic samples yet; at least one is required");
    }
    double n = size;
    double m = reference.size();
    return totalXx / (n * n) + totalRr / (m * m) - 2 * totalXr / (n * m);
  }

  /**
   * The MMD witness at every occupied slot, in slot order: {@code realness(x_i) = sXR_i / |R| -
   * sXX_i / n} from the per-slot sums this state keeps anyway ({@code O(k)}, no kernel evaluation);
   * see {@link MmdWitness}. For a state that mirrors a {@link Reservoir} the slots are {@code
   * 0..n-1}, the reservoir's order.
   *
   * @throws IllegalStateException while no item has been put
   */
  public double[] realness() {
    if (size == 0) {
      throw new IllegalStateException(
          "incremental MMD²: no synthetic samples yet; at least one is required");
    }
    double[] out = new double[size];
    int p = 0;
    double m = reference.size();
    for (int i = 0; i < capacity; i++) {
      if (items[i] != null) {
        out[p++] = sXr[i] / m - sXx[i] / size;
      }
    }
    return out;
  }

  /** Number of occupied slots. */
  public int size() {
    return size;
  }

  /** Number of slots {@code k}. */
  public int capacity() {
    return capacity;
  }

  /** Changes since the last exact recomputation. */
  public long changesSinceRefresh() {
    return changesSinceRefresh;
  }

  /** The reference set R this state compares with (shared, never mutated). */
  public EmbeddingSet reference() {
    return reference;
  }

  /** The refresh interval, 0 for never. */
  public int refreshInterval() {
    return refreshInterval;
  }

  /**
   * Compact big-endian binary form: version byte {@value #FORMAT_VERSION}, capacity (int),
   * dimension (int), refresh interval (int), changes since refresh (long), reference fingerprint
   * (long), kernel degree (int), gamma (double), coef0 (double), {@code TXX}, {@code TXR}
   * (doubles), then per slot a presence byte and, when present, {@code sXX}, {@code sXR} (doubles)
   * and {@code d} float32 components. {@code 65 + k + n(16 + 4d)} bytes for {@code n} occupied
   * slots.
   */
  public byte[] toBytes() {
    return write(FORMAT_VERSION, true);
  }

  /**
   * {@link #toBytes()} without the items ({@code 65 + k + 16n} bytes): for a state that follows a
   * {@link Reservoir} serialised next to it, so the vectors are stored once. Read back with {@link
   * #fromSumBytes}.
   */
  public byte[] sumsToBytes() {
    return write(SUMS_FORMAT_VERSION, false);
  }

  private byte[] write(byte version, boolean withItems) {
    int length = 65 + capacity + size * (16 + (withItems ? 4 * dimension : 0));
    ByteBuffer buffer = ByteBuffer.allocate(length);
    buffer.put(version).putInt(capacity).putInt(dimension).putInt(refreshInterval);
    buffer.putLong(changesSinceRefresh).putLong(referenceFingerprint);
    buffer.putInt(kernel.degree()).putDouble(kernel.gamma()).putDouble(kernel.coef0());
    buffer.putDouble(totalXx).putDouble(totalXr);
    for (int i = 0; i < capacity; i++) {
      if (items[i] == null) {
        buffer.put((byte) 0);
        continue;
      }
      buffer.put((byte) 1).putDouble(sXx[i]).putDouble(sXr[i]);
      if (withItems) {
        StateBytes.putFloats(buffer, items[i]);
      }
    }
    return buffer.array();
  }

  /**
   * Reads the form written by {@link #toBytes()}, against the same reference set.
   *
   * @param reference the reference the state was built against (checked by fingerprint)
   * @throws IllegalArgumentException for null, truncated or trailing input, an unknown version, a
   *     different reference or inconsistent values
   */
  public static IncrementalMmd2 fromBytes(byte[] bytes, EmbeddingSet reference) {
    return read(bytes, FORMAT_VERSION, reference, null);
  }

  /**
   * Whether bytes written by {@link #toBytes()} or {@link #sumsToBytes()} were built against {@code
   * reference} (same dimension and fingerprint), so that reading them against it succeeds. A
   * reference whose contents changed under the same version (samples still arriving, one edited)
   * gives false: the caller rebuilds the state from its reservoir instead.
   *
   * @return false also for bytes too short to hold the header
   */
  public static boolean builtAgainst(byte[] bytes, EmbeddingSet reference) {
    if (bytes == null || reference == null || bytes.length < 29) {
      return false;
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    int dimension = buffer.getInt(5);
    long fingerprint = buffer.getLong(21);
    return dimension == reference.dimension() && fingerprint == fingerprint(reference);
  }

  /**
   * Reads the form written by {@link #sumsToBytes()}, taking the items from the reservoir the state
   * followed (shared, not copied, as {@link #apply} does).
   *
   * @throws IllegalArgumentException as {@link #fromBytes}, and when the occupied slots or the
   *     capacity differ from the reservoir's
   */
  public static IncrementalMmd2 fromSumBytes(
      byte[] bytes, EmbeddingSet reference, Reservoir reservoir) {
    if (reservoir == null) {
      throw new IllegalArgumentException(WHAT + ": the reservoir must not be null");
    }
    return read(bytes, SUMS_FORMAT_VERSION, reference, reservoir);
  }

  private static IncrementalMmd2 read(
      byte[] bytes, byte version, EmbeddingSet reference, Reservoir reservoir) {
    if (reference == null) {
      throw new IllegalArgumentException(WHAT + ": the reference must not be null");
    }
    return StateBytes.decode(
        bytes,
        version,
        WHAT,
        buffer -> {
          int capacity = buffer.getInt();
          int dimension = buffer.getInt();
          int refreshInterval = buffer.getInt();
          long changes = buffer.getLong();
          long fingerprint = buffer.getLong();
          if (capacity < 1 || refreshInterval < 0 || changes < 0 || capacity > buffer.remaining()) {
            throw StateBytes.corrupt(WHAT, "inconsistent header");
          }
          if (dimension != reference.dimension() || fingerprint != fingerprint(reference)) {
            throw new IllegalArgumentException(
                WHAT + ": the state was built against a different reference set");
          }
          if (reservoir != null && reservoir.capacity() != capacity) {
            throw new IllegalArgumentException(
                String.format(
                    "%s: the state has %d slots but the reservoir has capacity %d",
                    WHAT, capacity, reservoir.capacity()));
          }
          PolynomialKernel kernel =
              new PolynomialKernel(buffer.getInt(), buffer.getDouble(), buffer.getDouble());
          IncrementalMmd2 mmd = new IncrementalMmd2(reference, kernel, capacity, refreshInterval);
          mmd.changesSinceRefresh = changes;
          mmd.totalXx = buffer.getDouble();
          mmd.totalXr = buffer.getDouble();
          for (int i = 0; i < capacity; i++) {
            byte present = buffer.get();
            if (present == 0) {
              if (reservoir != null && i < reservoir.size()) {
                throw new IllegalArgumentException(
                    WHAT + ": slot " + i + " is empty but the reservoir holds an item there");
              }
              continue;
            }
            if (present != 1) {
              throw StateBytes.corrupt(WHAT, "slot marker " + present);
            }
            mmd.sXx[i] = buffer.getDouble();
            mmd.sXr[i] = buffer.getDouble();
            if (reservoir == null) {
              mmd.items[i] = StateBytes.getFiniteFloats(buffer, dimension, WHAT);
            } else if (i < reservoir.size()) {
              mmd.items[i] = reservoir.embeddingView(i);
            } else {
              throw new IllegalArgumentException(
                  WHAT + ": slot " + i + " is occupied but the reservoir holds no item there");
            }
            mmd.size++;
          }
          return mmd;
        });
  }
}
