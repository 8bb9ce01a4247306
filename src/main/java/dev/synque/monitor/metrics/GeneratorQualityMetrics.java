package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.stream.CommittedAlertState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Per-generator quality: each proxy's latest value and rank, the overall rank, samples, the age of
 * the latest scores, drift state and the leader. The {@code generator} tag is bounded by {@link
 * MetricsSettings#maxGenerators()}: later ids are reported as {@code other} (their gauges then hold
 * the last value written by any of them) and counted by {@value #FOLDED}.
 *
 * <p>Gauges read {@code NaN} until a value is known (a proxy that failed, an ineligible generator's
 * rank). Each instance reports what its own tasks saw: with several instances, aggregate with
 * {@code max by (generator, ...)}. Events before {@link #bindTo} are ignored. Thread-safe.
 */
public final class GeneratorQualityMetrics implements MeterBinder {

  /** Latest value of each proxy, tags generator, proxy, window. */
  public static final String PROXY_VALUE = "synque.generator.proxy.value";

  /** Rank of the generator by one proxy (1 = best), tags generator, proxy, window. */
  public static final String PROXY_RANK = "synque.generator.proxy.rank";

  /** Overall rank (1 = best; NaN while ineligible), tags generator, window. */
  public static final String RANK = "synque.generator.rank";

  /** Combined score of the ranking rule, tags generator, window. */
  public static final String COMBINED_SCORE = "synque.generator.combined.score";

  /** 1 while the generator is eligible for ranking, else 0; tags generator, window. */
  public static final String ELIGIBLE = "synque.generator.eligible";

  /**
   * 1 for the confirmed leader of a window kind's ranking (the one {@code TOP_GENERATOR_CHANGED}
   * names), 0 for the other generators of its latest ranking; tags generator, window. From the
   * stores ({@link #alertState}), exported by the instance owning the ranking task.
   */
  public static final String LEADER = "synque.generator.leader";

  /** Samples in the generator's current window (latest scores), tags generator, window. */
  public static final String WINDOW_SAMPLES = "synque.generator.window.samples";

  /** Samples accepted per generator (counter), tag generator. */
  public static final String SAMPLES = "synque.generator.samples";

  /** Seconds since the generator's latest scores, tag generator. */
  public static final String SCORE_AGE = "synque.generator.score.age";

  /**
   * 1 while a proxy of the generator is degraded (drift), 0 otherwise; tags generator, proxy. From
   * the drift store ({@link #alertState}), exported by the instance owning the generator's task.
   */
  public static final String DRIFT = "synque.generator.drift";

  /** Drift and leader alerts raised (counter), tag kind. */
  public static final String ALERTS = "synque.alerts";

  /** Distinct generator ids with their own tag value. */
  public static final String TRACKED = "synque.metrics.generators";

  /** Events of generators past the cap, reported as {@code other} (counter). */
  public static final String FOLDED = "synque.metrics.generators.folded";

  private final BoundedTagValues generators;
  private final BoundedTagValues proxies = new BoundedTagValues(64);
  private final LongSupplier clockMs;
  private final Map<String, Long> lastScoreMs = new ConcurrentHashMap<>();
  private volatile Bound bound;

  private record Bound(
      MeterRegistry registry,
      GaugeCells proxyValue,
      GaugeCells proxyRank,
      GaugeCells rank,
      GaugeCells combined,
      GaugeCells eligible,
      GaugeCells leader,
      GaugeCells windowSamples,
      GaugeCells drift,
      Counter folded) {}

  /**
   * @param maxGenerators cap on distinct generator tag values
   * @param clockMs wall clock in epoch milliseconds (for the score age)
   */
  public GeneratorQualityMetrics(int maxGenerators, LongSupplier clockMs) {
    this.generators = new BoundedTagValues(maxGenerators);
    this.clockMs = clockMs;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    // Registered up front, so that increase() sees the first alert of each kind.
    for (AlertKind kind : AlertKind.values()) {
      alertCounter(registry, kind);
    }
    Gauge.builder(TRACKED, generators, BoundedTagValues::size)
        .description("Distinct generator ids reported with their own generator tag value")
        .register(registry);
    bound =
        new Bound(
            registry,
            new GaugeCells(
                registry, PROXY_VALUE, "Latest value of a quality proxy of a generator", null),
            new GaugeCells(
                registry, PROXY_RANK, "Rank of a generator by one proxy, 1 is best", null),
            new GaugeCells(
                registry,
                RANK,
                "Overall rank of a generator, 1 is best; NaN while ineligible",
                null),
            new GaugeCells(
                registry, COMBINED_SCORE, "Combined score of a generator in the ranking", null),
            new GaugeCells(
                registry, ELIGIBLE, "1 while the generator is eligible for ranking, else 0", null),
            new GaugeCells(registry, LEADER, "1 for the current top generator, else 0", null),
            new GaugeCells(
                registry, WINDOW_SAMPLES, "Samples in the generator's current window", "samples"),
            new GaugeCells(
                registry, DRIFT, "1 while a proxy of the generator is degraded, 0 otherwise", null),
            Counter.builder(FOLDED)
                .description(
                    "Events of generators past synque.metrics.max.generators, reported as other")
                .register(registry));
  }

  private static Counter alertCounter(MeterRegistry registry, AlertKind kind) {
    return Counter.builder(ALERTS)
        .description("Drift and leader-change alerts raised, by kind")
        .tag("kind", kind.name())
        .register(registry);
  }

  private String generator(Bound b, String id) {
    String tag = generators.of(id);
    if (BoundedTagValues.OTHER.equals(tag) && !BoundedTagValues.OTHER.equals(id)) {
      b.folded().increment();
    }
    return tag;
  }

  /** A sample of {@code generatorId} was accepted. */
  public void sampleAccepted(String generatorId) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    Counter.builder(SAMPLES)
        .description("Samples accepted per generator")
        .tag("generator", generator(b, generatorId))
        .register(b.registry())
        .increment();
  }

  /** Latest scores of a generator's window. */
  public void scored(QualityScores scores) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    String generator = generator(b, scores.getGeneratorId());
    String window = scores.getWindowKind().name();
    if (lastScoreMs.put(generator, clockMs.getAsLong()) == null) {
      Gauge.builder(
              SCORE_AGE,
              lastScoreMs,
              m -> (clockMs.getAsLong() - m.getOrDefault(generator, clockMs.getAsLong())) / 1000.0)
          .description("Seconds since the generator's latest quality scores")
          .baseUnit("seconds")
          .tag("generator", generator)
          .strongReference(true)
          .register(b.registry());
    }
    for (ProxyScore score : scores.getScores()) {
      double value =
          score.getStatus() == ProxyStatus.OK && score.getValue() != null
              ? score.getValue()
              : Double.NaN;
      b.proxyValue()
          .set(
              Tags.of(
                  "generator", generator, "proxy", proxies.of(score.getProxy()), "window", window),
              value);
    }
    b.windowSamples()
        .set(Tags.of("generator", generator, "window", window), scores.getSampleCount());
  }

  /** A ranking of all generators. */
  public void ranked(RankingUpdate ranking) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    String window = ranking.getWindowKind().name();
    for (RankingEntry entry : ranking.getEntries()) {
      String generator = generator(b, entry.getGeneratorId());
      Tags tags = Tags.of("generator", generator, "window", window);
      b.rank().set(tags, entry.getRank() == null ? Double.NaN : entry.getRank());
      b.combined()
          .set(tags, entry.getCombinedScore() == null ? Double.NaN : entry.getCombinedScore());
      b.eligible().set(tags, entry.getEligible() ? 1 : 0);
      for (ProxyRank proxy : entry.getProxies()) {
        b.proxyRank()
            .set(
                Tags.of(
                    "generator",
                    generator,
                    "proxy",
                    proxies.of(proxy.getProxy()),
                    "window",
                    window),
                proxy.getRank() == null ? Double.NaN : proxy.getRank());
      }
    }
    // The leader gauge comes from the stores (alertState), not from here.
  }

  /** A drift or leader alert. */
  public void alerted(DriftAlert alert) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    alertCounter(b.registry(), alert.getKind()).increment();
    // The drift gauge comes from the stores (alertState), not from alert transitions: it must
    // survive a restart and leave with a task that moves.
  }

  /**
   * Sets the drift and leader gauges to the committed alert state of this instance's active tasks
   * (a series not in it is removed), so they survive a restart and a task move and are exported
   * only by the owning instance. Called periodically by whoever owns the streams client.
   */
  public void alertState(CommittedAlertState.Snapshot state) {
    Bound b = bound;
    if (b == null) {
      return;
    }
    Map<Tags, Double> drift = new HashMap<>();
    for (CommittedAlertState.DriftFlag flag : state.drift()) {
      drift.merge(
          Tags.of("generator", generators.of(flag.generator()), "proxy", proxies.of(flag.proxy())),
          flag.degraded() ? 1.0 : 0.0,
          Math::max);
    }
    b.drift().retainOnly(drift);
    Map<Tags, Double> leader = new HashMap<>();
    for (CommittedAlertState.Leader l : state.leaders()) {
      String top = l.leader() == null ? null : generators.of(l.leader());
      for (String id : l.ranked()) {
        String generator = generators.of(id);
        leader.merge(
            Tags.of("generator", generator, "window", l.windowKind()),
            generator.equals(top) ? 1.0 : 0.0,
            Math::max);
      }
    }
    b.leader().retainOnly(leader);
  }

  /**
   * A generator retired: every series tagged with it is removed and its tag value is freed for a
   * new generator.
   */
  public void retired(String generatorId) {
    Bound b = bound;
    if (b == null || !generators.contains(generatorId)) {
      return;
    }
    java.util.function.Predicate<Tags> its =
        tags -> generatorId.equals(tagValue(tags, "generator"));
    for (GaugeCells cells :
        List.of(
            b.proxyValue(),
            b.proxyRank(),
            b.rank(),
            b.combined(),
            b.eligible(),
            b.leader(),
            b.windowSamples(),
            b.drift())) {
      cells.removeIf(its);
    }
    for (Meter meter : b.registry().getMeters()) {
      String name = meter.getId().getName();
      if ((name.equals(SAMPLES) || name.equals(SCORE_AGE))
          && generatorId.equals(meter.getId().getTag("generator"))) {
        b.registry().remove(meter);
      }
    }
    lastScoreMs.remove(generatorId);
    generators.release(generatorId);
  }

  /** The bounded tag value of a generator id (shared with {@link UncertaintyMetrics}). */
  String generatorTag(String generatorId) {
    Bound b = bound;
    return b == null ? generators.of(generatorId) : generator(b, generatorId);
  }

  /** The bounded tag value of a proxy name. */
  String proxyTag(String proxy) {
    return proxies.of(proxy);
  }

  private static String tagValue(Tags tags, String key) {
    return tags.stream()
        .filter(t -> t.getKey().equals(key))
        .map(t -> t.getValue())
        .findFirst()
        .orElse(null);
  }
}
