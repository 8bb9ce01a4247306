package dev.synque.monitor.stream;

import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.Leaderboard;
import java.time.Instant;

/**
 * The ranking's Avro records, built in one place from core values: a {@link RankingUpdate} from a
 * {@link Leaderboard.Ranking} (its alerts: {@link AlertRecords}).
 */
final class RankingRecords {

  private RankingRecords() {}

  /**
   * A ranking update.
   *
   * @param cause the generator whose scores caused it, or null (generators retired)
   * @param windowStart null for the all-time view
   * @param windowEnd null for the all-time view
   * @param computedAtMs wall-clock time of the computation
   */
  static RankingUpdate update(
      Leaderboard.Ranking ranking,
      String referenceVersion,
      WindowKind windowKind,
      int minSamples,
      String cause,
      Instant windowStart,
      Instant windowEnd,
      long computedAtMs) {
    return RankingUpdate.newBuilder()
        .setReferenceVersion(referenceVersion)
        .setWindowKind(windowKind)
        .setCombinationRule(Leaderboard.COMBINATION_RULE)
        .setMinSamples(minSamples)
        .setEntries(ranking.entries().stream().map(RankingRecords::entry).toList())
        .setLeader(ranking.leader())
        .setCause(cause)
        .setComputedAt(Instant.ofEpochMilli(computedAtMs))
        .setWindowStart(windowStart)
        .setWindowEnd(windowEnd)
        .build();
  }

  /** One generator's entry of a ranking update. */
  static RankingEntry entry(Leaderboard.Entry e) {
    return RankingEntry.newBuilder()
        .setGeneratorId(e.generatorId())
        .setRank(e.rank())
        .setCombinedScore(e.combinedScore())
        .setEligible(e.eligible())
        .setIneligibleReason(e.ineligibleReason())
        .setSampleCount(e.sampleCount())
        .setProxies(
            e.proxies().stream()
                .map(
                    p ->
                        ProxyRank.newBuilder()
                            .setProxy(p.proxy())
                            .setValue(p.value())
                            .setHigherIsBetter(p.higherIsBetter())
                            .setRank(p.rank())
                            .build())
                .toList())
        .build();
  }
}
