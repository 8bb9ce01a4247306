package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.core.Leaderboard.Entry;
import dev.synque.monitor.core.Leaderboard.GeneratorScores;
import dev.synque.monitor.core.Leaderboard.Ranking;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeaderboardTest {

  private static final Map<String, Orientation> PROXIES = new LinkedHashMap<>();

  static {
    PROXIES.put("mmd2_poly", Orientation.LOWER_IS_BETTER);
    PROXIES.put("mauve", Orientation.HIGHER_IS_BETTER);
  }

  private static GeneratorScores scores(long n, double mmd, double mauve) {
    Map<String, Double> v = new LinkedHashMap<>();
    v.put("mmd2_poly", mmd);
    v.put("mauve", mauve);
    return new GeneratorScores(n, v);
  }

  @Test
  void shouldRankPerProxyAndCombinedWithEachOrientation() {
    Map<String, GeneratorScores> board = new LinkedHashMap<>();
    board.put("c", scores(500, 0.30, 0.9));
    board.put("a", scores(500, 0.10, 0.8));
    board.put("b", scores(500, 0.20, 0.1));
    Ranking r = Leaderboard.rank(board, PROXIES, 100);
    // mmd: a 1, b 2, c 3; mauve: c 1, a 2, b 3; Borda: a (1 + 0.5) / 2, c 0.5, b 0.25.
    assertThat(r.entries()).extracting(Entry::generatorId).containsExactly("a", "c", "b");
    assertThat(r.entries()).extracting(Entry::rank).containsExactly(1, 2, 3);
    assertThat(r.entries().get(0).combinedScore()).isEqualTo(0.75);
    assertThat(r.entries().get(1).proxies())
        .extracting(Leaderboard.ProxyRank::rank)
        .containsExactly(3, 1);
    assertThat(r.leader()).isEqualTo("a");
  }

  @Test
  void shouldShareRanksOnTiesAndPickTheSmallestIdAsLeader() {
    Map<String, GeneratorScores> board = new LinkedHashMap<>();
    board.put("z", scores(500, 0.1, 0.5));
    board.put("y", scores(500, 0.1, 0.5));
    board.put("x", scores(500, 0.3, 0.2));
    Ranking r = Leaderboard.rank(board, PROXIES, 1);
    assertThat(r.entries()).extracting(Entry::generatorId).containsExactly("y", "z", "x");
    assertThat(r.entries()).extracting(Entry::rank).containsExactly(1, 1, 3);
    assertThat(r.leader()).isEqualTo("y");
  }

  @Test
  void shouldListButNotRankGeneratorsWithTooFewSamplesOrNoValues() {
    Map<String, GeneratorScores> board = new LinkedHashMap<>();
    board.put("young", scores(5, 0.0, 1.0));
    board.put("blank", scores(500, Double.NaN, Double.NaN));
    board.put("ok", scores(500, 0.5, 0.5));
    Ranking r = Leaderboard.rank(board, PROXIES, 100);
    assertThat(r.entries()).extracting(Entry::generatorId).containsExactly("ok", "blank", "young");
    assertThat(r.entries().get(2).ineligibleReason())
        .isEqualTo("only 5 samples; at least 100 are needed");
    assertThat(r.entries().get(1).ineligibleReason()).contains("no proxy value");
    assertThat(r.entries().get(2).rank()).isNull();
    assertThat(r.leader()).isEqualTo("ok");
    assertThat(Leaderboard.rank(Map.of("young", scores(5, 0, 1)), PROXIES, 100).leader()).isNull();
  }

  @Test
  void shouldRankAGeneratorMissingOneProxyOnTheOthers() {
    Map<String, GeneratorScores> board = new LinkedHashMap<>();
    board.put("a", scores(500, 0.1, Double.NaN));
    board.put("b", scores(500, 0.2, 0.7));
    Ranking r = Leaderboard.rank(board, PROXIES, 1);
    Entry a =
        r.entries().stream().filter(e -> e.generatorId().equals("a")).findFirst().orElseThrow();
    assertThat(a.proxies().get(1).value()).isNull();
    assertThat(a.proxies().get(1).rank()).isNull();
    assertThat(a.combinedScore()).isEqualTo(1.0);
  }

  @Test
  void shouldNotRankOnALoneProxyValueNorLetItDecideTheLeader() {
    Map<String, Orientation> withLens = new LinkedHashMap<>(PROXIES);
    withLens.put("lens", Orientation.HIGHER_IS_BETTER);
    Map<String, GeneratorScores> board = new LinkedHashMap<>();
    board.put("b", scores(500, 0.2, 0.9));
    board.put("c", scores(500, 0.3, 0.1));
    Map<String, Double> a = new LinkedHashMap<>(scores(500, 0.1, 0.5).values());
    a.put("lens", 0.10);
    board.put("a", new GeneratorScores(500, a));
    Ranking r = Leaderboard.rank(board, withLens, 1);
    // a's lone LENS score does not count: a and b tie at 0.75 (0.833 against 0.75 if it did).
    assertThat(r.entries())
        .extracting(Entry::generatorId, Entry::rank, Entry::combinedScore)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("a", 1, 0.75),
            org.assertj.core.groups.Tuple.tuple("b", 1, 0.75),
            org.assertj.core.groups.Tuple.tuple("c", 3, 0.0));

    // A generator whose only value is of a proxy no other generator has is listed, unranked.
    Map<String, GeneratorScores> lone = new LinkedHashMap<>();
    lone.put("b", scores(500, 0.2, 0.9));
    lone.put("c", scores(500, 0.3, 0.1));
    lone.put("only-lens", new GeneratorScores(500, Map.of("lens", 0.9)));
    Ranking l = Leaderboard.rank(lone, withLens, 1);
    assertThat(l.entries())
        .extracting(Entry::generatorId, Entry::rank)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("b", 1),
            org.assertj.core.groups.Tuple.tuple("c", 2),
            org.assertj.core.groups.Tuple.tuple("only-lens", null));
    assertThat(l.entries().get(2).ineligibleReason()).contains("another generator");
    assertThat(l.leader()).isEqualTo("b");
  }

  @Test
  void shouldGiveCompetitionRanks() {
    assertThat(
            Leaderboard.competitionRanks(
                new double[] {0.2, 0.1, 0.2, Double.NaN, 0.4}, Orientation.LOWER_IS_BETTER))
        .containsExactly(2, 1, 2, 0, 4);
  }
}
