package dev.synque.monitor.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The texts of a JSON Lines file (a string field) or a CSV file (a column named in the header; RFC
 * 4180 quoting, one record per line). A bad line (invalid JSON, a missing or non-string field, a
 * blank text, invalid UTF-8) is reported with its line number and skipped, never published.
 *
 * @param texts the good texts with their line numbers, in file order
 * @param problems one message per skipped line, {@code FILE:LINE: rule}
 */
public record TextFile(List<Line> texts, List<String> problems) {

  /** A text and the 1-based line it came from. */
  public record Line(int number, String text) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Reads the file; the format comes from the extension ({@code .csv}, else JSON Lines).
   *
   * @throws IllegalArgumentException for a missing file, or a CSV header without the column
   */
  public static TextFile read(Path file, String field) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + ": no such file");
    }
    boolean csv = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".csv");
    List<Line> texts = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int column = -1;
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    // Lines are split on bytes and decoded one by one, so invalid UTF-8 costs only its own line.
    int number = 0;
    int start = 0;
    while (start < bytes.length) {
      int end = start;
      while (end < bytes.length && bytes[end] != '\n') {
        end++;
      }
      number++;
      String line;
      try {
        line =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes, start, end - start))
                .toString();
      } catch (CharacterCodingException e) {
        problems.add(file + ":" + number + ": invalid UTF-8");
        start = end + 1;
        continue;
      }
      start = end + 1;
      if (line.endsWith("\r")) {
        line = line.substring(0, line.length() - 1);
      }
      if (line.isBlank()) {
        continue;
      }
      if (csv && column < 0) {
        column = parseCsv(line).indexOf(field);
        if (column < 0) {
          throw new IllegalArgumentException(
              file + ":" + number + ": the CSV header has no column \"" + field + "\"");
        }
        continue;
      }
      String text;
      try {
        text = csv ? csvField(line, column) : jsonField(line, field);
      } catch (IllegalArgumentException e) {
        problems.add(file + ":" + number + ": " + e.getMessage());
        continue;
      }
      if (text.isBlank()) {
        problems.add(file + ":" + number + ": the text is blank");
        continue;
      }
      texts.add(new Line(number, text));
    }
    return new TextFile(List.copyOf(texts), List.copyOf(problems));
  }

  private static String jsonField(String line, String field) {
    JsonNode node;
    try {
      node = JSON.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not valid JSON");
    }
    JsonNode value = node == null ? null : node.get(field);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("no string field \"" + field + "\"");
    }
    return value.asText();
  }

  private static String csvField(String line, int column) {
    List<String> cells = parseCsv(line);
    if (column >= cells.size()) {
      throw new IllegalArgumentException(
          "has " + cells.size() + " columns; column " + (column + 1) + " is missing");
    }
    return cells.get(column);
  }

  /** One CSV record on one line, RFC 4180 quoting ({@code ""} inside quotes is a quote). */
  static List<String> parseCsv(String line) {
    List<String> cells = new ArrayList<>();
    StringBuilder cell = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (quoted) {
        if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cell.append('"');
          i++;
        } else if (c == '"') {
          quoted = false;
        } else {
          cell.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        cells.add(cell.toString());
        cell.setLength(0);
      } else {
        cell.append(c);
      }
    }
    if (quoted) {
      throw new IllegalArgumentException("has an unterminated quote");
    }
    cells.add(cell.toString());
    return cells;
  }
}
