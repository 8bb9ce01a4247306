package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.TextItem;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LENS side of the topology: requests on cadence and on drift, results joined. */
class MonitorLensTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  private static MonitorDriver driver(Path dir, Map<String, Object> extra) {
    Map<String, Object> config = new java.util.HashMap<>();
    config.put(MonitorSettings.LENS_ENABLED, true);
    config.put(MonitorSettings.WINDOW_KIND, "NONE");
    config.put(MonitorSettings.LENS_EVERY_SAMPLES, 4);
    config.put(MonitorSettings.LENS_EVERY_MS, 0);
    config.put(MonitorSettings.LENS_SYNTHETIC_EXAMPLES, 2);
    config.put(MonitorSettings.LENS_REFERENCE_EXAMPLES, 3);
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 2);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
    config.put(MonitorSettings.PROXIES, "mmd2_poly");
    config.putAll(extra);
    return new MonitorDriver(config, dir);
  }

  private static void reference(MonitorDriver m, String version) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample(version, "r" + i, BASIS[i], 0);
    }
  }

  private static LensResult result(
      String generator, String version, LensStatus status, Double score, String reason) {
    return LensResult.newBuilder()
        .setRequestId(generator + "/req")
        .setGeneratorId(generator)
        .setReferenceVersion(version)
        .setStatus(status)
        .setScore(score)
        .setRawScore(score)
        .setSyntheticJudged(2)
        .setRealJudged(3)
        .setUnparseable(0)
        .setLlmCalls(score == null ? 0 : 23)
        .setRubricModel(null)
        .setJudgeModel(null)
        .setReason(reason)
        .setJudgements(List.of())
        .setCompletedAt(Instant.ofEpochMilli(5_000))
        .build();
  }

  private static ProxyScore lens(QualityScores s) {
    return s.getScores().stream()
        .filter(p -> p.getProxy().equals("lens"))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void shouldRequestLensOnTheSampleCadenceWithTheFirstReservoirSlotsAndReferenceSamples() {
    try (MonitorDriver m = driver(stateDir, Map.of())) {
      reference(m, "v1");
      for (int i = 0; i < 8; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 4], 100 + i);
      }

      List<LensRequest> requests = m.lensRequests.readValuesToList();

      // due at the scores after samples 4 and 8; the store holds the state of the batch before
      assertThat(requests).hasSize(2);
      LensRequest first = requests.get(0);
      assertThat(first.getGeneratorId()).isEqualTo("gen-a");
      assertThat(first.getReferenceVersion()).isEqualTo("v1");
      assertThat(first.getReason()).isEqualTo(LensReason.SAMPLE_CADENCE);
      assertThat(first.getSamplesSeen()).isEqualTo(3);
      assertThat(first.getSyntheticExamples())
          .extracting(TextItem::getSampleId)
          .containsExactly("a0", "a1");
      assertThat(first.getReferenceExamples())
          .extracting(TextItem::getSampleId, TextItem::getText)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("r0", BASIS[0]),
              org.assertj.core.groups.Tuple.tuple("r1", BASIS[1]),
              org.assertj.core.groups.Tuple.tuple("r2", BASIS[2]));
      assertThat(first.getRequestId()).isEqualTo("gen-a/v1/ALL_TIME/0/3/SAMPLE_CADENCE");
      assertThat(requests.get(1).getSamplesSeen()).isEqualTo(7);
      // every scores record carries a lens entry, INSUFFICIENT_DATA before any result
      List<QualityScores> scores = m.scores.readValuesToList();
      assertThat(scores).isNotEmpty();
      assertThat(scores)
          .allSatisfy(
              s -> {
                assertThat(lens(s).getStatus()).isEqualTo(ProxyStatus.INSUFFICIENT_DATA);
                assertThat(lens(s).getDetail()).contains("no LENS result for reference version v1");
              });
    }
  }

  @Test
  void shouldJoinLensResultsIntoScoresAndRankingsWithoutMixingReferenceVersions() {
    try (MonitorDriver m = driver(stateDir, Map.of())) {
      reference(m, "v1");
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], 100 + i);
        m.sample("gen-b", "b" + i, BASIS[0], 100 + i);
      }
      m.scores.readValuesToList();
      m.rankings.readValuesToList();

      // when: an OK result for gen-a, an UNAVAILABLE one for gen-b, one for another version
      m.lensResults.pipeInput("gen-a", result("gen-a", "v1", LensStatus.OK, 0.8, null));
      m.lensResults.pipeInput(
          "gen-b", result("gen-b", "v1", LensStatus.UNAVAILABLE, null, "HTTP 500: model crashed"));

      // then: each generator's latest scores are re-emitted with the LENS entry
      List<QualityScores> joined = m.scores.readValuesToList();
      assertThat(joined).hasSize(2);
      assertThat(joined.get(0).getGeneratorId()).isEqualTo("gen-a");
      assertThat(joined.get(0).getTrigger()).isEqualTo(ScoreTrigger.LENS_RESULT);
      assertThat(lens(joined.get(0)).getValue()).isEqualTo(0.8);
      assertThat(lens(joined.get(0)).getStatus()).isEqualTo(ProxyStatus.OK);
      assertThat(lens(joined.get(0)).getHigherIsBetter()).isTrue();
      assertThat(lens(joined.get(1)).getStatus()).isEqualTo(ProxyStatus.UNAVAILABLE);
      assertThat(lens(joined.get(1)).getDetail()).isEqualTo("HTTP 500: model crashed");
      // and the ranking ranks gen-a by lens
      List<RankingUpdate> rankings = m.rankings.readValuesToList();
      RankingEntry a =
          rankings.get(rankings.size() - 1).getEntries().stream()
              .filter(e -> e.getGeneratorId().equals("gen-a"))
              .findFirst()
              .orElseThrow();
      ProxyRank lensRank =
          a.getProxies().stream()
              .filter(p -> p.getProxy().equals("lens"))
              .findFirst()
              .orElseThrow();
      assertThat(lensRank.getValue()).isEqualTo(0.8);
      assertThat(lensRank.getRank()).isEqualTo(1);

      // when: new samples of gen-a: their scores carry the joined value
      m.sample("gen-a", "a4", BASIS[0], 200);
      m.sample("gen-a", "a5", BASIS[1], 201);
      QualityScores next = m.scores.readValuesToList().get(0);
      assertThat(next.getTrigger()).isEqualTo(ScoreTrigger.SAMPLE_COUNT);
      assertThat(lens(next).getValue()).isEqualTo(0.8);

      // when: a STALE result keeps its (repeated) value and is still ranked
      m.lensResults.pipeInput(
          "gen-a", result("gen-a", "v1", LensStatus.STALE, 0.8, "budget spent: 2000 calls/hour"));
      QualityScores stale = m.scores.readValuesToList().get(0);
      assertThat(lens(stale).getStatus()).isEqualTo(ProxyStatus.STALE);
      assertThat(lens(stale).getValue()).isEqualTo(0.8);

      // when: a result for another reference version is never mixed in
      m.lensResults.pipeInput("gen-a", result("gen-a", "v0", LensStatus.OK, 0.1, null));
      QualityScores other = m.scores.readValuesToList().get(0);
      assertThat(lens(other).getStatus()).isEqualTo(ProxyStatus.INSUFFICIENT_DATA);
      assertThat(lens(other).getValue()).isNull();
    }
  }

  @Test
  void shouldKeepTheNewestRequestsResultAndIgnoreARedeliveredOlderOne() {
    try (MonitorDriver m = driver(stateDir, Map.of())) {
      reference(m, "v1");
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], 100 + i);
      }
      m.scores.readValuesToList();
      LensResult older =
          LensResult.newBuilder(result("gen-a", "v1", LensStatus.OK, 0.2, null))
              .setRequestId("gen-a/v1/ALL_TIME/0/3/SAMPLE_CADENCE")
              .setRequestedAt(Instant.ofEpochMilli(1_000))
              .setSamplesSeen(3)
              .build();
      LensResult newer =
          LensResult.newBuilder(result("gen-a", "v1", LensStatus.OK, 0.9, null))
              .setRequestId("gen-a/v1/ALL_TIME/0/7/SAMPLE_CADENCE")
              .setRequestedAt(Instant.ofEpochMilli(2_000))
              .setSamplesSeen(7)
              .build();

      // when: the newer request's result arrives, then the older one's (answered late or
      // redelivered), then the newer one again
      m.lensResults.pipeInput("gen-a", newer);
      m.lensResults.pipeInput("gen-a", older);
      m.lensResults.pipeInput("gen-a", newer);

      // then: only the first is joined; the older and the repeat change nothing
      List<QualityScores> joined = m.scores.readValuesToList();
      assertThat(joined).hasSize(1);
      assertThat(lens(joined.get(0)).getValue()).isEqualTo(0.9);
      m.sample("gen-a", "a4", BASIS[0], 200);
      m.sample("gen-a", "a5", BASIS[1], 201);
      assertThat(lens(m.scores.readValuesToList().get(0)).getValue()).isEqualTo(0.9);
    }
  }

  @Test
  void shouldDeadLetterUnreadableLensResultsAndKeepRunning() {
    try (MonitorDriver m = driver(stateDir, Map.of())) {
      reference(m, "v1");
      m.rawLensResults.pipeInput("gen-a".getBytes(), new byte[] {0, 0, 0, 0, 9, 42});
      m.lensResults.pipeInput("gen-a", result("gen-a", "v1", LensStatus.OK, 0.5, null));
      for (int i = 0; i < 2; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], 100 + i);
      }

      assertThat(m.deadLetters.readValuesToList())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.getReason()).isEqualTo("DESERIALIZATION_FAILED");
                assertThat(d.getSourceTopic()).isEqualTo(m.settings.lens().resultsTopic());
              });
      assertThat(lens(m.scores.readValuesToList().get(0)).getValue()).isEqualTo(0.5);
    }
  }

  @Test
  void shouldRequestLensForTheDriftedWindowAtOnce() {
    Map<String, Object> drift =
        Map.ofEntries(
            Map.entry(MonitorSettings.LENS_EVERY_SAMPLES, 0),
            Map.entry(MonitorSettings.LENS_ON_DRIFT, true),
            Map.entry(MonitorSettings.WINDOW_KIND, "TUMBLING"),
            Map.entry(MonitorSettings.WINDOW_SIZE_MS, 1000),
            Map.entry(MonitorSettings.WINDOW_GRACE_MS, 0),
            Map.entry(MonitorSettings.WINDOW_ALL_TIME, false),
            Map.entry(MonitorSettings.SCORES_EVERY_SAMPLES, 100),
            Map.entry(MonitorSettings.DRIFT_WARMUP_WINDOWS, 1),
            Map.entry(MonitorSettings.DRIFT_CONSECUTIVE_WINDOWS, 1),
            Map.entry(MonitorSettings.DRIFT_THRESHOLD, 0.5),
            Map.entry(MonitorSettings.DRIFT_MIN_SCALE, 1e-3));
    try (MonitorDriver m = driver(stateDir, drift)) {
      reference(m, "v1");
      String[][] windows = {BASIS, {BASIS[0], BASIS[0], BASIS[0], BASIS[0]}};
      for (int w = 0; w < windows.length; w++) {
        for (int i = 0; i < 4; i++) {
          m.sample("gen-a", "w" + w + "s" + i, windows[w][i], w * 1000L + i);
        }
      }
      m.sample("gen-a", "closer", BASIS[0], 5_000);

      List<DriftAlert> alerts = m.alerts.readValuesToList();
      assertThat(alerts).extracting(DriftAlert::getKind).contains(AlertKind.QUALITY_DEGRADED);
      List<LensRequest> requests = m.lensRequests.readValuesToList();
      assertThat(requests).singleElement();
      LensRequest request = requests.get(0);
      assertThat(request.getReason()).isEqualTo(LensReason.DRIFT);
      assertThat(request.getRequestId()).isEqualTo("gen-a/v1/TUMBLING/1000/4/DRIFT");
      assertThat(request.getSyntheticExamples())
          .extracting(TextItem::getSampleId)
          .containsExactly("w1s0", "w1s1");
    }
  }

  @Test
  void shouldLeaveScoresAndTopologyUnchangedWithLensOff() {
    try (MonitorDriver m =
        new MonitorDriver(Map.of(MonitorSettings.RANKING_MIN_SAMPLES, 1), stateDir)) {
      reference(m, "v1");
      m.sample("gen-a", "a0", BASIS[0], 100);

      assertThat(m.lensRequests).isNull();
      assertThat(m.scores.readValuesToList())
          .allSatisfy(s -> assertThat(s.getScores()).noneMatch(p -> p.getProxy().equals("lens")));
      assertThat(m.driver.producedTopicNames()).doesNotContain("synque-lens-requests-v1");
    }
  }
}
