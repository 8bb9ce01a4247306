package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorTopology.CONTROL_STORE;
import static dev.synque.monitor.stream.MonitorTopology.DRIFT_STORE;
import static dev.synque.monitor.stream.MonitorTopology.EMBED_BUFFER_STORE;
import static dev.synque.monitor.stream.MonitorTopology.GENERATOR_CLOCK_STORE;
import static dev.synque.monitor.stream.MonitorTopology.LATEST_LENS_STORE;
import static dev.synque.monitor.stream.MonitorTopology.LATEST_RANKING_STORE;
import static dev.synque.monitor.stream.MonitorTopology.LATEST_SCORES_STORE;
import static dev.synque.monitor.stream.MonitorTopology.LEADER_STORE;
import static dev.synque.monitor.stream.MonitorTopology.LENS_CADENCE_STORE;
import static dev.synque.monitor.stream.MonitorTopology.REFERENCE_STORE;
import static dev.synque.monitor.stream.MonitorTopology.RETIRED_STORE;
import static dev.synque.monitor.stream.MonitorTopology.SCORE_HISTORY_STORE;
import static dev.synque.monitor.stream.MonitorTopology.WINDOW_SCORES_STORE;
import static dev.synque.monitor.stream.MonitorTopology.WINDOW_STATE_STORE;

import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The monitor's state stores (names and contents: the constants of {@link MonitorTopology}) and
 * which processor reaches which.
 */
final class MonitorStores {

  private MonitorStores() {}

  /** Adds the global stores and every state store of the monitor to {@code builder}. */
  static void add(StreamsBuilder builder, MonitorSettings settings, MonitorSerdes serdes) {
    builder.addGlobalStore(
        persistent(REFERENCE_STORE, Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
        settings.topics().reference(),
        Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("reference-source"),
        () -> new StoreReferenceProcessor(serdes.reference().deserializer()));
    if (settings.lifecycle().commands()) {
      builder.addGlobalStore(
          persistent(CONTROL_STORE, Serdes.String(), Serdes.ByteArray()).withLoggingDisabled(),
          settings.lifecycle().controlTopic(),
          Consumed.with(Serdes.String(), Serdes.ByteArray()).withName("control-source"),
          StoreControlProcessor::new);
    }
    builder.addStateStore(persistent(EMBED_BUFFER_STORE, Serdes.Long(), Serdes.ByteArray()));
    // Cached: a window state is megabytes and changes with every batch; the record cache keeps
    // only its latest bytes until the next commit, so the changelog gets one write per window per
    // commit instead of one per batch (exactly once still holds: the cache is flushed into the
    // transaction before the offsets are committed).
    builder.addStateStore(
        persistent(WINDOW_STATE_STORE, WindowKey.SERDE, Serdes.ByteArray()).withCachingEnabled());
    builder.addStateStore(
        persistent(GENERATOR_CLOCK_STORE, Serdes.String(), Serdes.Long()).withCachingEnabled());
    builder.addStateStore(persistent(DRIFT_STORE, Serdes.String(), Serdes.ByteArray()));
    builder.addStateStore(persistent(LATEST_SCORES_STORE, Serdes.String(), serdes.scores()));
    builder.addStateStore(persistent(LEADER_STORE, Serdes.String(), Serdes.String()));
    builder.addStateStore(persistent(LATEST_RANKING_STORE, Serdes.String(), serdes.rankings()));
    builder.addStateStore(persistent(SCORE_HISTORY_STORE, Serdes.String(), Serdes.String()));
    builder.addStateStore(persistent(WINDOW_SCORES_STORE, Serdes.String(), serdes.scores()));
    builder.addStateStore(persistent(RETIRED_STORE, Serdes.String(), serdes.rankings()));
    if (settings.lens().enabled()) {
      builder.addStateStore(persistent(LENS_CADENCE_STORE, Serdes.String(), Serdes.ByteArray()));
      builder.addStateStore(persistent(LATEST_LENS_STORE, Serdes.String(), serdes.lensResults()));
    }
  }

  /**
   * The per-generator stores of the sample flow's scoring step: a retired generator leaves them.
   */
  static String[] perGenerator(MonitorSettings settings) {
    List<String> stores =
        new ArrayList<>(
            List.of(WINDOW_STATE_STORE, GENERATOR_CLOCK_STORE, DRIFT_STORE, SCORE_HISTORY_STORE));
    if (settings.lens().enabled()) {
      stores.add(LENS_CADENCE_STORE);
    }
    return stores.toArray(String[]::new);
  }

  /** The stores of the ranking task. */
  static String[] ranking(MonitorSettings settings) {
    List<String> stores =
        new ArrayList<>(
            List.of(
                LATEST_SCORES_STORE,
                LEADER_STORE,
                LATEST_RANKING_STORE,
                WINDOW_SCORES_STORE,
                RETIRED_STORE));
    if (settings.lens().enabled()) {
      stores.add(LATEST_LENS_STORE);
    }
    return stores.toArray(String[]::new);
  }

  /** The stores of the LENS join, in the ranking task (it reads the ranking's latest scores). */
  static String[] lensJoin() {
    return new String[] {LATEST_LENS_STORE, LATEST_SCORES_STORE};
  }

  private static <K, V> StoreBuilder<KeyValueStore<K, V>> persistent(
      String name, Serde<K> keys, Serde<V> values) {
    KeyValueBytesStoreSupplier supplier = Stores.persistentKeyValueStore(name);
    return Stores.keyValueStoreBuilder(supplier, keys, values);
  }
}
