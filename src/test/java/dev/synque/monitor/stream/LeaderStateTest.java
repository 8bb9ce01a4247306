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
    assertThat(LeaderState.NONE.next("a", 3).state()).isEqualTo(new LeaderState("a", null, 0));
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
  void shouldReadTheStoredLeaderOfTheFormerFormatAndRejectGarbage() {
    assertThat(LeaderState.decode("gen-a")).isEqualTo(new LeaderState("gen-a", null, 0));
    assertThat(LeaderState.decode(null)).isEqualTo(LeaderState.NONE);
    assertThat(new LeaderState("gen-a", null, 0).encode()).isEqualTo("gen-a");
    assertThatThrownBy(() -> LeaderState.decode("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 parts; expected 1 or 3");
  }
}
