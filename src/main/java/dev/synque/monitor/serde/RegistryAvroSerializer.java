package dev.synque.monitor.serde;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Writes specific Avro records in the Confluent wire format, registering (or, with {@code
 * auto.register.schemas=false}, looking up) the record's schema under the topic-name subject.
 * Thread-safe. A null record serialises to null, so tombstones pass through.
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroSerializer<T extends SpecificRecord> implements Serializer<T> {

  private final Map<Schema, DatumWriter<T>> writers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;
  private boolean autoRegister = true;
  private boolean isKey;

  /** A serializer that builds its registry client from the configuration in {@link #configure}. */
  public RegistryAvroSerializer() {}

  /** A serializer using a given registry client (shared caches); {@link #configure} is optional. */
  public RegistryAvroSerializer(SchemaRegistryClient client, boolean autoRegister, boolean isKey) {
    this.client = client;
    this.autoRegister = autoRegister;
    this.isKey = isKey;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    this.isKey = isKey;
    if (client == null) {
      SchemaRegistrySettings settings = SchemaRegistrySettings.fromConfig(configs);
      this.client = new RestSchemaRegistryClient(settings);
      this.autoRegister = settings.autoRegisterSchemas();
    }
  }

  @Override
  public byte[] serialize(String topic, T data) {
    if (data == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("RegistryAvroSerializer used before configure()");
    }
    Schema schema = data.getSchema();
    String subject = SubjectNames.topicName(topic, isKey);
    int schemaId;
    try {
      schemaId = autoRegister ? client.register(subject, schema) : client.lookup(subject, schema);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot serialize a "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': "
              + e.getMessage(),
          e);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(WireFormat.MAGIC_BYTE);
    out.write(schemaId >>> 24);
    out.write(schemaId >>> 16);
    out.write(schemaId >>> 8);
    out.write(schemaId);
    try {
      BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
      writerFor(schema, data).write(data, encoder);
      encoder.flush();
    } catch (IOException | AvroRuntimeException | NullPointerException | ClassCastException e) {
      // Avro signals a missing required field with a NullPointerException naming the field.
      throw new SerializationException(
          "Cannot serialize a "
              + schema.getFullName()
              + " for topic '"
              + topic
              + "': the record does not match its schema: "
              + e.getMessage(),
          e);
    }
    return out.toByteArray();
  }

  private DatumWriter<T> writerFor(Schema schema, T data) {
    return writers.computeIfAbsent(
        schema, s -> new SpecificDatumWriter<>(s, SpecificData.getForClass(data.getClass())));
  }
}
