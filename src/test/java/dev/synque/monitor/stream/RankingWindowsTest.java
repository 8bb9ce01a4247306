package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rankings compare like with like (one window for every generator), leader changes need time as
 * well as count (per reference version), and outputs do not depend on the wall clock.
 */
class RankingWindowsTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  /**
   * The basis five times over: enough real samples that "half the reference" and "the reference
   * itself" fall in different mmd2_poly tiers, so a change of leader between them is a change.
   */
  private static void separableBasisReference(MonitorDriver m, String version) {
    for (int c = 0; c < 5; c++) {
      for (int i = 0; i < BASIS.length; i++) {
        m.referenceSample(version, "r" + c + i, BASIS[i], 0);
      }
    }
  }

  private static void basisReference(MonitorDriver m, String version) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample(version, "r" + i, BASIS[i], 0);
    }
  }

  /**
   * Given two generators, windows of 1 s with 0.5 s grace and scores after every sample, gen-a good
   * in window 0 and poor in window 1, gen-b the other way round: every time-window ranking ranks
   * one window, on each generator's final scores of that window.
   */
  @ParameterizedTest
  @ValueSource(strings = {"TUMBLING", "HOPPING"})
  void shouldRankEveryGeneratorOnTheSameClosedWindow(String kind) {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND,
                kind,
                MonitorSettings.WINDOW_SIZE_MS,
                1000,
                MonitorSettings.WINDOW_ADVANCE_MS,
                kind.equals("HOPPING") ? 500 : 1000,
                MonitorSettings.WINDOW_GRACE_MS,
                500,
                MonitorSettings.WINDOW_ALL_TIME,
                false,
                MonitorSettings.SCORES_EVERY_SAMPLES,
                1,
                MonitorSettings.RANKING_MIN_SAMPLES,
                1,
                MonitorSettings.PROXIES,
                "mmd2_poly"),
            stateDir)) {
      basisReference(m, "v1");
      String[] good = BASIS;
      String[] poor = {BASIS[0], BASIS[0], BASIS[0], BASIS[0]};
      for (int w = 0; w < 4; w++) {
        for (int i = 0; i < 4; i++) {
          long t = w * 1000L + i * 200;
          m.sample("gen-a", "a" + w + i, (w % 2 == 0 ? good : poor)[i], t);
          m.sample("gen-b", "b" + w + i, (w % 2 == 0 ? poor : good)[i], t);
        }
      }
      m.sample("gen-a", "a-end", BASIS[0], 10_000);
      m.sample("gen-b", "b-end", BASIS[0], 10_000);

      Map<String, Long> closedCounts = new HashMap<>();
      for (QualityScores s : m.scores.readValuesToList()) {
        if (s.getTrigger() == ScoreTrigger.WINDOW_CLOSE) {
          closedCounts.put(
              s.getGeneratorId() + "@" + s.getWindowStart().toEpochMilli(), s.getSampleCount());
        }
      }
      List<RankingUpdate> rankings = m.rankings.readValuesToList();
      assertThat(rankings).isNotEmpty();
      List<String> leaders = new ArrayList<>();
      for (RankingUpdate r : rankings) {
        assertThat(r.getWindowKind()).isEqualTo(WindowKind.valueOf(kind));
        assertThat(r.getWindowStart()).as("the ranked window").isNotNull();
        long start = r.getWindowStart().toEpochMilli();
        assertThat(r.getWindowEnd().toEpochMilli()).isEqualTo(start + 1000);
        for (RankingEntry e : r.getEntries()) {
          assertThat(e.getSampleCount())
              .as("%s in the ranking of window %d", e.getGeneratorId(), start)
              .isEqualTo(closedCounts.get(e.getGeneratorId() + "@" + start));
        }
        if (r.getEntries().size() == 2) {
          leaders.add(start + ":" + r.getLeader());
        }
      }
      if (kind.equals("TUMBLING")) {
        // windows alternate: gen-a leads the even windows, gen-b the odd ones
        assertThat(leaders).containsExactly("0:gen-a", "1000:gen-b", "2000:gen-a", "3000:gen-b");
      }
    }
  }

  /** All-time rankings, a change confirmed at once by count; the time rule decides. */
  private MonitorDriver timeRuleMonitor(long minMs) {
    MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.SCORES_EVERY_SAMPLES, 4,
                MonitorSettings.RANKING_MIN_SAMPLES, 4,
                MonitorSettings.RANKING_LEADER_CONFIRMATIONS, 1,
                LifecycleSettings.LEADER_MIN_MS, minMs),
            stateDir);
    separableBasisReference(m, "v1");
    return m;
  }

  @Test
  void shouldReplaceTheLeaderOnlyAfterTheChallengerHeldTheTopForTheMinimumTime() {
    try (MonitorDriver m = timeRuleMonitor(10_000)) {
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 2], 1_000 + i); // half the reference: leads alone
      }
      // gen-b (the reference itself) tops rankings at event times 2 s, 5 s and 8 s: < 10 s
      for (int k = 0; k < 3; k++) {
        for (int i = 0; i < 4; i++) {
          m.sample("gen-b", "b" + k + i, BASIS[i], 2_000 + k * 3_000L + i);
        }
      }
      assertThat(m.rankings.readValuesToList())
          .extracting(RankingUpdate::getLeader)
          .containsExactly("gen-a", "gen-b", "gen-b", "gen-b");
      assertThat(m.alerts.readValuesToList()).as("held the top 6 s of 10").isEmpty();

      // at 12 s it has held the top for 10 s
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b3" + i, BASIS[i], 12_000 + i);
      }
      List<DriftAlert> alerts = m.alerts.readValuesToList();
      assertThat(alerts).singleElement();
      assertThat(alerts.get(0).getKind()).isEqualTo(AlertKind.TOP_GENERATOR_CHANGED);
      assertThat(alerts.get(0).getPreviousLeader()).isEqualTo("gen-a");
      assertThat(alerts.get(0).getGeneratorId()).isEqualTo("gen-b");
      assertThat(alerts.get(0).getMessage()).contains("holding the top for at least 10000 ms");
    }
  }

  @Test
  void shouldKeepTheLeaderPerReferenceVersion() {
    try (MonitorDriver m = timeRuleMonitor(0)) {
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], 1_000 + i); // the reference itself: leads v1
      }
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b" + i, BASIS[i % 2], 1_000 + i);
      }
      assertThat(m.rankings.readValuesToList())
          .extracting(RankingUpdate::getLeader)
          .containsExactly("gen-a", "gen-a");
      assertThat(m.alerts.readValuesToList()).isEmpty();

      // when: a new reference version; gen-b is ranked first under it
      m.referenceSample("v2", "q0", "v:1,0,0,0", 50);
      m.referenceSample("v2", "q1", "v:0,1,0,0", 50);
      for (int i = 0; i < 4; i++) {
        m.sample("gen-b", "b2" + i, BASIS[i % 2], 2_000 + i);
      }
      List<RankingUpdate> after = m.rankings.readValuesToList();
      RankingUpdate v2 = after.get(after.size() - 1);
      assertThat(v2.getReferenceVersion()).isEqualTo("v2");
      assertThat(v2.getLeader()).isEqualTo("gen-b");

      // then: the first leader of v2 is no change of leader
      assertThat(m.alerts.readValuesToList()).isEmpty();
    }
  }

  /** Everything but wall-clock fields, for comparing two runs. */
  private static String content(QualityScores s) {
    return String.join(
        " ",
        s.getGeneratorId(),
        s.getWindowKind().name(),
        String.valueOf(s.getWindowStart()),
        s.getTrigger().name(),
        Long.toString(s.getSampleCount()),
        s.getScores().toString());
  }

  private static String content(RankingUpdate r) {
    return RankingUpdate.newBuilder(r).setComputedAt(java.time.Instant.EPOCH).build().toString();
  }

  private static String content(DriftAlert a) {
    return DriftAlert.newBuilder(a).setRaisedAt(java.time.Instant.EPOCH).build().toString();
  }

  /** Replays the same input, advancing the wall clock by {@code tick} after every sample. */
  private List<List<String>> replay(Duration tick, Path dir) {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_SIZE_MS, 1000,
                MonitorSettings.WINDOW_GRACE_MS, 0,
                MonitorSettings.SCORES_EVERY_SAMPLES, 3,
                MonitorSettings.SCORES_EVERY_MS, 1000,
                MonitorSettings.RANKING_MIN_SAMPLES, 2,
                MonitorSettings.RANKING_LEADER_CONFIRMATIONS, 1,
                LifecycleSettings.LEADER_MIN_MS, 0),
            dir)) {
      basisReference(m, "v1");
      for (int w = 0; w < 3; w++) {
        for (int i = 0; i < 5; i++) {
          long t = w * 1000L + i * 100;
          m.sample("gen-a", "a" + w + i, BASIS[(i + w) % 4], t);
          m.driver.advanceWallClockTime(tick);
          m.sample("gen-b", "b" + w + i, BASIS[(i * w) % 4], t);
          m.driver.advanceWallClockTime(tick);
        }
      }
      m.sample("gen-a", "a-end", BASIS[0], 9_000);
      m.sample("gen-b", "b-end", BASIS[0], 9_000);
      List<QualityScores> scores = m.scores.readValuesToList();
      return List.of(
          scores.stream()
              .filter(s -> s.getTrigger() != ScoreTrigger.TIMER)
              .map(RankingWindowsTest::content)
              .toList(),
          m.rankings.readValuesToList().stream().map(RankingWindowsTest::content).toList(),
          m.alerts.readValuesToList().stream().map(RankingWindowsTest::content).toList(),
          List.of(
              Long.toString(
                  scores.stream().filter(s -> s.getTrigger() == ScoreTrigger.TIMER).count())));
    }
  }

  @Test
  void shouldGiveTheSameScoresRankingsAndAlertsAtAnyReplaySpeed() {
    List<List<String>> fast = replay(Duration.ZERO, stateDir.resolve("fast"));
    List<List<String>> slow = replay(Duration.ofMillis(700), stateDir.resolve("slow"));

    assertThat(Long.parseLong(slow.get(3).get(0))).as("the slow run was timed").isPositive();
    assertThat(fast.get(3)).containsExactly("0");
    assertThat(slow.get(0)).as("scores").isEqualTo(fast.get(0)).isNotEmpty();
    assertThat(slow.get(1)).as("rankings").isEqualTo(fast.get(1)).isNotEmpty();
    assertThat(slow.get(2)).as("alerts").isEqualTo(fast.get(2));
  }
}
