package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.lens.LensBudget;
import dev.synque.monitor.lens.LensWorkerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The LENS worker's {@link LensWorkerMetrics} hooks, recorded with Micrometer: LLM calls by
 * outcome, their latency and tokens, results by status, the budget left, and per generator the
 * latest LENS score, its staleness and status.
 *
 * <p>The {@code generator} tag is bounded like the monitor's ({@link
 * MetricsSettings#maxGenerators()}): later ids are reported as {@code other} and counted by {@link
 * GeneratorQualityMetrics#FOLDED}. A generator without a result for {@code forgetAfter} (the
 * monitor's {@code synque.generator.retire.ms}: the worker never hears of retirements, so it
 * forgets by its own clock) loses its series and frees its tag value. The {@code outcome} tag is
 * bounded to 16 values. Events before {@link #bindTo} are ignored. Thread-safe.
 */
public final class LensMetrics implements LensWorkerMetrics, MeterBinder {

  /** LLM calls (counter), tag outcome. */
  public static final String CALLS = "synque.lens.calls";

  /** Latency of one LLM call, retries included (timer). */
  public static final String LATENCY = "synque.lens.llm.latency";

  /** LLM tokens used (counter), tag direction ({@code prompt} or {@code completion}). */
  public static final String TOKENS = "synque.lens.tokens";

  /** Budget left in the sliding hour over all generators (gauge), tag unit (calls or tokens). */
  public static final String BUDGET_REMAINING = "synque.lens.budget.remaining";

  /** LENS results produced (counter), tag status (OK, STALE, UNAVAILABLE). */
  public static final String RESULTS = "synque.lens.results";

  /** Latest LENS score of a generator, tag generator. */
  public static final String GENERATOR_SCORE = "synque.generator.lens.score";

  /** Seconds since a generator's latest OK LENS result, tag generator. */
  public static final String GENERATOR_STALENESS = "synque.generator.lens.staleness";

  /**
   * 1 for the status of a generator's latest LENS result, 0 for the others; tags generator, status.
   */
  public static final String GENERATOR_STATUS = "synque.generator.lens.status";

  private final BoundedTagValues generators;
  private final BoundedTagValues outcomes = new BoundedTagValues(16);
  private final LongSupplier clockMs;
  // Per generator tag: when its latest OK result came, or its first result while none was OK.
  private final Map<String, Long> okSinceMs = new ConcurrentHashMap<>();
  // Per generator tag: when its latest result of any status came.
  private final Map<String, Long> lastResultMs = new ConcurrentHashMap<>();
  private final long forgetAfterMs;
  private volatile LensBudget budget;
  private volatile Bound bound;

  private record Bound(
      MeterRegistry registry,
      Timer latency,
      Counter promptTokens,
      Counter completionTokens,
      GaugeCells score,
      GaugeCells status,
      Counter folded) {}

  /** With the default forgetting time of {@code synque.generator.retire.ms} (24 hours). */
  public LensMetrics(int maxGenerators, LongSupplier clockMs) {
    this(maxGenerators, clockMs, Duration.ofHours(24));
  }

  /**
   * @param maxGenerators cap on distinct generator tag values, at least 1
   * @param clockMs wall clock in epoch milliseconds (for the staleness)
   * @param forgetAfter how long a generator's series stay without a new result, positive
   */
  public LensMetrics(int maxGenerators, LongSupplier clockMs, Duration forgetAfter) {
    if (forgetAfter.isNegative() || forgetAfter.isZero()) {
      throw new IllegalArgumentException("forgetAfter must be positive, got " + forgetAfter);
    }
    this.generators = new BoundedTagValues(maxGenerators);
    this.clockMs = clockMs;
    this.forgetAfterMs = forgetAfter.toMillis();
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // Registered up front, so that increase() and rate() see the first event of each kind.
    callCounter(registry, SUCCESS);
    for (LlmException.Kind kind : LlmException.Kind.values()) {
      callCounter(registry, kind.name().toLowerCase(Locale.ROOT));
    }
    callCounter(registry, ERROR);
    for (LensStatus status : LensStatus.values()) {
      resultCounter(registry, status);
    }
    bound =
        new Bound(
            registry,
            Timer.builder(LATENCY)
                .description("Latency of one LENS call to the LLM, retries included")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(5))
                .register(registry),
            tokenCounter(registry, "prompt"),
            tokenCounter(registry, "completion"),
            new GaugeCells(
                registry,
                GENERATOR_SCORE,
                "Latest LENS score of a generator (from its latest OK result); NaN until one",
                null),
            new GaugeCells(
                registry,
                GENERATOR_STATUS,
                "1 for the status of the generator's latest LENS result, 0 for the other statuses",
                null),
            Counter.builder(GeneratorQualityMetrics.FOLDED)
                .description(
                    "Events of generators past synque.metrics.max.generators, reported as other")
                .register(registry));
    registerBudget();
  }

  private static Counter callCounter(MeterRegistry registry, String outcome) {
    return Counter.builder(CALLS)
        .description("LENS calls to the LLM, by outcome")
        .tag("outcome", outcome)
        .register(registry);
  }

  private static Counter resultCounter(MeterRegistry registry, LensStatus status) {
    return Counter.builder(RESULTS)
        .description("LENS results produced, by status")
        .tag("status", status.name())
        .register(registry);
  }

  private static Counter tokenCounter(MeterRegistry registry, String direction) {
    return Counter.builder(TOKENS)
        .description("LLM tokens used by LENS, by direction")
        .tag("direction", direction)
        .register(registry);
  }

  @Override
  public void llmCall(String outcome, long nanos, long promptTokens, long completionTokens) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    callCounter(b.registry(), outcomes.of(outcome)).increment();
    b.latency().record(nanos, TimeUnit.NANOSECONDS);
    b.promptTokens().increment(Math.max(0, promptTokens));
    b.completionTokens().increment(Math.max(0, completionTokens));
  }

  @Override
  public void watchBudget(LensBudget budget) {
    this.budget = budget;
    registerBudget();
  }

  /**
   * Registers the gauges of the budget's overall limits once both the budget and registry are
   * known.
   */
  private void registerBudget() {
    Bound b = bound;
    LensBudget watched = budget;
    if (b == null || watched == null) {
      return;
    }
    // Only limits that exist: "no limit" has no remainder to show or alert on.
    if (watched.callsPerHour() > 0) {
      Gauge.builder(
              BUDGET_REMAINING, watched, w -> Math.max(0, (double) w.callsPerHour() - w.spent()))
          .description(
              "LENS budget left in the sliding hour over all generators, in calls or tokens")
          .tag("unit", "calls")
          .strongReference(true)
          .register(b.registry());
    }
    if (watched.tokensPerHour() > 0) {
      Gauge.builder(
              BUDGET_REMAINING,
              watched,
              w -> Math.max(0, (double) w.tokensPerHour() - w.spentTokens()))
          .description(
              "LENS budget left in the sliding hour over all generators, in calls or tokens")
          .tag("unit", "tokens")
          .strongReference(true)
          .register(b.registry());
    }
  }

  @Override
  public void result(LensResult result) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    resultCounter(b.registry(), result.getStatus()).increment();
    long now = clockMs.getAsLong();
    forgetQuiet(b, now);
    String generator = generators.of(result.getGeneratorId());
    lastResultMs.put(generator, now);
    if (BoundedTagValues.OTHER.equals(generator)
        && !BoundedTagValues.OTHER.equals(result.getGeneratorId())) {
      b.folded().increment();
    }
    Long before =
        result.getStatus() == LensStatus.OK
            ? okSinceMs.put(generator, now)
            : okSinceMs.putIfAbsent(generator, now);
    if (before == null) {
      Gauge.builder(
              GENERATOR_STALENESS,
              okSinceMs,
              m -> (clockMs.getAsLong() - m.getOrDefault(generator, clockMs.getAsLong())) / 1000.0)
          .description(
              "Seconds since the generator's latest OK LENS result (since its first result while"
                  + " none was OK)")
          .baseUnit("seconds")
          .tag("generator", generator)
          .strongReference(true)
          .register(b.registry());
    }
    Tags tags = Tags.of("generator", generator);
    if (result.getScore() != null) {
      b.score().set(tags, result.getScore());
    } else {
      b.score().setIfAbsent(tags, Double.NaN);
    }
    for (LensStatus status : LensStatus.values()) {
      b.status()
          .set(
              Tags.of("generator", generator, "status", status.name()),
              status == result.getStatus() ? 1 : 0);
    }
  }

  /**
   * Removes the series of every generator whose latest result is {@code forgetAfter} old and frees
   * its tag value ({@code other} is never freed: it stands for many generators).
   */
  private synchronized void forgetQuiet(Bound b, long now) {
    for (Map.Entry<String, Long> e : lastResultMs.entrySet()) {
      String generator = e.getKey();
      if (now - e.getValue() < forgetAfterMs || BoundedTagValues.OTHER.equals(generator)) {
        continue;
      }
      lastResultMs.remove(generator);
      okSinceMs.remove(generator);
      java.util.function.Predicate<Tags> its =
          tags ->
              tags.stream()
                  .anyMatch(t -> t.getKey().equals("generator") && t.getValue().equals(generator));
      b.score().removeIf(its);
      b.status().removeIf(its);
      for (io.micrometer.core.instrument.Meter meter : b.registry().getMeters()) {
        if (meter.getId().getName().equals(GENERATOR_STALENESS)
            && generator.equals(meter.getId().getTag("generator"))) {
          b.registry().remove(meter);
        }
      }
      generators.release(generator);
    }
  }
}
