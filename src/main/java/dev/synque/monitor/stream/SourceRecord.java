package dev.synque.monitor.stream;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a record came from and its original bytes, kept with a sample until it is scored so that a
 * sample rejected later (by the embedder, or as late) is dead-lettered whole, with coordinates.
 *
 * @param topic never null
 * @param partition at least 0
 * @param offset at least 0
 * @param timestamp the record's timestamp, milliseconds since the epoch
 * @param key the key bytes, null when the record had none (not copied: never mutated)
 * @param value the value bytes, null for a tombstone (not copied: never mutated)
 */
public record SourceRecord(
    String topic, int partition, long offset, long timestamp, byte[] key, byte[] value) {

  public SourceRecord {
    Objects.requireNonNull(topic, "topic");
  }

  /** {@code topic/partition@offset}, for log lines. */
  public String coordinates() {
    return topic + "/" + partition + "@" + offset;
  }

  /** A compact binary form for state stores. */
  public byte[] toBytes() {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(1);
      out.writeUTF(topic);
      out.writeInt(partition);
      out.writeLong(offset);
      out.writeLong(timestamp);
      writeBytes(out, key);
      writeBytes(out, value);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Reads {@link #toBytes()}. */
  public static SourceRecord fromBytes(byte[] bytes) {
    try {
      DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(bytes));
      byte version = in.readByte();
      if (version != 1) {
        throw new IllegalArgumentException(
            "source record bytes: unknown format version " + version);
      }
      return new SourceRecord(
          in.readUTF(), in.readInt(), in.readLong(), in.readLong(), readBytes(in), readBytes(in));
    } catch (IOException e) {
      throw new IllegalArgumentException("source record bytes are truncated: " + e, e);
    }
  }

  private static void writeBytes(DataOutputStream out, byte[] b) throws IOException {
    out.writeInt(b == null ? -1 : b.length);
    if (b != null) {
      out.write(b);
    }
  }

  private static byte[] readBytes(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SourceRecord s
        && topic.equals(s.topic)
        && partition == s.partition
        && offset == s.offset
        && timestamp == s.timestamp
        && Arrays.equals(key, s.key)
        && Arrays.equals(value, s.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        topic, partition, offset, timestamp, Arrays.hashCode(key), Arrays.hashCode(value));
  }

  @Override
  public String toString() {
    return "SourceRecord[" + coordinates() + "]";
  }
}
