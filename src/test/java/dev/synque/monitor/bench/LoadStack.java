package dev.synque.monitor.bench;

import dev.synque.monitor.demo.EmbeddedBroker;
import dev.synque.monitor.demo.EmbeddedSchemaRegistry;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.metrics.AlertStateRefresh;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.metrics.MonitorMeters;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.CommittedAlertState;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.stream.MonitorTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the load commands run on, in this JVM: the demo's {@link EmbeddedBroker} (a real KRaft
 * broker) and {@link EmbeddedSchemaRegistry} (Confluent REST over loopback HTTP, so the serdes make
 * real registry calls), the monitor's topics, the reference set, and monitor instances (the real
 * {@link MonitorTopology}, exactly once, one stream thread, each with its own state directory).
 * {@link #close()} stops everything newest first and deletes the state. Not thread-safe.
 */
final class LoadStack implements AutoCloseable {

  /** The reference set id every load run compares with. */
  static final String REFERENCE_SET = "load";

  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private final EmbeddedBroker broker;
  private final EmbeddedSchemaRegistry registry;
  private final AvroSerdeFactory serdes;
  private final Path stateRoot;

  private LoadStack(EmbeddedBroker broker, EmbeddedSchemaRegistry registry, Path stateRoot) {
    this.broker = broker;
    this.registry = registry;
    this.stateRoot = stateRoot;
    this.serdes = new AvroSerdeFactory(clientConfig());
  }

  static LoadStack start() throws IOException {
    EmbeddedBroker broker = EmbeddedBroker.start();
    EmbeddedSchemaRegistry registry = null;
    try {
      registry = EmbeddedSchemaRegistry.start(0);
      LoadStack stack =
          new LoadStack(broker, registry, Files.createTempDirectory("synque-load-state"));
      stack.toClose.push(broker);
      stack.toClose.push(registry);
      stack.toClose.push(stack::deleteState);
      return stack;
    } catch (IOException | RuntimeException e) {
      if (registry != null) {
        registry.close();
      }
      broker.close();
      throw e;
    }
  }

  /** Broker and registry settings for clients (a mutable copy). */
  Map<String, Object> clientConfig() {
    Map<String, Object> config = broker.clientConfig();
    config.put(SchemaRegistrySettings.URL, registry.url());
    return config;
  }

  AvroSerdeFactory serdes() {
    return serdes;
  }

  /** Registers something to close before what is already registered. */
  <T extends AutoCloseable> T closeLater(T resource) {
    toClose.push(resource);
    return resource;
  }

  /** Creates the monitor's topics: the synthetic one with {@code partitions}, the others with 1. */
  void createTopics(MonitorSettings settings, int partitions) {
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(settings.syntheticTopic(), partitions);
    topics.put(settings.referenceTopic(), 1);
    for (String t :
        List.of(
            settings.scoresTopic(),
            settings.rankingsTopic(),
            settings.alertsTopic(),
            settings.deadLetterTopic())) {
      topics.put(t, 1);
    }
    broker.createTopics(topics, Set.of(settings.referenceTopic()));
  }

  /** Publishes version v1 of the {@value #REFERENCE_SET} reference set and waits for the acks. */
  void publishReference(MonitorSettings settings, List<String> texts) {
    try (SamplePublisher publisher = publisher(settings)) {
      for (int i = 0; i < texts.size(); i++) {
        publisher.referenceSample(
            REFERENCE_SET, "v1", String.format("ref-%04d", i), texts.get(i), Instant.now());
      }
      publisher.flush();
    }
  }

  /** An idempotent publisher to the settings' topics; the caller closes it. */
  SamplePublisher publisher(MonitorSettings settings) {
    return new SamplePublisher(
        clientConfig(), serdes, settings.syntheticTopic(), settings.referenceTopic());
  }

  /**
   * Starts one monitor instance the way {@code synque run} does ({@link MonitorApplication}: the
   * same defaults, exception handlers and registry wait), with its own Prometheus registry and the
   * committed alert gauges; it is closed with the stack (or earlier by the caller).
   *
   * @param config monitor and Kafka Streams keys (as in {@code monitor.properties})
   * @param applicationId instances with the same id share the work
   * @param name names the instance's state directory
   */
  Instance startInstance(
      Map<String, Object> config, String applicationId, String name, Embedder embedder)
      throws IOException {
    Map<String, Object> all = new HashMap<>(config);
    all.putAll(clientConfig());
    all.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    all.put(
        StreamsConfig.STATE_DIR_CONFIG,
        Files.createDirectories(stateDir(applicationId, name)).toString());
    all.putIfAbsent(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    all.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    MonitorApplication app = MonitorApplication.configure(all);
    // Closed last (registered first): the meters outlive the client they watch.
    PrometheusMetrics metrics = closeLater(new PrometheusMetrics(applicationId));
    MonitorMeters meters =
        metrics.bind(
            new MonitorMeters(MetricsSettings.DEFAULT_MAX_GENERATORS, System::currentTimeMillis));
    KafkaStreams streams = app.build(embedder, meters);
    closeLater(app);
    closeLater(
        new AlertStateRefresh(
            () -> CommittedAlertState.read(streams, app.settings()),
            meters,
            AlertStateRefresh.DEFAULT_PERIOD));
    if (!app.start()) {
      throw new IllegalStateException("monitor " + name + " was closed while it started");
    }
    return new Instance(streams, metrics);
  }

  /** A running monitor instance and its metrics registry. */
  record Instance(KafkaStreams streams, PrometheusMetrics metrics) {

    /** The instance's {@code /metrics} page, as Prometheus would scrape it. */
    String scrape() {
      return metrics.scrape();
    }
  }

  /** The state directory of an instance (the RocksDB stores under it are what it keeps on disk). */
  Path stateDir(String applicationId, String name) {
    return stateRoot.resolve(applicationId + "-" + name);
  }

  /** Waits until every instance runs. */
  static void awaitRunning(List<KafkaStreams> instances, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!instances.stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING)) {
      for (KafkaStreams s : instances) {
        if (s.state() == KafkaStreams.State.ERROR || s.state() == KafkaStreams.State.NOT_RUNNING) {
          throw new IllegalStateException("a monitor instance stopped: " + s.state());
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the monitor instances did not start within " + timeout);
      }
      sleep(Duration.ofMillis(100));
    }
  }

  static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private void deleteState() {
    try (Stream<Path> files = Files.walk(stateRoot)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops everything, newest first. */
  @Override
  public void close() {
    RuntimeException first = null;
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("the load stack did not stop cleanly: " + e, e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
