package dev.synque.monitor.contracts;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.TopicConfig;

/**
 * How one topic of a {@link Contract} is created: its name (the contract's default or a configured
 * one), its partition count and the topic configs it is created with. Immutable.
 *
 * @param contract the record the topic carries; never null
 * @param name the topic name; a legal Kafka topic name (letters, digits, '.', '_', '-', at most
 *     249)
 * @param partitions partitions when the topic is created; at least 1
 * @param configs topic configs set at creation (sorted copy); {@link #REQUIRED_CONFIGS} among them
 *     are also checked on existing topics
 */
public record TopicDefinition(
    Contract contract, String name, int partitions, Map<String, String> configs) {

  /** Configs without which the monitor misbehaves, checked on topics that already exist. */
  public static final Set<String> REQUIRED_CONFIGS =
      Set.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.MAX_MESSAGE_BYTES_CONFIG);

  private static final Pattern LEGAL_NAME = Pattern.compile("[a-zA-Z0-9._-]{1,249}");

  public TopicDefinition {
    Objects.requireNonNull(contract, "contract");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(configs, "configs");
    if (!LEGAL_NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
      throw new IllegalArgumentException(
          "topic name '"
              + name
              + "' of "
              + contract.topic()
              + ": must be 1 to 249 of the characters a-z A-Z 0-9 . _ -");
    }
    if (partitions < 1) {
      throw new IllegalArgumentException(
          "partitions of topic " + name + ": " + partitions + " must be at least 1");
    }
    configs = Map.copyOf(new TreeMap<>(configs));
  }

  /** The same definition under another topic name. */
  public TopicDefinition withName(String newName) {
    return new TopicDefinition(contract, newName, partitions, configs);
  }

  /** The same definition with another partition count. */
  public TopicDefinition withPartitions(int newPartitions) {
    return new TopicDefinition(contract, name, newPartitions, configs);
  }

  /** The configs in name order (the record's map keeps no order). */
  public TreeMap<String, String> sortedConfigs() {
    return new TreeMap<>(configs);
  }
}
