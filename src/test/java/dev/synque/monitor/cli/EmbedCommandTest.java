package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedCommandTest {

  /** Rows of a float32 .npy written by the command (header: see NpyWriterTest). */
  private static float[][] rows(Path npy, int columns) throws Exception {
    ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(npy)).order(ByteOrder.LITTLE_ENDIAN);
    String header = new String(bytes.array(), 10, 118, StandardCharsets.US_ASCII);
    bytes.position(128);
    int n = bytes.remaining() / 4 / columns;
    assertThat(header).contains("'shape': (" + n + ", " + columns + ")");
    float[][] rows = new float[n][columns];
    for (float[] row : rows) {
      for (int k = 0; k < columns; k++) {
        row[k] = bytes.getFloat();
      }
    }
    return rows;
  }

  @Test
  void shouldWriteOneUnitRowPerLine(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(
        input,
        "{\"headline\": \"Stocks rallied on Friday\"}\n"
            + "{\"headline\": \"Stocks rallied on Friday\"}\n"
            + "{\"headline\": \""
            + "long ".repeat(300)
            + "\"}\n");
    Path output = dir.resolve("out.npy");

    CliRun run =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--field",
            "headline",
            "--output",
            output.toString(),
            "--threads",
            "2",
            "--batch-size",
            "2");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("3 x 384 float32")
        .contains("sentence-transformers/all-MiniLM-L6-v2")
        .contains("1 truncated to 256 tokens");
    float[][] rows = rows(output, 384);
    assertThat(rows).hasNumberOfRows(3);
    assertThat(rows[0]).isEqualTo(rows[1]);
    double norm = 0;
    for (float v : rows[2]) {
      norm += v * v;
    }
    assertThat(norm).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
  }

  @Test
  void shouldStopAtInvalidUtf8NamingTheLineAndWriteNothing(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("{\"text\": \"fine\"}\n{\"text\": \"".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xFF});
    bytes.write("\"}\n".getBytes(StandardCharsets.UTF_8));
    Files.write(input, bytes.toByteArray());
    Path output = dir.resolve("out.npy");

    CliRun run = CliRun.of("embed", "--input", input.toString(), "--output", output.toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + ":2: invalid UTF-8 at byte 10");
    assertThat(output).doesNotExist();
  }

  @Test
  void shouldWriteNanRowsForRejectedLinesWhenAsked(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"fine\"}\n{\"text\": \"   \"}\n{\"nope\": 1}\n");
    Path output = dir.resolve("out.npy");

    CliRun run =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            output.toString(),
            "--on-reject",
            "nan",
            "--threads",
            "1");

    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.err())
        .contains(input + ":2: field 'text': EMPTY_TEXT")
        .contains(input + ":3: no field 'text'");
    assertThat(run.out()).contains("2 rejected");
    float[][] rows = rows(output, 384);
    assertThat(rows[0][0]).isNotNaN();
    assertThat(rows[1]).containsOnly(Float.NaN);
    assertThat(rows[2]).containsOnly(Float.NaN);
  }

  @Test
  void shouldFailOnAnEmptyTextByDefault(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"fine\"}\n{\"text\": \"\"}\n");

    CliRun run =
        CliRun.of(
            "embed", "--input", input.toString(), "--output", dir.resolve("o.npy").toString());

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains(input + ":2: field 'text': EMPTY_TEXT");
  }

  @Test
  void shouldRejectBadOptionsInOneLineNamingTheKey(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("in.jsonl");
    Files.writeString(input, "{\"text\": \"fine\"}\n");

    CliRun batch =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("o.npy").toString(),
            "--batch-size",
            "0");
    CliRun missing =
        CliRun.of("embed", "--input", dir.resolve("nope.jsonl").toString(), "--output", "o.npy");
    CliRun model =
        CliRun.of(
            "embed",
            "--input",
            input.toString(),
            "--output",
            dir.resolve("o.npy").toString(),
            "--model",
            dir.toString());

    assertThat(batch.exitCode()).isEqualTo(2);
    assertThat(batch.err().strip())
        .startsWith("synque: ")
        .contains("synque.embed.batch.size")
        .contains("between 1 and 4096")
        .doesNotContain("\n");
    assertThat(missing.exitCode()).isEqualTo(2);
    assertThat(missing.err()).contains("nope.jsonl").contains("no such file");
    assertThat(model.exitCode()).isEqualTo(2);
    assertThat(model.err()).contains("missing model file").doesNotContain("\tat ");
  }

  @Test
  void shouldPrintWhatTheEngineSees() {
    CliRun run = CliRun.of("devices");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("OnnxRuntime")
        .contains("CPUExecutionProvider")
        .contains("auto device");
  }
}
