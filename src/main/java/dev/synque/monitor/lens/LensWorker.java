package dev.synque.monitor.lens;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DeadLetterHeader;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The LENS worker: a plain Kafka consumer and producer (not Kafka Streams), so the stream threads
 * never wait on an LLM. It reads {@link LensRequest}s, answers each with a {@link LensResult}
 * (keyed by generator id) through the {@link LensRequestHandler}, and commits a request's offset
 * once its result is acknowledged (at least once: a crash repeats the request).
 *
 * <p>While a batch is judged on a separate thread the consumer's partitions are paused and it keeps
 * polling, so a long LLM run does not exceed {@code max.poll.interval.ms}. A request that cannot be
 * deserialized is logged with topic, partition and offset and skipped. An LLM failure is a result
 * ({@code UNAVAILABLE}), not an error: the worker keeps running.
 *
 * <p>Each acknowledged result is reported to {@link LensWorkerMetrics}; {@link #isRunning()} tells
 * a health probe whether the loop is up.
 *
 * <p>{@link #run()} owns the consumer and producer and closes them when it returns; call {@link
 * #close()} from another thread to stop it.
 */
public final class LensWorker implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LensWorker.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /**
   * Largest key, value or header set copied into a dead letter (the monitor's default of {@code
   * synque.dead.letter.max.value.bytes}): a larger part is left out, with a note, so the dead
   * letter always fits the topic and a huge request cannot stop the worker.
   */
  static final int MAX_COPIED_BYTES = 900_000;

  /** Pause before reading again while the schema registry is unavailable. */
  private static final Duration REGISTRY_PAUSE = Duration.ofSeconds(1);

  /** A record that cannot be handled now, for a reason that is not the record's. */
  private static final class RetryLater extends RuntimeException {
    RetryLater(RuntimeException cause) {
      super(cause.getMessage(), cause);
    }
  }

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final Deserializer<LensRequest> requests;
  private final Serializer<LensResult> results;
  private final Serializer<DeadLetter> deadLetters;
  private final LensRequestHandler handler;
  private final LensWorkerMetrics metrics;
  private final Topics topics;
  private final String applicationId;
  private final Clock clock;
  private final ExecutorService processing;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile boolean polling;

  /**
   * The worker's topics.
   *
   * @param requests topic of the requests
   * @param results topic of the results
   * @param deadLetters topic for requests that cannot be read
   */
  public record Topics(String requests, String results, String deadLetters) {
    public Topics {
      Objects.requireNonNull(requests, "requests");
      Objects.requireNonNull(results, "results");
      Objects.requireNonNull(deadLetters, "deadLetters");
    }
  }

  /**
   * @param consumer byte consumer of requests, auto commit off; owned by the worker from now on
   * @param producer byte producer of results and dead letters; owned by the worker from now on
   * @param requests reads request values
   * @param results writes result values
   * @param deadLetters writes dead-letter values
   * @param handler answers requests; never null
   * @param metrics where results are reported ({@link LensWorkerMetrics#NONE} for nowhere)
   * @param topics the topics
   * @param applicationId names the worker in dead letters (its consumer group)
   * @param clock stamps dead letters
   */
  public LensWorker(
      Consumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      Deserializer<LensRequest> requests,
      Serializer<LensResult> results,
      Serializer<DeadLetter> deadLetters,
      LensRequestHandler handler,
      LensWorkerMetrics metrics,
      Topics topics,
      String applicationId,
      Clock clock) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.requests = Objects.requireNonNull(requests, "requests");
    this.results = Objects.requireNonNull(results, "results");
    this.deadLetters = Objects.requireNonNull(deadLetters, "deadLetters");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.topics = Objects.requireNonNull(topics, "topics");
    this.applicationId = Objects.requireNonNull(applicationId, "applicationId");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.processing =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "synque-lens-processing");
              t.setDaemon(true);
              return t;
            });
  }

  @Override
  public void run() {
    started = true;
    try {
      consumer.subscribe(List.of(topics.requests()));
      LOG.info(
          "LENS worker reading {} and writing {} (dead letters to {})",
          topics.requests(),
          topics.results(),
          topics.deadLetters());
      polling = true;
      while (running) {
        ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
        if (!records.isEmpty()) {
          process(records);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      polling = false;
      processing.shutdownNow();
      producer.close(Duration.ofSeconds(5));
      consumer.close(Duration.ofSeconds(5));
      stopped.countDown();
      LOG.info("LENS worker stopped");
    }
  }

  private void process(ConsumerRecords<byte[], byte[]> records) throws InterruptedException {
    consumer.pause(consumer.assignment());
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    Future<?> batch =
        processing.submit(
            () -> {
              for (ConsumerRecord<byte[], byte[]> r : records) {
                if (!running) {
                  return;
                }
                answer(r);
                synchronized (done) {
                  done.put(
                      new TopicPartition(r.topic(), r.partition()),
                      new OffsetAndMetadata(r.offset() + 1));
                }
              }
            });
    while (!batch.isDone()) {
      // Paused: returns nothing from our partitions, but keeps the member alive. Partitions newly
      // assigned by a rebalance are not paused; rewind them so nothing is skipped.
      ConsumerRecords<byte[], byte[]> extra = consumer.poll(POLL);
      for (TopicPartition tp : extra.partitions()) {
        consumer.seek(tp, extra.records(tp).get(0).offset());
      }
      consumer.pause(consumer.assignment());
    }
    boolean retry = false;
    try {
      batch.get();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof RetryLater later)) {
        throw new IllegalStateException(
            "LENS worker: a request could not be answered", e.getCause());
      }
      retry = true;
      LOG.warn(
          "LENS worker: the schema registry is unavailable ({}); the request is not"
              + " dead-lettered and is read again in {} ms",
          later.getMessage(),
          REGISTRY_PAUSE.toMillis());
    } finally {
      synchronized (done) {
        if (!done.isEmpty()) {
          try {
            consumer.commitSync(done);
          } catch (CommitFailedException e) {
            LOG.warn("LENS worker: commit failed after a rebalance; requests will be repeated", e);
          }
        }
      }
      if (retry) {
        // Rewind every partition of the batch to its first record not answered.
        for (TopicPartition tp : records.partitions()) {
          OffsetAndMetadata answered;
          synchronized (done) {
            answered = done.get(tp);
          }
          consumer.seek(
              tp, answered != null ? answered.offset() : records.records(tp).get(0).offset());
        }
      }
      consumer.resume(consumer.paused());
    }
    if (retry) {
      Thread.sleep(REGISTRY_PAUSE.toMillis());
    }
  }

  private void answer(ConsumerRecord<byte[], byte[]> r) {
    LensRequest request;
    try {
      request = r.value() == null ? null : requests.deserialize(r.topic(), r.headers(), r.value());
    } catch (RuntimeException e) {
      if (SchemaRegistryException.transientCause(e).isPresent()) {
        throw new RetryLater(e);
      }
      deadLetter(r, "DESERIALIZATION_FAILED", e.getMessage(), e);
      return;
    }
    if (request == null) {
      deadLetter(r, "EMPTY_VALUE", "the request record has no value", null);
      return;
    }
    LensResult result = handler.handle(request);
    byte[] value;
    try {
      value = results.serialize(topics.results(), result);
    } catch (RuntimeException e) {
      if (SchemaRegistryException.transientCause(e).isPresent()) {
        throw new RetryLater(e);
      }
      throw e;
    }
    send(
        new ProducerRecord<>(
            topics.results(), result.getGeneratorId().getBytes(StandardCharsets.UTF_8), value),
        "the result of request " + result.getRequestId());
    metrics.result(result);
    LOG.info(
        "LENS result {} for {} (request {}, {}-{} offset {}): score {}, {} calls{}",
        result.getStatus(),
        result.getGeneratorId(),
        result.getRequestId(),
        r.topic(),
        r.partition(),
        r.offset(),
        result.getScore(),
        result.getLlmCalls(),
        result.getReason() == null ? "" : ", " + result.getReason());
  }

  private void deadLetter(
      ConsumerRecord<byte[], byte[]> r, String reason, String message, Exception cause) {
    LOG.error(
        "LENS worker sends the request at {}-{} offset {} to {}: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        topics.deadLetters(),
        message);
    List<DeadLetterHeader> headers = new ArrayList<>();
    long headerBytes = 0;
    for (Header h : r.headers()) {
      headerBytes += h.key().length() + (h.value() == null ? 0 : h.value().length);
      headers.add(
          new DeadLetterHeader(h.key(), h.value() == null ? null : ByteBuffer.wrap(h.value())));
    }
    List<String> left = new ArrayList<>();
    byte[] key = r.key();
    byte[] value = r.value();
    if (key != null && key.length > MAX_COPIED_BYTES) {
      left.add("key of " + key.length + " bytes");
      key = null;
    }
    if (value != null && value.length > MAX_COPIED_BYTES) {
      left.add("value of " + value.length + " bytes");
      value = null;
    }
    if (headerBytes > MAX_COPIED_BYTES) {
      left.add(headers.size() + " headers of " + headerBytes + " bytes");
      headers.clear();
    }
    if (message == null) {
      message = reason;
    }
    if (message.length() > 4_096) {
      message = message.substring(0, 4_096) + "...";
    }
    if (!left.isEmpty()) {
      message +=
          String.format(
              " (not copied into this dead letter, over %d bytes: %s; the record stays at %s-%d"
                  + " offset %d)",
              MAX_COPIED_BYTES, String.join(", ", left), r.topic(), r.partition(), r.offset());
    }
    DeadLetter letter =
        DeadLetter.newBuilder()
            .setReason(reason)
            .setMessage(message)
            .setErrorClass(cause == null ? null : cause.getClass().getName())
            .setSourceTopic(r.topic())
            .setSourcePartition(r.partition())
            .setSourceOffset(r.offset())
            .setSourceTimestamp(r.timestamp() < 0 ? null : Instant.ofEpochMilli(r.timestamp()))
            .setKey(key == null ? null : ByteBuffer.wrap(key))
            .setValue(value == null ? null : ByteBuffer.wrap(value))
            .setHeaders(headers)
            .setApplicationId(applicationId)
            .setFailedAt(clock.instant())
            .build();
    send(
        new ProducerRecord<>(
            topics.deadLetters(), r.key(), deadLetters.serialize(topics.deadLetters(), letter)),
        "a dead letter");
  }

  private void send(ProducerRecord<byte[], byte[]> record, String what) {
    try {
      producer.send(record).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("LENS worker could not send " + what, e.getCause());
    }
  }

  /**
   * Whether the loop is up: subscribed and polling, not stopped or failed. A judge run in progress
   * counts as up (the consumer keeps polling while it runs).
   */
  public boolean isRunning() {
    return polling && running;
  }

  /**
   * Stops the loop and waits up to 30 s for it to close its clients (or closes them here when
   * {@link #run()} never started).
   */
  @Override
  public void close() {
    running = false;
    if (!started) {
      processing.shutdownNow();
      producer.close(Duration.ofSeconds(5));
      consumer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      stopped.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
