package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.QualityScores;
import java.util.Objects;

/** What may make the monitor ask LENS to judge a window: new scores or a drift alert. */
sealed interface LensTrigger {

  /**
   * A generator's new scores (LENS is asked on a cadence, see {@link LensLink}).
   *
   * @param scores never null
   */
  record Scores(QualityScores scores) implements LensTrigger {
    public Scores {
      Objects.requireNonNull(scores, "scores");
    }
  }

  /**
   * A drift alert (LENS is asked at once about the drifting window when so configured).
   *
   * @param alert never null
   */
  record Drift(DriftAlert alert) implements LensTrigger {
    public Drift {
      Objects.requireNonNull(alert, "alert");
    }
  }
}
