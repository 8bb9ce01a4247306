package dev.synque.monitor.stream;

import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.InvalidUtf8Exception;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
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
 * EMPTY_TEXT} (blank), and the bounds of {@link SampleLimits}, each checked here once: {@code
 * TEXT_TOO_LONG}, {@code ID_TOO_LONG} (generatorId, sampleId, runId or label), {@code
 * ATTRIBUTES_TOO_LARGE}, {@code EVENT_TIME_OUT_OF_RANGE} (negative) and {@code
 * EVENT_TIME_IN_FUTURE} (after the record's Kafka timestamp plus {@code
 * synque.sample.max.future.ms}). A generator id must also be free of control characters ({@code
 * INVALID_GENERATOR_ID}): it names metric series, URLs of the query API and log lines. The record
 * is forwarded with the sample's event time as its timestamp; after these checks that time is at
 * least 0 and at most the source record's timestamp plus the allowed skew, so every output derived
 * from it has a timestamp the broker accepts.
 *
 * <p>A schema registry that cannot be reached (or answers 5xx) says nothing about the record, so
 * such a record is not dead-lettered: the processor asks again in place ({@link RegistryWait}), and
 * when the registry stays away it throws, the stream thread is replaced after a pause ({@link
 * MonitorApplication}) and the record is read again from the last commit.
 */
final class ValidateSampleProcessor
    implements Processor<byte[], byte[], String, Outcome<ValidSample>> {

  private static final Logger LOG = LoggerFactory.getLogger(ValidateSampleProcessor.class);

  private final Deserializer<SyntheticSample> deserializer;
  private final SampleLimits limits;
  private final int deadLetterMaxBytes;
  private final RegistryWait registryWait;
  private ProcessorContext<String, Outcome<ValidSample>> context;
  private DeadLetters deadLetters;

  ValidateSampleProcessor(
      Deserializer<SyntheticSample> deserializer,
      SampleLimits limits,
      int deadLetterMaxBytes,
      RegistryWait registryWait) {
    this.deserializer = deserializer;
    this.limits = limits;
    this.deadLetterMaxBytes = deadLetterMaxBytes;
    this.registryWait = registryWait;
  }

  @Override
  public void init(ProcessorContext<String, Outcome<ValidSample>> context) {
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
    Violation violation = violation(sample, key, record.timestamp());
    if (violation != null) {
      reject(key, violation.reason(), violation.message(), null, source);
      return;
    }
    context.forward(
        new Record<>(
            key,
            Outcome.passed(new ValidSample(sample, source)),
            sample.getEventTime().toEpochMilli(),
            record.headers()));
  }

  /** A rule a sample breaks: the dead letter's reason code and its message. */
  private record Violation(String reason, String message) {}

  /**
   * The first rule {@code sample} breaks, or null when it keeps them all. Ids are measured before
   * they are scanned or compared, so no check runs over an unbounded value twice.
   */
  private Violation violation(SyntheticSample sample, String key, long recordTimestamp) {
    String generator = sample.getGeneratorId();
    if (generator == null || generator.isBlank()) {
      return new Violation("INVALID_GENERATOR_ID", "generatorId must not be blank");
    }
    Violation tooLong = tooLong("generatorId", generator);
    if (tooLong != null) {
      return tooLong;
    }
    int control = firstControl(generator);
    if (control >= 0) {
      return new Violation(
          "INVALID_GENERATOR_ID",
          String.format(
              "generatorId has the control character U+%04X at index %d; ids"
                  + " must not contain control characters (U+0000-U+001F, U+007F-U+009F)",
              (int) generator.charAt(control), control));
    }
    if (!generator.equals(key)) {
      return new Violation(
          "KEY_MISMATCH",
          "the key \"" + abbreviated(key) + "\" must equal generatorId \"" + generator + "\"");
    }
    if (sample.getSampleId() == null || sample.getSampleId().isBlank()) {
      return new Violation("INVALID_SAMPLE_ID", "sampleId must not be blank");
    }
    for (String[] field :
        new String[][] {
          {"sampleId", sample.getSampleId()},
          {"runId", sample.getRunId()},
          {"label", sample.getLabel()}
        }) {
      tooLong = field[1] == null ? null : tooLong(field[0], field[1]);
      if (tooLong != null) {
        return tooLong;
      }
    }
    long attributeBytes = 0;
    for (Map.Entry<String, String> e : sample.getAttributes().entrySet()) {
      attributeBytes +=
          utf8Length(e.getKey()) + (e.getValue() == null ? 0 : utf8Length(e.getValue()));
      if (attributeBytes > limits.maxAttributesBytes()) {
        return new Violation(
            "ATTRIBUTES_TOO_LARGE",
            String.format(
                "sample %s has %d attributes of more than %d UTF-8 bytes in"
                    + " keys and values together; the limit is %d (%s)",
                sample.getSampleId(),
                sample.getAttributes().size(),
                limits.maxAttributesBytes(),
                limits.maxAttributesBytes(),
                MonitorSettings.MAX_ATTRIBUTES_BYTES));
      }
    }
    if (sample.getText() == null || sample.getText().isBlank()) {
      return new Violation(
          "EMPTY_TEXT",
          "sample " + sample.getSampleId() + " has a blank text; texts must not be blank");
    }
    long textBytes = utf8Length(sample.getText());
    if (textBytes > limits.maxTextBytes()) {
      return new Violation(
          "TEXT_TOO_LONG",
          String.format(
              "sample %s has a text of %d UTF-8 bytes; the limit is %d (%s)",
              sample.getSampleId(),
              textBytes,
              limits.maxTextBytes(),
              MonitorSettings.MAX_TEXT_BYTES));
    }
    long eventTime = sample.getEventTime().toEpochMilli();
    if (eventTime < 0) {
      return new Violation(
          "EVENT_TIME_OUT_OF_RANGE",
          String.format(
              "sample %s has eventTime %d, before 1970-01-01T00:00:00Z;"
                  + " event times are milliseconds since the epoch, at least 0",
              sample.getSampleId(), eventTime));
    }
    if (eventTime > limits.latestEventTime(recordTimestamp)) {
      return new Violation(
          "EVENT_TIME_IN_FUTURE",
          String.format(
              "sample %s has eventTime %d (%s), %d ms after its record's"
                  + " timestamp %d; at most %d ms ahead is accepted (%s)",
              sample.getSampleId(),
              eventTime,
              sample.getEventTime(),
              eventTime - recordTimestamp,
              recordTimestamp,
              limits.maxFuture().toMillis(),
              MonitorSettings.MAX_FUTURE_MS));
    }
    return null;
  }

  /** {@code ID_TOO_LONG} when {@code value} is over the id limit, else null. */
  private Violation tooLong(String field, String value) {
    long bytes = utf8Length(value);
    if (bytes <= limits.maxIdBytes()) {
      return null;
    }
    return new Violation(
        "ID_TOO_LONG",
        String.format(
            "%s has %d UTF-8 bytes; the limit is %d (%s)",
            field, bytes, limits.maxIdBytes(), MonitorSettings.MAX_ID_BYTES));
  }

  /** At most the first 256 characters of {@code s}, saying how long it was when longer. */
  private static String abbreviated(String s) {
    return s == null || s.length() <= 256
        ? s
        : s.substring(0, 256) + "... (" + s.length() + " characters)";
  }

  /** Index of the first ISO control character (U+0000-U+001F, U+007F-U+009F), or -1. */
  static int firstControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (Character.isISOControl(s.charAt(i))) {
        return i;
      }
    }
    return -1;
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
