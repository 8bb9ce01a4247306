package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonlTextReaderTest {

  private static List<JsonlTextReader.Line> readAll(Path file, String field) throws Exception {
    List<JsonlTextReader.Line> lines = new ArrayList<>();
    try (JsonlTextReader reader = JsonlTextReader.open(file, field)) {
      for (JsonlTextReader.Line line = reader.next(); line != null; line = reader.next()) {
        lines.add(line);
      }
    }
    return lines;
  }

  @Test
  void shouldReadTheFieldOfEveryLineNamingEachProblem(@TempDir Path dir) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write("\uFEFF{\"text\": \"caf\u00e9 \u2705\"}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"text\": \"bad ".getBytes(StandardCharsets.UTF_8));
    bytes.write(new byte[] {(byte) 0xC3, (byte) 0x28}); // invalid 2-byte sequence
    bytes.write("\"}\r\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"other\": 1}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"text\": 42}\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("not json\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("[1]\n".getBytes(StandardCharsets.UTF_8));
    bytes.write("{\"text\": \"last, no newline\"}".getBytes(StandardCharsets.UTF_8));
    Path file = dir.resolve("in.jsonl");
    Files.write(file, bytes.toByteArray());

    List<JsonlTextReader.Line> lines = readAll(file, "text");

    assertThat(lines).hasSize(8);
    assertThat(lines.get(0).text()).isEqualTo("caf\u00e9 \u2705");
    assertThat(lines.get(1).problem()).isEqualTo(file + ":2: invalid UTF-8 at byte 14");
    assertThat(lines.get(2).problem()).isEqualTo(file + ":3: no field 'text'");
    assertThat(lines.get(3).problem())
        .isEqualTo(file + ":4: field 'text' is a NUMBER, not a string");
    assertThat(lines.get(4).problem()).startsWith(file + ":5: not valid JSON");
    assertThat(lines.get(5).problem()).startsWith(file + ":6: empty line");
    assertThat(lines.get(6).problem()).isEqualTo(file + ":7: not a JSON object");
    assertThat(lines.get(7).text()).isEqualTo("last, no newline");
    assertThat(lines.get(7).number()).isEqualTo(8);
  }

  @Test
  void shouldNotCountAFinalNewlineAsALine(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("in.jsonl");
    Files.writeString(file, "{\"t\": \"a\"}\n{\"t\": \"b\"}\n");

    assertThat(readAll(file, "t")).extracting(JsonlTextReader.Line::text).containsExactly("a", "b");
  }
}
