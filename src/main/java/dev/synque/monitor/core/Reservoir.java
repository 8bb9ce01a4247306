package dev.synque.monitor.core;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A uniform sample of at most {@code k} items from an unbounded stream (Vitter's Algorithm R),
 * keeping for each item its embedding, its sample id and its text (the text is what LENS judges).
 *
 * <p><b>Algorithm R.</b> The item at stream position {@code t} (0-based) goes into slot {@code t}
 * while {@code t < k}; afterwards a number {@code j} uniform on {@code [0, t]} is drawn and the
 * item replaces slot {@code j} if {@code j < k}, else it is rejected. Every item of the stream is
 * then in the reservoir with probability {@code k / (t + 1)}.
 *
 * <p><b>Deterministic draws.</b> {@code j} does not come from a stateful random generator: it is a
 * 64-bit hash (SplitMix64 finaliser) of the configured seed, the sample id (64-bit FNV-1a of its
 * UTF-8 bytes) and the stream position, reduced to {@code [0, t]} by Lemire's multiply-high (bias
 * at most {@code (t+1)/2^64}). The only state a draw depends on is the position counter, which is
 * part of the serialised state. So replaying the same records after a crash (restore from the
 * changelog, reprocess from the committed offset) rebuilds exactly the same reservoir, and a
 * reservoir moved to another instance by repartitioning makes the same decisions there; a random
 * generator would need its internal state checkpointed in lockstep with the offsets.
 *
 * <p><b>Memory.</b> Embeddings are kept as {@code float[]}: half the memory and state size of
 * doubles, and no loss, since embedders produce float32. Computations on them (kernels, moments)
 * widen to double.
 *
 * <p><b>Threading.</b> Not thread-safe: mutable state owned by one stream task. Embeddings passed
 * in are copied; embeddings returned are copies.
 *
 * <p><b>Serialised size</b> ({@link #toBytes}): {@code 29 + Σ_items (8 + |id| + |text| + 4d)} bytes
 * with UTF-8 lengths; for {@code k = 1024}, {@code d = 384}, 12-byte ids and 200-byte texts that is
 * 1,798,173 bytes, of which 1,572,864 are embeddings (asserted by a test).
 */
public final class Reservoir {

  /** The leading byte of {@link #toBytes()}; bumped when the layout changes. */
  public static final byte FORMAT_VERSION = 1;

  private static final String WHAT = "reservoir bytes";

  /** What {@link #offer} did with an item. */
  public enum Outcome {
    /** Stored in a free slot; nothing was evicted. */
    ACCEPTED,
    /** Stored in an occupied slot, evicting the item that was there. */
    REPLACED,
    /** Not stored; the reservoir is unchanged apart from the position counter. */
    REJECTED
  }

  /**
   * The effect of one {@link #offer}, so that incremental statistics (such as {@link
   * IncrementalMmd2}) can react.
   *
   * @param outcome never null
   * @param slot the slot written, in {@code [0, k)}; −1 when rejected
   * @param position the 0-based stream position of the offered item
   * @param evictedSampleId the id of the evicted item when replaced, else null
   * @param evictedEmbedding the embedding of the evicted item when replaced (handed over, not
   *     copied: the reservoir no longer holds it), else null
   */
  public record Update(
      Outcome outcome, int slot, long position, String evictedSampleId, float[] evictedEmbedding) {

    public Update {
      Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether the reservoir's contents changed (accepted or replaced). */
    public boolean changed() {
      return outcome != Outcome.REJECTED;
    }
  }

  private final int capacity;
  private final int dimension;
  private final long seed;
  private long seen;
  private int size;
  private final float[][] embeddings;
  private final String[] sampleIds;
  private final String[] texts;

  /**
   * An empty reservoir.
   *
   * @param capacity {@code k}, at least 1
   * @param dimension embedding dimension, at least 1
   * @param seed from configuration (for example a hash of generator id and application id); the
   *     same seed and the same stream give the same reservoir
   * @throws IllegalArgumentException for a capacity or dimension below 1
   */
  public Reservoir(int capacity, int dimension, long seed) {
    if (capacity < 1) {
      throw new IllegalArgumentException("reservoir capacity " + capacity + " must be at least 1");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException(
          "reservoir dimension " + dimension + " must be at least 1");
    }
    this.capacity = capacity;
    this.dimension = dimension;
    this.seed = seed;
    this.embeddings = new float[capacity][];
    this.sampleIds = new String[capacity];
    this.texts = new String[capacity];
  }

  /**
   * Offers the next item of the stream.
   *
   * @param sampleId stable id of the sample, never null (part of the draw)
   * @param embedding never null, length {@link #dimension()}, finite; copied
   * @param text the sample's text, never null (may be empty)
   * @return what happened, never null
   * @throws IllegalArgumentException for a null argument, a wrong dimension or a non-finite
   *     component, naming the rule; the reservoir is then unchanged
   */
  public Update offer(String sampleId, float[] embedding, String text) {
    if (sampleId == null || text == null || embedding == null) {
      throw new IllegalArgumentException(
          "reservoir: sample id, embedding and text must not be null");
    }
    if (embedding.length != dimension) {
      throw new IllegalArgumentException(
          String.format(
              "reservoir: sample %s has dimension %d, expected %d",
              sampleId, embedding.length, dimension));
    }
    for (int j = 0; j < dimension; j++) {
      if (!Float.isFinite(embedding[j])) {
        throw new IllegalArgumentException(
            String.format(
                "reservoir: sample %s, component %d is %s: embeddings must be finite numbers",
                sampleId, j, embedding[j]));
      }
    }
    long position = seen++;
    if (size < capacity) {
      int slot = size++;
      store(slot, sampleId, embedding, text);
      return new Update(Outcome.ACCEPTED, slot, position, null, null);
    }
    long j = draw(seed, sampleId, position);
    if (j >= capacity) {
      return new Update(Outcome.REJECTED, -1, position, null, null);
    }
    int slot = (int) j;
    String evictedId = sampleIds[slot];
    float[] evicted = embeddings[slot];
    store(slot, sampleId, embedding, text);
    return new Update(Outcome.REPLACED, slot, position, evictedId, evicted);
  }

  private void store(int slot, String sampleId, float[] embedding, String text) {
    embeddings[slot] = embedding.clone();
    sampleIds[slot] = sampleId;
    texts[slot] = text;
  }

  /** A draw uniform on {@code [0, position]}, a pure function of its arguments. */
  static long draw(long seed, String sampleId, long position) {
    long h = mix64(seed ^ mix64(fnv1a64(sampleId) + 0x9E3779B97F4A7C15L * (position + 1)));
    long bound = position + 1;
    // Lemire: high 64 bits of the unsigned product h * bound (bound is non-negative)
    return Math.multiplyHigh(h, bound) + ((h >> 63) & bound);
  }

  /** SplitMix64's finaliser (Steele, Lea, Flood 2014): a bijective 64-bit avalanche mix. */
  static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static long fnv1a64(String s) {
    long h = 0xCBF29CE484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xFF);
      h *= 0x100000001B3L;
    }
    return h;
  }

  /** {@code k}, the maximum number of items. */
  public int capacity() {
    return capacity;
  }

  /** Embedding dimension. */
  public int dimension() {
    return dimension;
  }

  /** The configured seed. */
  public long seed() {
    return seed;
  }

  /** Number of items offered so far (the next item's stream position). */
  public long seen() {
    return seen;
  }

  /** Number of items held, {@code min(seen, capacity)}; slots {@code [0, size)} are occupied. */
  public int size() {
    return size;
  }

  /** Sample id in {@code slot}, never null for {@code slot < size()}. */
  public String sampleId(int slot) {
    checkSlot(slot);
    return sampleIds[slot];
  }

  /** Text in {@code slot}, never null for {@code slot < size()}. */
  public String text(int slot) {
    checkSlot(slot);
    return texts[slot];
  }

  /** A copy of the embedding in {@code slot}. */
  public float[] embedding(int slot) {
    checkSlot(slot);
    return embeddings[slot].clone();
  }

  /** The embedding in {@code slot}, not copied, for tight loops; callers must not modify it. */
  float[] embeddingView(int slot) {
    return embeddings[slot];
  }

  /** The held items as an {@link EmbeddingSet} (widened to double), e.g. for a batch proxy. */
  public EmbeddingSet toEmbeddingSet(String name) {
    double[] rowMajor = new double[size * dimension];
    for (int i = 0; i < size; i++) {
      for (int j = 0; j < dimension; j++) {
        rowMajor[i * dimension + j] = embeddings[i][j];
      }
    }
    return EmbeddingSet.wrap(name, size, dimension, rowMajor);
  }

  private void checkSlot(int slot) {
    if (slot < 0 || slot >= size) {
      throw new IndexOutOfBoundsException(
          "reservoir slot " + slot + " is not occupied (size " + size + ")");
    }
  }

  /**
   * Compact big-endian binary form: version byte {@value #FORMAT_VERSION}, capacity (int),
   * dimension (int), seed (long), seen (long), size (int), then per occupied slot: id (int length +
   * UTF-8), text (int length + UTF-8), embedding ({@code d} float32).
   */
  public byte[] toBytes() {
    byte[][] ids = new byte[size][];
    byte[][] txts = new byte[size][];
    int length = 29;
    for (int i = 0; i < size; i++) {
      ids[i] = sampleIds[i].getBytes(StandardCharsets.UTF_8);
      txts[i] = texts[i].getBytes(StandardCharsets.UTF_8);
      length = Math.addExact(length, 8 + ids[i].length + txts[i].length + 4 * dimension);
    }
    ByteBuffer buffer = ByteBuffer.allocate(length);
    buffer.put(FORMAT_VERSION).putInt(capacity).putInt(dimension).putLong(seed).putLong(seen);
    buffer.putInt(size);
    for (int i = 0; i < size; i++) {
      buffer.putInt(ids[i].length).put(ids[i]);
      buffer.putInt(txts[i].length).put(txts[i]);
      StateBytes.putFloats(buffer, embeddings[i]);
    }
    return buffer.array();
  }

  /**
   * Reads the form written by {@link #toBytes()}.
   *
   * @throws IllegalArgumentException for null, truncated or trailing input, an unknown version or
   *     inconsistent values, naming what is wrong
   */
  public static Reservoir fromBytes(byte[] bytes) {
    return StateBytes.decode(
        bytes,
        FORMAT_VERSION,
        WHAT,
        buffer -> {
          int capacity = buffer.getInt();
          int dimension = buffer.getInt();
          long seed = buffer.getLong();
          long seen = buffer.getLong();
          int size = buffer.getInt();
          if (capacity < 1 || dimension < 1 || size < 0 || size > capacity || seen < size) {
            throw StateBytes.corrupt(
                WHAT,
                String.format(
                    "inconsistent header (capacity %d, dimension %d, size %d, seen %d)",
                    capacity, dimension, size, seen));
          }
          if ((long) size * 4 * dimension > buffer.remaining()) {
            throw new IllegalArgumentException(WHAT + ": input is truncated");
          }
          Reservoir reservoir = new Reservoir(capacity, dimension, seed);
          reservoir.seen = seen;
          reservoir.size = size;
          for (int i = 0; i < size; i++) {
            reservoir.sampleIds[i] = readString(buffer);
            reservoir.texts[i] = readString(buffer);
            reservoir.embeddings[i] = StateBytes.getFiniteFloats(buffer, dimension, WHAT);
          }
          return reservoir;
        });
  }

  private static String readString(ByteBuffer buffer) {
    int length = buffer.getInt();
    if (length < 0 || length > buffer.remaining()) {
      throw StateBytes.corrupt(WHAT, "string length " + length + " exceeds the input");
    }
    byte[] b = new byte[length];
    buffer.get(b);
    return new String(b, StandardCharsets.UTF_8);
  }

  /** Equal configuration, position and contents (slot by slot). */
  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Reservoir other)
        || other.capacity != capacity
        || other.dimension != dimension
        || other.seed != seed
        || other.seen != seen
        || other.size != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!sampleIds[i].equals(other.sampleIds[i])
          || !texts[i].equals(other.texts[i])
          || !Arrays.equals(embeddings[i], other.embeddings[i])) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return Objects.hash(capacity, dimension, seed, seen, size);
  }

  @Override
  public String toString() {
    return "Reservoir[capacity=" + capacity + ", size=" + size + ", seen=" + seen + "]";
  }
}
