package dev.synque.monitor.stream;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Joins the LENS worker's results into the scores, in the ranking task (only with {@link
 * LensLink#enabled()}; its input is repartitioned to the ranking's single partition). The latest
 * result per generator is kept in {@value MonitorTopology#LATEST_LENS_STORE} (the newest request's,
 * {@link LensOrder}); every scores record gets its {@code lens} entry from it ({@link LensScores})
 * and is forwarded (the scores topic is written from here then, so it carries the joined LENS
 * score, and the ranking ranks it). A new result re-emits the generator's latest scores of every
 * window kind (read from the ranking's {@value MonitorTopology#LATEST_SCORES_STORE}) with trigger
 * {@code LENS_RESULT}.
 */
final class JoinLensProcessor implements Processor<String, RankingInput, String, QualityScores> {

  private ProcessorContext<String, QualityScores> context;
  private KeyValueStore<String, LensResult> lensResults;
  private KeyValueStore<String, QualityScores> latest;

  @Override
  public void init(ProcessorContext<String, QualityScores> context) {
    this.context = context;
    this.lensResults = context.getStateStore(MonitorTopology.LATEST_LENS_STORE);
    this.latest = context.getStateStore(MonitorTopology.LATEST_SCORES_STORE);
  }

  @Override
  public void process(Record<String, RankingInput> record) {
    if (record.value() instanceof RankingInput.Lens lens) {
      onLensResult(lens.result(), record.timestamp());
    } else if (record.value() instanceof RankingInput.Scores input) {
      QualityScores scores = input.scores();
      QualityScores joined =
          LensScores.with(
              scores,
              LensScores.of(
                  lensResults.get(scores.getGeneratorId()), scores.getReferenceVersion()));
      context.forward(new Record<>(joined.getGeneratorId(), joined, record.timestamp()));
    }
  }

  private void onLensResult(LensResult result, long timestamp) {
    String generator = result.getGeneratorId();
    if (!LensOrder.replaces(result, lensResults.get(generator))) {
      return; // a redelivered or older request's answer: the newer one stays joined
    }
    lensResults.put(generator, result);
    for (WindowKind windowKind : WindowKind.values()) {
      QualityScores previous = latest.get(RankGeneratorsProcessor.latestKey(windowKind, generator));
      if (previous == null) {
        continue;
      }
      QualityScores joined =
          QualityScores.newBuilder(
                  LensScores.with(previous, LensScores.of(result, previous.getReferenceVersion())))
              .setTrigger(ScoreTrigger.LENS_RESULT)
              .setComputedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .build();
      context.forward(new Record<>(generator, joined, timestamp));
    }
  }
}
