package dev.synque.monitor.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * The Confluent wire format: one magic byte {@code 0}, the schema id as a 4-byte big-endian
 * integer, then the Avro binary encoding of the record.
 */
public final class WireFormat {

  /** The only magic byte this format knows. */
  public static final byte MAGIC_BYTE = 0;

  /** Bytes before the Avro body: magic byte and schema id. */
  public static final int HEADER_LENGTH = 5;

  private WireFormat() {}

  /**
   * Prefixes an Avro body with the header.
   *
   * @param schemaId the registry's id of the writer schema
   * @param avroBody Avro binary encoding; not copied into a second array
   * @return a new array of {@code HEADER_LENGTH + avroBody.length} bytes
   */
  public static byte[] frame(int schemaId, byte[] avroBody) {
    return ByteBuffer.allocate(HEADER_LENGTH + avroBody.length)
        .put(MAGIC_BYTE)
        .putInt(schemaId)
        .put(avroBody)
        .array();
  }

  /**
   * Reads the header of a framed record.
   *
   * @param topic the topic the bytes came from, named in errors
   * @param bytes the framed record, never null
   * @return the schema id and where the Avro body starts
   * @throws SerializationException if the bytes are too short or do not start with the magic byte
   */
  public static Framed unframe(String topic, byte[] bytes) {
    if (bytes.length < HEADER_LENGTH) {
      throw new SerializationException(
          String.format(
              "Cannot deserialize record from topic '%s': %d byte(s) is shorter than the %d-byte"
                  + " header of the Confluent wire format (magic byte + schema id)",
              topic, bytes.length, HEADER_LENGTH));
    }
    if (bytes[0] != MAGIC_BYTE) {
      throw new SerializationException(
          String.format(
              "Cannot deserialize record from topic '%s': first byte is 0x%02x, expected magic byte"
                  + " 0x00 of the Confluent wire format; the record was not written by a"
                  + " schema-registry Avro serializer",
              topic, bytes[0] & 0xff));
    }
    int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
    return new Framed(schemaId, HEADER_LENGTH, bytes.length - HEADER_LENGTH);
  }

  /**
   * A parsed header.
   *
   * @param schemaId the writer schema's registry id
   * @param bodyOffset index of the first Avro byte
   * @param bodyLength number of Avro bytes
   */
  public record Framed(int schemaId, int bodyOffset, int bodyLength) {}
}
