package dev.synque.monitor.cli;

import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.metrics.MetricsServer;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.metrics.MonitorMeters;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.query.MonitorQueryServer;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.stream.MonitorSerdes;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.stream.MonitorStreamsConfig;
import dev.synque.monitor.stream.MonitorTopology;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synque run --config FILE}: the streaming monitor. Reads one properties file: {@code
 * synque.*} keys configure the monitor ({@link MonitorSettings}) and the embedder ({@link
 * EmbedderSettings}), registry keys the serdes, every other key passes through to Kafka Streams.
 * Everything is validated before the model is loaded; a bad value exits with code 2 and one line
 * naming the key. With {@code application.server=host:port} it also serves interactive queries over
 * HTTP on that port ({@link MonitorQueryServer}). Prometheus metrics and a health probe are served
 * on {@code synque.metrics.port} (default 9404, -1 turns them off; {@link MetricsSettings}).
 * SIGTERM (or Ctrl-C) closes the HTTP server, then the Streams client cleanly (committing, flushing
 * state), then the embedder.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streaming monitor (Kafka Streams) until SIGTERM.",
      "Exit codes: 0 stopped cleanly, 1 the Streams client failed, 2 bad configuration."
    })
final class RunCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

  @Option(
      names = "--config",
      required = true,
      description =
          "Properties file: synque.* monitor and embedder keys, schema.registry.* keys, and Kafka"
              + " Streams keys (bootstrap.servers is required).")
  Path config;

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
    MonitorSettings settings = MonitorSettings.fromConfig(map);
    EmbedderSettings embedderSettings = EmbedderSettings.fromConfig(map);
    Properties streamsProps = MonitorStreamsConfig.from(map);
    AvroSerdeFactory serdes = new AvroSerdeFactory(map);
    MetricsSettings metricsSettings = MetricsSettings.fromConfig(map);

    DjlEmbedder embedder = DjlEmbedder.open(embedderSettings);
    PrometheusMetrics metrics =
        new PrometheusMetrics(streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
    MonitorMeters meters =
        metrics.bind(new MonitorMeters(metricsSettings.maxGenerators(), System::currentTimeMillis));
    Topology topology =
        MonitorTopology.build(settings, () -> embedder, MonitorSerdes.from(serdes), meters);
    LOG.info("Topology:\n{}", topology.describe());
    KafkaStreams streams = new KafkaStreams(topology, streamsProps);
    KafkaStreamsMetrics streamsMetrics = metrics.bind(new KafkaStreamsMetrics(streams));
    MetricsServer metricsServer =
        metricsSettings.enabled()
            ? new MetricsServer(
                metricsSettings.port(),
                metrics::scrape,
                () -> streams.state().isRunningOrRebalancing())
            : null;
    if (metricsServer != null) {
      LOG.info("Metrics on http://0.0.0.0:{}/metrics, health on /health", metricsServer.port());
    }
    CountDownLatch stopped = new CountDownLatch(1);
    int[] exitCode = {0};
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("The monitor failed; shutting the client down", e);
          exitCode[0] = 1;
          return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
    streams.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    Object server = streamsProps.get(StreamsConfig.APPLICATION_SERVER_CONFIG);
    MonitorQueryServer queries =
        server == null || server.toString().isBlank()
            ? null
            : new MonitorQueryServer(streams, HostInfo.buildFromEndpoint(server.toString()));
    Thread hook =
        new Thread(
            () -> {
              LOG.info("Stopping the monitor");
              if (queries != null) {
                queries.close();
              }
              streams.close(Duration.ofSeconds(60));
              embedder.close();
              if (metricsServer != null) {
                metricsServer.close();
              }
              streamsMetrics.close();
              metrics.close();
              stopped.countDown();
            },
            "synque-run-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    streams.start();
    LOG.info(
        "Monitor {} started: {} -> {}, {}, {}",
        streamsProps.get("application.id"),
        settings.syntheticTopic(),
        settings.scoresTopic(),
        settings.rankingsTopic(),
        settings.alertsTopic());
    stopped.await();
    if (exitCode[0] != 0) {
      streams.close(Duration.ofSeconds(60));
      embedder.close();
    }
    return exitCode[0];
  }
}
