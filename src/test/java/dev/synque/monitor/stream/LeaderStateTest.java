package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LeaderStateTest {

  /** Feeds the rankings' leaders in order; returns "old->new" for every confirmed change. */
  private static List<String> changes(int confirmations, String... tops) {
    LeaderState state = LeaderState.NONE;
    List<String> changes = new ArrayList<>();
    for (String top : tops) {
      LeaderState.Step step = state.next(top, confirmations);
      if (step.replaced() != null) {
        changes.add(step.replaced() + "->" + step.state().leader());
      }
      // Every state survives the store.
      state = LeaderState.decode(step.state().encode());
      assertThat(state).isEqualTo(step.state());
    }
    return changes;
  }

  @Test
  void shouldTakeTheFirstLeaderWithoutAnAlert() {
    assertThat(changes(3, null, "a", "a")).isEmpty();
    assertThat(LeaderState.NONE.next("a", 3).state()).isEqualTo(new LeaderState("a", null, 0, 0));
  }

  @Test
  void shouldReplaceTheLeaderOnlyAfterTheChallengerToppedConsecutiveRankings() {
    assertThat(changes(3, "a", "b", "b")).isEmpty();
    assertThat(changes(3, "a", "b", "b", "b")).containsExactly("a->b");
    assertThat(changes(3, "a", "b", "b", "b", "b", "b", "b")).containsExactly("a->b");
  }

  @Test
  void shouldStartTheCountOverWhenTheLeaderOrAThirdGeneratorTopsARanking() {
    assertThat(changes(3, "a", "b", "a", "b", "b", "a", "b", "c", "b", "b")).isEmpty();
    assertThat(changes(3, "a", "b", "b", "c", "c", "c")).containsExactly("a->c");
  }

  @Test
  void shouldIgnoreRankingsWithoutALeader() {
    assertThat(changes(3, "a", "b", null, "b", "b")).containsExactly("a->b");
  }

  @Test
  void shouldAlertAtOnceWithOneConfirmation() {
    assertThat(changes(1, "a", "b", "a", "a", "c")).containsExactly("a->b", "b->a", "a->c");
  }

  @Test
  void shouldRoundTripIdsOfAnyContentAndRejectGarbage() {
    // The key of this store changed with the format (window kind and reference version), so
    // values of the former NUL-joined format are never read.
    for (String id : List.of("a", "a;b", "3:x", "-", "a\0b", "ünï;-:", "")) {
      LeaderState state = new LeaderState(id, id + ";9:", 2, -5);
      assertThat(LeaderState.decode(state.encode())).isEqualTo(state);
    }
    assertThat(LeaderState.decode(null)).isEqualTo(LeaderState.NONE);
    assertThat(LeaderState.decode(LeaderState.NONE.encode())).isEqualTo(LeaderState.NONE);
    assertThatThrownBy(() -> LeaderState.decode("gen-a"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("does not start with L2;");
    assertThatThrownBy(() -> LeaderState.decode("L2;5:ab-;1;2"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("malformed");
  }

  @Test
  void shouldReplaceTheLeaderOnlyAfterTheChallengerKeptTheTopForTheMinimumTime() {
    // Given confirmations 3 and 60 s: rankings at t = 0, 1, 2, ... seconds.
    LeaderState state = LeaderState.NONE.next("a", 3, 60_000, 0).state();
    List<String> changes = new ArrayList<>();
    long t = 1_000;
    // b tops 100 rankings within 10 s: the count is met, the time is not: no change
    for (int i = 0; i < 100; i++, t += 100) {
      LeaderState.Step step = state.next("b", 3, 60_000, t);
      state = LeaderState.decode(step.state().encode());
      if (step.replaced() != null) {
        changes.add(step.replaced() + "->" + state.leader() + "@" + t);
      }
    }
    assertThat(changes).isEmpty();
    // a tops once: b starts over
    state = state.next("a", 3, 60_000, t).state();
    assertThat(state).isEqualTo(new LeaderState("a", null, 0, 0));
    long from = t + 1;
    for (t = from; t <= from + 60_000; t += 10_000) {
      LeaderState.Step step = state.next("b", 3, 60_000, t);
      state = step.state();
      if (step.replaced() != null) {
        changes.add(step.replaced() + "->" + state.leader() + "@" + (t - from));
      }
    }
    assertThat(changes).containsExactly("a->b@60000");
  }
}
