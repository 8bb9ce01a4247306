package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetDistance;
import dev.synque.monitor.core.Mmd2Polynomial;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MonitorTopologyTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  private static double value(QualityScores s, String proxy) {
    return s.getScores().stream()
        .filter(p -> p.getProxy().equals(proxy))
        .map(ProxyScore::getValue)
        .findFirst()
        .orElseThrow();
  }

  private static void basisReference(MonitorDriver m, String version, long eventTime) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample(version, "r" + i, BASIS[i], eventTime);
    }
  }

  /**
   * The basis five times over (20 reference samples): enough real samples that "half the reference"
   * and "the reference itself" are separated at 0.95 (numpy: P = 0.985 for four samples each); with
   * the four-sample {@link #basisReference} the reference's own noise leaves them in one tier (P =
   * 0.807).
   */
  private static void separableBasisReference(MonitorDriver m, String version, long eventTime) {
    for (int c = 0; c < 5; c++) {
      for (int i = 0; i < BASIS.length; i++) {
        m.referenceSample(version, "r" + c + i, BASIS[i], eventTime);
      }
    }
  }

  @Test
  void shouldEqualTheBatchProxiesWhenTheWindowCoversEverything() {
    int n = 60;
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND,
                "NONE",
                MonitorSettings.RESERVOIR_CAPACITY,
                64,
                MonitorSettings.SCORES_EVERY_SAMPLES,
                n,
                MonitorSettings.EMBED_BATCH_SIZE,
                7),
            stateDir,
            new FakeEmbedder(16))) {
      List<float[]> reference = new ArrayList<>();
      for (int i = 0; i < 25; i++) {
        m.referenceSample("v1", String.format("r%02d", i), "real text " + i, 1_000);
        reference.add(m.embedder.vector("real text " + i));
      }
      List<float[]> synthetic = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        m.sample("gen-a", "s" + i, "synthetic text " + i, 10_000 + i);
        synthetic.add(m.embedder.vector("synthetic text " + i));
      }
      m.driver.advanceWallClockTime(Duration.ofSeconds(1));

      List<QualityScores> out = m.scores.readValuesToList();
      assertThat(out).hasSize(1);
      QualityScores s = out.get(0);
      assertThat(s.getWindowKind()).isEqualTo(WindowKind.ALL_TIME);
      assertThat(s.getSampleCount()).isEqualTo(n);
      assertThat(s.getReservoirSize()).isEqualTo(n);
      assertThat(s.getReferenceCount()).isEqualTo(25);
      EmbeddingSet x = EmbeddingSet.of("x", synthetic.toArray(float[][]::new));
      EmbeddingSet r = EmbeddingSet.of("r", reference.toArray(float[][]::new));
      double mmd = Mmd2Polynomial.synqueDefault().compute(x, r);
      double frechet = FrechetDistance.instance().compute(x, r);
      assertThat(value(s, "mmd2_poly")).isCloseTo(mmd, within(Math.abs(mmd) * 1e-6));
      assertThat(value(s, "frechet")).isCloseTo(frechet, within(Math.abs(frechet) * 1e-6));
    }
  }

  @Test
  void shouldDeadLetterUndeserialisableBytesBlankTextsAndRejectedTextsWithCoordinates() {
    try (MonitorDriver m = new MonitorDriver(Map.of(), stateDir)) {
      basisReference(m, "v1", 0);
      m.rawSamples.pipeInput(
          "gen-a".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
      m.sample("gen-a", "s1", "   ", 100);
      m.sample("gen-a", "s2", "REJECT this", 101);
      m.sample("gen-a", "s3", BASIS[0], 102);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters)
          .extracting(DeadLetter::getReason)
          .containsExactly("DESERIALIZATION_FAILED", "EMPTY_TEXT", "NO_TOKENS");
      assertThat(letters).extracting(DeadLetter::getSourceOffset).containsExactly(0L, 1L, 2L);
      DeadLetter first = letters.get(0);
      assertThat(first.getSourceTopic()).isEqualTo(m.settings.syntheticTopic());
      assertThat(first.getSourcePartition()).isZero();
      assertThat(StandardCharsets.UTF_8.decode(first.getValue()).toString()).isEqualTo("not avro");
      assertThat(first.getMessage()).contains("magic byte");
      assertThat(first.getApplicationId()).isEqualTo("monitor-test");
      assertThat(m.embedder.embeddedCount()).isEqualTo(BASIS.length + 1);
    }
  }

  @Test
  void shouldEmitFinalScoresWhenATumblingWindowClosesAndDeleteItsState() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_SIZE_MS, 1000,
                MonitorSettings.WINDOW_GRACE_MS, 0,
                MonitorSettings.WINDOW_ALL_TIME, false),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 0);
      m.sample("gen-a", "s2", BASIS[1], 999);
      assertThat(m.scores.isEmpty()).isTrue();

      m.sample("gen-a", "s3", BASIS[2], 1000);

      List<QualityScores> out = m.scores.readValuesToList();
      assertThat(out).hasSize(1);
      QualityScores closed = out.get(0);
      assertThat(closed.getTrigger()).isEqualTo(ScoreTrigger.WINDOW_CLOSE);
      assertThat(closed.getWindowKind()).isEqualTo(WindowKind.TUMBLING);
      assertThat(closed.getWindowStart().toEpochMilli()).isZero();
      assertThat(closed.getWindowEnd().toEpochMilli()).isEqualTo(1000);
      assertThat(closed.getSampleCount()).isEqualTo(2);
      KeyValueStore<WindowKey, byte[]> store =
          m.driver.getKeyValueStore(MonitorTopology.WINDOW_STATE_STORE);
      assertThat(store.get(ScoreWindowsProcessor.key("gen-a", WindowKind.TUMBLING, 0))).isNull();
      assertThat(store.get(ScoreWindowsProcessor.key("gen-a", WindowKind.TUMBLING, 1000)))
          .isNotNull();
    }
  }

  @Test
  void shouldPutHoppingSamplesIntoEveryWindowHoldingThem() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "HOPPING",
                MonitorSettings.WINDOW_SIZE_MS, 1000,
                MonitorSettings.WINDOW_ADVANCE_MS, 500,
                MonitorSettings.WINDOW_GRACE_MS, 0,
                MonitorSettings.WINDOW_ALL_TIME, false),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 100); // [-500, 500) and [0, 1000)
      m.sample("gen-a", "s2", BASIS[1], 700); // [0, 1000) and [500, 1500)
      m.sample("gen-a", "s3", BASIS[2], 1600); // closes [-500, 500), [0, 1000), [500, 1500)

      List<QualityScores> out = m.scores.readValuesToList();
      assertThat(out)
          .extracting(s -> s.getWindowStart().toEpochMilli(), QualityScores::getSampleCount)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(-500L, 1L),
              org.assertj.core.groups.Tuple.tuple(0L, 2L),
              org.assertj.core.groups.Tuple.tuple(500L, 1L));
    }
  }

  @Test
  void shouldAcceptLateSamplesWithinGraceAndDeadLetterThemBeyond() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_SIZE_MS, 1000,
                MonitorSettings.WINDOW_GRACE_MS, 500,
                MonitorSettings.WINDOW_ALL_TIME, false),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 0);
      m.sample("gen-a", "s2", BASIS[1], 1200);
      m.sample("gen-a", "late-within-grace", BASIS[2], 100);
      m.sample("gen-a", "s3", BASIS[3], 1600);
      m.sample("gen-a", "late-beyond-grace", BASIS[3], 200);

      List<QualityScores> out = m.scores.readValuesToList();
      assertThat(out).hasSize(1);
      assertThat(out.get(0).getWindowStart().toEpochMilli()).isZero();
      assertThat(out.get(0).getSampleCount()).isEqualTo(2);
      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters).extracting(DeadLetter::getReason).containsExactly("LATE_RECORD");
      assertThat(letters.get(0).getSourceOffset()).isEqualTo(4);
      assertThat(letters.get(0).getMessage()).contains("late-beyond-grace");
    }
  }

  @Test
  void shouldRestartComparisonsWhenTheReferenceVersionIsReplaced() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(MonitorSettings.WINDOW_KIND, "NONE", MonitorSettings.SCORES_EVERY_SAMPLES, 1),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 10);
      m.sample("gen-a", "s2", BASIS[1], 11);
      QualityScores before = m.scores.readValuesToList().get(1);
      assertThat(before.getReferenceVersion()).isEqualTo("v1");
      assertThat(before.getSampleCount()).isEqualTo(2);

      m.referenceSample("v2", "q0", "v:1,1,0,0", 50);
      m.referenceSample("v2", "q1", "v:0,0,1,1", 50);
      m.sample("gen-a", "s3", BASIS[2], 12);

      QualityScores after = m.scores.readValue();
      assertThat(after.getReferenceVersion()).isEqualTo("v2");
      assertThat(after.getReferenceCount()).isEqualTo(2);
      assertThat(after.getSampleCount()).isEqualTo(1);
      assertThat(after.getWindowStart().toEpochMilli()).isEqualTo(12);
      RankingUpdate ranking = m.rankings.readValuesToList().get(2);
      assertThat(ranking.getReferenceVersion()).isEqualTo("v2");
    }
  }

  @Test
  void shouldRankTiesEquallyAndListGeneratorsWithTooFewSamplesUnranked() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.RANKING_MIN_SAMPLES, 3),
            stateDir)) {
      basisReference(m, "v1", 0);
      for (String g : List.of("gen-b", "gen-a")) {
        for (int i = 0; i < 3; i++) {
          m.sample(g, g + i, BASIS[i], 10 + i);
        }
      }
      m.sample("gen-c", "c0", BASIS[0], 10);
      m.sample("gen-c", "c1", BASIS[0], 11);

      List<RankingUpdate> updates = m.rankings.readValuesToList();
      RankingUpdate last = updates.get(updates.size() - 1);
      assertThat(last.getEntries())
          .extracting(
              RankingEntry::getGeneratorId, RankingEntry::getRank, RankingEntry::getEligible)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("gen-a", 1, true),
              org.assertj.core.groups.Tuple.tuple("gen-b", 1, true),
              org.assertj.core.groups.Tuple.tuple("gen-c", null, false));
      assertThat(last.getEntries().get(2).getIneligibleReason()).contains("only 2 samples");
      assertThat(last.getLeader()).isEqualTo("gen-a");
      assertThat(last.getMinSamples()).isEqualTo(3);
      assertThat(last.getCause()).isEqualTo("gen-c");
    }
  }

  /**
   * All-time rankings of generators scored every 4 samples (at least 4 to be ranked), a leader
   * change alerted at once (one confirmation), against the basis reference.
   */
  private MonitorDriver leaderChangeMonitor() {
    MonitorDriver m = leaderChangeMonitorWithoutReference();
    separableBasisReference(m, "v1", 0);
    return m;
  }

  private MonitorDriver leaderChangeMonitorWithoutReference() {
    return new MonitorDriver(
        Map.of(
            MonitorSettings.WINDOW_KIND, "NONE",
            MonitorSettings.SCORES_EVERY_SAMPLES, 4,
            MonitorSettings.RANKING_MIN_SAMPLES, 4,
            MonitorSettings.RANKING_LEADER_CONFIRMATIONS, 1,
            // the count rule alone (the time rule has its own tests)
            LifecycleSettings.LEADER_MIN_MS, 0),
        stateDir);
  }

  @Test
  void shouldAlertWhenTheTopGeneratorChanges() {
    try (MonitorDriver m = leaderChangeMonitor()) {
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 2], 10 + i); // covers half the reference
      }
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b" + i, BASIS[i], 10 + i); // the reference itself
      }

      List<RankingUpdate> updates = m.rankings.readValuesToList();
      assertThat(updates).extracting(RankingUpdate::getLeader).containsExactly("gen-a", "gen-b");
      List<DriftAlert> alerts = m.alerts.readValuesToList();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).getKind()).isEqualTo(AlertKind.TOP_GENERATOR_CHANGED);
      assertThat(alerts.get(0).getGeneratorId()).isEqualTo("gen-b");
      assertThat(alerts.get(0).getPreviousLeader()).isEqualTo("gen-a");
      // the two are in different mmd2_poly tiers; P(gen-b beats gen-a) as numpy computes it
      RankingUpdate last = updates.get(1);
      assertThat(last.getTierLevel()).isEqualTo(0.95);
      assertThat(mmdRank(last, "gen-b").getTier()).isEqualTo(1);
      assertThat(mmdRank(last, "gen-a").getTier()).isEqualTo(2);
      assertThat(mmdRank(last, "gen-b").getBeatsNext()).isCloseTo(0.9853508527977247, within(1e-6));
      assertThat(mmdRank(last, "gen-a").getBeatsNext()).isNull();
      assertThat(mmdRank(last, "gen-a").getLow()).isLessThan(mmdRank(last, "gen-a").getValue());
      assertThat(mmdRank(last, "gen-a").getHigh()).isGreaterThan(mmdRank(last, "gen-a").getValue());
      assertThat(last.getNoiseFloors()).extracting(f -> f.getProxy()).contains("mmd2_poly");
    }
  }

  /**
   * Regression: the leader-change alert fires only when the new leader is separated from the old
   * one. With four real samples "the reference itself" tops "half the reference", but the two are
   * in one mmd2_poly tier (numpy: P(beats) = 0.807 < 0.95): the ranking's top changes, the leader
   * and the alert do not.
   */
  @Test
  void shouldNotAlertWhenTheNewLeaderIsInTheOldLeadersTier() {
    try (MonitorDriver m = leaderChangeMonitorWithoutReference()) {
      basisReference(m, "v1", 0);
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 2], 10 + i); // covers half the reference
      }
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b" + i, BASIS[i], 10 + i); // the reference itself
      }

      List<RankingUpdate> updates = m.rankings.readValuesToList();
      assertThat(updates).extracting(RankingUpdate::getLeader).containsExactly("gen-a", "gen-b");
      RankingUpdate last = updates.get(1);
      assertThat(mmdRank(last, "gen-b").getTier()).isEqualTo(1);
      assertThat(mmdRank(last, "gen-a").getTier()).isEqualTo(1);
      assertThat(mmdRank(last, "gen-b").getBeatsNext()).isCloseTo(0.8067618846143836, within(1e-6));
      assertThat(m.alerts.readValuesToList()).as("a change within one tier").isEmpty();
    }
  }

  /**
   * Each window's scores carry the mmd2_poly interval (the batch witness's standard error), the
   * least real-looking samples and the reference samples the generator leaves uncovered, and the
   * evidence view shows them.
   */
  @Test
  void shouldCarryIntervalEvidenceAndNoiseFloorsInTheScores() {
    try (MonitorDriver m = leaderChangeMonitor()) {
      // given gen-a covers three basis vectors, not the fourth, and one sample is off the reference
      m.sample("gen-a", "a0", BASIS[0], 10);
      m.sample("gen-a", "a1", BASIS[1], 11);
      m.sample("gen-a", "odd", "v:1,-1,0,0", 12);
      m.sample("gen-a", "a3", BASIS[2], 13);

      // when
      QualityScores s = m.scores.readValuesToList().get(0);

      // then the interval equals the batch witness's
      double h = Math.sqrt(0.5);
      double[][] x = {{1, 0, 0, 0}, {0, 1, 0, 0}, {h, -h, 0, 0}, {0, 0, 1, 0}};
      double[][] r = new double[20][];
      for (int c = 0; c < 5; c++) {
        for (int i = 0; i < 4; i++) {
          r[c * 4 + i] = new double[4];
          r[c * 4 + i][i] = 1;
        }
      }
      dev.synque.monitor.core.MmdWitness w =
          dev.synque.monitor.core.MmdWitness.polynomial(
              EmbeddingSet.of("x", x), EmbeddingSet.of("r", r));
      assertThat(s.getIntervals())
          .singleElement()
          .satisfies(
              i -> {
                assertThat(i.getProxy()).isEqualTo("mmd2_poly");
                assertThat(i.getLevel()).isEqualTo(0.95);
                // the monitor's vectors are float32 (1/sqrt 2 is rounded), the batch's double
                assertThat(i.getStandardError()).isCloseTo(w.standardError(), within(1e-6));
                assertThat(i.getHigh() - i.getLow())
                    .isCloseTo(2 * 1.959963984540054 * i.getStandardError(), within(1e-9));
              });
      // the off-reference sample is the least real-looking; the uncovered basis vectors come first
      assertThat(s.getEvidence().getLeastReal().get(0).getSampleId()).isEqualTo("odd");
      assertThat(s.getEvidence().getLeastReal().get(0).getText()).isEqualTo("v:1,-1,0,0");
      assertThat(s.getEvidence().getUnderCovered())
          .hasSize(5)
          .allSatisfy(e -> assertThat(e.getSampleId()).matches("r[0-4]3"));
      assertThat(s.getNoiseFloors()).extracting(f -> f.getProxy()).contains("mmd2_poly", "frechet");
      com.fasterxml.jackson.databind.JsonNode json = MonitorJson.evidence(s);
      assertThat(json.get("leastReal").get(0).get("sampleId").asText()).isEqualTo("odd");
      assertThat(json.get("underCovered")).hasSize(5);
      assertThat(json.get("intervals").get(0).get("proxy").asText()).isEqualTo("mmd2_poly");
      assertThat(json.get("noiseFloors").size()).isGreaterThanOrEqualTo(2);
    }
  }

  private static ProxyRank mmdRank(RankingUpdate ranking, String generator) {
    return ranking.getEntries().stream()
        .filter(e -> e.getGeneratorId().equals(generator))
        .flatMap(e -> e.getProxies().stream())
        .filter(p -> p.getProxy().equals("mmd2_poly"))
        .findFirst()
        .orElseThrow();
  }

  /** A generator that ties the leader for first does not take the lead, whatever its id. */
  @Test
  void shouldKeepTheLeaderWhileItIsTiedForFirst() {
    try (MonitorDriver m = leaderChangeMonitor()) {
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b" + i, BASIS[i], 10 + i);
      }
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], 10 + i); // the same texts: a tie for first
      }
      List<RankingUpdate> updates = m.rankings.readValuesToList();
      assertThat(updates).extracting(RankingUpdate::getLeader).containsExactly("gen-b", "gen-a");
      assertThat(updates.get(1).getEntries())
          .extracting(RankingEntry::getRank)
          .containsExactly(1, 1);
      assertThat(m.alerts.readValuesToList()).as("a tie is not a change of leader").isEmpty();
    }
  }

  /** By default a new leader must top three consecutive rankings before the alert fires. */
  @Test
  void shouldAlertOnlyWhenTheNewLeaderToppedThreeConsecutiveRankings() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.SCORES_EVERY_SAMPLES, 4,
                MonitorSettings.RANKING_MIN_SAMPLES, 4,
                LifecycleSettings.LEADER_MIN_MS, 0),
            stateDir)) {
      separableBasisReference(m, "v1", 0);
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 2], 10 + i); // covers half the reference
      }
      for (int i = 0; i < 8; i++) {
        m.sample("gen-b", "b" + i, BASIS[i % 4], 10 + i); // the reference itself
      }
      assertThat(m.rankings.readValuesToList())
          .extracting(RankingUpdate::getLeader)
          .containsExactly("gen-a", "gen-b", "gen-b");
      assertThat(m.alerts.readValuesToList()).as("gen-b topped two rankings").isEmpty();

      for (int i = 8; i < 12; i++) {
        m.sample("gen-b", "b" + i, BASIS[i % 4], 10 + i);
      }
      List<DriftAlert> alerts = m.alerts.readValuesToList();
      assertThat(alerts).hasSize(1);
      assertThat(alerts.get(0).getKind()).isEqualTo(AlertKind.TOP_GENERATOR_CHANGED);
      assertThat(alerts.get(0).getGeneratorId()).isEqualTo("gen-b");
      assertThat(alerts.get(0).getPreviousLeader()).isEqualTo("gen-a");
      assertThat(alerts.get(0).getMessage()).endsWith("topping 3 consecutive rankings");
    }
  }

  /**
   * Four windows: good (baseline), bad (degraded), medium (between clear band and threshold), good.
   */
  private List<DriftAlert> driftScenario(double clearRatio) {
    FakeEmbedder embedder = new FakeEmbedder(4);
    String medium = "v:1,0.35,0,0";
    EmbeddingSet r =
        EmbeddingSet.of(
            "r", java.util.Arrays.stream(BASIS).map(embedder::vector).toArray(float[][]::new));
    double mediumValue =
        Mmd2Polynomial.synqueDefault()
            .compute(
                EmbeddingSet.of(
                    "m",
                    new float[][] {
                      embedder.vector(medium),
                      embedder.vector(BASIS[1]),
                      embedder.vector(BASIS[2]),
                      embedder.vector(BASIS[3])
                    }),
                r);
    double minScale = mediumValue / 0.375; // the medium window degrades by 0.375: in (0.25, 0.5)
    try (MonitorDriver m =
        new MonitorDriver(
            Map.ofEntries(
                Map.entry(MonitorSettings.WINDOW_SIZE_MS, 1000),
                Map.entry(MonitorSettings.WINDOW_GRACE_MS, 0),
                Map.entry(MonitorSettings.WINDOW_ALL_TIME, false),
                Map.entry(MonitorSettings.PROXIES, "mmd2_poly"),
                Map.entry(MonitorSettings.DRIFT_WARMUP_WINDOWS, 1),
                Map.entry(MonitorSettings.DRIFT_CONSECUTIVE_WINDOWS, 1),
                Map.entry(MonitorSettings.DRIFT_THRESHOLD, 0.5),
                Map.entry(MonitorSettings.DRIFT_CLEAR_RATIO, clearRatio),
                Map.entry(MonitorSettings.DRIFT_MIN_SCALE, minScale)),
            stateDir.resolve("ratio-" + clearRatio),
            embedder)) {
      basisReference(m, "v1", 0);
      String[][] windows = {
        BASIS,
        {BASIS[0], BASIS[0], BASIS[0], BASIS[0]},
        {medium, BASIS[1], BASIS[2], BASIS[3]},
        BASIS
      };
      for (int w = 0; w < windows.length; w++) {
        for (int i = 0; i < 4; i++) {
          m.sample("gen-a", "w" + w + "s" + i, windows[w][i], w * 1000L + i);
        }
      }
      m.sample("gen-a", "closer", BASIS[0], 10_000);
      return m.alerts.readValuesToList();
    }
  }

  @Test
  void shouldNotClearADriftAlertInsideTheHysteresisBand() {
    List<DriftAlert> alerts = driftScenario(0.5);

    assertThat(alerts)
        .extracting(DriftAlert::getKind, a -> a.getWindowStart().toEpochMilli())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlertKind.QUALITY_DEGRADED, 1000L),
            org.assertj.core.groups.Tuple.tuple(AlertKind.QUALITY_RECOVERED, 3000L));
    assertThat(alerts.get(0).getProxy()).isEqualTo("mmd2_poly");
    assertThat(alerts.get(0).getDegradation()).isGreaterThan(0.5);
  }

  @Test
  void shouldClearADriftAlertAtOnceWithoutHysteresis() {
    List<DriftAlert> alerts = driftScenario(1.0);

    assertThat(alerts)
        .extracting(DriftAlert::getKind, a -> a.getWindowStart().toEpochMilli())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(AlertKind.QUALITY_DEGRADED, 1000L),
            org.assertj.core.groups.Tuple.tuple(AlertKind.QUALITY_RECOVERED, 2000L));
  }

  @Test
  void shouldEmitWindowsWithNewSamplesOnTheWallClockCadence() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.SCORES_EVERY_SAMPLES, 100,
                MonitorSettings.SCORES_EVERY_MS, 1000),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 10);
      m.sample("gen-a", "s2", BASIS[1], 11);
      assertThat(m.scores.isEmpty()).isTrue();

      m.driver.advanceWallClockTime(Duration.ofMillis(1000));
      m.driver.advanceWallClockTime(Duration.ofMillis(1000)); // nothing new: nothing emitted

      List<QualityScores> out = m.scores.readValuesToList();
      assertThat(out).extracting(QualityScores::getTrigger).containsExactly(ScoreTrigger.TIMER);
      assertThat(out.get(0).getSampleCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldKeepBufferedSamplesInTheStoreUntilTheWallClockFlushesThem() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.EMBED_BATCH_SIZE, 3,
                MonitorSettings.EMBED_MAX_WAIT_MS, 1000),
            stateDir)) {
      basisReference(m, "v1", 0);
      m.sample("gen-a", "s1", BASIS[0], 10);
      m.sample("gen-a", "s2", BASIS[1], 11);
      KeyValueStore<Long, byte[]> buffer =
          m.driver.getKeyValueStore(MonitorTopology.EMBED_BUFFER_STORE);
      assertThat(m.scores.isEmpty()).isTrue();
      assertThat(buffer.approximateNumEntries()).isEqualTo(2);

      m.driver.advanceWallClockTime(Duration.ofMillis(1000));

      assertThat(m.scores.readValuesToList())
          .extracting(QualityScores::getSampleCount)
          .containsExactly(1L, 2L);
      assertThat(buffer.approximateNumEntries()).isZero();
    }
  }
}
