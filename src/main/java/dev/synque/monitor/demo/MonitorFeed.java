package dev.synque.monitor.demo;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.stream.MonitorJson;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Reads the monitor's output topics (committed records only) on its own thread: keeps the latest
 * all-time ranking and the last {@value #MAX_ALERTS} alerts for the page, and tells a listener
 * about each. Leader changes of the time-window rankings are dropped (they flip with each window's
 * noise when generators are equally good); those of the all-time ranking are kept. Thread-safe
 * getters; {@link #close()} stops the thread.
 */
final class MonitorFeed implements AutoCloseable {

  static final int MAX_ALERTS = 50;

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final Deserializer<RankingUpdate> rankings;
  private final Deserializer<DriftAlert> alerts;
  private final String rankingsTopic;
  private final String alertsTopic;
  private final Consumer<RankingUpdate> onRanking;
  private final Consumer<DriftAlert> onAlert;
  private final Deque<DriftAlert> recentAlerts = new ArrayDeque<>();
  private final Thread thread;
  private volatile RankingUpdate latestAllTime;
  private volatile boolean running = true;

  MonitorFeed(
      Map<String, Object> clientConfig,
      AvroSerdeFactory serdes,
      String rankingsTopic,
      String alertsTopic,
      Consumer<RankingUpdate> onRanking,
      Consumer<DriftAlert> onAlert) {
    Map<String, Object> config = new java.util.HashMap<>(clientConfig);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.consumer =
        new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.rankings = serdes.valueSerde(RankingUpdate.class).deserializer();
    this.alerts = serdes.valueSerde(DriftAlert.class).deserializer();
    this.rankingsTopic = rankingsTopic;
    this.alertsTopic = alertsTopic;
    this.onRanking = onRanking;
    this.onAlert = onAlert;
    List<TopicPartition> partitions =
        List.of(new TopicPartition(rankingsTopic, 0), new TopicPartition(alertsTopic, 0));
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    this.thread = new Thread(this::loop, "synque-demo-feed");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.topic().equals(rankingsTopic)) {
            RankingUpdate update = rankings.deserialize(r.topic(), r.value());
            if (update.getWindowKind() == WindowKind.ALL_TIME) {
              latestAllTime = update;
            }
            onRanking.accept(update);
          } else if (r.topic().equals(alertsTopic)) {
            DriftAlert alert = alerts.deserialize(r.topic(), r.value());
            if (alert.getKind() == AlertKind.TOP_GENERATOR_CHANGED
                && !alert.getAlertId().startsWith("TOP_GENERATOR_CHANGED/ALL_TIME/")) {
              // The latest-window leader flips with each window's noise when two generators are
              // equally good; only all-time leader changes are news.
              continue;
            }
            synchronized (recentAlerts) {
              recentAlerts.addFirst(alert);
              while (recentAlerts.size() > MAX_ALERTS) {
                recentAlerts.removeLast();
              }
            }
            onAlert.accept(alert);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /** The latest all-time ranking, or null before the first. */
  RankingUpdate latestAllTime() {
    return latestAllTime;
  }

  /** The recent alerts, newest first, as JSON. */
  ArrayNode alertsJson() {
    List<DriftAlert> copy;
    synchronized (recentAlerts) {
      copy = new ArrayList<>(recentAlerts);
    }
    ArrayNode array = MonitorJson.MAPPER.createArrayNode();
    for (DriftAlert a : copy) {
      ObjectNode n = array.addObject();
      n.put("alertId", a.getAlertId());
      n.put("kind", a.getKind().name());
      n.put("generatorId", a.getGeneratorId());
      n.put("proxy", a.getProxy());
      n.put("baselineValue", a.getBaselineValue());
      n.put("currentValue", a.getCurrentValue());
      n.put("degradation", a.getDegradation());
      n.put("threshold", a.getThreshold());
      n.put("consecutiveWindows", a.getConsecutiveWindows());
      n.put("previousLeader", a.getPreviousLeader());
      n.put("windowStart", a.getWindowStart() == null ? null : a.getWindowStart().toEpochMilli());
      n.put("windowEnd", a.getWindowEnd() == null ? null : a.getWindowEnd().toEpochMilli());
      n.put("message", a.getMessage());
      n.put("raisedAt", a.getRaisedAt().toEpochMilli());
    }
    return array;
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
