package dev.synque.monitor.evaluate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON Lines files of the benchmark format: UTF-8 (invalid bytes are an error, never replaced), one
 * JSON object per line, blank lines ignored.
 */
public final class JsonLines {

  private static final ObjectMapper JSON = new ObjectMapper();

  private JsonLines() {}

  /**
   * The objects of a file, in order.
   *
   * @throws BenchmarkFormatException for a missing or empty file, invalid UTF-8 or a line that is
   *     not a JSON object, naming the file and the line
   */
  public static List<ObjectNode> readObjects(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new BenchmarkFormatException(file, "file is missing");
    }
    CharsetDecoder strictUtf8 =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    List<ObjectNode> objects = new ArrayList<>();
    int lineNumber = 0;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), strictUtf8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonNode node;
        try {
          node = JSON.readTree(line);
        } catch (JsonProcessingException e) {
          throw new BenchmarkFormatException(
              file, "line " + lineNumber + " is not valid JSON (" + e.getOriginalMessage() + ")");
        }
        if (!(node instanceof ObjectNode object)) {
          throw new BenchmarkFormatException(
              file, "line " + lineNumber + " is not a JSON object (one object per line)");
        }
        objects.add(object);
      }
    } catch (CharacterCodingException e) {
      throw new BenchmarkFormatException(
          file, "line " + (lineNumber + 1) + " is not valid UTF-8 (files must be UTF-8)");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
    if (objects.isEmpty()) {
      throw new BenchmarkFormatException(file, "file is empty (at least one line is required)");
    }
    return objects;
  }

  /**
   * The string field {@code field} of every object.
   *
   * @throws BenchmarkFormatException when an object lacks the field or it is not a string
   */
  public static List<String> readTexts(Path file, String field) {
    List<ObjectNode> objects = readObjects(file);
    List<String> texts = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      JsonNode value = objects.get(i).get(field);
      if (value == null || !value.isTextual()) {
        throw new BenchmarkFormatException(
            file,
            "object "
                + (i + 1)
                + " has no string field \""
                + field
                + "\""
                + (value == null ? "" : " (it is " + value.getNodeType() + ")"));
      }
      texts.add(value.asText());
    }
    return texts;
  }

  /** Writes one object per line, UTF-8, creating parent folders. */
  public static void write(Path file, List<? extends Map<String, ?>> rows) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
        for (Map<String, ?> row : rows) {
          out.write(JSON.writeValueAsString(row));
          out.write('\n');
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
