package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last line of defence: what happens to a record that a processor failed on unexpectedly, or
 * that the broker refused, so that one record can never stop the monitor or crash-loop it.
 *
 * <p><b>The rule.</b> The record is dead-lettered (reason {@code PROCESSING_FAILED} or {@code
 * PRODUCTION_FAILED}, with the source record's key and value, its coordinates, the processor or the
 * destination topic, and the exception), counted ({@code synque_dead_letters_total}) and logged at
 * ERROR naming the record; processing resumes with the next record. Under exactly-once the dead
 * letter is written in the same transaction, so it is written once.
 *
 * <p><b>What is not resumed.</b> Failures that say nothing about the record: the schema registry
 * unreachable (the stream thread is replaced and reads the record again, see {@link
 * MonitorApplication}), Kafka's own errors raised through a processor (a state store, a fenced
 * producer, a migrated task, authorisation: {@link KafkaException}s, which Kafka Streams handles or
 * which stop the client with one line), retriable send errors (retried), and {@link Error}s.
 *
 * <p>Kafka Streams creates the handlers by class name ({@code processing.exception.handler}, {@code
 * production.exception.handler}) and configures them with the Streams properties, where {@link
 * MonitorApplication} puts a {@link FailedRecords} under {@link #CONFIG_KEY}.
 */
public final class FailedRecords {

  /** The Streams property holding the instance the handlers use. */
  public static final String CONFIG_KEY = "synque.internal.failed.records";

  private static final Logger LOG = LoggerFactory.getLogger(FailedRecords.class);

  private final String deadLetterTopic;
  private final Serializer<DeadLetter> serializer;
  private final String applicationId;
  private final int maxCopiedBytes;
  private final MonitorMetrics metrics;

  /**
   * @param serializer writes dead letters in the topic's wire format; its schema is registered
   *     before the client starts
   */
  public FailedRecords(
      String deadLetterTopic,
      Serializer<DeadLetter> serializer,
      String applicationId,
      int maxCopiedBytes,
      MonitorMetrics metrics) {
    this.deadLetterTopic = Objects.requireNonNull(deadLetterTopic, "deadLetterTopic");
    this.serializer = Objects.requireNonNull(serializer, "serializer");
    this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
    this.maxCopiedBytes = maxCopiedBytes;
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /**
   * Whether a failure is the record's to bear (dead-letter and resume) rather than the system's.
   */
  static boolean isRecordFailure(Throwable error) {
    return !(error instanceof Error)
        && !(error instanceof KafkaException)
        && SchemaRegistryException.transientCause(error).isEmpty();
  }

  /** The dead letter for the source record of {@code context}, logged at ERROR and counted. */
  ProducerRecord<byte[], byte[]> deadLetter(
      ErrorHandlerContext context, String reason, String message, Throwable error) {
    SourceRecord source =
        new SourceRecord(
            context.topic() == null ? "(punctuation)" : context.topic(),
            context.partition(),
            context.offset(),
            context.timestamp(),
            context.sourceRawKey(),
            context.sourceRawValue());
    LOG.error(
        "Dead-lettering record {} partition {} offset {} (task {}, processor {}): {}: {}",
        source.topic(),
        source.partition(),
        source.offset(),
        context.taskId(),
        context.processorNodeId(),
        reason,
        message,
        error);
    metrics.deadLettered(reason);
    DeadLetter letter =
        DeadLetters.build(
            reason,
            message,
            error,
            source,
            applicationId,
            System.currentTimeMillis(),
            maxCopiedBytes);
    return new ProducerRecord<>(
        deadLetterTopic,
        null,
        Math.max(0, context.timestamp()),
        context.sourceRawKey(),
        serializer.serialize(deadLetterTopic, letter));
  }

  private static FailedRecords from(Map<String, ?> configs) {
    Object value = configs.get(CONFIG_KEY);
    if (value instanceof FailedRecords failed) {
      return failed;
    }
    throw new ConfigException(
        CONFIG_KEY,
        value,
        "the monitor's exception handlers are set up by MonitorApplication, which puts their"
            + " dead-letter sink here");
  }

  /** Dead-letters a record that a processor threw on; see {@link FailedRecords}. */
  public static final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {

    private FailedRecords failed;

    @Override
    public void configure(Map<String, ?> configs) {
      failed = from(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
      if (!isRecordFailure(exception)) {
        return Response.fail();
      }
      return Response.resume(
          List.of(
              failed.deadLetter(
                  context,
                  "PROCESSING_FAILED",
                  String.format(
                      "processor %s failed on this record: %s",
                      context.processorNodeId(), exception),
                  exception)));
    }
  }

  /** Dead-letters a record the broker refused or that could not be serialised. */
  public static final class DeadLetterProductionHandler implements ProductionExceptionHandler {

    private FailedRecords failed;

    @Override
    public void configure(Map<String, ?> configs) {
      failed = from(configs);
    }

    @Override
    public Response handleError(
        ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
      if (exception instanceof RetriableException) {
        return Response.retry();
      }
      return refused(context, record.topic(), "the broker refused it", exception);
    }

    @Override
    public Response handleSerializationError(
        ErrorHandlerContext context,
        ProducerRecord record,
        Exception exception,
        SerializationExceptionOrigin origin) {
      if (SchemaRegistryException.transientCause(exception).isPresent()) {
        return Response.fail();
      }
      return refused(
          context,
          record.topic(),
          "its " + origin.name().toLowerCase(java.util.Locale.ROOT) + " could not be serialised",
          exception);
    }

    private Response refused(
        ErrorHandlerContext context, String destination, String what, Exception exception) {
      String message =
          String.format(
              "an output for topic %s derived from this record was not written: %s: %s",
              destination, what, exception);
      if (failed.deadLetterTopic.equals(destination)) {
        // A dead letter that cannot be written is logged and counted, never retried in a loop.
        LOG.error(
            "A dead letter for record {} partition {} offset {} was not written either: {}",
            context.topic(),
            context.partition(),
            context.offset(),
            exception.toString());
        failed.metrics.deadLettered("PRODUCTION_FAILED");
        return Response.resume();
      }
      return Response.resume(
          List.of(failed.deadLetter(context, "PRODUCTION_FAILED", message, exception)));
    }
  }
}
