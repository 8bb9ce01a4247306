package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

/** The deserializer refuses what Avro alone would misread: invalid UTF-8, a foreign schema. */
class StrictDeserializationTest {

  private static final String TOPIC = "samples";
  private static final Map<String, Object> CONFIG = Map.of(SchemaRegistrySettings.URL, "http://x");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  private <T extends org.apache.avro.specific.SpecificRecord> SpecificAvroSerde<T> serde(
      Class<T> type) {
    SpecificAvroSerde<T> serde = new SpecificAvroSerde<>(type, registry);
    serde.configure(CONFIG, false);
    return serde;
  }

  private static SyntheticSample sample(String text, Map<String, String> attributes) {
    return SyntheticSample.newBuilder()
        .setGeneratorId("gen-a")
        .setSampleId("s-1")
        .setText(text)
        .setEventTime(Instant.ofEpochMilli(1_000))
        .setAttributes(attributes)
        .build();
  }

  private static byte[] replace(byte[] bytes, String marker, byte[] with) {
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        byte[] copy = bytes.clone();
        System.arraycopy(with, 0, copy, i, with.length);
        return copy;
      }
    }
    throw new IllegalStateException("marker not found");
  }

  @Test
  void shouldRefuseATextThatIsNotUtf8NamingTheFieldAndTheByte() {
    SpecificAvroSerde<SyntheticSample> serde = serde(SyntheticSample.class);
    byte[] bytes = serde.serializer().serialize(TOPIC, sample("ok @@BAD@@ ok", Map.of()));
    byte[] broken =
        replace(bytes, "@@BAD@@", new byte[] {(byte) 0xc3, 0x28, 'x', 'x', 'x', 'x', 'x'});

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, broken))
        .isInstanceOf(InvalidUtf8Exception.class)
        .hasMessageContaining("field 'text' is not valid UTF-8")
        .hasMessageContaining("at byte 3");
  }

  @Test
  void shouldRefuseAnAttributeValueThatIsNotUtf8() {
    SpecificAvroSerde<SyntheticSample> serde = serde(SyntheticSample.class);
    byte[] bytes = serde.serializer().serialize(TOPIC, sample("fine", Map.of("k", "@@BAD@@")));
    byte[] broken =
        replace(bytes, "@@BAD@@", new byte[] {(byte) 0xff, 'x', 'x', 'x', 'x', 'x', 'x'});

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, broken))
        .isInstanceOf(InvalidUtf8Exception.class)
        .hasMessageContaining("field 'attributes[k]'");
  }

  @Test
  void shouldKeepARealReplacementCharacter() {
    SpecificAvroSerde<SyntheticSample> serde = serde(SyntheticSample.class);
    SyntheticSample withReplacement = sample("a real \uFFFD in the text", Map.of());

    byte[] bytes = serde.serializer().serialize(TOPIC, withReplacement);

    assertThat(serde.deserializer().deserialize(TOPIC, bytes)).isEqualTo(withReplacement);
  }

  @Test
  void shouldRefuseARecordOfAnotherSchemaNamingBoth() {
    byte[] reference =
        serde(ReferenceSample.class)
            .serializer()
            .serialize(
                "other",
                ReferenceSample.newBuilder()
                    .setReferenceSetId("set")
                    .setReferenceVersion("v1")
                    .setSampleId("r1")
                    .setText("t")
                    .setEventTime(Instant.ofEpochMilli(1))
                    .build());

    assertThatThrownBy(
            () -> serde(SyntheticSample.class).deserializer().deserialize(TOPIC, reference))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("is dev.synque.monitor.avro.ReferenceSample")
        .hasMessageContaining("cannot be read as dev.synque.monitor.avro.SyntheticSample");
  }

  @Test
  void shouldRefuseANonPositiveSchemaIdWithoutAskingTheRegistry() {
    byte[] bytes = ByteBuffer.allocate(8).put((byte) 0).putInt(-7).array();

    assertThatThrownBy(() -> serde(SyntheticSample.class).deserializer().deserialize(TOPIC, bytes))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("schema id -7")
        .hasMessageContaining("ids are positive");
  }

  @Test
  void shouldCallOnlyUnreachableAnd5xxRegistryFailuresTransient() {
    assertThat(failure(SchemaRegistryException.Kind.UNREACHABLE, -1).isTransient()).isTrue();
    assertThat(failure(SchemaRegistryException.Kind.REGISTRY_ERROR, 503).isTransient()).isTrue();
    assertThat(failure(SchemaRegistryException.Kind.REGISTRY_ERROR, 429).isTransient()).isTrue();
    assertThat(failure(SchemaRegistryException.Kind.REGISTRY_ERROR, 200).isTransient()).isFalse();
    assertThat(failure(SchemaRegistryException.Kind.NOT_FOUND, 404).isTransient()).isFalse();
    assertThat(failure(SchemaRegistryException.Kind.UNAUTHORIZED, 401).isTransient()).isFalse();
    SerializationException wrapped =
        new SerializationException("outer", failure(SchemaRegistryException.Kind.UNREACHABLE, -1));
    assertThat(SchemaRegistryException.transientCause(wrapped)).isPresent();
    assertThat(SchemaRegistryException.transientCause(new SerializationException("plain")))
        .isEmpty();
  }

  private static SchemaRegistryException failure(SchemaRegistryException.Kind kind, int status) {
    return new SchemaRegistryException(kind, status, -1, "failure", null);
  }
}
