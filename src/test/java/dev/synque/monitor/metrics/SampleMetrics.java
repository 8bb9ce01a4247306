package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.lens.LensBudget;
import dev.synque.monitor.stream.CommittedAlertState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Sample events for the metrics tests: two generators, one drifting, and LENS calls. */
public final class SampleMetrics {

  private SampleMetrics() {}

  /** Fills every meter of the monitor and of LENS with sample values. */
  public static void exercise(MonitorMeters meters, LensMetrics lens) {
    for (String generator : List.of("gen-a", "gen-b")) {
      meters.sampleConsumed();
      meters.sampleAccepted(generator);
      meters.scored(scores(generator, generator.equals("gen-a") ? 0.1 : 0.3));
    }
    meters.deadLettered("EMPTY_TEXT");
    meters.embeddingBatch(32, 12_000_000);
    meters.proxiesComputed(40_000_000);
    meters.ranked(rankingWithTiers("gen-a", "gen-b"));
    meters.alerted(alert(AlertKind.QUALITY_DEGRADED, "gen-b"));
    meters.alerted(alert(AlertKind.TOP_GENERATOR_CHANGED, "gen-a"));
    // the drift and leader gauges follow the stores' state
    meters.alertState(
        new CommittedAlertState.Snapshot(
            List.of(
                new CommittedAlertState.DriftFlag("gen-a", "mmd2_poly", false),
                new CommittedAlertState.DriftFlag("gen-b", "mmd2_poly", true)),
            List.of(
                new CommittedAlertState.Leader("ALL_TIME", "gen-a", List.of("gen-a", "gen-b")))));
    lens.llmCall("success", 900_000_000, 1200, 80);
    lens.llmCall("http_status", 30_000_000, 0, 0);
    lens.result(lensResult("gen-a", LensStatus.OK, 0.8));
    lens.result(lensResult("gen-b", LensStatus.STALE, null));
  }

  /** A budget of 100 calls and 10,000 tokens an hour, 10 calls already booked. */
  public static LensBudget budget() {
    LensBudget budget = new LensBudget(100, 0, 10_000, 0, Clock.systemUTC());
    budget.tryReserve("gen-a", 10);
    return budget;
  }

  /** A LENS result of {@code generator} with {@code status} and {@code score}. */
  public static LensResult lensResult(String generator, LensStatus status, Double score) {
    return LensResult.newBuilder()
        .setRequestId("r-" + generator + "-" + status)
        .setGeneratorId(generator)
        .setReferenceVersion("v1")
        .setStatus(status)
        .setScore(score)
        .setRawScore(score)
        .setSyntheticJudged(0)
        .setRealJudged(0)
        .setUnparseable(0)
        .setLlmCalls(0)
        .setRubricModel(null)
        .setJudgeModel(null)
        .setReason(null)
        .setJudgements(List.of())
        .setCompletedAt(Instant.ofEpochMilli(1000))
        .build();
  }

  static QualityScores scores(String generator, double mmd) {
    return QualityScores.newBuilder()
        .setGeneratorId(generator)
        .setWindowKind(WindowKind.ALL_TIME)
        .setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.ofEpochMilli(1000))
        .setReferenceVersion("v1")
        .setModelId("fake")
        .setSampleCount(100)
        .setReservoirSize(100)
        .setReferenceCount(50)
        .setScores(
            List.of(
                ProxyScore.newBuilder()
                    .setProxy("mmd2_poly")
                    .setValue(mmd)
                    .setHigherIsBetter(false)
                    .setStatus(ProxyStatus.OK)
                    .setDetail(null)
                    .build()))
        .setTrigger(ScoreTrigger.SAMPLE_COUNT)
        .setComputedAt(Instant.ofEpochMilli(1000))
        .build();
  }

  /** SampleMetrics' ranking with intervals, tiers, P(beats next) and a floor. */
  static RankingUpdate rankingWithTiers(String first, String second) {
    RankingUpdate plain = ranking(first, second);
    List<RankingEntry> entries = new ArrayList<>();
    int i = 0;
    for (RankingEntry e : plain.getEntries()) {
      ProxyRank p = e.getProxies().get(0);
      entries.add(
          RankingEntry.newBuilder(e)
              .setProxies(
                  List.of(
                      ProxyRank.newBuilder(p)
                          .setLow(p.getValue() - 0.01)
                          .setHigh(p.getValue() + 0.01)
                          .setTier(i + 1)
                          .setBeatsNext(i == 0 ? 0.97 : null)
                          .build()))
              .build());
      i++;
    }
    return RankingUpdate.newBuilder(plain)
        .setEntries(entries)
        .setTierLevel(0.95)
        .setNoiseFloors(
            List.of(
                NoiseFloorSummary.newBuilder()
                    .setProxy("mmd2_poly")
                    .setRepeats(10)
                    .setSeed(1)
                    .setMean(1e-4)
                    .setSd(1e-5)
                    .setP95(1.2e-4)
                    .build()))
        .build();
  }

  static RankingUpdate ranking(String first, String second) {
    return RankingUpdate.newBuilder()
        .setReferenceVersion("v1")
        .setWindowKind(WindowKind.ALL_TIME)
        .setCombinationRule("mean-rank")
        .setMinSamples(1)
        .setEntries(List.of(entry(first, 1), entry(second, 2)))
        .setLeader(first)
        .setCause(null)
        .setComputedAt(Instant.ofEpochMilli(1000))
        .build();
  }

  private static RankingEntry entry(String generator, int rank) {
    return RankingEntry.newBuilder()
        .setGeneratorId(generator)
        .setRank(rank)
        .setCombinedScore((double) rank)
        .setEligible(true)
        .setIneligibleReason(null)
        .setSampleCount(100)
        .setProxies(
            List.of(
                ProxyRank.newBuilder()
                    .setProxy("mmd2_poly")
                    .setValue(0.1 * rank)
                    .setHigherIsBetter(false)
                    .setRank(rank)
                    .build()))
        .build();
  }

  static DriftAlert alert(AlertKind kind, String generator) {
    return DriftAlert.newBuilder()
        .setAlertId("a-" + kind + generator)
        .setKind(kind)
        .setGeneratorId(generator)
        .setProxy(kind == AlertKind.TOP_GENERATOR_CHANGED ? null : "mmd2_poly")
        .setBaselineValue(null)
        .setCurrentValue(null)
        .setDegradation(null)
        .setThreshold(null)
        .setConsecutiveWindows(3)
        .setPreviousLeader(null)
        .setWindowStart(null)
        .setWindowEnd(null)
        .setReferenceVersion("v1")
        .setMessage("test")
        .setRaisedAt(Instant.ofEpochMilli(1000))
        .build();
  }
}
