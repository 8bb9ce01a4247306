package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.DriftTracker;
import dev.synque.monitor.core.Orientation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Feeds every closed time window's scores (trigger {@code WINDOW_CLOSE}) into one core {@link
 * DriftTracker} per generator and proxy, kept in {@value MonitorTopology#DRIFT_STORE} with the
 * reference version it follows (a new version starts a new baseline), and emits {@code
 * QUALITY_DEGRADED} / {@code QUALITY_RECOVERED} {@link DriftAlert}s keyed by generator. Scores of
 * the all-time view and intermediate scores are not windows and are ignored; a proxy without a
 * value in a window changes nothing.
 */
final class TrackDriftProcessor implements Processor<String, QualityScores, String, DriftAlert> {

  private final DriftTracker.Settings settings;
  private ProcessorContext<String, DriftAlert> context;
  private KeyValueStore<String, byte[]> trackers;

  TrackDriftProcessor(DriftTracker.Settings settings) {
    this.settings = settings;
  }

  @Override
  public void init(ProcessorContext<String, DriftAlert> context) {
    this.context = context;
    this.trackers = context.getStateStore(MonitorTopology.DRIFT_STORE);
  }

  @Override
  public void process(Record<String, QualityScores> record) {
    QualityScores scores = record.value();
    if (scores.getTrigger() != ScoreTrigger.WINDOW_CLOSE
        || scores.getWindowKind() == WindowKind.ALL_TIME) {
      return;
    }
    for (ProxyScore score : scores.getScores()) {
      if (score.getStatus() != ProxyStatus.OK || score.getValue() == null) {
        continue;
      }
      String key = scores.getGeneratorId() + "/" + score.getProxy();
      Orientation orientation =
          score.getHigherIsBetter() ? Orientation.HIGHER_IS_BETTER : Orientation.LOWER_IS_BETTER;
      DriftTracker tracker = load(key, scores.getReferenceVersion(), orientation);
      DriftTracker.Observation seen = tracker.observe(score.getValue());
      save(key, scores.getReferenceVersion(), tracker);
      if (seen.event() != DriftTracker.Event.NONE) {
        DriftAlert alert =
            AlertRecords.qualityChange(
                scores, score, seen, settings.threshold(), context.currentSystemTimeMs());
        context.forward(new Record<>(scores.getGeneratorId(), alert, record.timestamp()));
      }
    }
  }

  private DriftTracker load(String key, String referenceVersion, Orientation orientation) {
    byte[] bytes = trackers.get(key);
    if (bytes != null) {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte[] version = new byte[in.getInt()];
      in.get(version);
      if (new String(version, StandardCharsets.UTF_8).equals(referenceVersion)) {
        byte[] rest = new byte[in.remaining()];
        in.get(rest);
        return DriftTracker.fromBytes(rest, settings);
      }
    }
    return new DriftTracker(settings, orientation);
  }

  private void save(String key, String referenceVersion, DriftTracker tracker) {
    byte[] version = referenceVersion.getBytes(StandardCharsets.UTF_8);
    byte[] state = tracker.toBytes();
    trackers.put(
        key,
        ByteBuffer.allocate(4 + version.length + state.length)
            .putInt(version.length)
            .put(version)
            .put(state)
            .array());
  }
}
