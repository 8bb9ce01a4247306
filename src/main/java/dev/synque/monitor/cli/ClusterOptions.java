package dev.synque.monitor.cli;

import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/** Where the Kafka cluster and the schema registry are: shared by the commands that connect. */
final class ClusterOptions {

  @Option(
      names = "--bootstrap-servers",
      description =
          "Kafka bootstrap servers (default: localhost:9092, or bootstrap.servers in --config).")
  String bootstrapServers;

  @Option(
      names = "--registry-url",
      description =
          "Schema registry URL(s), comma-separated (default: http://localhost:8081, or"
              + " schema.registry.url in --config).")
  String registryUrl;

  @Option(
      names = "--config",
      description =
          "Properties file with Kafka client settings (security, TLS) and schema.registry.* /"
              + " basic.auth.* settings.")
  Path config;

  @Option(
      names = "--synthetic-topic",
      defaultValue = "synque-synthetic-samples-v1",
      description = "Topic of synthetic samples (default: ${DEFAULT-VALUE}).")
  String syntheticTopic;

  @Option(
      names = "--reference-topic",
      defaultValue = "synque-reference-samples-v1",
      description = "Compacted topic of reference samples (default: ${DEFAULT-VALUE}).")
  String referenceTopic;

  /** A publisher to the configured cluster and topics. */
  dev.synque.monitor.generate.SamplePublisher publisher() {
    Map<String, Object> config = clientConfig();
    return new dev.synque.monitor.generate.SamplePublisher(
        config,
        new dev.synque.monitor.serde.AvroSerdeFactory(config),
        syntheticTopic,
        referenceTopic);
  }

  /** The client configuration: the file, then the flags, then defaults. */
  Map<String, Object> clientConfig() {
    Map<String, Object> map = new HashMap<>();
    if (config != null) {
      Properties properties = new Properties();
      try (InputStream in = Files.newInputStream(config)) {
        properties.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read --config " + config, e);
      }
      properties.forEach((k, v) -> map.put(k.toString(), v));
    }
    if (bootstrapServers != null) {
      map.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }
    if (registryUrl != null) {
      map.put(SchemaRegistrySettings.URL, registryUrl);
    }
    map.putIfAbsent(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, "localhost:9092");
    map.putIfAbsent(SchemaRegistrySettings.URL, "http://localhost:8081");
    return map;
  }
}
