package dev.synque.monitor.cli;

import dev.synque.monitor.contracts.Contract;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.contracts.TopicDefinition;
import dev.synque.monitor.contracts.TopicDefinitions;
import dev.synque.monitor.stream.MonitorSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synque topics create|check}: the topics of every contract ({@link TopicDefinitions}),
 * under the names a monitor configuration gives them ({@code synque.topic.*} keys), created with an
 * Admin client. Kafka Streams does not create its source topics, so a deployment runs {@code
 * create} once before the monitor (compose: the {@code topics} service; Kubernetes: Strimzi {@code
 * KafkaTopic}s or the {@code synque-topics} Job).
 */
@Command(
    name = "topics",
    description = "Create or check the topics of every contract (partitions, compaction, sizes).",
    mixinStandardHelpOptions = true,
    subcommands = {TopicsCommand.CreateCommand.class, TopicsCommand.CheckCommand.class})
final class TopicsCommand implements Runnable {

  /** The monitor key that renames each contract's topic (the embedded samples have none). */
  static final Map<Contract, String> NAME_KEYS = nameKeys();

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  private static Map<Contract, String> nameKeys() {
    Map<Contract, String> keys = new LinkedHashMap<>();
    keys.put(Contracts.SYNTHETIC_SAMPLES, MonitorSettings.SYNTHETIC_TOPIC);
    keys.put(Contracts.REFERENCE_SAMPLES, MonitorSettings.REFERENCE_TOPIC);
    keys.put(Contracts.QUALITY_SCORES, MonitorSettings.SCORES_TOPIC);
    keys.put(Contracts.RANKINGS, MonitorSettings.RANKINGS_TOPIC);
    keys.put(Contracts.DRIFT_ALERTS, MonitorSettings.ALERTS_TOPIC);
    keys.put(Contracts.DEAD_LETTERS, MonitorSettings.DEAD_LETTER_TOPIC);
    keys.put(Contracts.LENS_REQUESTS, MonitorSettings.LENS_REQUESTS_TOPIC);
    keys.put(Contracts.LENS_RESULTS, MonitorSettings.LENS_RESULTS_TOPIC);
    return Map.copyOf(keys);
  }

  /** Where the cluster is and what the topics are called. */
  static final class Target {
    @Option(
        names = "--bootstrap-servers",
        description = "Kafka bootstrap servers (default: bootstrap.servers in --config).")
    String bootstrapServers;

    @Option(
        names = "--config",
        description =
            "Properties file, for example the monitor's: Kafka client settings (security, TLS;"
                + " admin.* keys win) and synque.topic.* names.")
    Path config;

    @Option(
        names = "--synthetic-partitions",
        description =
            "Partitions of the synthetic-samples topic, which bound the monitor instances"
                + " (default: 12).")
    Integer syntheticPartitions;

    @Option(
        names = "--timeout-seconds",
        defaultValue = "60",
        description = "Longest wait for each answer of the cluster (default: ${DEFAULT-VALUE}).")
    long timeoutSeconds;

    Map<String, Object> fileConfig() throws IOException {
      Map<String, Object> map = new HashMap<>();
      if (config != null) {
        if (!Files.isRegularFile(config)) {
          throw new IllegalArgumentException("--config " + config + ": no such file");
        }
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(config, StandardCharsets.UTF_8)) {
          properties.load(reader);
        }
        properties.forEach((k, v) -> map.put(k.toString(), v.toString().trim()));
      }
      if (bootstrapServers != null) {
        map.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
      }
      if (!map.containsKey(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)) {
        throw new IllegalArgumentException(
            "bootstrap.servers: is required (--bootstrap-servers or in --config)");
      }
      if (timeoutSeconds < 1) {
        throw new IllegalArgumentException(
            "--timeout-seconds " + timeoutSeconds + ": must be at least 1");
      }
      return map;
    }

    List<TopicDefinition> definitions(Map<String, Object> file) {
      Map<Contract, String> names = new HashMap<>();
      NAME_KEYS.forEach(
          (contract, key) -> {
            Object name = file.get(key);
            if (name != null && !name.toString().isBlank()) {
              names.put(contract, name.toString());
            }
          });
      return TopicDefinitions.named(names).stream()
          .map(
              d ->
                  syntheticPartitions != null && d.contract() == Contracts.SYNTHETIC_SAMPLES
                      ? d.withPartitions(syntheticPartitions)
                      : d)
          .toList();
    }

    ClusterTopics connect(Map<String, Object> file) {
      return new ClusterTopics(file, Duration.ofSeconds(timeoutSeconds));
    }
  }

  /** Prints the lines; 0 when every topic is there as defined, 1 otherwise. */
  private static int report(PrintWriter out, List<ClusterTopics.Line> lines) {
    lines.forEach(out::println);
    long bad = lines.stream().filter(l -> !l.ok()).count();
    if (bad > 0) {
      out.println(
          bad + " of " + lines.size() + " topics are missing or differ from their definition");
    }
    out.flush();
    return bad == 0 ? 0 : 1;
  }

  @Command(
      name = "create",
      description = {
        "Create the topics that are missing; check the ones that exist (never altered).",
        "Exit codes: 0 every topic is there as defined, 1 a topic differs or the cluster"
            + " refused, 2 bad arguments."
      })
  static final class CreateCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin Target target;

    @Option(
        names = "--replication-factor",
        description =
            "Replicas of each new topic (default: the broker's default.replication.factor).")
    Short replicationFactor;

    @Override
    public Integer call() throws IOException {
      if (replicationFactor != null && replicationFactor < 1) {
        throw new IllegalArgumentException(
            "--replication-factor " + replicationFactor + ": must be at least 1");
      }
      Map<String, Object> file = target.fileConfig();
      List<TopicDefinition> definitions = target.definitions(file);
      try (ClusterTopics topics = target.connect(file)) {
        return report(
            spec.commandLine().getOut(),
            topics.create(definitions, Optional.ofNullable(replicationFactor)));
      }
    }
  }

  @Command(
      name = "check",
      description = {
        "Say for each topic whether it exists with its required settings.",
        "Exit codes: 0 every topic is there as defined, 1 a topic is missing or differs, or the"
            + " cluster refused, 2 bad arguments."
      })
  static final class CheckCommand implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Mixin Target target;

    @Override
    public Integer call() throws IOException {
      Map<String, Object> file = target.fileConfig();
      List<TopicDefinition> definitions = target.definitions(file);
      try (ClusterTopics topics = target.connect(file)) {
        return report(spec.commandLine().getOut(), topics.check(definitions));
      }
    }
  }
}
