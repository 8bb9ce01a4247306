package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.RankingUpdate;
import java.util.Objects;

/**
 * What the ranking task emits: scores with the LENS score joined in (only with LENS), a ranking, or
 * the alert that the leader changed.
 */
sealed interface RankingOutput {

  /**
   * A new ranking of one window kind.
   *
   * @param update never null
   */
  record Ranking(RankingUpdate update) implements RankingOutput {
    public Ranking {
      Objects.requireNonNull(update, "update");
    }
  }

  /**
   * A {@code TOP_GENERATOR_CHANGED} alert.
   *
   * @param alert never null
   */
  record LeaderChange(DriftAlert alert) implements RankingOutput {
    public LeaderChange {
      Objects.requireNonNull(alert, "alert");
    }
  }
}
