package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.SyntheticSample;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class AvroSerdeFactoryTest {

  private static final String URL = "http://127.0.0.1:1";

  @Test
  void shouldMakeTheProjectsSerdeByDefault() {
    AvroSerdeFactory factory = new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, URL));

    Serde<SyntheticSample> serde = factory.valueSerde(SyntheticSample.class);

    assertThat(serde).isInstanceOf(SpecificAvroSerde.class);
    assertThat(factory.serdeClass()).isEqualTo(SpecificAvroSerde.class.getName());
  }

  @Test
  void shouldShareOneRegistryClientBetweenItsSerdes() {
    InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
    AvroSerdeFactory factory =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, URL), registry);
    Serde<SyntheticSample> writer = factory.valueSerde(SyntheticSample.class);
    Serde<SyntheticSample> reader = factory.valueSerde(SyntheticSample.class);

    byte[] bytes = writer.serializer().serialize("t", SpecificAvroSerdeTest.sample("s"));

    assertThat(reader.deserializer().deserialize("t", bytes))
        .isEqualTo(SpecificAvroSerdeTest.sample("s"));
    assertThat(registry.subjects()).containsExactly("t-value");
  }

  @Test
  void shouldMakeAPluggedSerdeByClassNameConfiguredLikeConfluents() {
    AvroSerdeFactory factory =
        new AvroSerdeFactory(
            Map.of(
                SchemaRegistrySettings.URL,
                URL,
                AvroSerdeFactory.SERDE_CLASS,
                RecordingSerde.class.getName()));

    Serde<SyntheticSample> serde = factory.keySerde(SyntheticSample.class);

    assertThat(serde).isInstanceOf(RecordingSerde.class);
    RecordingSerde<?> plugged = (RecordingSerde<?>) serde;
    assertThat(plugged.isKey).isTrue();
    assertThat(plugged.configs)
        .containsEntry(SchemaRegistrySettings.URL, URL)
        .containsEntry("specific.avro.reader", true);
  }

  @Test
  void shouldNameAMissingSerdeClass() {
    assertThatThrownBy(
            () ->
                new AvroSerdeFactory(
                        Map.of(
                            SchemaRegistrySettings.URL,
                            URL,
                            AvroSerdeFactory.SERDE_CLASS,
                            "io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde"))
                    .valueSerde(SyntheticSample.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde")
        .hasMessageContaining("classpath");
  }

  @Test
  void shouldRefuseAClassThatIsNotASerde() {
    assertThatThrownBy(
            () ->
                new AvroSerdeFactory(
                        Map.of(
                            SchemaRegistrySettings.URL,
                            URL,
                            AvroSerdeFactory.SERDE_CLASS,
                            String.class.getName()))
                    .valueSerde(SyntheticSample.class))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("java.lang.String")
        .hasMessageContaining("does not implement");
  }

  /** Stands in for Confluent's serde: public, no-argument, configured through configure(). */
  public static final class RecordingSerde<T> implements Serde<T> {
    Map<String, Object> configs;
    boolean isKey;

    public RecordingSerde() {}

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
      this.configs = new java.util.HashMap<>(configs);
      this.isKey = isKey;
    }

    @Override
    public org.apache.kafka.common.serialization.Serializer<T> serializer() {
      return (topic, data) -> new byte[0];
    }

    @Override
    public org.apache.kafka.common.serialization.Deserializer<T> deserializer() {
      return (topic, data) -> null;
    }
  }
}
