package dev.synque.monitor.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextFileTest {

  @TempDir Path dir;

  @Test
  void shouldReadJsonLinesAndReportBadLinesWithTheirNumbers() throws Exception {
    Path file = dir.resolve("samples.jsonl");
    Files.writeString(
        file,
        "{\"text\":\"first\"}\n"
            + "not json\n"
            + "\n"
            + "{\"body\":\"wrong field\"}\n"
            + "{\"text\":\"   \"}\n"
            + "{\"text\":\"fifth, kept\"}\n");
    TextFile read = TextFile.read(file, "text");
    assertThat(read.texts())
        .containsExactly(new TextFile.Line(1, "first"), new TextFile.Line(6, "fifth, kept"));
    assertThat(read.problems())
        .containsExactly(
            file + ":2: not valid JSON",
            file + ":4: no string field \"text\"",
            file + ":5: the text is blank");
  }

  @Test
  void shouldReadACsvColumnWithQuotes() throws Exception {
    Path file = dir.resolve("samples.csv");
    Files.writeString(
        file, "id,headline\n1,\"Acme, Inc. rises\"\n2,\"She said \"\"sell\"\"\"\n3\n4,\"open\n");
    TextFile read = TextFile.read(file, "headline");
    assertThat(read.texts())
        .extracting(TextFile.Line::text)
        .containsExactly("Acme, Inc. rises", "She said \"sell\"");
    assertThat(read.problems()).hasSize(2);
    assertThat(read.problems().get(0)).endsWith(":4: has 1 columns; column 2 is missing");
    assertThat(read.problems().get(1)).endsWith(":5: has an unterminated quote");
    assertThatThrownBy(() -> TextFile.read(file, "title"))
        .hasMessageContaining("no column \"title\"");
  }

  @Test
  void shouldSkipOnlyTheLineWithInvalidUtf8() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.write(
        file,
        new byte[] {
          '{',
          '"',
          't',
          'e',
          'x',
          't',
          '"',
          ':',
          '"',
          'a',
          '"',
          '}',
          '\n',
          (byte) 0xFF,
          '\n',
          '{',
          '"',
          't',
          'e',
          'x',
          't',
          '"',
          ':',
          '"',
          'b',
          '"',
          '}'
        });
    TextFile read = TextFile.read(file, "text");
    assertThat(read.texts()).extracting(TextFile.Line::text).containsExactly("a", "b");
    assertThat(read.problems()).containsExactly(file + ":2: invalid UTF-8");
  }
}
