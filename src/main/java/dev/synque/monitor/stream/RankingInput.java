package dev.synque.monitor.stream;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import java.util.Objects;

/** What the ranking task reads from its one partition: a generator's scores or a LENS result. */
sealed interface RankingInput {

  /**
   * A generator's latest scores of one window.
   *
   * @param scores never null
   */
  record Scores(QualityScores scores) implements RankingInput {
    public Scores {
      Objects.requireNonNull(scores, "scores");
    }
  }

  /**
   * A LENS result to join into the generator's scores.
   *
   * @param result never null
   */
  record Lens(LensResult result) implements RankingInput {
    public Lens {
      Objects.requireNonNull(result, "result");
    }
  }
}
