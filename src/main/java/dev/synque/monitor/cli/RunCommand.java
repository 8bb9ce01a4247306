package dev.synque.monitor.cli;

import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.OpenAiEmbedder;
import dev.synque.monitor.embed.RemoteEmbedderSettings;
import dev.synque.monitor.metrics.AlertStateRefresh;
import dev.synque.monitor.metrics.MetricsServer;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.metrics.MonitorMeters;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.query.MonitorQueryServer;
import dev.synque.monitor.stream.CommittedAlertState;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorSettings;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.function.Function;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synque run --config FILE}: the streaming monitor. Reads one properties file: {@code
 * synque.*} keys configure the monitor ({@link dev.synque.monitor.stream.MonitorSettings}) and the
 * embedder ({@link EmbedderSettings}), registry keys the serdes, every other key passes through to
 * Kafka Streams. Everything is validated before the model is loaded; a bad value exits with code 2
 * and one line naming the key. With {@code application.server=host:port} it also serves interactive
 * queries over HTTP on that port ({@link MonitorQueryServer}). Prometheus metrics and a health
 * probe are served on {@code synque.metrics.port} (default 9404, -1 turns them off; {@link
 * MetricsSettings}). The Streams side, with the effective-configuration log, the wait for the
 * schema registry and the handling of failed stream threads, is {@link MonitorApplication}. SIGTERM
 * (or Ctrl-C) closes the HTTP server, then the Streams client cleanly (committing, flushing state),
 * then the embedder. Before the model is loaded, it checks that every topic it reads or writes
 * exists and names the missing ones in one line (exit code 2; {@code synque topics create} makes
 * them).
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streaming monitor (Kafka Streams) until SIGTERM.",
      "Exit codes: 0 stopped cleanly (143 when stopped by SIGTERM, as the JVM reports the"
          + " signal), 1 the Streams client failed, 2 bad configuration or missing topics."
    })
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  /** Longest wait for the cluster's topic list at start. */
  private static final Duration TOPIC_CHECK_TIMEOUT = Duration.ofSeconds(60);

  @Option(
      names = "--config",
      required = true,
      description =
          "Properties file: synque.* monitor and embedder keys, schema.registry.* keys, and Kafka"
              + " Streams keys (bootstrap.servers is required).")
  Path config;

  /** Opens the embedder; the model loader by default, a test embedder in tests. */
  private final Function<EmbedderSettings, Embedder> embedders;

  RunCommand() {
    this(DjlEmbedder::open);
  }

  /** A command that opens its embedder with {@code embedders} (for tests). */
  RunCommand(Function<EmbedderSettings, Embedder> embedders) {
    this.embedders = embedders;
  }

  /** Every topic the monitor reads or writes with these settings. */
  static List<String> monitorTopics(MonitorSettings settings) {
    List<String> topics = new ArrayList<>();
    topics.add(settings.syntheticTopic());
    topics.add(settings.referenceTopic());
    topics.add(settings.scoresTopic());
    topics.add(settings.rankingsTopic());
    topics.add(settings.alertsTopic());
    topics.add(settings.deadLetterTopic());
    if (settings.lens().enabled()) {
      topics.add(settings.lens().requestsTopic());
      topics.add(settings.lens().resultsTopic());
    }
    return topics;
  }

  /**
   * Stops the start, before the model is loaded, when a topic the monitor uses does not exist.
   *
   * @throws MissingTopicsException naming every missing topic
   */
  private static void requireTopics(MonitorApplication app, Map<String, Object> config) {
    try (ClusterTopics topics = new ClusterTopics(config, TOPIC_CHECK_TIMEOUT)) {
      List<String> missing = topics.missing(monitorTopics(app.settings()));
      if (!missing.isEmpty()) {
        throw new MissingTopicsException(missing);
      }
    }
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!Files.isRegularFile(config)) {
      throw new IllegalArgumentException("--config " + config + ": no such file");
    }
    Properties file = new Properties();
    try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
      file.load(reader);
    }
    Map<String, Object> map = new HashMap<>();
    file.forEach((k, v) -> map.put(k.toString(), v.toString().trim()));
    MonitorApplication app = MonitorApplication.configure(map);
    EmbedderSettings embedderSettings = EmbedderSettings.fromConfig(map);
    java.util.Optional<RemoteEmbedderSettings> remote = RemoteEmbedderSettings.fromConfig(map);
    MetricsSettings metricsSettings = MetricsSettings.fromConfig(map);
    requireTopics(app, map);

    // synque.embed.url: an embedding server instead of the local model
    Embedder embedder =
        remote.isPresent() ? OpenAiEmbedder.open(remote.get()) : embedders.apply(embedderSettings);
    PrometheusMetrics metrics = new PrometheusMetrics(app.applicationId());
    MonitorMeters meters =
        metrics.bind(new MonitorMeters(metricsSettings.maxGenerators(), System::currentTimeMillis));
    KafkaStreams streams = app.build(embedder, meters);
    KafkaStreamsMetrics streamsMetrics = metrics.bind(new KafkaStreamsMetrics(streams));
    MetricsServer metricsServer =
        metricsSettings.enabled()
            ? new MetricsServer(
                metricsSettings.port(),
                metrics::scrape,
                () -> streams.state().isRunningOrRebalancing(),
                // RUNNING only once every task has restored its stores: a rolling update waits.
                () -> streams.state() == KafkaStreams.State.RUNNING)
            : null;
    if (metricsServer != null) {
      LOG.info(
          "Metrics on http://0.0.0.0:{}/metrics, liveness on /health, readiness on /ready",
          metricsServer.port());
    }
    // The drift and leader gauges follow the committed stores of this instance's active tasks.
    AlertStateRefresh alertState =
        new AlertStateRefresh(
            () -> CommittedAlertState.read(streams, app.settings()),
            meters,
            AlertStateRefresh.DEFAULT_PERIOD);
    Object server = app.streamsProperties().get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    MonitorQueryServer queries =
        server == null || server.toString().isBlank()
            ? null
            : new MonitorQueryServer(streams, HostInfo.buildFromEndpoint(server.toString()));
    Thread hook =
        new Thread(
            () -> {
              LOG.info("Stopping the monitor");
              alertState.close();
              if (queries != null) {
                queries.close();
              }
              app.close();
              embedder.close();
              if (metricsServer != null) {
                metricsServer.close();
              }
              streamsMetrics.close();
              metrics.close();
            },
            "synque-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    if (!app.start()) {
      return 0;
    }
    int exitCode = app.awaitTermination();
    if (exitCode != 0) {
      app.close();
      embedder.close();
    }
    return exitCode;
  }
}
