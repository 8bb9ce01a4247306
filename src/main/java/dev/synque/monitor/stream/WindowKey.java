package dev.synque.monitor.stream;

import dev.synque.monitor.avro.WindowKind;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * The key of one generator's window in {@value MonitorTopology#WINDOW_STATE_STORE}.
 *
 * <p><b>Encoding.</b> {@code int32 length · UTF-8 generator id · kind ordinal (1 byte) · int64
 * start with its sign bit flipped}, big-endian. The generator id is length-prefixed, so no id
 * content (a NUL, a separator, any Unicode) can be mistaken for the kind or the start, and the
 * prefix {@code length · id} of one generator is never a prefix of another's ({@link
 * #GENERATOR_PREFIX} scans one generator's windows). Within a generator, keys sort by kind, then by
 * start (the flipped sign bit makes signed starts sort as unsigned bytes).
 *
 * @param generator the generator id, never null
 * @param kind the window kind, never null
 * @param start the window's start in epoch milliseconds; 0 for {@link WindowKind#ALL_TIME}
 */
record WindowKey(String generator, WindowKind kind, long start) {

  WindowKey {
    Objects.requireNonNull(generator, "generator");
    Objects.requireNonNull(kind, "kind");
    if (kind == WindowKind.ALL_TIME) {
      start = 0;
    }
  }

  /** The all-time view of {@code generator}. */
  static WindowKey allTime(String generator) {
    return new WindowKey(generator, WindowKind.ALL_TIME, 0);
  }

  /** The serde of the store's keys. */
  static final Serde<WindowKey> SERDE =
      Serdes.serdeFrom(
          (Serializer<WindowKey>) (topic, key) -> key == null ? null : key.toBytes(),
          (Deserializer<WindowKey>) (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

  /** Serialises a generator id to the prefix shared by all its window keys (for prefix scans). */
  static final Serializer<String> GENERATOR_PREFIX = (topic, generator) -> prefix(generator);

  byte[] toBytes() {
    byte[] id = generator.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length + 1 + 8)
        .putInt(id.length)
        .put(id)
        .put((byte) kind.ordinal())
        .putLong(start ^ Long.MIN_VALUE)
        .array();
  }

  /**
   * Reads {@link #toBytes()}.
   *
   * @throws IllegalArgumentException for bytes that are not a window key (naming what is wrong)
   */
  static WindowKey fromBytes(byte[] bytes) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      int n = in.getInt();
      if (n < 0 || n > in.remaining() - 9) {
        throw new IllegalArgumentException(
            "window key: generator id length " + n + " with " + in.remaining() + " bytes left");
      }
      byte[] id = new byte[n];
      in.get(id);
      int ordinal = in.get();
      if (ordinal < 0 || ordinal >= WindowKind.values().length) {
        throw new IllegalArgumentException("window key: unknown window kind " + ordinal);
      }
      long start = in.getLong() ^ Long.MIN_VALUE;
      if (in.hasRemaining()) {
        throw new IllegalArgumentException("window key: " + in.remaining() + " trailing bytes");
      }
      return new WindowKey(
          new String(id, StandardCharsets.UTF_8), WindowKind.values()[ordinal], start);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("window key: " + bytes.length + " bytes is too short", e);
    }
  }

  private static byte[] prefix(String generator) {
    byte[] id = generator.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(4 + id.length).putInt(id.length).put(id).array();
  }

  /**
   * The seed of this window's reservoir draws: FNV-1a of the generator id, the kind's name and the
   * start, mixed with {@code seed}. Stable across releases (reservoir contents, and so scores, must
   * not change with the key's encoding).
   */
  long reservoirSeed(long seed) {
    String name =
        generator
            + '\u0000'
            + kind.name()
            + '\u0000'
            + (kind == WindowKind.ALL_TIME ? "" : String.format("%016x", start ^ Long.MIN_VALUE));
    long h = seed ^ 0xCBF29CE484222325L;
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      h ^= (b & 0xFF);
      h *= 0x100000001B3L;
    }
    return h;
  }

  @Override
  public String toString() {
    return kind == WindowKind.ALL_TIME
        ? kind + " of " + generator
        : kind + " window at " + start + " of " + generator;
  }
}
