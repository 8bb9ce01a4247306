package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LensBudgetTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void shouldRefuseARunThatWouldExceedTheGeneratorsHourlyCalls() {
    LensBudget budget = new LensBudget(0, 10, clock);

    assertThat(budget.tryReserve("gen-a", 8)).isEmpty();
    assertThat(budget.tryReserve("gen-a", 3))
        .hasValueSatisfying(
            why -> assertThat(why).contains("8 of 10 calls").contains("generator gen-a"));
    assertThat(budget.tryReserve("gen-b", 10)).isEmpty();
  }

  @Test
  void shouldRefuseARunThatWouldExceedTheOverallHourlyCalls() {
    LensBudget budget = new LensBudget(10, 0, clock);

    assertThat(budget.tryReserve("gen-a", 6)).isEmpty();
    assertThat(budget.tryReserve("gen-b", 6))
        .hasValueSatisfying(w -> assertThat(w).contains("all generators"));
  }

  @Test
  void shouldFreeCallsAfterAnHour() {
    LensBudget budget = new LensBudget(10, 10, clock);
    budget.tryReserve("gen-a", 10);

    clock.advance(Duration.ofMinutes(59));
    assertThat(budget.tryReserve("gen-a", 1)).isPresent();
    clock.advance(Duration.ofMinutes(1));

    assertThat(budget.tryReserve("gen-a", 10)).isEmpty();
  }

  @Test
  void shouldBookTheCallsActuallyMadeWhenSettling() {
    LensBudget budget = new LensBudget(0, 100, clock);
    budget.tryReserve("gen-a", 40);

    budget.settle("gen-a", 40, 25, 0);

    assertThat(budget.spent("gen-a")).isEqualTo(25);
    assertThat(budget.spent()).isEqualTo(25);
  }

  @Test
  void shouldRefuseTheNextRunOnceTheTokensAreSpent() {
    LensBudget budget = new LensBudget(0, 0, 0, 100, clock);
    assertThat(budget.tryReserve("gen-a", 10)).isEmpty();

    budget.settle("gen-a", 10, 10, 120);

    assertThat(budget.tryReserve("gen-a", 1))
        .hasValueSatisfying(w -> assertThat(w).contains("120 of 100 tokens").contains("gen-a"));
    assertThat(budget.tryReserve("gen-b", 1)).isEmpty();
    clock.advance(Duration.ofHours(1));
    assertThat(budget.tryReserve("gen-a", 1)).isEmpty();
    assertThat(budget.spentTokens()).isZero();
  }

  @Test
  void shouldNotLimitWhenTheLimitIsZero() {
    LensBudget budget = new LensBudget(0, 0, clock);

    assertThat(budget.tryReserve("gen-a", 1_000_000)).isEmpty();
  }
}
