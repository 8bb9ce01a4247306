package dev.synque.monitor.stream;

import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.InvalidUtf8Exception;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns raw synthetic-sample records into {@link ValidSample}s keyed by generator id, or into
 * {@code DeadLetter}s: {@code MISSING_VALUE} (tombstone), {@code DESERIALIZATION_FAILED} (not the
 * wire format, unknown schema id, a record of another schema, a truncated or corrupt body), {@code
 * INVALID_UTF8} (the key or a string of the record is not valid UTF-8), {@code
 * INVALID_GENERATOR_ID} (blank), {@code KEY_MISMATCH} (the key is not the generator id, so the
 * sample would land in another generator's partition), {@code INVALID_SAMPLE_ID} (blank), {@code
 * EMPTY_TEXT} (blank) and {@code TEXT_TOO_LONG} (over {@code synque.sample.max.text.bytes}). The
 * record is forwarded with the sample's event time as its timestamp.
 *
 * <p>A schema registry that cannot be reached (or answers 5xx) says nothing about the record, so
 * such a record is not dead-lettered: the processor asks again in place ({@link RegistryWait}), and
 * when the registry stays away it throws, the stream thread is replaced after a pause ({@link
 * MonitorApplication}) and the record is read again from the last commit.
 */
final class ValidateSampleProcessor implements Processor<byte[], byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ValidateSampleProcessor.class);

  private final Deserializer<SyntheticSample> deserializer;
  private final int maxTextBytes;
  private final int deadLetterMaxBytes;
  private final RegistryWait registryWait;
  private ProcessorContext<String, Object> context;
  private DeadLetters deadLetters;

  ValidateSampleProcessor(
      Deserializer<SyntheticSample> deserializer,
      int maxTextBytes,
      int deadLetterMaxBytes,
      RegistryWait registryWait) {
    this.deserializer = deserializer;
    this.maxTextBytes = maxTextBytes;
    this.deadLetterMaxBytes = deadLetterMaxBytes;
    this.registryWait = registryWait;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, LOG, "validate-samples", deadLetterMaxBytes);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourceRecord source = deadLetters.source(record);
    String key;
    try {
      key = strictUtf8(record.key());
    } catch (CharacterCodingException e) {
      reject(
          null,
          "INVALID_UTF8",
          "the key is not valid UTF-8; keys are generator ids, UTF-8 strings",
          e,
          source);
      return;
    }
    if (record.value() == null) {
      reject(key, "MISSING_VALUE", "the record has no value (tombstone)", null, source);
      return;
    }
    SyntheticSample sample;
    try {
      sample =
          registryWait.call(
              () -> deserializer.deserialize(source.topic(), record.value()),
              "reading the record at " + source.coordinates());
    } catch (InvalidUtf8Exception e) {
      reject(key, "INVALID_UTF8", e.getMessage(), e, source);
      return;
    } catch (RuntimeException e) {
      if (SchemaRegistryException.transientCause(e).isPresent()) {
        throw new IllegalStateException(
            "The schema registry is unavailable, so the record at "
                + source.coordinates()
                + " cannot be read now; it is not dead-lettered and is read again once the"
                + " registry answers: "
                + e.getMessage(),
            e);
      }
      reject(key, "DESERIALIZATION_FAILED", String.valueOf(e.getMessage()), e, source);
      return;
    }
    if (sample.getGeneratorId() == null || sample.getGeneratorId().isBlank()) {
      reject(key, "INVALID_GENERATOR_ID", "generatorId must not be blank", null, source);
    } else if (!sample.getGeneratorId().equals(key)) {
      reject(
          key,
          "KEY_MISMATCH",
          "the key \"" + key + "\" must equal generatorId \"" + sample.getGeneratorId() + "\"",
          null,
          source);
    } else if (sample.getSampleId() == null || sample.getSampleId().isBlank()) {
      reject(key, "INVALID_SAMPLE_ID", "sampleId must not be blank", null, source);
    } else if (sample.getText() == null || sample.getText().isBlank()) {
      reject(
          key,
          "EMPTY_TEXT",
          "sample " + sample.getSampleId() + " has a blank text; texts must not be blank",
          null,
          source);
    } else if (utf8Length(sample.getText()) > maxTextBytes) {
      reject(
          key,
          "TEXT_TOO_LONG",
          String.format(
              "sample %s has a text of %d UTF-8 bytes; the limit is %d (%s)",
              sample.getSampleId(),
              utf8Length(sample.getText()),
              maxTextBytes,
              MonitorSettings.MAX_TEXT_BYTES),
          null,
          source);
    } else {
      context.forward(
          new Record<String, Object>(
              key,
              new ValidSample(sample, source),
              sample.getEventTime().toEpochMilli(),
              record.headers()));
    }
  }

  private void reject(
      String key, String reason, String message, Throwable error, SourceRecord source) {
    context.forward(deadLetters.record(key, reason, message, error, source));
  }

  /** The key as a string; invalid UTF-8 throws instead of becoming U+FFFD. */
  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    if (bytes == null) {
      return null;
    }
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }

  /** UTF-8 length without encoding (the text may be megabytes). */
  static long utf8Length(String s) {
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n += 1;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
