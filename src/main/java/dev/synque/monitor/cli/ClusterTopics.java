package dev.synque.monitor.cli;

import dev.synque.monitor.contracts.TopicDefinition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsResult;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * The topics of a cluster, as {@code synque topics} and {@code synque run} see them, through one
 * {@link Admin} client owned by this object. Creating never changes a topic that exists: a topic
 * whose {@link TopicDefinition#REQUIRED_CONFIGS} differ from its definition is reported, not
 * altered, because changing the cleanup policy of a topic with data is the operator's decision. Not
 * thread-safe.
 */
final class ClusterTopics implements AutoCloseable {

  /** What became of one topic. */
  enum Status {
    CREATED,
    EXISTS,
    MISSING,
    DIFFERS
  }

  /**
   * One line of a report.
   *
   * @param name topic name
   * @param status what became of it
   * @param detail for people: partitions and configs, or what differs; never null
   */
  record Line(String name, Status status, String detail) {
    boolean ok() {
      return status == Status.CREATED || status == Status.EXISTS;
    }

    @Override
    public String toString() {
      return String.format(
          "%-8s %s%s",
          status.name().toLowerCase(java.util.Locale.ROOT),
          name,
          detail.isEmpty() ? "" : "  " + detail);
    }
  }

  private static final String ADMIN_PREFIX = "admin.";

  private final Admin admin;
  private final Duration timeout;

  ClusterTopics(Map<String, ?> clientConfig, Duration timeout) {
    this.admin = Admin.create(adminConfig(clientConfig));
    this.timeout = timeout;
  }

  /**
   * The Admin client's settings out of a configuration file that may hold other keys too (a
   * monitor's or a worker's): the keys the Admin client knows, and {@code admin.}-prefixed keys (as
   * Kafka Streams reads them) with the prefix removed, which win.
   */
  static Map<String, Object> adminConfig(Map<String, ?> config) {
    Set<String> known = AdminClientConfig.configNames();
    Map<String, Object> admin = new HashMap<>();
    config.forEach(
        (k, v) -> {
          if (known.contains(k)) {
            admin.put(k, v);
          }
        });
    config.forEach(
        (k, v) -> {
          if (k.startsWith(ADMIN_PREFIX) && known.contains(k.substring(ADMIN_PREFIX.length()))) {
            admin.put(k.substring(ADMIN_PREFIX.length()), v);
          }
        });
    return admin;
  }

  /** The names among {@code names} that the cluster does not have, in their order. */
  List<String> missing(Collection<String> names) {
    Set<String> existing = await(admin.listTopics().names());
    return names.stream().distinct().filter(n -> !existing.contains(n)).toList();
  }

  /**
   * Creates the topics that are missing (with {@code replicationFactor}, or the broker's default
   * when empty) and checks the ones that exist. Idempotent: a second run reports every topic as
   * existing. A topic created at the same time by someone else counts as existing.
   */
  List<Line> create(List<TopicDefinition> definitions, Optional<Short> replicationFactor) {
    List<String> missing = missing(definitions.stream().map(TopicDefinition::name).toList());
    List<NewTopic> toCreate = new ArrayList<>();
    for (TopicDefinition d : definitions) {
      if (missing.contains(d.name())) {
        toCreate.add(
            new NewTopic(d.name(), Optional.of(d.partitions()), replicationFactor)
                .configs(d.configs()));
      }
    }
    CreateTopicsResult result = admin.createTopics(toCreate);
    Set<String> created = new LinkedHashSet<>();
    for (Map.Entry<String, KafkaFuture<Void>> e : result.values().entrySet()) {
      try {
        await(e.getValue());
        created.add(e.getKey());
      } catch (TopicAlreadyThereException raced) {
        // someone else created it in between: checked below like any existing topic
      }
    }
    Map<String, Line> checked =
        checkExisting(definitions.stream().filter(d -> !created.contains(d.name())).toList());
    List<Line> lines = new ArrayList<>();
    for (TopicDefinition d : definitions) {
      lines.add(
          created.contains(d.name())
              ? new Line(d.name(), Status.CREATED, describe(d))
              : checked.get(d.name()));
    }
    return lines;
  }

  /** One line per definition: missing, existing as defined, or differing (and how). */
  List<Line> check(List<TopicDefinition> definitions) {
    List<String> missing = missing(definitions.stream().map(TopicDefinition::name).toList());
    Map<String, Line> checked =
        checkExisting(definitions.stream().filter(d -> !missing.contains(d.name())).toList());
    List<Line> lines = new ArrayList<>();
    for (TopicDefinition d : definitions) {
      lines.add(
          missing.contains(d.name())
              ? new Line(d.name(), Status.MISSING, describe(d))
              : checked.get(d.name()));
    }
    return lines;
  }

  private Map<String, Line> checkExisting(List<TopicDefinition> existing) {
    Map<String, Line> lines = new HashMap<>();
    if (existing.isEmpty()) {
      return lines;
    }
    List<ConfigResource> resources =
        existing.stream()
            .map(d -> new ConfigResource(ConfigResource.Type.TOPIC, d.name()))
            .toList();
    Map<ConfigResource, Config> configs = await(admin.describeConfigs(resources).all());
    for (TopicDefinition d : existing) {
      Config actual = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, d.name()));
      List<String> differences = differences(d, actual);
      lines.put(
          d.name(),
          differences.isEmpty()
              ? new Line(d.name(), Status.EXISTS, "")
              : new Line(d.name(), Status.DIFFERS, String.join("; ", differences)));
    }
    return lines;
  }

  /**
   * How an existing topic breaks its definition's {@link TopicDefinition#REQUIRED_CONFIGS}: a
   * compacted topic must be compacted, any other must not be (compaction would keep one sample per
   * generator), and {@code max.message.bytes} must be at least the definition's.
   */
  static List<String> differences(TopicDefinition definition, Config actual) {
    List<String> differences = new ArrayList<>();
    String wantedPolicy = definition.configs().get(TopicConfig.CLEANUP_POLICY_CONFIG);
    String policy = value(actual, TopicConfig.CLEANUP_POLICY_CONFIG);
    if (wantedPolicy != null && policy != null) {
      boolean wantsCompact = wantedPolicy.contains(TopicConfig.CLEANUP_POLICY_COMPACT);
      boolean compacts =
          Arrays.stream(policy.split(","))
              .map(String::trim)
              .anyMatch(TopicConfig.CLEANUP_POLICY_COMPACT::equals);
      if (wantsCompact != compacts) {
        differences.add("cleanup.policy is " + policy + ", must be " + wantedPolicy);
      }
    }
    String wantedBytes = definition.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    String bytes = value(actual, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    if (wantedBytes != null
        && bytes != null
        && Long.parseLong(bytes) < Long.parseLong(wantedBytes)) {
      differences.add("max.message.bytes is " + bytes + ", must be at least " + wantedBytes);
    }
    return differences;
  }

  private static String value(Config config, String name) {
    ConfigEntry entry = config == null ? null : config.get(name);
    return entry == null ? null : entry.value();
  }

  static String describe(TopicDefinition d) {
    return d.partitions()
        + " partitions, "
        + d.sortedConfigs().entrySet().stream()
            .map(e -> e.getKey() + "=" + e.getValue())
            .collect(Collectors.joining(", "));
  }

  private <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while talking to the cluster", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof TopicExistsException) {
        throw new TopicAlreadyThereException();
      }
      throw new ClusterUnavailableException(
          "the Kafka cluster refused the request: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new ClusterUnavailableException(
          "the Kafka cluster did not answer within " + timeout.toSeconds() + " s", e);
    }
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(10));
  }

  /** A topic that exists already although it was missing a moment before. */
  private static final class TopicAlreadyThereException extends RuntimeException {
    TopicAlreadyThereException() {
      super(null, null, false, false);
    }
  }
}
