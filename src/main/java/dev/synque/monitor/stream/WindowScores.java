package dev.synque.monitor.stream;

import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.core.FrechetDistance;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes a window's configured proxies against the reference, using the streaming states where
 * they give the exact value: {@code mmd2_poly} is the incremental MMD² of the reservoir (O(1)),
 * {@code frechet} comes from the running moments of every sample of the window (not only the
 * reservoir) against the reference's prepared covariance factor ({@link
 * dev.synque.monitor.core.FrechetReference}); every other proxy is computed by the batch engine on
 * the reservoir's contents. A proxy that cannot be computed yet (too few samples for it) is
 * reported {@code INSUFFICIENT_DATA} with the rule in {@code detail}; a non-finite result is {@code
 * ERROR}.
 */
final class WindowScores {

  private WindowScores() {}

  static QualityScores compute(
      String generatorId,
      WindowState state,
      ReferenceSnapshot reference,
      List<QualityProxy> proxies,
      ScoreTrigger trigger,
      long now) {
    List<ProxyScore> scores = new ArrayList<>();
    for (QualityProxy proxy : proxies) {
      ProxyScore.Builder score =
          ProxyScore.newBuilder()
              .setProxy(proxy.name())
              .setHigherIsBetter(proxy.orientation() == Orientation.HIGHER_IS_BETTER);
      try {
        double value = value(proxy, state, reference);
        if (Double.isFinite(value)) {
          score.setValue(value).setStatus(ProxyStatus.OK).setDetail(null);
        } else {
          score.setValue(null).setStatus(ProxyStatus.ERROR).setDetail("the value is " + value);
        }
      } catch (IllegalArgumentException e) {
        score.setValue(null).setStatus(ProxyStatus.INSUFFICIENT_DATA).setDetail(e.getMessage());
      }
      scores.add(score.build());
    }
    return QualityScores.newBuilder()
        .setGeneratorId(generatorId)
        .setWindowKind(state.kind)
        .setWindowStart(Instant.ofEpochMilli(state.reportedStart()))
        .setWindowEnd(Instant.ofEpochMilli(state.reportedEnd()))
        .setReferenceVersion(reference.version())
        .setModelId(state.modelId)
        .setSampleCount(state.sampleCount)
        .setReservoirSize(state.reservoir.size())
        .setReferenceCount(reference.size())
        .setScores(scores)
        .setTrigger(trigger)
        .setComputedAt(Instant.ofEpochMilli(now))
        .build();
  }

  private static double value(QualityProxy proxy, WindowState state, ReferenceSnapshot reference) {
    if (state.sampleCount == 0) {
      throw new IllegalArgumentException("the window has no samples");
    }
    if (Mmd2Polynomial.NAME.equals(proxy.name()) && state.mmd != null) {
      return state.mmd.value();
    }
    if (FrechetDistance.NAME.equals(proxy.name())) {
      return reference.frechet().distance(state.moments);
    }
    return proxy.compute(state.reservoir.toEmbeddingSet("synthetic"), reference.embeddings());
  }
}
