package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.synque.monitor.avro.QualityScores;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Embedding on the executor thread gives exactly the scores of embedding on the stream thread. */
class AsyncEmbeddingTest {

  @TempDir Path stateDir;

  private static final String[] TEXTS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:1,1,0,0"};

  private static List<QualityScores> run(Path dir, boolean async) {
    Map<String, Object> config =
        Map.of(
            MonitorSettings.EMBED_ASYNC,
            async,
            MonitorSettings.EMBED_BATCH_SIZE,
            3,
            MonitorSettings.EMBED_MAX_WAIT_MS,
            100L,
            MonitorSettings.WINDOW_KIND,
            "NONE",
            MonitorSettings.SCORES_EVERY_SAMPLES,
            5,
            MonitorSettings.RANKING_MIN_SAMPLES,
            1);
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

  @Test
  void shouldScoreExactlyAsTheSynchronousMode() {
    List<QualityScores> sync = run(stateDir.resolve("sync"), false);
    List<QualityScores> async = run(stateDir.resolve("async"), true);

    assertThat(async).hasSameSizeAs(sync);
    for (int i = 0; i < sync.size(); i++) {
      assertThat(async.get(i).getGeneratorId()).isEqualTo(sync.get(i).getGeneratorId());
      assertThat(async.get(i).getSampleCount()).isEqualTo(sync.get(i).getSampleCount());
      assertThat(async.get(i).getScores()).isEqualTo(sync.get(i).getScores());
    }
  }
}
