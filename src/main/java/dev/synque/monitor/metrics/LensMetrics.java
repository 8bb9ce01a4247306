package dev.synque.monitor.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The LENS worker's meters, the names the alert rules and dashboards expect: calls by outcome, LLM
 * latency and tokens, the budget left. The LENS worker creates one, binds it to its registry and
 * reports each judge call. The {@code outcome} tag is bounded to 16 values (for example {@code
 * success}, {@code error}, {@code timeout}, {@code over_budget}). Thread-safe.
 */
public final class LensMetrics implements MeterBinder {

  /** Judge calls (counter), tag outcome. */
  public static final String CALLS = "synque.lens.calls";

  /** LLM latency of one judge call (timer). */
  public static final String LATENCY = "synque.lens.llm.latency";

  /** LLM tokens used (counter), tag direction ({@code prompt} or {@code completion}). */
  public static final String TOKENS = "synque.lens.tokens";

  /** Budget left in the current budget period, in the budget's unit (gauge). */
  public static final String BUDGET_REMAINING = "synque.lens.budget.remaining";

  private final BoundedTagValues outcomes = new BoundedTagValues(16);
  private final AtomicLong budget = new AtomicLong(Double.doubleToLongBits(Double.NaN));
  private volatile MeterRegistry registry;
  private volatile Timer latency;

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder(BUDGET_REMAINING, budget, b -> Double.longBitsToDouble(b.get()))
        .description("LENS budget left in the current period; NaN until known")
        .strongReference(true)
        .register(registry);
    latency =
        Timer.builder(LATENCY)
            .description("LLM latency of one LENS judge call")
            .publishPercentileHistogram()
            .minimumExpectedValue(Duration.ofMillis(10))
            .maximumExpectedValue(Duration.ofMinutes(5))
            .register(registry);
    this.registry = registry;
    call(registry, "success");
    call(registry, "error");
    tokens(registry, "prompt");
    tokens(registry, "completion");
  }

  private static Counter call(MeterRegistry registry, String outcome) {
    return Counter.builder(CALLS)
        .description("LENS judge calls, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter tokens(MeterRegistry registry, String direction) {
    return Counter.builder(TOKENS)
        .description("LLM tokens used by LENS, by direction")
        .tag("direction", direction)
        .register(registry);
  }

  /**
   * One judge call.
   *
   * @param outcome {@code success}, {@code error}, {@code timeout}, {@code over_budget}, ...
   * @param nanos LLM latency
   * @param promptTokens tokens sent (0 if unknown)
   * @param completionTokens tokens received (0 if unknown)
   */
  public void call(String outcome, long nanos, long promptTokens, long completionTokens) {
    MeterRegistry r = registry;
    if (r == null) {
      return;
    }
    call(r, outcomes.of(outcome)).increment();
    latency.record(nanos, TimeUnit.NANOSECONDS);
    tokens(r, "prompt").increment(promptTokens);
    tokens(r, "completion").increment(completionTokens);
  }

  /** The budget left in the current period. */
  public void budgetRemaining(double remaining) {
    budget.set(Double.doubleToLongBits(remaining));
  }
}
