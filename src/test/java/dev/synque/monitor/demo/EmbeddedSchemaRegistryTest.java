package dev.synque.monitor.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.RestSchemaRegistryClient;
import dev.synque.monitor.serde.SchemaRegistryException;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The demo's registry answers our real REST client like a Confluent-compatible registry. */
class EmbeddedSchemaRegistryTest {

  private EmbeddedSchemaRegistry registry;

  @BeforeEach
  void start() throws Exception {
    registry = EmbeddedSchemaRegistry.start(0);
  }

  @AfterEach
  void stop() {
    registry.close();
  }

  private RestSchemaRegistryClient client() {
    return new RestSchemaRegistryClient(
        SchemaRegistrySettings.fromConfig(Map.of(SchemaRegistrySettings.URL, registry.url())));
  }

  @Test
  void shouldRegisterLookUpAndFetchSchemasById() {
    Schema synthetic = SyntheticSample.getClassSchema();
    Schema reference = ReferenceSample.getClassSchema();

    int a = client().register("a-value", synthetic);
    int again = client().register("a-value", synthetic);
    int b = client().register("b-value", reference);

    assertThat(again).isEqualTo(a);
    assertThat(b).isNotEqualTo(a);
    assertThat(client().lookup("a-value", synthetic)).isEqualTo(a);
    assertThat(client().schemaById(a)).isEqualTo(synthetic);
    assertThat(client().schemaById(b)).isEqualTo(reference);
  }

  @Test
  void shouldAnswerNotFoundForUnknownSubjectsAndIds() {
    assertThatThrownBy(() -> client().lookup("nobody-value", SyntheticSample.getClassSchema()))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
    assertThatThrownBy(() -> client().schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
  }

  @Test
  void shouldRefuseABackwardIncompatibleSchema() {
    Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
    Schema v2 = SchemaBuilder.record("R").fields().requiredString("a").requiredInt("b").endRecord();
    client().register("r-value", v1);

    assertThatThrownBy(() -> client().register("r-value", v2))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE));
  }
}
