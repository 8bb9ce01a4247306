package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.synque.monitor.avro.QualityScores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Embedding on the executor thread: exactly the scores of embedding on the stream thread, partial
 * batches handed over at once when the model is idle, and the next batch queued before the task
 * waits for the last one.
 */
class AsyncEmbeddingTest {

  @TempDir Path stateDir;

  private static final String[] TEXTS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:1,1,0,0"};

  private static Map<String, Object> config(boolean async, int batchSize, long maxWaitMs) {
    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.EMBED_ASYNC, async);
    config.put(MonitorSettings.EMBED_BATCH_SIZE, batchSize);
    config.put(MonitorSettings.EMBED_MAX_WAIT_MS, maxWaitMs);
    config.put(MonitorSettings.WINDOW_KIND, "NONE");
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
    return config;
  }

  private static List<QualityScores> run(Path dir, boolean async) {
    Map<String, Object> config = config(async, 3, 100);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 5);
    try (MonitorDriver m = new MonitorDriver(config, dir)) {
      for (int i = 0; i < 4; i++) {
        m.referenceSample("v1", "r" + i, TEXTS[i], 0);
      }
      for (int i = 0; i < 20; i++) {
        m.sample(i % 2 == 0 ? "gen-a" : "gen-b", "s" + i, TEXTS[(i * 7) % 4], 100 + i);
      }
      List<QualityScores> scores = new ArrayList<>();
      // the last batches complete on the executor and are forwarded by the punctuation
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                m.driver.advanceWallClockTime(Duration.ofMillis(100));
                scores.addAll(m.scores.readValuesToList());
                assertThat(scores.stream().mapToLong(QualityScores::getSampleCount).max())
                    .hasValue(10);
                assertThat(scores).hasSize(4);
              });
      return scores;
    }
  }

  /** Each generator's scores in order (batches differ, so generators may interleave otherwise). */
  private static Map<String, List<String>> byGenerator(List<QualityScores> scores) {
    return scores.stream()
        .collect(
            Collectors.groupingBy(
                s -> s.getGeneratorId().toString(),
                Collectors.mapping(
                    s -> s.getSampleCount() + " " + s.getScores(), Collectors.toList())));
  }

  @Test
  void shouldScoreExactlyAsTheSynchronousMode() {
    List<QualityScores> sync = run(stateDir.resolve("sync"), false);
    List<QualityScores> async = run(stateDir.resolve("async"), true);

    assertThat(byGenerator(async)).isEqualTo(byGenerator(sync)).containsOnlyKeys("gen-a", "gen-b");
  }

  /**
   * A monitor scoring every sample, with batches of 100 and a minute's wait, that has been sent one
   * reference sample and one sample: only the idle rule can embed that sample within the minute.
   */
  private MonitorDriver oneSampleOfABatchOf100(boolean async) {
    Map<String, Object> config = config(async, 100, 60_000);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 1);
    MonitorDriver m = new MonitorDriver(config, stateDir);
    m.referenceSample("v1", "r0", TEXTS[0], 0);
    m.sample("gen-a", "s0", TEXTS[1], 100);
    return m;
  }

  @Test
  void shouldHandAPartialBatchOverAtOnceWhenTheEmbedderIsIdle() {
    try (MonitorDriver m = oneSampleOfABatchOf100(true)) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                m.driver.advanceWallClockTime(Duration.ofMillis(25));
                assertThat(m.scores.readValuesToList())
                    .extracting(QualityScores::getSampleCount)
                    .containsExactly(1L);
              });
    }
  }

  @Test
  void shouldKeepTheSynchronousModeWaitingForAFullBatch() {
    try (MonitorDriver m = oneSampleOfABatchOf100(false)) {
      m.driver.advanceWallClockTime(Duration.ofSeconds(59));

      assertThat(m.scores.readValuesToList()).isEmpty();
      assertThat(m.embedder.embeddedCount()).isZero();
    }
  }

  @Test
  void shouldQueueTheNextBatchBeforeWaitingForTheLastOne() {
    FakeEmbedder embedder = new FakeEmbedder(4);
    Map<String, Object> config = config(true, 2, 60_000);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 1);
    try (MonitorDriver m = new MonitorDriver(config, stateDir, embedder)) {
      m.referenceSample("v1", "r0", TEXTS[0], 0);
      int referenceCalls = embedder.callSizes().size();
      embedder.closeGate();
      try {
        // s0 goes alone (the model is idle) and is held at the gate; s1 and s2 fill the next
        // batch, which is queued behind it without the stream thread waiting for s0's batch
        assertTimeoutPreemptively(
            Duration.ofSeconds(20),
            () -> {
              m.sample("gen-a", "s0", TEXTS[1], 100);
              m.sample("gen-a", "s1", TEXTS[2], 101);
              m.sample("gen-a", "s2", TEXTS[3], 102);
            },
            "the stream thread waited for a batch in flight instead of queueing the next one");
        assertThat(m.scores.readValuesToList()).isEmpty();
      } finally {
        embedder.openGate();
      }
      List<Long> counts = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                m.driver.advanceWallClockTime(Duration.ofMillis(25));
                m.scores.readValuesToList().forEach(s -> counts.add(s.getSampleCount()));
                assertThat(counts).containsExactly(1L, 2L, 3L);
              });
      // the samples' calls, then the reference's (embedded on the stream thread when first needed)
      assertThat(embedder.callSizes().subList(referenceCalls, referenceCalls + 2))
          .containsExactly(1, 2);
    }
  }
}
