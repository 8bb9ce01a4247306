package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.WindowKind;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The state per generator does not grow with the stream: after 10,000 and after 100,000 samples
 * (all-time view plus tumbling windows that close) the stored bytes are within 10%.
 */
class StateSizeTest {

  @TempDir Path stateDir;

  private static long stateBytes(MonitorDriver m, String generator) {
    KeyValueStore<WindowKey, byte[]> store =
        m.driver.getKeyValueStore(MonitorTopology.WINDOW_STATE_STORE);
    long bytes = 0;
    try (KeyValueIterator<WindowKey, byte[]> it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        if (kv.key.generator().equals(generator)) {
          bytes += kv.key.toBytes().length + kv.value.length;
        }
      }
    }
    return bytes;
  }

  @Test
  void shouldKeepTheStatePerGeneratorFlatFrom10kTo100kSamples() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.WINDOW_SIZE_MS, 10_000,
                MonitorSettings.WINDOW_GRACE_MS, 0,
                MonitorSettings.RESERVOIR_CAPACITY, 256,
                MonitorSettings.SCORES_EVERY_SAMPLES, 5_000,
                MonitorSettings.EMBED_BATCH_SIZE, 500),
            stateDir,
            new FakeEmbedder(16))) {
      m.referenceSample("v1", "r0", "a real text", 0);
      m.referenceSample("v1", "r1", "another real text", 0);
      long at10k = 0;
      for (int i = 0; i < 100_000; i++) {
        // 1 sample per ms: a 10 s window holds 10,000 samples; each closes when the next starts.
        // Measured at the last sample of the first and of the tenth window: both then hold the
        // all-time view and one full window.
        m.sample("gen-a", "s" + i, "synthetic sample number " + (i % 5_000), i);
        if (i == 9_999) {
          at10k = stateBytes(m, "gen-a");
        }
      }
      long at100k = stateBytes(m, "gen-a");

      assertThat(at10k).isPositive();
      assertThat((double) at100k / at10k).isBetween(0.9, 1.1);
      KeyValueStore<WindowKey, byte[]> store =
          m.driver.getKeyValueStore(MonitorTopology.WINDOW_STATE_STORE);
      assertThat(store.get(ScoreWindowsProcessor.key("gen-a", WindowKind.TUMBLING, 0))).isNull();
      System.out.printf(
          "state of one generator (d=16, k=256): %d bytes after 10k, %d after 100k samples%n",
          at10k, at100k);
    }
  }
}
