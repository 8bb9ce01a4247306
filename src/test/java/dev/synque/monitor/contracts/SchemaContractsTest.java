package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Avro contracts in {@code schemas/}: every record is documented field by field, and every
 * schema can still read data written with each of its earlier versions, kept in {@code
 * src/test/resources/schema-history/<Record>/v<N>.avsc}. When a schema changes, add its new version
 * there (the generated class's {@code getClassSchema().toString(true)}). A top-level schema is the
 * value of a topic in {@link Contracts#ALL}; a schema that is retired leaves {@code schemas/} and
 * its history together, with a note in {@code docs/schema-history.md}.
 */
class SchemaContractsTest {

  private static final Path SCHEMAS = Path.of("schemas");
  private static final Path HISTORY = Path.of("src/test/resources/schema-history");

  static Stream<String> topLevelRecords() throws IOException {
    try (Stream<Path> files = Files.list(SCHEMAS)) {
      return files
          .filter(p -> p.toString().endsWith(".avsc"))
          .map(p -> p.getFileName().toString().replace(".avsc", ""))
          .sorted()
          .toList()
          .stream();
    }
  }

  private static Schema current(String record) throws ReflectiveOperationException {
    return (Schema)
        Class.forName("dev.synque.monitor.avro." + record).getMethod("getClassSchema").invoke(null);
  }

  @ParameterizedTest
  @MethodSource("topLevelRecords")
  void shouldReadEveryEarlierVersionOfTheSchema(String record) throws Exception {
    Path dir = HISTORY.resolve(record);
    assertThat(dir).as("history of %s (add v1.avsc for a new schema)", record).isDirectory();
    List<Path> versions;
    try (Stream<Path> files = Files.list(dir)) {
      versions = files.filter(p -> p.toString().endsWith(".avsc")).sorted().toList();
    }
    assertThat(versions).isNotEmpty();
    for (Path version : versions) {
      Schema earlier = new Schema.Parser().parse(version.toFile());
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(current(record), earlier);
      assertThat(result.getType())
          .as(
              "%s can no longer read data written with %s: %s",
              record,
              version.getFileName(),
              result.getResult().getIncompatibilities().stream()
                  .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                  .toList())
          .isEqualTo(SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE);
    }
  }

  @Test
  void shouldDeclareATopicForEveryTopLevelSchema() throws IOException {
    List<String> values =
        Contracts.ALL.stream().map(c -> c.valueType().getSimpleName()).sorted().toList();

    assertThat(topLevelRecords().toList())
        .as("top-level schemas in %s must each be the value of a topic in Contracts.ALL", SCHEMAS)
        .containsExactlyInAnyOrderElementsOf(values);
  }

  @Test
  void shouldKeepHistoryOnlyForCurrentSchemas() throws IOException {
    List<String> histories;
    try (Stream<Path> dirs = Files.list(HISTORY)) {
      histories = dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).toList();
    }

    assertThat(topLevelRecords().toList())
        .as(
            "every directory of %s names a current schema (a retired schema goes with its"
                + " history, noted in docs/schema-history.md)",
            HISTORY)
        .containsAll(histories);
  }

  @ParameterizedTest
  @MethodSource("topLevelRecords")
  void shouldDocumentEveryRecordEnumAndField(String record) throws Exception {
    List<String> undocumented = new ArrayList<>();
    collectUndocumented(current(record), new HashSet<>(), undocumented);

    assertThat(undocumented).as("types and fields without a doc in %s", record).isEmpty();
  }

  private static void collectUndocumented(Schema schema, Set<String> seen, List<String> missing) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        if (isBlank(schema.getDoc())) {
          missing.add(schema.getFullName());
        }
        for (Schema.Field field : schema.getFields()) {
          if (isBlank(field.doc())) {
            missing.add(schema.getFullName() + "." + field.name());
          }
          collectUndocumented(field.schema(), seen, missing);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName()) && isBlank(schema.getDoc())) {
          missing.add(schema.getFullName());
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, missing));
      case ARRAY -> collectUndocumented(schema.getElementType(), seen, missing);
      case MAP -> collectUndocumented(schema.getValueType(), seen, missing);
      default -> {}
    }
  }

  private static boolean isBlank(String text) {
    return text == null || text.isBlank();
  }
}
