package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.metrics.MonitorMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drift and leader gauges come from the stores: a restarted instance exports the same, an
 * instance whose task moved away exports nothing.
 */
class CommittedAlertStateTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  /** What the stores of the driver's (only) instance hold. */
  static CommittedAlertState.Snapshot read(MonitorDriver m) {
    return CommittedAlertState.read(
        m.driver.getKeyValueStore(MonitorTopology.DRIFT_STORE),
        m.driver.getKeyValueStore(MonitorTopology.LEADER_STORE),
        m.driver.getKeyValueStore(MonitorTopology.LATEST_RANKING_STORE),
        m.settings.drift());
  }

  private static double drift(SimpleMeterRegistry registry, String generator) {
    var gauge =
        registry
            .find("synque.generator.drift")
            .tag("generator", generator)
            .tag("proxy", "mmd2_poly")
            .gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Test
  void shouldExportDriftFromTheStoresAcrossARestartAndNotAfterTheTaskMoved() {
    SimpleMeterRegistry before = new SimpleMeterRegistry();
    MonitorMeters meters = new MonitorMeters(10, () -> 0L);
    meters.bindTo(before);
    try (MonitorDriver m =
        new MonitorDriver(
            Map.ofEntries(
                Map.entry(MonitorSettings.WINDOW_SIZE_MS, 1000),
                Map.entry(MonitorSettings.WINDOW_GRACE_MS, 0),
                Map.entry(MonitorSettings.WINDOW_ALL_TIME, false),
                Map.entry(MonitorSettings.PROXIES, "mmd2_poly"),
                Map.entry(MonitorSettings.RANKING_MIN_SAMPLES, 1),
                Map.entry(MonitorSettings.DRIFT_WARMUP_WINDOWS, 1),
                Map.entry(MonitorSettings.DRIFT_CONSECUTIVE_WINDOWS, 1),
                Map.entry(MonitorSettings.DRIFT_THRESHOLD, 0.5),
                Map.entry(MonitorSettings.DRIFT_MIN_SCALE, 1e-3)),
            stateDir,
            new FakeEmbedder(4),
            meters)) {
      for (int i = 0; i < BASIS.length; i++) {
        m.referenceSample("v1", "r" + i, BASIS[i], 0);
      }
      String[][] windows = {BASIS, {BASIS[0], BASIS[0], BASIS[0], BASIS[0]}};
      for (int w = 0; w < windows.length; w++) {
        for (int i = 0; i < 4; i++) {
          m.sample("gen-a", "w" + w + "s" + i, windows[w][i], w * 1000L + i);
        }
      }
      m.sample("gen-a", "closer", BASIS[0], 5_000);
      assertThat(m.alerts.readValuesToList())
          .extracting(DriftAlert::getKind)
          .contains(AlertKind.QUALITY_DEGRADED);

      // the alert transition alone sets no gauge: the stores do
      assertThat(drift(before, "gen-a")).isNaN();
      meters.alertState(read(m));
      assertThat(drift(before, "gen-a")).isEqualTo(1);
      assertThat(before.get("synque.generator.leader").tag("generator", "gen-a").gauge().value())
          .isEqualTo(1);

      // when the instance restarts (no alert is raised again), its new meters read the restored
      // stores and export the same
      SimpleMeterRegistry restarted = new SimpleMeterRegistry();
      MonitorMeters again = new MonitorMeters(10, () -> 0L);
      again.bindTo(restarted);
      again.alertState(read(m));
      assertThat(drift(restarted, "gen-a")).isEqualTo(1);

      // when the task moves to another instance, this one holds no store of it and exports nothing
      meters.alertState(new CommittedAlertState.Snapshot(List.of(), List.of()));
      assertThat(before.find("synque.generator.drift").gauges()).isEmpty();
      assertThat(before.find("synque.generator.leader").gauges()).isEmpty();
    }
  }
}
