package dev.synque.monitor.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.IndexedRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Finds strings that were not valid UTF-8 in an Avro body. Avro decodes strings leniently (invalid
 * bytes become U+FFFD), so a decoded record cannot tell a real U+FFFD from a broken byte sequence;
 * the body is decoded again with the writer schema into {@link Utf8} values, which keep the raw
 * bytes, and those are decoded strictly.
 */
final class StrictUtf8 {

  private static final char REPLACEMENT = '\uFFFD';

  private StrictUtf8() {}

  /** Whether any string in a decoded datum (records, maps, arrays, unions) holds U+FFFD. */
  static boolean containsReplacement(Object datum) {
    if (datum instanceof CharSequence s) {
      return s.toString().indexOf(REPLACEMENT) >= 0;
    }
    if (datum instanceof IndexedRecord r) {
      for (int i = 0; i < r.getSchema().getFields().size(); i++) {
        if (containsReplacement(r.get(i))) {
          return true;
        }
      }
      return false;
    }
    if (datum instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (containsReplacement(e.getKey()) || containsReplacement(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    if (datum instanceof Collection<?> c) {
      for (Object item : c) {
        if (containsReplacement(item)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Decodes the body again and throws for the first string that is not valid UTF-8.
   *
   * @throws InvalidUtf8Exception naming the field and the byte offset within the string
   */
  static void check(
      String topic, int schemaId, Schema writer, byte[] bytes, WireFormat.Framed framed) {
    Object raw;
    try {
      raw =
          new RawStringReader(writer)
              .read(
                  null,
                  DecoderFactory.get()
                      .binaryDecoder(bytes, framed.bodyOffset(), framed.bodyLength(), null));
    } catch (IOException | AvroRuntimeException e) {
      throw new SerializationException(
          "Cannot deserialize record from topic '" + topic + "' (schema id " + schemaId + ")", e);
    }
    String problem = firstInvalid(raw, "");
    if (problem != null) {
      throw new InvalidUtf8Exception(
          "Cannot deserialize record from topic '"
              + topic
              + "' (schema id "
              + schemaId
              + "): "
              + problem
              + "; strings must be valid UTF-8");
    }
  }

  private static String firstInvalid(Object datum, String path) {
    if (datum instanceof Utf8 s) {
      int bad = invalidOffset(s.getBytes(), s.getByteLength());
      return bad < 0
          ? null
          : "field '" + path + "' is not valid UTF-8 (malformed byte sequence at byte " + bad + ")";
    }
    if (datum instanceof IndexedRecord r) {
      for (Schema.Field f : r.getSchema().getFields()) {
        String p = firstInvalid(r.get(f.pos()), path.isEmpty() ? f.name() : path + "." + f.name());
        if (p != null) {
          return p;
        }
      }
    } else if (datum instanceof Map<?, ?> m) {
      for (Map.Entry<?, ?> e : m.entrySet()) {
        String p = firstInvalid(e.getKey(), path + " (a map key)");
        if (p == null) {
          p = firstInvalid(e.getValue(), path + "[" + e.getKey() + "]");
        }
        if (p != null) {
          return p;
        }
      }
    } else if (datum instanceof Collection<?> c) {
      int i = 0;
      for (Object item : c) {
        String p = firstInvalid(item, path + "[" + i++ + "]");
        if (p != null) {
          return p;
        }
      }
    }
    return null;
  }

  /** The offset of the first malformed byte, or -1 when the bytes are valid UTF-8. */
  static int invalidOffset(byte[] bytes, int length) {
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
    CharBuffer out = CharBuffer.allocate(length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      return in.position();
    }
    result = decoder.flush(out);
    return result.isError() ? in.position() : -1;
  }

  /**
   * Reads every string as {@link Utf8}, whatever the schema's {@code avro.java.string} says. Avro's
   * fast reader builds its own string readers without asking {@link #findStringClass}, so it is
   * turned off for this reader.
   */
  private static final class RawStringReader extends GenericDatumReader<Object> {
    RawStringReader(Schema writer) {
      super(writer, writer, slowData());
    }

    private static GenericData slowData() {
      GenericData data = new GenericData();
      data.setFastReaderEnabled(false);
      return data;
    }

    @Override
    @SuppressWarnings("rawtypes")
    protected Class findStringClass(Schema schema) {
      return CharSequence.class;
    }
  }
}
