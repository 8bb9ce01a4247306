package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.DriftTracker;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TrackDriftProcessorTest {

  private MockProcessorContext<String, DriftAlert> context;
  private TrackDriftProcessor processor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(7_000);
    KeyValueStore<String, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MonitorTopology.DRIFT_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    // baseline of the first 3 windows, degraded at 50% worse for 2 windows in a row
    processor = new TrackDriftProcessor(DriftTracker.Settings.defaults());
    processor.init(context);
  }

  @Test
  void shouldRaiseQualityDegradedAfterTwoClosedWindowsHalfWorseThanTheBaseline() {
    double[] mmd = {0.010, 0.010, 0.010, 0.020, 0.020};
    for (int w = 0; w < mmd.length; w++) {
      processor.process(closed("gen-a", w, mmd[w]));
    }

    assertThat(context.forwarded()).hasSize(1);
    Record<? extends String, ? extends DriftAlert> out = context.forwarded().get(0).record();
    DriftAlert alert = out.value();
    assertThat(out.key()).isEqualTo("gen-a");
    assertThat(out.timestamp()).isEqualTo(4 * 1_000L + 999);
    assertThat(alert.getKind()).isEqualTo(AlertKind.QUALITY_DEGRADED);
    assertThat(alert.getAlertId()).isEqualTo("QUALITY_DEGRADED/gen-a/mmd2_poly/TUMBLING/4000");
    assertThat(alert.getBaselineValue()).isEqualTo(0.010);
    assertThat(alert.getCurrentValue()).isEqualTo(0.020);
    assertThat(alert.getConsecutiveWindows()).isEqualTo(2);
    assertThat(alert.getRaisedAt()).isEqualTo(Instant.ofEpochMilli(7_000));
  }

  @Test
  void shouldIgnoreIntermediateAndAllTimeScores() {
    for (int w = 0; w < 6; w++) {
      QualityScores s = closed("gen-a", w, w < 3 ? 0.010 : 0.030).value();
      processor.process(
          new Record<>(
              "gen-a",
              QualityScores.newBuilder(s).setTrigger(ScoreTrigger.SAMPLE_COUNT).build(),
              w));
      processor.process(
          new Record<>(
              "gen-a", QualityScores.newBuilder(s).setWindowKind(WindowKind.ALL_TIME).build(), w));
    }

    assertThat(context.forwarded()).isEmpty();
  }

  private static Record<String, QualityScores> closed(String generator, int window, double mmd) {
    long start = window * 1_000L;
    QualityScores scores =
        QualityScores.newBuilder()
            .setGeneratorId(generator)
            .setWindowKind(WindowKind.TUMBLING)
            .setWindowStart(Instant.ofEpochMilli(start))
            .setWindowEnd(Instant.ofEpochMilli(start + 1_000))
            .setReferenceVersion("v1")
            .setModelId("test")
            .setSampleCount(50)
            .setReservoirSize(50)
            .setReferenceCount(20)
            .setScores(
                List.of(
                    ProxyScore.newBuilder()
                        .setProxy("mmd2_poly")
                        .setValue(mmd)
                        .setHigherIsBetter(false)
                        .setStatus(ProxyStatus.OK)
                        .setDetail(null)
                        .build()))
            .setTrigger(ScoreTrigger.WINDOW_CLOSE)
            .setComputedAt(Instant.ofEpochMilli(start + 1_000))
            .build();
    return new Record<>(generator, scores, start + 999);
  }
}
