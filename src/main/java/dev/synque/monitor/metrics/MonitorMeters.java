package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.stream.CommittedAlertState;
import dev.synque.monitor.stream.MonitorMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.function.LongSupplier;

/**
 * The topology's {@link MonitorMetrics} hooks, recorded with Micrometer: {@link
 * GeneratorQualityMetrics}, {@link UncertaintyMetrics} and {@link PipelineMetrics} bound to one
 * registry. Thread-safe.
 */
public final class MonitorMeters implements MonitorMetrics, MeterBinder {

  private final GeneratorQualityMetrics quality;
  private final PipelineMetrics pipeline = new PipelineMetrics();
  private final UncertaintyMetrics uncertainty;

  /**
   * @param maxGenerators cap on distinct generator tag values
   * @param clockMs wall clock in epoch milliseconds
   */
  public MonitorMeters(int maxGenerators, LongSupplier clockMs) {
    this.quality = new GeneratorQualityMetrics(maxGenerators, clockMs);
    this.uncertainty = new UncertaintyMetrics(quality);
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    quality.bindTo(registry);
    pipeline.bindTo(registry);
    uncertainty.bindTo(registry);
  }

  @Override
  public void sampleConsumed() {
    pipeline.consumed();
  }

  @Override
  public void sampleAccepted(String generatorId) {
    quality.sampleAccepted(generatorId);
  }

  @Override
  public void deadLettered(String reason) {
    pipeline.deadLettered(reason);
  }

  @Override
  public void embeddingBatch(int texts, long nanos) {
    pipeline.embeddingBatch(texts, nanos);
  }

  @Override
  public void proxiesComputed(long nanos) {
    pipeline.proxiesComputed(nanos);
  }

  @Override
  public void scored(QualityScores scores) {
    quality.scored(scores);
    pipeline.scored(scores);
  }

  @Override
  public void ranked(RankingUpdate ranking) {
    quality.ranked(ranking);
    uncertainty.ranked(ranking);
    pipeline.ranked();
  }

  @Override
  public void alerted(DriftAlert alert) {
    quality.alerted(alert);
  }

  /** See {@link GeneratorQualityMetrics#alertState}. */
  public void alertState(CommittedAlertState.Snapshot state) {
    quality.alertState(state);
  }

  @Override
  public void retired(String generatorId) {
    uncertainty.retired(generatorId);
    quality.retired(generatorId);
  }
}
