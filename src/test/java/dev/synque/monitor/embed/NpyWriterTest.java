package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyWriterTest {

  /** Parses a .npy file the way numpy's format reader does (version 1.0, header dict, data). */
  record Parsed(String descr, boolean fortranOrder, long rows, int columns, float[] data) {}

  static Parsed parse(Path file) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[6];
    bytes.get(magic);
    assertThat(magic[0] & 0xFF).isEqualTo(0x93);
    assertThat(new String(magic, 1, 5, StandardCharsets.US_ASCII)).isEqualTo("NUMPY");
    assertThat(bytes.get()).isEqualTo((byte) 1);
    assertThat(bytes.get()).isEqualTo((byte) 0);
    int headerLength = Short.toUnsignedInt(bytes.getShort());
    byte[] header = new byte[headerLength];
    bytes.get(header);
    String dict = new String(header, StandardCharsets.US_ASCII);
    assertThat((10 + headerLength) % 64).as("data aligned to 64 bytes").isZero();
    assertThat(dict).endsWith("\n");
    Matcher m =
        Pattern.compile(
                "\\{'descr': '([^']+)', 'fortran_order': (True|False), 'shape': \\((\\d+), (\\d+)\\), \\}\\s*")
            .matcher(dict);
    assertThat(m.matches()).as(dict).isTrue();
    long rows = Long.parseLong(m.group(3));
    int columns = Integer.parseInt(m.group(4));
    float[] data = new float[bytes.remaining() / 4];
    bytes.asFloatBuffer().get(data);
    return new Parsed(
        m.group(1), Boolean.parseBoolean(m.group(2).toLowerCase()), rows, columns, data);
  }

  @Test
  void shouldWriteAHeaderNumpyReadsAndRowMajorLittleEndianFloats(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("v.npy");
    try (NpyWriter writer = NpyWriter.create(file, 3)) {
      writer.write(new float[] {1f, -2.5f, Float.NaN});
      writer.write(new float[] {0f, 1e-30f, 3.25f});
    }

    Parsed parsed = parse(file);

    assertThat(parsed.descr()).isEqualTo("<f4");
    assertThat(parsed.fortranOrder()).isFalse();
    assertThat(parsed.rows()).isEqualTo(2);
    assertThat(parsed.columns()).isEqualTo(3);
    assertThat(parsed.data()).containsExactly(1f, -2.5f, Float.NaN, 0f, 1e-30f, 3.25f);
    assertThat(Files.size(file)).isEqualTo(NpyWriter.DATA_OFFSET + 6 * 4);
  }

  @Test
  void shouldWriteAnEmptyMatrix(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("empty.npy");
    NpyWriter.create(file, 384).close();

    Parsed parsed = parse(file);

    assertThat(parsed.rows()).isZero();
    assertThat(parsed.columns()).isEqualTo(384);
    assertThat(parsed.data()).isEmpty();
  }

  @Test
  void shouldKeepTheHeaderLengthForLargeShapes() {
    assertThat(NpyWriter.header(9_999_999_999L, 4096)).hasSize(NpyWriter.DATA_OFFSET);
    assertThat(NpyWriter.header(0, 1)).hasSize(NpyWriter.DATA_OFFSET);
  }

  @Test
  void shouldLeaveNothingBehindWhenAborted(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("v.npy");
    NpyWriter writer = NpyWriter.create(file, 2);
    writer.write(new float[] {1f, 2f});
    writer.abort();

    assertThat(file).doesNotExist();
    try (var files = Files.list(dir)) {
      assertThat(files).isEmpty();
    }
  }

  @Test
  void shouldRejectARowOfTheWrongLength(@TempDir Path dir) throws Exception {
    try (NpyWriter writer = NpyWriter.create(dir.resolve("v.npy"), 2)) {
      assertThatThrownBy(() -> writer.write(new float[3]))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("row 0 has 3 values, expected 2");
    }
  }
}
