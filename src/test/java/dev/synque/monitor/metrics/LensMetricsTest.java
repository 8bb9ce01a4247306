package dev.synque.monitor.metrics;

import static dev.synque.monitor.metrics.SampleMetrics.lensResult;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.lens.LensBudget;
import dev.synque.monitor.lens.MutableClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The LENS worker's meters: calls, results, the budget left and the per-generator gauges. */
class LensMetricsTest {

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private double gauge(String name, String... tags) {
    return registry.get(name).tags(tags).gauge().value();
  }

  private double counter(String name, String... tags) {
    return registry.get(name).tags(tags).counter().count();
  }

  @Test
  void shouldCountCallsByOutcomeWithLatencyAndTokens() {
    LensMetrics lens = new LensMetrics(10, clock::millis);
    lens.bindTo(registry);

    lens.llmCall("success", 20_000_000, 100, 7);
    lens.llmCall("success", 40_000_000, 50, 3);
    lens.llmCall("timeout", 120_000_000_000L, 0, 0);

    assertThat(counter(LensMetrics.CALLS, "outcome", "success")).isEqualTo(2);
    assertThat(counter(LensMetrics.CALLS, "outcome", "timeout")).isEqualTo(1);
    assertThat(counter(LensMetrics.CALLS, "outcome", "http_status")).isZero();
    assertThat(registry.get(LensMetrics.LATENCY).timer().count()).isEqualTo(3);
    assertThat(registry.get(LensMetrics.LATENCY).timer().max(java.util.concurrent.TimeUnit.SECONDS))
        .isEqualTo(120);
    assertThat(counter(LensMetrics.TOKENS, "direction", "prompt")).isEqualTo(150);
    assertThat(counter(LensMetrics.TOKENS, "direction", "completion")).isEqualTo(10);
  }

  @Test
  void shouldShowTheBudgetLeftInTheSlidingHourForEachLimitThatExists() {
    LensMetrics lens = new LensMetrics(10, clock::millis);
    LensBudget budget = new LensBudget(100, 0, 1_000, 0, clock);
    // Watched before binding (as the worker is wired): the gauges appear at bind time.
    lens.watchBudget(budget);
    lens.bindTo(registry);
    LensBudget callsOnly = new LensBudget(50, 0, clock);
    SimpleMeterRegistry other = new SimpleMeterRegistry();
    LensMetrics second = new LensMetrics(10, clock::millis);
    second.bindTo(other);
    second.watchBudget(callsOnly);

    budget.tryReserve("gen-a", 30);
    budget.settle("gen-a", 30, 30, 400);

    assertThat(gauge(LensMetrics.BUDGET_REMAINING, "unit", "calls")).isEqualTo(70);
    assertThat(gauge(LensMetrics.BUDGET_REMAINING, "unit", "tokens")).isEqualTo(600);
    budget.settle("gen-a", 0, 0, 900);
    assertThat(gauge(LensMetrics.BUDGET_REMAINING, "unit", "tokens")).isZero();
    clock.advance(Duration.ofMinutes(61));
    assertThat(gauge(LensMetrics.BUDGET_REMAINING, "unit", "calls")).isEqualTo(100);
    assertThat(gauge(LensMetrics.BUDGET_REMAINING, "unit", "tokens")).isEqualTo(1_000);
    assertThat(other.get(LensMetrics.BUDGET_REMAINING).gauges())
        .singleElement()
        .satisfies(g -> assertThat(g.getId().getTag("unit")).isEqualTo("calls"));
  }

  @Test
  void shouldKeepEachGeneratorsScoreStatusAndStaleness() {
    LensMetrics lens = new LensMetrics(10, clock::millis);
    lens.bindTo(registry);

    lens.result(lensResult("gen-a", LensStatus.OK, 0.7));
    clock.advance(Duration.ofSeconds(30));
    // Budget spent: the handler repeats the last OK score; it is not fresh.
    lens.result(lensResult("gen-a", LensStatus.STALE, 0.7));
    lens.result(lensResult("gen-b", LensStatus.UNAVAILABLE, null));
    clock.advance(Duration.ofSeconds(15));

    assertThat(gauge(LensMetrics.GENERATOR_SCORE, "generator", "gen-a")).isEqualTo(0.7);
    assertThat(gauge(LensMetrics.GENERATOR_STALENESS, "generator", "gen-a")).isEqualTo(45);
    assertThat(gauge(LensMetrics.GENERATOR_STATUS, "generator", "gen-a", "status", "STALE"))
        .isEqualTo(1);
    assertThat(gauge(LensMetrics.GENERATOR_STATUS, "generator", "gen-a", "status", "OK")).isZero();
    assertThat(gauge(LensMetrics.GENERATOR_SCORE, "generator", "gen-b")).isNaN();
    assertThat(gauge(LensMetrics.GENERATOR_STALENESS, "generator", "gen-b")).isEqualTo(15);
    assertThat(gauge(LensMetrics.GENERATOR_STATUS, "generator", "gen-b", "status", "UNAVAILABLE"))
        .isEqualTo(1);
    assertThat(counter(LensMetrics.RESULTS, "status", "OK")).isEqualTo(1);
    assertThat(counter(LensMetrics.RESULTS, "status", "STALE")).isEqualTo(1);
    assertThat(counter(LensMetrics.RESULTS, "status", "UNAVAILABLE")).isEqualTo(1);

    lens.result(lensResult("gen-a", LensStatus.OK, 0.4));
    assertThat(gauge(LensMetrics.GENERATOR_SCORE, "generator", "gen-a")).isEqualTo(0.4);
    assertThat(gauge(LensMetrics.GENERATOR_STALENESS, "generator", "gen-a")).isZero();
    assertThat(gauge(LensMetrics.GENERATOR_STATUS, "generator", "gen-a", "status", "OK"))
        .isEqualTo(1);
  }

  @Test
  void shouldFoldGeneratorsPastTheCapIntoOther() {
    LensMetrics lens = new LensMetrics(2, clock::millis);
    lens.bindTo(registry);

    for (String generator : new String[] {"g1", "g2", "g3", "g4", "g1"}) {
      lens.result(lensResult(generator, LensStatus.OK, 0.5));
    }

    assertThat(registry.get(LensMetrics.GENERATOR_SCORE).gauges())
        .extracting(g -> g.getId().getTag("generator"))
        .containsExactlyInAnyOrder("g1", "g2", "other");
    assertThat(counter(GeneratorQualityMetrics.FOLDED)).isEqualTo(2);
  }

  @Test
  void shouldForgetAGeneratorQuietForTheRetireTimeAndFreeItsTagValue() {
    LensMetrics lens = new LensMetrics(2, clock::millis, Duration.ofHours(1));
    lens.bindTo(registry);
    lens.result(lensResult("gone", LensStatus.OK, 0.3));
    lens.result(lensResult("kept", LensStatus.OK, 0.6));

    clock.advance(Duration.ofMinutes(59));
    lens.result(lensResult("kept", LensStatus.OK, 0.7));
    clock.advance(Duration.ofMinutes(1));
    lens.result(lensResult("new", LensStatus.STALE, 0.2));

    // "gone" was quiet for an hour: its series left and "new" took its slot instead of "other".
    assertThat(registry.get(LensMetrics.GENERATOR_SCORE).gauges())
        .extracting(g -> g.getId().getTag("generator"))
        .containsExactlyInAnyOrder("kept", "new");
    assertThat(registry.find(LensMetrics.GENERATOR_STALENESS).tag("generator", "gone").gauges())
        .isEmpty();
    assertThat(registry.find(LensMetrics.GENERATOR_STATUS).tag("generator", "gone").gauges())
        .isEmpty();
    assertThat(gauge(LensMetrics.GENERATOR_STATUS, "generator", "new", "status", "STALE"))
        .isEqualTo(1);
    assertThat(counter(GeneratorQualityMetrics.FOLDED)).isZero();
  }

  @Test
  void shouldIgnoreEventsBeforeItIsBound() {
    LensMetrics lens = new LensMetrics(10, clock::millis);

    lens.llmCall("success", 1, 1, 1);
    lens.result(lensResult("gen-a", LensStatus.OK, 0.5));
    lens.bindTo(registry);

    assertThat(counter(LensMetrics.CALLS, "outcome", "success")).isZero();
    assertThat(registry.find(LensMetrics.GENERATOR_SCORE).gauges()).isEmpty();
  }
}
