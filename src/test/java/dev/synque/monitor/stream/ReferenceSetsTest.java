package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.QualityScores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reference set as the monitor embeds it. */
class ReferenceSetsTest {

  @TempDir Path stateDir;

  @Test
  void shouldEmbedEachReferenceTextOnceWhenAVersionArrivesRecordByRecord() {
    // Given a reference version published one record at a time while a generator sends samples
    FakeEmbedder embedder = new FakeEmbedder(4);
    int n = 12;
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(MonitorSettings.SCORES_EVERY_SAMPLES, 1, MonitorSettings.WINDOW_KIND, "NONE"),
            stateDir,
            embedder)) {
      for (int i = 0; i < n; i++) {
        m.referenceSample("v1", String.format("r%02d", i), "reference text " + i, 0);
        m.sample("gen-a", "s" + i, "sample text " + i, 100 + i);
      }

      // then each of the n reference texts and n samples was embedded once (re-embedding the
      // whole set per record would be 1 + 2 + ... + n = 78 reference texts)
      assertThat(embedder.embeddedCount()).isEqualTo(2L * n);
      List<QualityScores> scores = m.scores.readValuesToList();
      assertThat(scores).hasSize(n);
      assertThat(scores.get(n - 1).getReferenceCount()).isEqualTo(n);
    }
  }
}
