package dev.synque.monitor.stream;

import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.DriftTracker;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The alert state as the stores hold it: which proxies of which generators are degraded ({@value
 * MonitorTopology#DRIFT_STORE}) and the confirmed leader of each window kind's latest ranking
 * ({@value MonitorTopology#LEADER_STORE}, {@value MonitorTopology#LATEST_RANKING_STORE}). The
 * stores are changelogged and written in the same transactions as the alerts, so gauges derived
 * from them survive a restart (the stores are restored) and a task move (the new owner reads them,
 * and the former owner no longer holds them: only active tasks' stores are read, so each series is
 * exported by the one instance that owns its task).
 */
public final class CommittedAlertState {

  /** One tracked proxy of one generator: degraded or not. */
  public record DriftFlag(String generator, String proxy, boolean degraded) {}

  /**
   * The leader of one window kind's ranking.
   *
   * @param windowKind the ranking's window kind
   * @param leader the confirmed leader (the one the alerts name), null before the first
   * @param ranked every generator in the latest ranking
   */
  public record Leader(String windowKind, String leader, List<String> ranked) {}

  /** What this instance's active tasks hold. */
  public record Snapshot(List<DriftFlag> drift, List<Leader> leaders) {
    public Snapshot {
      drift = List.copyOf(drift);
      leaders = List.copyOf(leaders);
    }
  }

  private CommittedAlertState() {}

  /**
   * Reads the active tasks' stores of a running application.
   *
   * @return empty while the stores cannot be queried (rebalancing, not started): keep what was
   *     exported until the next read
   */
  public static Optional<Snapshot> read(KafkaStreams streams, MonitorSettings settings) {
    try {
      return Optional.of(
          read(
              streams.store(
                  StoreQueryParameters.fromNameAndType(
                      MonitorTopology.DRIFT_STORE,
                      QueryableStoreTypes.<String, byte[]>keyValueStore())),
              streams.store(
                  StoreQueryParameters.fromNameAndType(
                      MonitorTopology.LEADER_STORE,
                      QueryableStoreTypes.<String, String>keyValueStore())),
              streams.store(
                  StoreQueryParameters.fromNameAndType(
                      MonitorTopology.LATEST_RANKING_STORE,
                      QueryableStoreTypes.<String, RankingUpdate>keyValueStore())),
              settings.drift()));
    } catch (InvalidStateStoreException e) {
      return Optional.empty();
    }
  }

  /** Reads the given stores (of one instance's active tasks). */
  static Snapshot read(
      ReadOnlyKeyValueStore<String, byte[]> drift,
      ReadOnlyKeyValueStore<String, String> leaders,
      ReadOnlyKeyValueStore<String, RankingUpdate> rankings,
      DriftTracker.Settings driftSettings) {
    List<DriftFlag> flags = new ArrayList<>();
    try (KeyValueIterator<String, byte[]> it = drift.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        // key: generator/proxy; proxy names hold no '/', so the last one separates them
        int slash = kv.key.lastIndexOf('/');
        ByteBuffer in = ByteBuffer.wrap(kv.value);
        in.position(4 + in.getInt());
        byte[] state = new byte[in.remaining()];
        in.get(state);
        flags.add(
            new DriftFlag(
                kv.key.substring(0, slash),
                kv.key.substring(slash + 1),
                DriftTracker.fromBytes(state, driftSettings).degraded()));
      }
    }
    List<Leader> list = new ArrayList<>();
    for (WindowKind kind : WindowKind.values()) {
      RankingUpdate ranking = rankings.get(kind.name());
      if (ranking == null) {
        continue;
      }
      LeaderState state =
          LeaderState.decode(leaders.get(kind.name() + "/" + ranking.getReferenceVersion()));
      list.add(
          new Leader(
              kind.name(),
              state.leader(),
              ranking.getEntries().stream().map(RankingEntry::getGeneratorId).toList()));
    }
    return new Snapshot(flags, list);
  }
}
