package dev.synque.monitor.stream;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the LENS worker's results from raw bytes, so that a record the serde cannot read, a
 * tombstone or a result without a generator id is dead-lettered ({@code DESERIALIZATION_FAILED},
 * {@code MISSING_VALUE}, {@code INVALID_GENERATOR_ID}) instead of stopping the monitor. Forwards
 * {@link LensResult}s keyed by generator id, or {@code DeadLetter}s.
 */
final class ReadLensResultsProcessor
    implements Processor<byte[], byte[], String, Outcome<LensResult>> {

  private static final Logger LOG = LoggerFactory.getLogger(ReadLensResultsProcessor.class);

  private final Deserializer<LensResult> deserializer;
  private final int deadLetterMaxBytes;
  private ProcessorContext<String, Outcome<LensResult>> context;
  private DeadLetters deadLetters;
  private final RegistryWait registryWait;

  ReadLensResultsProcessor(
      Deserializer<LensResult> deserializer, int deadLetterMaxBytes, RegistryWait registryWait) {
    this.deserializer = deserializer;
    this.registryWait = registryWait;
    this.deadLetterMaxBytes = deadLetterMaxBytes;
  }

  @Override
  public void init(ProcessorContext<String, Outcome<LensResult>> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, LOG, "read-lens-results", deadLetterMaxBytes);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourceRecord source = deadLetters.source(record);
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      reject(key, "MISSING_VALUE", "the LENS result has no value (tombstone)", null, source);
      return;
    }
    LensResult result;
    try {
      result =
          registryWait.call(
              () -> deserializer.deserialize(source.topic(), record.value()),
              "reading the LENS result at " + source.coordinates());
    } catch (RuntimeException e) {
      if (SchemaRegistryException.transientCause(e).isPresent()) {
        // Not the result's fault: read again once the registry answers, as samples are.
        throw new IllegalStateException(
            "The schema registry is unavailable, so the LENS result at "
                + source.coordinates()
                + " cannot be read now; it is not dead-lettered and is read again once the"
                + " registry answers: "
                + e.getMessage(),
            e);
      }
      reject(key, "DESERIALIZATION_FAILED", String.valueOf(e.getMessage()), e, source);
      return;
    }
    if (result.getGeneratorId() == null || result.getGeneratorId().isBlank()) {
      reject(
          key,
          "INVALID_GENERATOR_ID",
          "a LENS result's generatorId must not be blank",
          null,
          source);
      return;
    }
    context.forward(
        new Record<>(result.getGeneratorId(), Outcome.passed(result), record.timestamp()));
  }

  private void reject(
      String key, String reason, String message, Throwable error, SourceRecord source) {
    context.forward(deadLetters.record(key, reason, message, error, source));
  }
}
