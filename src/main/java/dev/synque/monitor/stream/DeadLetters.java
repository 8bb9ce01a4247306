package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.ProcessingContext;
import org.slf4j.Logger;

/**
 * Makes {@link DeadLetter}s for one processor, logs each with topic, partition and offset, and
 * counts them in the Streams metrics ({@code synque-dead-letters-total} of the task).
 */
final class DeadLetters {

  private final ProcessingContext context;
  private final Logger log;
  private final Sensor sensor;

  DeadLetters(ProcessingContext context, Logger log, String processorName) {
    this.context = context;
    this.log = log;
    this.sensor =
        context
            .metrics()
            .addRateTotalSensor(
                "synque-monitor",
                context.taskId() + "-" + processorName,
                "synque-dead-letters",
                Sensor.RecordingLevel.INFO);
  }

  /**
   * A dead letter for a record, logged and counted.
   *
   * @param reason upper snake case
   * @param message names the offending value and the rule
   * @param error the exception behind the failure, or null
   */
  DeadLetter of(String reason, String message, Throwable error, SourceRecord source) {
    log.warn(
        "Dead-lettering record {} partition {} offset {}: {}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        reason,
        message);
    sensor.record();
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setMessage(message)
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceTimestamp(
            source.timestamp() < 0 ? null : java.time.Instant.ofEpochMilli(source.timestamp()))
        .setKey(source.key() == null ? null : ByteBuffer.wrap(source.key()))
        .setValue(source.value() == null ? null : ByteBuffer.wrap(source.value()))
        .setHeaders(List.of())
        .setApplicationId(context.applicationId())
        .setFailedAt(java.time.Instant.ofEpochMilli(context.currentSystemTimeMs()))
        .build();
  }

  /** The raw record being processed, with its coordinates. */
  SourceRecord source(org.apache.kafka.streams.processor.api.Record<byte[], byte[]> record) {
    org.apache.kafka.streams.processor.api.RecordMetadata meta =
        context.recordMetadata().orElseThrow();
    return new SourceRecord(
        meta.topic(),
        meta.partition(),
        meta.offset(),
        record.timestamp(),
        record.key(),
        record.value());
  }

  /** {@link #of} as a record to forward: keyed by {@code key}, at the source's timestamp. */
  org.apache.kafka.streams.processor.api.Record<String, Object> record(
      String key, String reason, String message, Throwable error, SourceRecord source) {
    return new org.apache.kafka.streams.processor.api.Record<>(
        key, of(reason, message, error, source), source.timestamp());
  }
}
