package dev.synque.monitor.testkit;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.awaitility.Awaitility;

/**
 * Reads every committed record of one topic from its beginning and keeps them, in order per
 * partition. The consumer is assigned, not subscribed (no group rebalance to wait for on a loaded
 * machine), and reads {@code read_committed}, so it sees exactly what an exactly-once application
 * committed: a duplicate or a record of an aborted transaction would show up here.
 *
 * <p>Waits do not catch other threads' uncaught exceptions (Awaitility's default): a stream thread
 * that the monitor replaces after a transient failure dies with one, and that is the behaviour
 * under test, not a test failure.
 *
 * @param <T> the value type
 */
public final class TopicReader<T> implements AutoCloseable {

  /** Longest a test waits for an expected output. */
  public static final Duration PATIENCE = Duration.ofSeconds(180);

  private final KafkaConsumer<byte[], T> consumer;
  private final List<ConsumerRecord<byte[], T>> records = new ArrayList<>();

  /**
   * @param clientConfig bootstrap servers and any security settings
   * @param topic an existing topic
   * @param values reads the values
   */
  public TopicReader(Map<String, Object> clientConfig, String topic, Deserializer<T> values) {
    this(clientConfig, topic, values, true);
  }

  /**
   * A reader that also sees records of open (and later aborted) transactions when {@code
   * committedOnly} is false: how a test knows an application is in the middle of a transaction.
   */
  public TopicReader(
      Map<String, Object> clientConfig,
      String topic,
      Deserializer<T> values,
      boolean committedOnly) {
    Map<String, Object> config = new java.util.HashMap<>(clientConfig);
    config.put(
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        committedOnly ? "read_committed" : "read_uncommitted");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 32 * 1024 * 1024);
    consumer = new KafkaConsumer<>(config, new ByteArrayDeserializer(), values);
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic, Duration.ofSeconds(60)).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what arrived since the last call; returns every record read so far. */
  public synchronized List<ConsumerRecord<byte[], T>> poll() {
    consumer.poll(Duration.ofMillis(200)).forEach(records::add);
    return List.copyOf(records);
  }

  /**
   * Reads up to the current end of every partition (for {@code read_committed}, the last stable
   * offset: everything committed so far) and returns the values read so far. Call it after the
   * writer's input is consumed and committed to get the complete output.
   */
  public synchronized List<T> readToEnd() {
    Map<TopicPartition, Long> ends = consumer.endOffsets(consumer.assignment());
    Awaitility.await("reading to the end of " + ends.keySet())
        .dontCatchUncaughtExceptions()
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(100)).forEach(records::add);
              return ends.entrySet().stream()
                  .allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
            });
    return values();
  }

  /** The values read so far (after a {@link #poll()}). */
  public synchronized List<T> values() {
    return records.stream().map(ConsumerRecord::value).toList();
  }

  /** Polls until the values read so far satisfy {@code condition}; returns them. */
  public List<T> await(String what, Predicate<List<T>> condition) {
    Awaitility.await(what)
        .dontCatchUncaughtExceptions()
        .atMost(PATIENCE)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              poll();
              return condition.test(values());
            });
    return values();
  }

  @Override
  public synchronized void close() {
    consumer.close(Duration.ofSeconds(5));
  }
}
