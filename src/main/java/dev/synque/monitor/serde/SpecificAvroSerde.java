package dev.synque.monitor.serde;

import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka (Streams) {@link Serde} for specific Avro records on the Confluent wire format. Its
 * no-argument constructor and {@link #configure} contract match Confluent's {@code
 * io.confluent.kafka.streams.serdes.avro.SpecificAvroSerde}, so either can be named in {@link
 * AvroSerdeFactory#SERDE_CLASS}.
 *
 * @param <T> the generated record class
 */
public final class SpecificAvroSerde<T extends SpecificRecord> implements Serde<T> {

  private final Class<T> type;
  private SchemaRegistryClient client;
  private RegistryAvroSerializer<T> serializer;
  private RegistryAvroDeserializer<T> deserializer;

  /** A serde configured later through {@link #configure}, reading into the writer's class. */
  public SpecificAvroSerde() {
    this(null, null);
  }

  /**
   * @param type the class to read into, or null to find it by the writer schema's name
   * @param client a registry client to share between serdes, or null to build one in configure
   */
  public SpecificAvroSerde(Class<T> type, SchemaRegistryClient client) {
    this.type = type;
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    boolean autoRegister;
    if (client == null) {
      SchemaRegistrySettings settings = SchemaRegistrySettings.fromConfig(configs);
      client = new RestSchemaRegistryClient(settings);
      autoRegister = settings.autoRegisterSchemas();
    } else {
      // A shared client is already set up; only the serializer's own switch is read here.
      Object flag = configs.get(SchemaRegistrySettings.AUTO_REGISTER_SCHEMAS);
      autoRegister = flag == null || Boolean.parseBoolean(flag.toString());
    }
    serializer = new RegistryAvroSerializer<>(client, autoRegister, isKey);
    deserializer = new RegistryAvroDeserializer<>(type, client);
  }

  @Override
  public Serializer<T> serializer() {
    return requireConfigured(serializer);
  }

  @Override
  public Deserializer<T> deserializer() {
    return requireConfigured(deserializer);
  }

  private <S> S requireConfigured(S part) {
    if (part == null) {
      throw new IllegalStateException(
          "SpecificAvroSerde used before configure(); configure it with at least "
              + SchemaRegistrySettings.URL);
    }
    return part;
  }
}
