package dev.synque.monitor.embed;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a float32 matrix as a NumPy {@code .npy} file (format version 1.0), row by row, without
 * knowing the row count in advance.
 *
 * <p>Layout: the 6 magic bytes {@code \x93NUMPY}, version bytes {@code 1 0}, a little-endian uint16
 * header length, then an ASCII header {@code {'descr': '<f4', 'fortran_order': False, 'shape':
 * (rows, columns), }} padded with spaces and ending in a newline so that the data starts at byte
 * {@value #DATA_OFFSET} (a multiple of 64), then rows × columns little-endian IEEE-754 float32
 * values in row-major (C) order. {@code numpy.load(path)} returns a {@code float32} array of shape
 * {@code (rows, columns)}.
 *
 * <p>Rows go to a temporary file next to the target; {@link #close()} writes the final shape into
 * the header and moves the file into place, so a failed run never leaves a partial {@code .npy}.
 * {@link #abort()} discards it. Not thread-safe.
 */
public final class NpyWriter implements AutoCloseable {

  /** Byte offset of the first value: magic, version, length and the padded header. */
  public static final int DATA_OFFSET = 128;

  private final Path target;
  private final Path temporary;
  private final int columns;
  private final OutputStream out;
  private final ByteBuffer row;
  private long rows;
  private boolean done;

  private NpyWriter(Path target, Path temporary, int columns, OutputStream out) {
    this.target = target;
    this.temporary = temporary;
    this.columns = columns;
    this.out = out;
    this.row = ByteBuffer.allocate(columns * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
  }

  /**
   * Starts a matrix with {@code columns} columns.
   *
   * @throws IOException when the temporary file cannot be created next to {@code target}
   */
  public static NpyWriter create(Path target, int columns) throws IOException {
    if (columns < 1) {
      throw new IllegalArgumentException("columns must be positive, got " + columns);
    }
    Path absolute = target.toAbsolutePath();
    Path temporary =
        Files.createTempFile(absolute.getParent(), "." + absolute.getFileName(), ".partial");
    OutputStream out = new BufferedOutputStream(Files.newOutputStream(temporary), 1 << 16);
    out.write(header(0, columns));
    return new NpyWriter(absolute, temporary, columns, out);
  }

  /** The header for a shape: exactly {@value #DATA_OFFSET} bytes. */
  static byte[] header(long rows, int columns) {
    String dict =
        "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + columns + "), }";
    int padded = DATA_OFFSET - 10;
    if (dict.length() + 1 > padded) {
      throw new IllegalArgumentException("shape too large for the header: " + rows + "x" + columns);
    }
    StringBuilder text = new StringBuilder(dict);
    while (text.length() < padded - 1) {
      text.append(' ');
    }
    text.append('\n');
    ByteBuffer header = ByteBuffer.allocate(DATA_OFFSET).order(ByteOrder.LITTLE_ENDIAN);
    header.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII));
    header.put((byte) 1).put((byte) 0);
    header.putShort((short) padded);
    header.put(text.toString().getBytes(StandardCharsets.US_ASCII));
    return header.array();
  }

  /**
   * Appends one row.
   *
   * @throws IllegalArgumentException when the row does not have {@code columns} values
   */
  public void write(float[] values) throws IOException {
    if (values.length != columns) {
      throw new IllegalArgumentException(
          "row " + rows + " has " + values.length + " values, expected " + columns);
    }
    row.clear();
    row.asFloatBuffer().put(values);
    out.write(row.array());
    rows++;
  }

  /** Rows written so far. */
  public long rows() {
    return rows;
  }

  /** Writes the shape, then moves the file into place. */
  @Override
  public void close() throws IOException {
    if (done) {
      return;
    }
    done = true;
    try {
      out.close();
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.wrap(header(rows, columns)), 0);
      }
      Files.move(
          temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }

  /** Discards everything written; the target is left as it was. */
  public void abort() {
    if (done) {
      return;
    }
    done = true;
    try {
      out.close();
    } catch (IOException e) {
      // the file is deleted next anyway
    }
    try {
      Files.deleteIfExists(temporary);
    } catch (IOException e) {
      // a leftover hidden .partial file is harmless
    }
  }
}
