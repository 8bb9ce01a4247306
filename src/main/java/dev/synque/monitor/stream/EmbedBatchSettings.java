package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.EMBED_ASYNC;
import static dev.synque.monitor.stream.MonitorSettings.EMBED_BATCH_SIZE;
import static dev.synque.monitor.stream.MonitorSettings.EMBED_MAX_WAIT_MS;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How samples are batched for the embedder (the embedder itself: {@code EmbedderSettings}). Part of
 * {@link MonitorSettings}. Immutable; validated in the constructor.
 *
 * @param batchSize samples per embedder call, at least 1
 * @param maxWait longest a buffered sample waits for its batch (wall clock), above 0; with async
 *     embedding an idle embedder is handed a partial batch at once
 * @param async whether the embedder runs on its own thread while the stream thread updates window
 *     states (see {@code EmbedSamplesProcessor})
 */
public record EmbedBatchSettings(int batchSize, Duration maxWait, boolean async) {

  public EmbedBatchSettings {
    if (batchSize < 1) {
      throw new ConfigException(EMBED_BATCH_SIZE, batchSize, "must be at least 1");
    }
    if (maxWait == null || maxWait.isNegative() || maxWait.isZero()) {
      throw new ConfigException(
          EMBED_MAX_WAIT_MS, maxWait == null ? null : maxWait.toMillis(), "must be above 0");
    }
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            EMBED_BATCH_SIZE,
            Type.INT,
            32,
            ConfigDef.Range.between(1, 10_000),
            Importance.MEDIUM,
            "Samples per embedder call (a batch is flushed when full).")
        .define(
            EMBED_MAX_WAIT_MS,
            Type.LONG,
            1_000L,
            ConfigDef.Range.between(1, 60_000),
            Importance.MEDIUM,
            "Longest a buffered sample waits for its batch, wall clock; keep it far below"
                + " max.poll.interval.ms.")
        .define(
            EMBED_ASYNC,
            Type.BOOLEAN,
            true,
            Importance.LOW,
            "Run the embedder on its own thread, one batch in flight per task, while the stream"
                + " thread updates window states; false embeds on the stream thread.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static EmbedBatchSettings fromParsed(Map<String, Object> v) {
    return new EmbedBatchSettings(
        (Integer) v.get(EMBED_BATCH_SIZE),
        Duration.ofMillis((Long) v.get(EMBED_MAX_WAIT_MS)),
        (Boolean) v.get(EMBED_ASYNC));
  }
}
