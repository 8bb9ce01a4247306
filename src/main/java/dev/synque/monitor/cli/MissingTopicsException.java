package dev.synque.monitor.cli;

import java.util.List;

/**
 * Topics the monitor reads or writes do not exist. Kafka Streams does not create source topics, and
 * an output topic created on the fly by the broker gets the broker's defaults (no compaction, a 1
 * MB record limit), so {@code synque run} stops before it starts (exit code 2) and names them in
 * one line.
 */
final class MissingTopicsException extends RuntimeException {

  private final List<String> topics;

  MissingTopicsException(List<String> topics) {
    super(
        "missing topics: "
            + String.join(", ", topics)
            + " (create them with: synque topics create --config FILE)");
    this.topics = List.copyOf(topics);
  }

  /** The missing topic names, in the order the monitor uses them. */
  List<String> topics() {
    return topics;
  }
}
