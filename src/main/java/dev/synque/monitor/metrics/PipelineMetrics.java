package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.QualityScores;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The pipeline: samples consumed, dead letters by reason, embedding batches (latency, size,
 * throughput), proxy computation latency, scores and rankings emitted. Timers publish a histogram
 * (for {@code histogram_quantile}). The {@code reason} tag is bounded to 32 values. Events before
 * {@link #bindTo} are ignored. Thread-safe.
 */
public final class PipelineMetrics implements MeterBinder {

  /** Records read from the synthetic-samples topic (counter). */
  public static final String CONSUMED = "synque.samples.consumed";

  /** Records sent to the dead-letter topic (counter), tag reason. */
  public static final String DEAD_LETTERS = "synque.dead.letters";

  /** Latency of one embedding batch (timer). */
  public static final String EMBED_BATCH = "synque.embedding.batch";

  /** Texts per embedding batch (distribution summary). */
  public static final String EMBED_BATCH_SIZE = "synque.embedding.batch.size";

  /** Texts embedded (counter): the embedding throughput. */
  public static final String EMBEDDED = "synque.embedding.texts";

  /** Latency of computing one window's proxies (timer). */
  public static final String PROXIES = "synque.proxies.compute";

  /** Quality scores emitted (counter), tag trigger. */
  public static final String SCORES = "synque.scores.emitted";

  /** Rankings emitted (counter). */
  public static final String RANKINGS = "synque.rankings.emitted";

  private final BoundedTagValues reasons = new BoundedTagValues(32);
  private volatile Bound bound;

  private record Bound(
      MeterRegistry registry,
      Counter consumed,
      Timer embedBatch,
      DistributionSummary batchSize,
      Counter embedded,
      Timer proxies,
      Counter rankings) {}

  @Override
  public void bindTo(MeterRegistry registry) {
    bound =
        new Bound(
            registry,
            Counter.builder(CONSUMED)
                .description("Records read from the synthetic-samples topic, before validation")
                .register(registry),
            Timer.builder(EMBED_BATCH)
                .description("Latency of one embedding batch")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry),
            DistributionSummary.builder(EMBED_BATCH_SIZE)
                .description("Texts per embedding batch")
                .baseUnit("texts")
                .register(registry),
            Counter.builder(EMBEDDED).description("Texts embedded").register(registry),
            Timer.builder(PROXIES)
                .description("Latency of computing the quality proxies of one window")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(120))
                .register(registry),
            Counter.builder(RANKINGS)
                .description("Rankings of all generators emitted")
                .register(registry));
    // Registered up front so that rate() has a series before the first dead letter.
    deadLetterCounter(registry, "NONE");
  }

  private static Counter deadLetterCounter(MeterRegistry registry, String reason) {
    return Counter.builder(DEAD_LETTERS)
        .description("Records sent to the dead-letter topic, by reason")
        .tag("reason", reason)
        .register(registry);
  }

  /** A record was read. */
  public void consumed() {
    Bound b = bound;
    if (b != null) {
      b.consumed().increment();
    }
  }

  /** A record was dead-lettered with {@code reason}. */
  public void deadLettered(String reason) {
    Bound b = bound;
    if (b != null) {
      deadLetterCounter(b.registry(), reasons.of(reason)).increment();
    }
  }

  /** An embedding batch of {@code texts} took {@code nanos}. */
  public void embeddingBatch(int texts, long nanos) {
    Bound b = bound;
    if (b != null) {
      b.embedBatch().record(nanos, TimeUnit.NANOSECONDS);
      b.batchSize().record(texts);
      b.embedded().increment(texts);
    }
  }

  /** A window's proxies took {@code nanos}. */
  public void proxiesComputed(long nanos) {
    Bound b = bound;
    if (b != null) {
      b.proxies().record(nanos, TimeUnit.NANOSECONDS);
    }
  }

  /** Scores were emitted. */
  public void scored(QualityScores scores) {
    Bound b = bound;
    if (b != null) {
      Counter.builder(SCORES)
          .description("Quality scores emitted, by trigger")
          .tag("trigger", scores.getTrigger().name())
          .register(b.registry())
          .increment();
    }
  }

  /** A ranking was emitted. */
  public void ranked() {
    Bound b = bound;
    if (b != null) {
      b.rankings().increment();
    }
  }
}
