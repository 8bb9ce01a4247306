package dev.synque.monitor.demo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.metadata.bootstrap.BootstrapMetadata;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;

/**
 * A real single-node Apache Kafka broker (KRaft, combined broker and controller) inside this JVM,
 * started with Kafka's own {@link KafkaClusterTestKit} on a free loopback port, with the released
 * feature levels of this Kafka version and the single-node settings a one-broker cluster needs. Its
 * log directories are temporary and deleted on {@link #close()}, so every demo run starts empty.
 * Not thread-safe; owned by one caller.
 */
public final class EmbeddedBroker implements AutoCloseable {

  /** Settings every single-node cluster needs (replication factor 1 for internal topics). */
  private static final Map<String, String> SINGLE_NODE =
      Map.of(
          "offsets.topic.replication.factor", "1",
          "offsets.topic.num.partitions", "1",
          "transaction.state.log.replication.factor", "1",
          "transaction.state.log.min.isr", "1",
          "transaction.state.log.num.partitions", "1",
          "group.initial.rebalance.delay.ms", "0",
          "unstable.api.versions.enable", "false",
          "unstable.feature.versions.enable", "false");

  private final KafkaClusterTestKit cluster;
  private final String bootstrapServers;

  private EmbeddedBroker(KafkaClusterTestKit cluster) {
    this.cluster = cluster;
    this.bootstrapServers = cluster.bootstrapServers();
  }

  /**
   * Formats fresh storage, starts the node and waits until the broker serves.
   *
   * @throws IllegalStateException when it cannot start
   */
  public static EmbeddedBroker start() {
    java.nio.file.Path base;
    try {
      // Our own directory: the test kit's default one is deleted by a JVM shutdown hook of its
      // own, which would pull the log directory from under the broker while Ctrl-C closes it.
      base = java.nio.file.Files.createTempDirectory("synque-demo-kafka");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException("cannot create the broker's directory", e);
    }
    KafkaClusterTestKit.Builder builder =
        new KafkaClusterTestKit.Builder(
                new TestKitNodes.Builder(releasedFeatures())
                    .setBaseDirectory(base)
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    .build())
            .setDeleteOnClose(true);
    SINGLE_NODE.forEach(builder::setConfigProp);
    KafkaClusterTestKit started = null;
    try {
      started = builder.build();
      formatQuietly(started);
      started.startup();
      started.waitForReadyBrokers();
      return new EmbeddedBroker(started);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(started);
      throw new IllegalStateException("interrupted while starting the embedded Kafka broker", e);
    } catch (Exception e) {
      closeQuietly(started);
      throw new IllegalStateException("could not start the embedded Kafka broker: " + e, e);
    }
  }

  /**
   * The metadata version and feature levels that {@code kafka-storage format} gives a new cluster
   * of this Kafka release (the test kit's default is the newest unreleased metadata version).
   */
  private static BootstrapMetadata releasedFeatures() {
    MetadataVersion version = MetadataVersion.latestProduction();
    Map<String, Short> levels = new TreeMap<>();
    for (Feature feature : Feature.PRODUCTION_FEATURES) {
      if (feature != Feature.KRAFT_VERSION) {
        levels.put(feature.featureName(), feature.defaultLevel(version));
      }
    }
    return BootstrapMetadata.fromVersions(version, levels, "synque-demo");
  }

  /** {@code host:port} of the client listener. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** A mutable client configuration with {@code bootstrap.servers}. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /**
   * Creates topics (replication factor 1) and waits until the broker knows them.
   *
   * @param topics name to partition count
   * @param compacted names of the topics that are compacted
   */
  public void createTopics(Map<String, Integer> topics, Set<String> compacted) {
    try (Admin admin = Admin.create(clientConfig())) {
      List<NewTopic> newTopics =
          topics.entrySet().stream()
              .map(
                  e ->
                      new NewTopic(e.getKey(), e.getValue(), (short) 1)
                          .configs(
                              compacted.contains(e.getKey())
                                  ? Map.of("cleanup.policy", "compact")
                                  : Map.of()))
              .toList();
      admin.createTopics(newTopics).all().get(60, TimeUnit.SECONDS);
      admin.describeTopics(topics.keySet()).allTopicNames().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("could not create topics " + topics.keySet() + ": " + e, e);
    }
  }

  /** Stops the broker and deletes its data. */
  @Override
  public void close() {
    try {
      cluster.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("the embedded Kafka broker did not stop cleanly: " + e, e);
    }
  }

  /** The formatter prints its settings to {@code System.out}; the demo's terminal is for people. */
  private static void formatQuietly(KafkaClusterTestKit cluster) throws Exception {
    java.io.PrintStream stdout = System.out;
    System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
    try {
      cluster.format();
    } finally {
      System.setOut(stdout);
    }
  }

  private static void closeQuietly(KafkaClusterTestKit started) {
    if (started != null) {
      try {
        started.close();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (Exception ignored) {
        // The start failure is the one worth reporting.
      }
    }
  }
}
