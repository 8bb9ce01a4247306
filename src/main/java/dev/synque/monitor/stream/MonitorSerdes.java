package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * The Avro serdes of the monitor's topics (values; keys are plain strings, dead letters keep the
 * source key bytes). Inject them, so tests can use an in-memory registry.
 */
public record MonitorSerdes(
    Serde<SyntheticSample> synthetic,
    Serde<ReferenceSample> reference,
    Serde<QualityScores> scores,
    Serde<RankingUpdate> rankings,
    Serde<DriftAlert> alerts,
    Serde<DeadLetter> deadLetters,
    Serde<LensRequest> lensRequests,
    Serde<LensResult> lensResults) {

  public MonitorSerdes {
    Objects.requireNonNull(synthetic, "synthetic");
    Objects.requireNonNull(reference, "reference");
    Objects.requireNonNull(scores, "scores");
    Objects.requireNonNull(rankings, "rankings");
    Objects.requireNonNull(alerts, "alerts");
    Objects.requireNonNull(deadLetters, "deadLetters");
    Objects.requireNonNull(lensRequests, "lensRequests");
    Objects.requireNonNull(lensResults, "lensResults");
  }

  /** Every serde from one factory (sharing its registry client). */
  public static MonitorSerdes from(AvroSerdeFactory factory) {
    return new MonitorSerdes(
        factory.valueSerde(SyntheticSample.class),
        factory.valueSerde(ReferenceSample.class),
        factory.valueSerde(QualityScores.class),
        factory.valueSerde(RankingUpdate.class),
        factory.valueSerde(DriftAlert.class),
        factory.valueSerde(DeadLetter.class),
        factory.valueSerde(LensRequest.class),
        factory.valueSerde(LensResult.class));
  }
}
