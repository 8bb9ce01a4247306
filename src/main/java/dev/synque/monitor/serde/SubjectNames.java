package dev.synque.monitor.serde;

/**
 * Confluent's topic-name subject strategy: the value schema of topic {@code t} is registered under
 * subject {@code t-value} and the key schema under {@code t-key}.
 */
public final class SubjectNames {

  private SubjectNames() {}

  /** The subject of a topic's key or value schema. */
  public static String topicName(String topic, boolean isKey) {
    return topic + (isKey ? "-key" : "-value");
  }
}
