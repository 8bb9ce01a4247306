package dev.synque.monitor.lens;

import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import java.time.Duration;
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
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
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
 * <p>{@link #run()} owns the consumer and producer and closes them when it returns; call {@link
 * #close()} from another thread to stop it.
 */
public final class LensWorker implements Runnable, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LensWorker.class);
  private static final Duration POLL = Duration.ofMillis(200);

  private final Consumer<String, LensRequest> consumer;
  private final Producer<String, LensResult> producer;
  private final LensRequestHandler handler;
  private final String requestTopic;
  private final String resultTopic;
  private final ExecutorService processing;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  /**
   * @param consumer consumer of requests, with auto commit off; owned by the worker from now on
   * @param producer producer of results; owned by the worker from now on
   * @param handler answers requests; never null
   * @param requestTopic topic of the requests
   * @param resultTopic topic of the results
   */
  public LensWorker(
      Consumer<String, LensRequest> consumer,
      Producer<String, LensResult> producer,
      LensRequestHandler handler,
      String requestTopic,
      String resultTopic) {
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.producer = Objects.requireNonNull(producer, "producer");
    this.handler = Objects.requireNonNull(handler, "handler");
    this.requestTopic = Objects.requireNonNull(requestTopic, "requestTopic");
    this.resultTopic = Objects.requireNonNull(resultTopic, "resultTopic");
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
    try {
      consumer.subscribe(List.of(requestTopic));
      LOG.info("LENS worker reading {} and writing {}", requestTopic, resultTopic);
      while (running) {
        ConsumerRecords<String, LensRequest> records;
        try {
          records = consumer.poll(POLL);
        } catch (RecordDeserializationException e) {
          LOG.error(
              "LENS worker skips an undecodable request at {} offset {}: {}",
              e.topicPartition(),
              e.offset(),
              e.getMessage());
          consumer.seek(e.topicPartition(), e.offset() + 1);
          continue;
        }
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
      processing.shutdownNow();
      producer.close(Duration.ofSeconds(5));
      consumer.close(Duration.ofSeconds(5));
      stopped.countDown();
      LOG.info("LENS worker stopped");
    }
  }

  private void process(ConsumerRecords<String, LensRequest> records) throws InterruptedException {
    consumer.pause(consumer.assignment());
    Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
    Future<?> batch =
        processing.submit(
            () -> {
              for (ConsumerRecord<String, LensRequest> r : records) {
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
      ConsumerRecords<String, LensRequest> extra = consumer.poll(POLL);
      for (TopicPartition tp : extra.partitions()) {
        consumer.seek(tp, extra.records(tp).get(0).offset());
      }
      consumer.pause(consumer.assignment());
    }
    try {
      batch.get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("LENS worker: a request could not be answered", e.getCause());
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
      consumer.resume(consumer.paused());
    }
  }

  private void answer(ConsumerRecord<String, LensRequest> r) {
    if (r.value() == null) {
      LOG.warn(
          "LENS worker skips a null request at {}-{} offset {}",
          r.topic(),
          r.partition(),
          r.offset());
      return;
    }
    LensResult result = handler.handle(r.value());
    try {
      producer.send(new ProducerRecord<>(resultTopic, result.getGeneratorId(), result)).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending a LENS result", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "LENS worker could not send the result of request " + result.getRequestId(),
          e.getCause());
    }
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

  /** Stops the loop and waits up to 30 s for it to close its clients. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
