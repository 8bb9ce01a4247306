package dev.synque.monitor.stream;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.core.DriftTracker;
import java.time.Instant;

/**
 * The monitor's {@link DriftAlert}s, built in one place: a generator's quality degraded or
 * recovered on a proxy ({@code track-drift}), or a new generator tops a ranking ({@code
 * rank-generators}).
 */
final class AlertRecords {

  private AlertRecords() {}

  /**
   * {@code QUALITY_DEGRADED} or {@code QUALITY_RECOVERED} for one proxy of a closed window.
   *
   * @param seen the drift tracker's observation of the window, an event other than {@code NONE}
   * @param threshold the tracker's relative threshold
   * @param raisedAtMs wall-clock time of the alert
   */
  static DriftAlert qualityChange(
      QualityScores scores,
      ProxyScore score,
      DriftTracker.Observation seen,
      double threshold,
      long raisedAtMs) {
    AlertKind kind =
        seen.event() == DriftTracker.Event.DEGRADED
            ? AlertKind.QUALITY_DEGRADED
            : AlertKind.QUALITY_RECOVERED;
    return DriftAlert.newBuilder()
        .setAlertId(
            String.join(
                "/",
                kind.name(),
                scores.getGeneratorId(),
                score.getProxy(),
                scores.getWindowKind().name(),
                Long.toString(scores.getWindowStart().toEpochMilli())))
        .setKind(kind)
        .setGeneratorId(scores.getGeneratorId())
        .setProxy(score.getProxy())
        .setBaselineValue(seen.baseline())
        .setCurrentValue(score.getValue())
        .setDegradation(seen.degradation())
        .setThreshold(threshold)
        .setConsecutiveWindows(seen.streak())
        .setWindowStart(scores.getWindowStart())
        .setWindowEnd(scores.getWindowEnd())
        .setReferenceVersion(scores.getReferenceVersion())
        .setMessage(
            String.format(
                "%s %s on %s: %.4g against a baseline of %.4g (%+.0f%%) for %d windows",
                scores.getGeneratorId(),
                kind == AlertKind.QUALITY_DEGRADED ? "degraded" : "recovered",
                score.getProxy(),
                score.getValue(),
                seen.baseline(),
                100 * seen.degradation(),
                seen.streak()))
        .setRaisedAt(Instant.ofEpochMilli(raisedAtMs))
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
