package dev.synque.monitor.demo;

import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.metrics.AlertStateRefresh;
import dev.synque.monitor.metrics.MetricsServer;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.metrics.MonitorMeters;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.query.MonitorQueryServer;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.CommittedAlertState;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorSettings;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Everything the demo runs on, in this JVM: the {@link EmbeddedBroker}, the {@link
 * EmbeddedSchemaRegistry}, the monitor's topics, and the monitor itself ({@link MonitorApplication}
 * with the real {@link DjlEmbedder}, exactly once, state in a temporary directory) with its
 * interactive-query server and, as {@code synque run} serves them, its Prometheus metrics (the
 * monitor's meters, Kafka Streams' and the JVM's). {@link #close()} stops them in reverse order and
 * deletes the state, so every run starts clean. Not thread-safe except {@link #close()}, which is
 * idempotent.
 */
final class DemoStack implements AutoCloseable {

  /** The demo's Kafka Streams application id. */
  static final String APPLICATION_ID = "synque-demo";

  private final Deque<AutoCloseable> toClose = new ArrayDeque<>();
  private final EmbeddedBroker broker;
  private final EmbeddedSchemaRegistry registry;
  private final AvroSerdeFactory serdes;
  private final Map<String, ?> monitorConfig;
  private final MonitorSettings settings;
  private final Path stateDir;
  private KafkaStreams streams;
  private MonitorQueryServer queries;
  private MetricsServer metricsServer;
  private Embedder embedder;
  private boolean closed;

  private DemoStack(
      EmbeddedBroker broker, EmbeddedSchemaRegistry registry, Map<String, ?> monitorConfig)
      throws IOException {
    this.broker = broker;
    this.registry = registry;
    this.monitorConfig = Map.copyOf(monitorConfig);
    this.settings = MonitorSettings.fromConfig(monitorConfig);
    this.serdes = new AvroSerdeFactory(clientConfig());
    this.stateDir = Files.createTempDirectory("synque-demo-state");
    toClose.push(this::deleteState);
  }

  /**
   * Starts the broker and the registry and creates the monitor's topics.
   *
   * @param monitorConfig the monitor's {@code synque.*} keys, as {@code synque run} reads them
   */
  static DemoStack start(Map<String, ?> monitorConfig, int syntheticPartitions) throws IOException {
    MonitorSettings settings = MonitorSettings.fromConfig(monitorConfig);
    EmbeddedBroker broker = EmbeddedBroker.start();
    EmbeddedSchemaRegistry registry;
    try {
      registry = EmbeddedSchemaRegistry.start(0);
    } catch (IOException | RuntimeException e) {
      broker.close();
      throw e;
    }
    DemoStack stack;
    try {
      stack = new DemoStack(broker, registry, monitorConfig);
    } catch (IOException | RuntimeException e) {
      registry.close();
      broker.close();
      throw e;
    }
    stack.toClose.push(broker);
    stack.toClose.push(registry);
    Map<String, Integer> topics = new LinkedHashMap<>();
    topics.put(settings.syntheticTopic(), syntheticPartitions);
    topics.put(settings.referenceTopic(), 1);
    topics.put(settings.scoresTopic(), 1);
    topics.put(settings.rankingsTopic(), 1);
    topics.put(settings.alertsTopic(), 1);
    topics.put(settings.deadLetterTopic(), 1);
    if (settings.lens().enabled()) {
      topics.put(settings.lens().requestsTopic(), 1);
      topics.put(settings.lens().resultsTopic(), 1);
    }
    try {
      broker.createTopics(topics, Set.of(settings.referenceTopic()));
    } catch (RuntimeException e) {
      stack.close();
      throw e;
    }
    return stack;
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

  MonitorSettings settings() {
    return settings;
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  String registryUrl() {
    return registry.url();
  }

  /** Registers something to close (before what is already registered). */
  <T extends AutoCloseable> T closeLater(T resource) {
    toClose.push(resource);
    return resource;
  }

  /**
   * Loads the embedder, starts the monitor, its query server on {@code queryPort} (0: any free
   * port) and its metrics endpoint on {@code metricsPort} (0: any free port, -1: none), and waits
   * until the Streams client runs.
   *
   * @return the query server's port
   */
  int startMonitor(EmbedderSettings embedderSettings, int queryPort, int metricsPort)
      throws IOException {
    return startMonitor(() -> DjlEmbedder.open(embedderSettings), queryPort, metricsPort);
  }

  /**
   * As {@link #startMonitor(EmbedderSettings, int, int)} with the embedder {@code opener} opens.
   */
  int startMonitor(Supplier<? extends Embedder> opener, int queryPort, int metricsPort)
      throws IOException {
    embedder = closeLater(opener.get());
    int port = queryPort == 0 ? freePort() : queryPort;
    Map<String, Object> config = new HashMap<>(monitorConfig);
    config.putAll(clientConfig());
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    // Under exactly-once, results appear on commit; once a second keeps them fresh without
    // writing the (reservoir-sized) window states to their changelogs five times a second.
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000);
    config.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + port);
    // The same composition as synque run: settings, Streams defaults, exception handlers, the
    // registry wait and the handling of failed stream threads.
    MonitorApplication app = MonitorApplication.configure(config);
    // Closed last (registered first): the meters outlive the client they watch.
    PrometheusMetrics metrics = closeLater(new PrometheusMetrics(APPLICATION_ID));
    MonitorMeters meters =
        metrics.bind(
            new MonitorMeters(MetricsSettings.DEFAULT_MAX_GENERATORS, System::currentTimeMillis));
    KafkaStreams client = app.build(embedder, meters);
    streams = client;
    closeLater(metrics.bind(new KafkaStreamsMetrics(client)));
    closeLater(app);
    closeLater(
        new AlertStateRefresh(
            () -> CommittedAlertState.read(client, settings),
            meters,
            AlertStateRefresh.DEFAULT_PERIOD));
    queries = closeLater(new MonitorQueryServer(client, new HostInfo("localhost", port)));
    if (metricsPort >= 0) {
      try {
        metricsServer =
            closeLater(
                new MetricsServer(
                    metricsPort, metrics::scrape, () -> client.state().isRunningOrRebalancing()));
      } catch (IOException e) {
        throw new IOException(
            "cannot serve the monitor's metrics on port " + metricsPort + ": " + e.getMessage(), e);
      }
    }
    if (!app.start()) {
      throw new IllegalStateException("the monitor was closed while it started");
    }
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    while (client.state() != KafkaStreams.State.RUNNING) {
      if (client.state() == KafkaStreams.State.ERROR
          || client.state() == KafkaStreams.State.NOT_RUNNING
          || System.nanoTime() > deadline) {
        throw new IllegalStateException("the monitor did not start: " + client.state());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while starting the monitor", e);
      }
    }
    return queries.port();
  }

  /** Port of the monitor's metrics endpoint, or -1 when it has none. */
  int metricsPort() {
    return metricsServer == null ? -1 : metricsServer.port();
  }

  /** The monitor's Streams client state, or null before {@link #startMonitor}. */
  KafkaStreams.State monitorState() {
    return streams == null ? null : streams.state();
  }

  private static int freePort() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private void deleteState() {
    try (Stream<Path> files = Files.walk(stateDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Stops everything, newest first; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException first = null;
    while (!toClose.isEmpty()) {
      try {
        toClose.pop().close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("the demo did not stop cleanly: " + e, e);
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
