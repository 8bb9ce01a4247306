package dev.synque.monitor.serde;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
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
 * <p>Stricter than Avro alone, so that bad input gets a clear error instead of a wrong record: a
 * writer schema the reader cannot resolve (a record of another schema, registered under another
 * subject) is refused up front, naming both schemas and the first incompatibility, rather than
 * failing somewhere in the body as "corrupt"; and a string that is not valid UTF-8, which Avro
 * would silently turn into U+FFFD replacement characters, is refused with an {@link
 * InvalidUtf8Exception} naming the field ({@link StrictUtf8}).
 *
 * @param <T> the generated record class
 */
public final class RegistryAvroDeserializer<T extends SpecificRecord> implements Deserializer<T> {

  private final Class<T> targetType;
  private final Map<Integer, DatumReader<T>> readers = new ConcurrentHashMap<>();
  private final Map<Integer, Schema> writers = new ConcurrentHashMap<>();
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
    T record;
    try {
      record =
          reader.read(
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
    // Only a record with a replacement character can hide invalid UTF-8: the body is decoded a
    // second time, keeping raw string bytes, only then.
    if (StrictUtf8.containsReplacement(record)) {
      StrictUtf8.check(topic, framed.schemaId(), writers.get(framed.schemaId()), bytes, framed);
    }
    return record;
  }

  private DatumReader<T> readerFor(String topic, int schemaId) {
    DatumReader<T> cached = readers.get(schemaId);
    if (cached != null) {
      return cached;
    }
    if (schemaId <= 0) {
      // Registries number schemas from 1; asking for 0 or a negative id only earns an error page.
      throw new SerializationException(
          "Cannot deserialize record from topic '"
              + topic
              + "': schema id "
              + schemaId
              + " in the wire-format header is not a registry id (ids are positive)");
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
    SchemaCompatibility.SchemaPairCompatibility compatibility =
        SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
    if (compatibility.getType() != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
      throw new SerializationException(
          "Cannot deserialize record from topic '"
              + topic
              + "': schema id "
              + schemaId
              + " is "
              + writer.getFullName()
              + ", which cannot be read as "
              + reader.getFullName()
              + " (Avro schema resolution: "
              + compatibility.getResult().getIncompatibilities().stream()
                  .limit(3)
                  .map(i -> i.getMessage() + " at " + i.getLocation())
                  .collect(Collectors.joining("; "))
              + "); was it written for another topic?");
    }
    DatumReader<T> created = new SpecificDatumReader<>(writer, reader, data);
    writers.put(schemaId, writer);
    readers.put(schemaId, created);
    return created;
  }
}
