package dev.synque.monitor.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.io.DatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads Confluent wire-format Avro into specific records. The writer schema is fetched by id from
 * the registry; the reader schema is the generated class's, so records written with an older or
 * newer compatible schema resolve to the current class. Without a fixed target class, the class is
 * found by the writer schema's full name, as Confluent's {@code specific.avro.reader} does.
 * Thread-safe. Null bytes deserialise to null (tombstones).
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> targetType;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
  private SchemaRegistryClient client;

  /** A deserializer that builds its registry client in {@link #configure}. */
  public RegistryAvroDeserializer() {
    this(null, null);
  }

  /**
   * @param targetType the class to read into, or null to find it by the writer schema's name
   * @param client registry client to share, or null to build one in {@link #configure}
   */
  public RegistryAvroDeserializer(Class<T> targetType, SchemaRegistryClient client) {
    this.targetType = targetType;
    this.client = client;
  }

  @Override
  public void configure(Map<String, ?> configs, boolean isKey) {
    if (client == null) {
      client = new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(configs));
    }
  }

  @Override
  public T deserialize(String topic, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (client == null) {
      throw new IllegalStateException("RegistryAvroDeserializer used before configure()");
    }
    WireFormat.Framed framed = WireFormat.unframe(topic, bytes);
    DatumReader<T> reader = readerFor(topic, framed.schemaId());
    try {
      return reader.read(
          null,
          DecoderFactory.get()
              .binaryDecoder(bytes, framed.bodyOffset(), framed.bodyLength(), null));
    } catch (IOException | AvroRuntimeException | IndexOutOfBoundsException e) {
      // A truncated or corrupt body shows up as EOF, a bad index or a negative length.
      throw new SerializationException(
          "Cannot deserialize record from topic '"
              + topic
              + "' (schema id "
              + framed.schemaId()
              + "): the Avro body is corrupt or truncated: "
              + e,
          e);
    }
  }

  private DatumReader<T> readerFor(String topic, int schemaId) {
    DatumReader<T> cached = readers.get(schemaId);
    if (cached != null) {
      return cached;
    }
    Schema writer;
    try {
      writer = client.schemaById(schemaId);
    } catch (SchemaRegistryException e) {
      throw new SerializationException(
          "Cannot deserialize record from topic '"
              + topic
              + "' (schema id "
              + schemaId
              + "): "
              + e.getMessage(),
          e);
    }
    Class<?> type = targetType != null ? targetType : SpecificData.get().getClass(writer);
    if (type == null || !SpecificRecord.class.isAssignableFrom(type)) {
      throw new SerializationException(
          "Cannot deserialize record from topic '"
              + topic
              + "' (schema id "
              + schemaId
              + "): no generated Avro class for "
              + writer.getFullName()
              + " on the classpath");
    }
    SpecificData data = SpecificData.getForClass(type);
    Schema reader = data.getSchema(type);
    DatumReader<T> created = new SpecificDatumReader<>(writer, reader, data);
    readers.put(schemaId, created);
    return created;
  }
}
