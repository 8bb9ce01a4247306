package dev.synque.monitor.bench;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.stream.MonitorSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads what the monitor publishes, as a downstream user would ({@code read_committed}, from the
 * beginning): every ranking update goes to a listener with the wall-clock time it was received;
 * dead letters and alerts are counted by reason and kind. One thread of its own.
 */
final class OutputReader implements AutoCloseable {

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final MonitorSettings settings;
  private final Deserializer<RankingUpdate> rankings;
  private final Deserializer<DeadLetter> deadLetters;
  private final Deserializer<DriftAlert> alerts;
  private final Consumer<RankingUpdate> onRanking;
  private final Map<String, AtomicLong> deadLettersByReason = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> alertsByKind = new ConcurrentHashMap<>();
  private final AtomicLong rankingUpdates = new AtomicLong();
  private final List<Long> leaderAlertsAt = new java.util.concurrent.CopyOnWriteArrayList<>();
  private volatile RankingUpdate latestAllTime;
  private final Thread thread;
  private volatile Throwable failure;

  /**
   * @param onRanking called on the reader's thread for every ranking update, as soon as it is
   *     received (read the clock there)
   */
  OutputReader(
      Map<String, Object> clientConfig,
      AvroSerdeFactory serdes,
      MonitorSettings settings,
      Consumer<RankingUpdate> onRanking) {
    Map<String, Object> config = new java.util.HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.settings = settings;
    this.rankings = serdes.valueSerde(RankingUpdate.class).deserializer();
    this.deadLetters = serdes.valueSerde(DeadLetter.class).deserializer();
    this.alerts = serdes.valueSerde(DriftAlert.class).deserializer();
    this.onRanking = onRanking;
    // Assigned, not subscribed: no group, no rebalance; every output topic has one partition.
    List<TopicPartition> partitions =
        List.of(
            new TopicPartition(settings.rankingsTopic(), 0),
            new TopicPartition(settings.deadLetterTopic(), 0),
            new TopicPartition(settings.alertsTopic(), 0));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::run, "load-output-reader");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    try {
      while (true) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
          if (r.topic().equals(settings.rankingsTopic())) {
            rankingUpdates.incrementAndGet();
            RankingUpdate update = rankings.deserialize(r.topic(), r.value());
            if (update.getWindowKind() == dev.synque.monitor.avro.WindowKind.ALL_TIME) {
              latestAllTime = update;
            }
            onRanking.accept(update);
          } else if (r.topic().equals(settings.deadLetterTopic())) {
            DeadLetter letter = deadLetters.deserialize(r.topic(), r.value());
            count(deadLettersByReason, letter.getReason());
          } else {
            DriftAlert alert = alerts.deserialize(r.topic(), r.value());
            count(alertsByKind, alert.getKind().name());
            if (alert.getKind() == dev.synque.monitor.avro.AlertKind.TOP_GENERATOR_CHANGED) {
              leaderAlertsAt.add(System.currentTimeMillis());
            }
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      failure = e;
      e.printStackTrace();
    } finally {
      consumer.close();
    }
  }

  private static void count(Map<String, AtomicLong> counts, String key) {
    counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
  }

  long rankingUpdates() {
    return rankingUpdates.get();
  }

  long deadLetters() {
    return deadLettersByReason.values().stream().mapToLong(AtomicLong::get).sum();
  }

  /** Dead letters by reason, sorted. */
  Map<String, Long> deadLettersByReason() {
    return snapshot(deadLettersByReason);
  }

  /** The latest all-time ranking read, or null. */
  RankingUpdate latestAllTime() {
    return latestAllTime;
  }

  /** Wall-clock times (epoch ms) at which each {@code TOP_GENERATOR_CHANGED} alert was read. */
  List<Long> leaderAlertsAt() {
    return List.copyOf(leaderAlertsAt);
  }

  /** Alerts by kind, sorted. */
  Map<String, Long> alertsByKind() {
    return snapshot(alertsByKind);
  }

  private static Map<String, Long> snapshot(Map<String, AtomicLong> counts) {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  /** Throws when the reader thread failed (an output it could not read). */
  void check() {
    if (failure != null) {
      throw new IllegalStateException("the output reader failed: " + failure, failure);
    }
  }

  @Override
  public void close() throws InterruptedException {
    consumer.wakeup();
    thread.join(10_000);
  }
}
