package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;

/**
 * What the topology reports to a metrics backend: the hooks the monitor calls while it processes
 * records. Every method has a no-op default, so {@link #NONE} (the default of {@link
 * MonitorTopology#build}) costs nothing; {@code dev.synque.monitor.metrics.MonitorMeters} is the
 * Micrometer implementation.
 *
 * <p>Implementations are called from every stream thread at once and must be thread-safe and cheap
 * (no I/O). Under exactly-once a task that is retried replays its records, so counters may count a
 * record more than once; they are for dashboards, not accounting. Arguments are never null.
 */
public interface MonitorMetrics {

  /** Reports nothing. */
  MonitorMetrics NONE = new MonitorMetrics() {};

  /** A record was read from the synthetic-samples topic (before validation). */
  default void sampleConsumed() {}

  /** A sample of {@code generatorId} passed validation. */
  default void sampleAccepted(String generatorId) {}

  /**
   * A record was sent to the dead-letter topic with {@code reason} (for example {@code
   * LATE_RECORD}).
   */
  default void deadLettered(String reason) {}

  /** The embedder embedded a batch of {@code texts} texts in {@code nanos} nanoseconds. */
  default void embeddingBatch(int texts, long nanos) {}

  /** One window's proxies were computed in {@code nanos} nanoseconds. */
  default void proxiesComputed(long nanos) {}

  /** Scores of one generator's window were emitted. */
  default void scored(QualityScores scores) {}

  /** A new ranking of all generators was emitted. */
  default void ranked(RankingUpdate ranking) {}

  /** A drift or leader-change alert was emitted. */
  default void alerted(DriftAlert alert) {}

  /**
   * {@code generatorId} was retired (see {@code docs/lifecycle.md}): its series are removed and its
   * tag value freed.
   */
  default void retired(String generatorId) {}
}
