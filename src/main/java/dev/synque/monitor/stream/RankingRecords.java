package dev.synque.monitor.stream;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.Leaderboard;
import java.time.Instant;

/**
 * The ranking's Avro records, built in one place from core values: a {@link RankingUpdate} from a
 * {@link Leaderboard.Ranking}, and the {@code TOP_GENERATOR_CHANGED} {@link DriftAlert}.
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

  /**
   * The alert that {@code leader} replaced {@code previousLeader} at the top of {@code ranking}.
   *
   * @param leaderConfirmations and {@code leaderMinMs}: the hysteresis the new leader passed, for
   *     the message
   * @param raisedAtMs wall-clock time of the alert
   */
  static DriftAlert leaderChange(
      RankingUpdate ranking,
      String previousLeader,
      String leader,
      int leaderConfirmations,
      long leaderMinMs,
      long raisedAtMs) {
    String kind = ranking.getWindowKind().name();
    String version = ranking.getReferenceVersion();
    long samples =
        ranking.getEntries().stream()
            .filter(e -> e.getGeneratorId().equals(leader))
            .mapToLong(RankingEntry::getSampleCount)
            .findFirst()
            .orElse(0);
    Instant start = ranking.getWindowStart() == null ? Instant.EPOCH : ranking.getWindowStart();
    Instant end = ranking.getWindowEnd() == null ? Instant.EPOCH : ranking.getWindowEnd();
    return DriftAlert.newBuilder()
        .setAlertId(
            String.join(
                "/",
                "TOP_GENERATOR_CHANGED",
                kind,
                version,
                previousLeader,
                leader,
                Long.toString(ranking.getWindowStart() == null ? samples : start.toEpochMilli())))
        .setKind(AlertKind.TOP_GENERATOR_CHANGED)
        .setGeneratorId(leader)
        .setPreviousLeader(previousLeader)
        .setWindowStart(start)
        .setWindowEnd(end)
        .setReferenceVersion(version)
        .setMessage(
            String.format(
                "%s replaced %s at the top of the %s ranking (reference %s)%s",
                leader,
                previousLeader,
                kind,
                version,
                (leaderConfirmations > 1
                        ? ", topping " + leaderConfirmations + " consecutive rankings"
                        : "")
                    + (leaderMinMs > 0
                        ? ", holding the top for at least " + leaderMinMs + " ms"
                        : "")))
        .setRaisedAt(Instant.ofEpochMilli(raisedAtMs))
        .build();
  }
}
