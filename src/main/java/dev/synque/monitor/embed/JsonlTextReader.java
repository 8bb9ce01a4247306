package dev.synque.monitor.embed;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads one text field from each line of a JSON Lines file, as bytes, so that each problem can be
 * reported with its line: every line is a record (a final newline does not start one), decoded as
 * strict UTF-8 (an optional byte-order mark on line 1 is skipped).
 *
 * <p>Each {@link #next()} returns a {@link Line}: the text, or a problem naming the file, the line
 * and the rule (invalid UTF-8 with its byte offset, malformed JSON, not an object, missing field,
 * field not a string). Not thread-safe; closes the file when closed.
 */
public final class JsonlTextReader implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path file;
  private final String field;
  private final InputStream in;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(512);
  private long lineNumber;

  /**
   * One line of the file.
   *
   * @param number line number, from 1
   * @param text the field's value, or null when {@code problem} is set
   * @param problem why the line has no text ({@code FILE:LINE: rule}), or null
   */
  public record Line(long number, String text, String problem) {
    public Line {
      if ((text == null) == (problem == null)) {
        throw new IllegalArgumentException("a line has either a text or a problem");
      }
    }
  }

  private JsonlTextReader(Path file, String field, InputStream in) {
    this.file = file;
    this.field = field;
    this.in = in;
  }

  /**
   * Opens a file.
   *
   * @param field the JSON field holding the text
   * @throws IOException when the file cannot be opened
   */
  public static JsonlTextReader open(Path file, String field) throws IOException {
    Objects.requireNonNull(field, "field");
    return new JsonlTextReader(
        file, field, new BufferedInputStream(Files.newInputStream(file), 1 << 16));
  }

  /** The next line, or null at the end of the file. */
  public Line next() throws IOException {
    buffer.reset();
    int b = in.read();
    if (b < 0) {
      return null;
    }
    while (b >= 0 && b != '\n') {
      buffer.write(b);
      b = in.read();
    }
    lineNumber++;
    byte[] bytes = buffer.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    int start = 0;
    if (lineNumber == 1
        && length >= 3
        && (bytes[0] & 0xFF) == 0xEF
        && (bytes[1] & 0xFF) == 0xBB
        && (bytes[2] & 0xFF) == 0xBF) {
      start = 3;
    }
    String json;
    try {
      json = decoder.decode(ByteBuffer.wrap(bytes, start, length - start)).toString();
    } catch (CharacterCodingException e) {
      return problem("invalid UTF-8 at byte " + firstInvalidByte(bytes, start, length));
    }
    if (json.isBlank()) {
      return problem("empty line (every line must be a JSON object)");
    }
    JsonNode node;
    try {
      node = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return problem("not valid JSON: " + e.getOriginalMessage());
    }
    if (!node.isObject()) {
      return problem("not a JSON object");
    }
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return problem("no field '" + field + "'");
    }
    if (!value.isTextual()) {
      return problem("field '" + field + "' is a " + value.getNodeType() + ", not a string");
    }
    return new Line(lineNumber, value.textValue(), null);
  }

  private Line problem(String rule) {
    return new Line(lineNumber, null, file + ":" + lineNumber + ": " + rule);
  }

  /** Offset (0-based, within the line) of the first byte that starts no valid UTF-8 sequence. */
  private int firstInvalidByte(byte[] bytes, int start, int end) {
    CharsetDecoder probe = StandardCharsets.UTF_8.newDecoder();
    ByteBuffer input = ByteBuffer.wrap(bytes, start, end - start);
    java.nio.CharBuffer output = java.nio.CharBuffer.allocate(end - start + 1);
    java.nio.charset.CoderResult result = probe.decode(input, output, true);
    return result.isError() ? input.position() : end;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
