package dev.synque.monitor.core;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * The frame shared by the binary forms of the streaming state ({@link RunningMoments}, {@link
 * Reservoir}, {@link IncrementalMmd2}): a leading format-version byte, then big-endian fields
 * (Java's {@link ByteBuffer} default), and nothing after the last field.
 *
 * <p>Decoding never returns a half-read state: every problem is an {@link IllegalArgumentException}
 * whose message starts with what was being read ("reservoir bytes: ...") and names the rule that
 * failed (empty input, unknown version, truncated, trailing bytes, corrupt values), so a state
 * store can report it with the record that carried it.
 */
final class StateBytes {

  private StateBytes() {}

  /** Reads the fields after the version byte. */
  @FunctionalInterface
  interface Body<T> {
    T read(ByteBuffer buffer);
  }

  /**
   * Checks the frame around {@code body}: non-empty input, the expected version, no underflow and
   * no trailing bytes.
   *
   * @param what the prefix of every message, for example {@code "reservoir bytes"}
   */
  static <T> T decode(byte[] bytes, byte version, String what, Body<T> body) {
    if (bytes == null || bytes.length == 0) {
      throw new IllegalArgumentException(what + ": input is empty");
    }
    if (bytes[0] != version) {
      throw new IllegalArgumentException(
          String.format(
              "%s: format version %d is not supported (expected %d)", what, bytes[0], version));
    }
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    buffer.get();
    T value;
    try {
      value = body.read(buffer);
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException(what + ": input is truncated", e);
    }
    if (buffer.hasRemaining()) {
      throw corrupt(what, buffer.remaining() + " trailing bytes");
    }
    return value;
  }

  /** {@code "<what>: <detail> (corrupt input)"}. */
  static IllegalArgumentException corrupt(String what, String detail) {
    return new IllegalArgumentException(what + ": " + detail + " (corrupt input)");
  }

  // Bulk copies through a view buffer: one byte-swapping memory copy, not a call per value (the
  // states are megabytes and are written once per micro-batch).
  static void putFloats(ByteBuffer buffer, float[] values) {
    buffer.asFloatBuffer().put(values);
    buffer.position(buffer.position() + Float.BYTES * values.length);
  }

  static void putDoubles(ByteBuffer buffer, double[] values) {
    buffer.asDoubleBuffer().put(values);
    buffer.position(buffer.position() + Double.BYTES * values.length);
  }

  /** {@code length} floats, each finite. */
  static float[] getFiniteFloats(ByteBuffer buffer, int length, String what) {
    float[] values = new float[length];
    buffer.asFloatBuffer().get(values);
    buffer.position(buffer.position() + Float.BYTES * length);
    for (int i = 0; i < length; i++) {
      if (!Float.isFinite(values[i])) {
        throw corrupt(what, "non-finite value " + values[i]);
      }
    }
    return values;
  }

  /** {@code length} doubles, each finite. */
  static double[] getFiniteDoubles(ByteBuffer buffer, int length, String what) {
    double[] values = new double[length];
    buffer.asDoubleBuffer().get(values);
    buffer.position(buffer.position() + Double.BYTES * length);
    for (int i = 0; i < length; i++) {
      if (!Double.isFinite(values[i])) {
        throw corrupt(what, "non-finite value " + values[i]);
      }
    }
    return values;
  }
}
