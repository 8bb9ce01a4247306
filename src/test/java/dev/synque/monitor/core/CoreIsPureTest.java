package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The math knows nothing of Kafka, Avro, DJL or Micrometer, so it stays testable and reusable. */
class CoreIsPureTest {

  private static final List<String> FORBIDDEN =
      List.of(
          "org.apache.kafka",
          "org.apache.avro",
          "ai.djl",
          "io.micrometer",
          "dev.synque.monitor.avro");

  @Test
  void shouldImportNothingFromTheInfrastructure() throws IOException {
    List<String> offending;
    try (Stream<Path> files = Files.walk(Path.of("src/main/java/dev/synque/monitor/core"))) {
      offending =
          files
              .filter(p -> p.toString().endsWith(".java"))
              .flatMap(
                  p -> {
                    try {
                      return Files.readAllLines(p).stream()
                          .filter(line -> line.startsWith("import "))
                          .filter(line -> FORBIDDEN.stream().anyMatch(line::contains))
                          .map(line -> p.getFileName() + ": " + line);
                    } catch (IOException e) {
                      throw new java.io.UncheckedIOException(e);
                    }
                  })
              .toList();
    }
    assertThat(offending).isEmpty();
  }
}
