package dev.synque.monitor.contracts;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;

/**
 * The topics of every {@link Contract}, as {@code synque topics create}, the Strimzi {@code
 * KafkaTopic}s in {@code k8s/} and the topics Job create them (a test keeps {@code k8s/} in step).
 *
 * <ul>
 *   <li>Partitions bound how many monitor instances share the work: 12 for the per-generator flows
 *       (samples, embeddings, scores), 6 for the LENS flows, 3 for dead letters, and 1 where one
 *       key carries everything (the reference, read whole as a global table; rankings, keyed by the
 *       reference version; drift alerts, read in order by people).
 *   <li>The reference topic is compacted (the latest value per sample id is the reference); every
 *       other topic is kept {@value #RETENTION_MS} ms (7 days), dead letters {@value
 *       #DEAD_LETTER_RETENTION_MS} ms (30 days to inspect and replay).
 *   <li>{@code max.message.bytes} is {@value #LARGE_RECORD_BYTES} bytes where a record can pass
 *       Kafka's 1 MB default: a dead letter copies the key and the value of its record up to {@code
 *       synque.dead.letter.max.value.bytes} each (default 900,000, so up to 1.8 MB), and a LENS
 *       request carries up to 25 + 25 texts of up to {@code synque.max.text.bytes} (default 16,384,
 *       so up to 819,200 bytes of text alone).
 * </ul>
 *
 * Replication is the cluster's business: {@code synque topics create} uses the broker's {@code
 * default.replication.factor} unless told otherwise, {@code k8s/topics.yaml} assumes three brokers.
 */
public final class TopicDefinitions {

  /** Retention of every non-compacted topic but the dead letters: 7 days. */
  public static final long RETENTION_MS = 7L * 24 * 3600 * 1000;

  /** Retention of the dead-letter topic: 30 days. */
  public static final long DEAD_LETTER_RETENTION_MS = 30L * 24 * 3600 * 1000;

  /** {@code max.message.bytes} of the topics whose records can pass 1 MB: 4 MiB. */
  public static final int LARGE_RECORD_BYTES = 4 * 1024 * 1024;

  private TopicDefinitions() {}

  /** Every contract's topic under its default name, in {@link Contracts#ALL} order. */
  public static List<TopicDefinition> defaults() {
    List<TopicDefinition> all = new ArrayList<>();
    for (Contract contract : Contracts.ALL) {
      all.add(
          new TopicDefinition(contract, contract.topic(), partitions(contract), configs(contract)));
    }
    return List.copyOf(all);
  }

  /**
   * {@link #defaults()} with some topics renamed.
   *
   * @param names topic name by contract; contracts not named keep their default name
   */
  public static List<TopicDefinition> named(Map<Contract, String> names) {
    return defaults().stream()
        .map(d -> d.withName(names.getOrDefault(d.contract(), d.name())))
        .toList();
  }

  /** The default definition of one contract. */
  public static TopicDefinition of(Contract contract) {
    return defaults().stream()
        .filter(d -> d.contract().equals(contract))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("not a contract: " + contract.topic()));
  }

  private static int partitions(Contract contract) {
    if (contract == Contracts.SYNTHETIC_SAMPLES || contract == Contracts.QUALITY_SCORES) {
      return 12;
    }
    if (contract == Contracts.LENS_REQUESTS || contract == Contracts.LENS_RESULTS) {
      return 6;
    }
    if (contract == Contracts.DEAD_LETTERS) {
      return 3;
    }
    return 1;
  }

  private static Map<String, String> configs(Contract contract) {
    Map<String, String> configs = new LinkedHashMap<>();
    if (contract.compacted()) {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    } else {
      configs.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
      configs.put(
          TopicConfig.RETENTION_MS_CONFIG,
          Long.toString(
              contract == Contracts.DEAD_LETTERS ? DEAD_LETTER_RETENTION_MS : RETENTION_MS));
    }
    if (contract == Contracts.DEAD_LETTERS || contract == Contracts.LENS_REQUESTS) {
      configs.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(LARGE_RECORD_BYTES));
    }
    return configs;
  }
}
