package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.SyntheticSample;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class SpecificAvroSerdeTest {

  private static final String TOPIC = "synque-synthetic-samples-v1";
  private static final Map<String, Object> CONFIG = Map.of(SchemaRegistrySettings.URL, "http://x");

  private final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();

  static SyntheticSample sample(String id) {
    return SyntheticSample.newBuilder()
        .setGeneratorId("gen-a")
        .setSampleId(id)
        .setText("Shares of ACME rise 4% after earnings beat")
        .setLabel("bullish")
        .setEventTime(Instant.ofEpochMilli(1_700_000_000_123L))
        .setAttributes(Map.of("temperature", "0.7"))
        .build();
  }

  private SpecificAvroSerde<SyntheticSample> serde(boolean isKey) {
    SpecificAvroSerde<SyntheticSample> serde =
        new SpecificAvroSerde<>(SyntheticSample.class, registry);
    serde.configure(CONFIG, isKey);
    return serde;
  }

  @Test
  void shouldRoundTripARecordThroughTheWireFormat() {
    SpecificAvroSerde<SyntheticSample> serde = serde(false);

    byte[] bytes = serde.serializer().serialize(TOPIC, sample("s-1"));
    SyntheticSample back = serde.deserializer().deserialize(TOPIC, bytes);

    assertThat(bytes[0]).isEqualTo(WireFormat.MAGIC_BYTE);
    assertThat(WireFormat.unframe(TOPIC, bytes).schemaId()).isEqualTo(1);
    assertThat(back).isEqualTo(sample("s-1"));
  }

  @Test
  void shouldRegisterUnderTheTopicNameSubjectOfKeyOrValue() {
    serde(false).serializer().serialize(TOPIC, sample("s-1"));
    serde(true).serializer().serialize(TOPIC, sample("s-1"));

    assertThat(registry.subjects()).containsExactlyInAnyOrder(TOPIC + "-value", TOPIC + "-key");
  }

  @Test
  void shouldFindTheClassByWriterSchemaNameWithoutATargetType() {
    byte[] bytes = serde(false).serializer().serialize(TOPIC, sample("s-1"));
    RegistryAvroDeserializer<SyntheticSample> byName =
        new RegistryAvroDeserializer<>(null, registry);

    assertThat(byName.deserialize(TOPIC, bytes)).isEqualTo(sample("s-1"));
  }

  @Test
  void shouldPassTombstonesThrough() {
    SpecificAvroSerde<SyntheticSample> serde = serde(false);

    assertThat(serde.serializer().serialize(TOPIC, null)).isNull();
    assertThat(serde.deserializer().deserialize(TOPIC, null)).isNull();
  }

  @Test
  void shouldReadRecordsWrittenWithAnOlderSchemaUsingTheNewDefaults() throws IOException {
    Schema older =
        SchemaBuilder.record("SyntheticSample")
            .namespace("dev.synque.monitor.avro")
            .fields()
            .requiredString("generatorId")
            .requiredString("sampleId")
            .requiredString("text")
            .name("eventTime")
            .type(
                org.apache.avro.LogicalTypes.timestampMillis()
                    .addToSchema(Schema.create(Schema.Type.LONG)))
            .noDefault()
            .endRecord();
    int olderId = registry.register("other-value", older);
    GenericRecord old = new GenericData.Record(older);
    old.put("generatorId", "gen-old");
    old.put("sampleId", "s-9");
    old.put("text", "old text");
    old.put("eventTime", 5L);
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(body, null);
    new GenericDatumWriter<GenericRecord>(older).write(old, encoder);
    encoder.flush();

    SyntheticSample read =
        serde(false)
            .deserializer()
            .deserialize(TOPIC, WireFormat.frame(olderId, body.toByteArray()));

    assertThat(read.getGeneratorId()).isEqualTo("gen-old");
    assertThat(read.getRunId()).isNull();
    assertThat(read.getLabel()).isNull();
    assertThat(read.getAttributes()).isEmpty();
  }

  @Test
  void shouldCacheSchemaIdsSoTheRegistryIsAskedOncePerSchema() {
    CountingRegistry counting = new CountingRegistry(registry);
    SpecificAvroSerde<SyntheticSample> serde =
        new SpecificAvroSerde<>(SyntheticSample.class, counting);
    serde.configure(CONFIG, false);

    for (int i = 0; i < 10; i++) {
      byte[] bytes = serde.serializer().serialize(TOPIC, sample("s-" + i));
      serde.deserializer().deserialize(TOPIC, bytes);
    }

    assertThat(counting.registrations()).isEqualTo(10);
    assertThat(counting.fetches()).isEqualTo(1);
  }

  @Test
  void shouldNameTopicAndSchemaIdWhenTheIdIsUnknown() {
    byte[] unknownId = WireFormat.frame(999, new byte[] {2, 'a'});

    assertThatThrownBy(() -> serde(false).deserializer().deserialize(TOPIC, unknownId))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + TOPIC + "'")
        .hasMessageContaining("schema id 999")
        .hasMessageContaining("not found");
  }

  @Test
  void shouldNameTopicWhenTheRegistryRejectsAnIncompatibleSchema() {
    Schema incompatible =
        SchemaBuilder.record("SyntheticSample")
            .namespace("dev.synque.monitor.avro")
            .fields()
            .requiredInt("generatorId")
            .endRecord();
    registry.register(TOPIC + "-value", incompatible);

    assertThatThrownBy(() -> serde(false).serializer().serialize(TOPIC, sample("s-1")))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + TOPIC + "'")
        .hasMessageContaining("SyntheticSample")
        .hasMessageContaining("incompatible")
        .cause()
        .isInstanceOf(SchemaRegistryException.class);
  }

  @Test
  void shouldRejectARecordNotWrittenInTheWireFormat() {
    byte[] plainAvroOrJson =
        "{\"generatorId\":\"x\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);

    assertThatThrownBy(() -> serde(false).deserializer().deserialize(TOPIC, plainAvroOrJson))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + TOPIC + "'")
        .hasMessageContaining("magic byte");
  }

  @Test
  void shouldNameTopicWhenTheAvroBodyIsTruncated() {
    SpecificAvroSerde<SyntheticSample> serde = serde(false);
    byte[] bytes = serde.serializer().serialize(TOPIC, sample("s-1"));
    byte[] truncated = Arrays.copyOf(bytes, bytes.length - 12);

    assertThatThrownBy(() -> serde.deserializer().deserialize(TOPIC, truncated))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + TOPIC + "'")
        .hasMessageContaining("corrupt or truncated");
  }

  @Test
  void shouldRejectARecordMissingARequiredFieldNamingTheTopic() {
    SyntheticSample invalid = sample("s-1");
    invalid.setText(null);

    assertThatThrownBy(() -> serde(false).serializer().serialize(TOPIC, invalid))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + TOPIC + "'")
        .hasMessageContaining("does not match its schema");
  }

  @Test
  void shouldRefuseUseBeforeConfiguration() {
    assertThatThrownBy(() -> new SpecificAvroSerde<SyntheticSample>().serializer())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("schema.registry.url");
  }
}
