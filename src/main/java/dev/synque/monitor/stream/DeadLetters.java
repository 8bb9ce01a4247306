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
 *
 * <p>A key or value larger than {@code maxCopiedBytes} is not copied into the dead letter: a dead
 * letter that the topic refuses (the broker's default limit is 1 MB) would fail the whole
 * transaction and stop the application on every retry, so a 10 MB poison record would become a
 * crash loop. The message says what was left out; the record itself stays at its coordinates in the
 * source topic.
 */
final class DeadLetters {

  private final ProcessingContext context;
  private final Logger log;
  private final Sensor sensor;
  private final int maxCopiedBytes;

  DeadLetters(ProcessingContext context, Logger log, String processorName, int maxCopiedBytes) {
    this.context = context;
    this.log = log;
    this.maxCopiedBytes = maxCopiedBytes;
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
    DeadLetter letter =
        build(
            reason,
            message,
            error,
            source,
            context.applicationId(),
            context.currentSystemTimeMs(),
            maxCopiedBytes);
    log.warn(
        "Dead-lettering record {} partition {} offset {}: {}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        reason,
        letter.getMessage());
    sensor.record();
    return letter;
  }

  /**
   * A dead letter without a processing context (for the last-line exception handlers): the key and
   * value are copied when at most {@code maxCopiedBytes}, else left out with a note in the message.
   */
  static DeadLetter build(
      String reason,
      String message,
      Throwable error,
      SourceRecord source,
      String applicationId,
      long nowMs,
      int maxCopiedBytes) {
    byte[] key = copied(source.key(), maxCopiedBytes);
    byte[] value = copied(source.value(), maxCopiedBytes);
    if (key != source.key() || value != source.value()) {
      message +=
          String.format(
              " (the record's %s is not copied into this dead letter: over %s = %d bytes; it stays"
                  + " at %s)",
              key != source.key() && value != source.value()
                  ? "key and value"
                  : key != source.key()
                      ? "key of " + source.key().length + " bytes"
                      : "value of " + source.value().length + " bytes",
              MonitorSettings.DEAD_LETTER_MAX_VALUE_BYTES,
              maxCopiedBytes,
              source.coordinates());
    }
    return DeadLetter.newBuilder()
        .setReason(reason)
        .setMessage(message)
        .setErrorClass(error == null ? null : error.getClass().getName())
        .setSourceTopic(source.topic())
        .setSourcePartition(source.partition())
        .setSourceOffset(source.offset())
        .setSourceTimestamp(
            source.timestamp() < 0 ? null : java.time.Instant.ofEpochMilli(source.timestamp()))
        .setKey(key == null ? null : ByteBuffer.wrap(key))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setHeaders(List.of())
        .setApplicationId(applicationId)
        .setFailedAt(java.time.Instant.ofEpochMilli(nowMs))
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

  /**
   * {@link #of} as a rejected outcome to forward: keyed by {@code key}, at the source's timestamp.
   */
  <T> org.apache.kafka.streams.processor.api.Record<String, Outcome<T>> record(
      String key, String reason, String message, Throwable error, SourceRecord source) {
    return new org.apache.kafka.streams.processor.api.Record<>(
        key, Outcome.rejected(of(reason, message, error, source)), source.timestamp());
  }

  /** The bytes, or null when there are more than {@code maxCopiedBytes}. */
  private static byte[] copied(byte[] bytes, int maxCopiedBytes) {
    return bytes == null || bytes.length <= maxCopiedBytes ? bytes : null;
  }
}
