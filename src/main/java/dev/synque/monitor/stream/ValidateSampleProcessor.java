package dev.synque.monitor.stream;

import dev.synque.monitor.avro.SyntheticSample;
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
 * wire format, unknown schema id, wrong schema), {@code INVALID_GENERATOR_ID} (blank), {@code
 * KEY_MISMATCH} (the key is not the generator id, so the sample would land in another generator's
 * partition), {@code INVALID_SAMPLE_ID} (blank) and {@code EMPTY_TEXT} (blank). The record is
 * forwarded with the sample's event time as its timestamp.
 */
final class ValidateSampleProcessor implements Processor<byte[], byte[], String, Object> {

  private static final Logger LOG = LoggerFactory.getLogger(ValidateSampleProcessor.class);

  private final Deserializer<SyntheticSample> deserializer;
  private ProcessorContext<String, Object> context;
  private DeadLetters deadLetters;

  ValidateSampleProcessor(Deserializer<SyntheticSample> deserializer) {
    this.deserializer = deserializer;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.deadLetters = new DeadLetters(context, LOG, "validate-samples");
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    SourceRecord source = deadLetters.source(record);
    String key = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    if (record.value() == null) {
      reject(key, "MISSING_VALUE", "the record has no value (tombstone)", null, source);
      return;
    }
    SyntheticSample sample;
    try {
      sample = deserializer.deserialize(source.topic(), record.value());
    } catch (RuntimeException e) {
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
}
