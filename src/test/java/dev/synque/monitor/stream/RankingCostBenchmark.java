package dev.synque.monitor.stream;

import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The part of a score emission that grows with the number of generators G: the ranking. Each
 * operation hands the real {@link RankGeneratorsProcessor} one new {@link QualityScores} (the next
 * generator in turn, one sample more than last time) on a {@link MockProcessorContext} with
 * in-memory stores, so it writes the latest scores, scans all G of them, ranks them with {@code
 * core.Leaderboard}, builds the {@link RankingUpdate} and keeps it; the update is then serialised
 * as the sink would (Avro, G entries). Expected: linear in G (the sort is G log G, small next to
 * the Avro work). RocksDB is not involved (in-memory stores), so this is the CPU cost only.
 *
 * <p>In this package because the processor is the topology's own. Run with {@code bin/bench
 * RankingCostBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class RankingCostBenchmark {

  @Param({"10", "50", "200", "1000"})
  public int generators;

  private RankGeneratorsProcessor processor;
  private MockProcessorContext<String, RankingOutput> context;
  private Serializer<RankingUpdate> rankings;
  private long sequence;

  @Setup(Level.Trial)
  public void setUp() {
    MonitorSettings settings =
        MonitorSettings.fromConfig(Map.of(MonitorSettings.RANKING_MIN_SAMPLES, 1));
    rankings = serdes().rankings().serializer();
    context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(0); // the mock has no clock unless given one
    // The mock gives every store the same changelog topic name, so each store's serde gets its
    // own registry (one subject per registry, as one subject per changelog in the real topology).
    store(MonitorTopology.LATEST_SCORES_STORE, serdes().scores());
    store(MonitorTopology.LEADER_STORE, Serdes.String());
    store(MonitorTopology.LATEST_RANKING_STORE, serdes().rankings());
    store(MonitorTopology.WINDOW_SCORES_STORE, serdes().scores());
    store(MonitorTopology.RETIRED_STORE, serdes().rankings());
    processor =
        new RankGeneratorsProcessor(
            settings.ranking(),
            settings.windows(),
            settings.lifecycle(),
            settings.lens().enabled(),
            MonitorMetrics.NONE);
    processor.init(context);
    for (int g = 0; g < generators; g++) {
      rank();
    }
  }

  private static MonitorSerdes serdes() {
    return MonitorSerdes.from(
        new AvroSerdeFactory(
            Map.of(SchemaRegistrySettings.URL, "http://in-memory"), new InMemorySchemaRegistry()));
  }

  private <V> void store(String name, org.apache.kafka.common.serialization.Serde<V> values) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
  }

  @Benchmark
  public byte[] rank() {
    long i = sequence++;
    int g = (int) (i % generators);
    // Values that differ by generator and drift with the sample count, so the order changes.
    double mmd = 1e-3 * (1 + (g * 7919L + i) % 101);
    double frechet = 0.3 + 1e-3 * ((g * 104729L + 3 * i) % 97);
    QualityScores scores =
        QualityScores.newBuilder()
            .setGeneratorId(String.format("g%04d", g))
            .setWindowKind(WindowKind.ALL_TIME)
            .setWindowStart(Instant.ofEpochMilli(0))
            .setWindowEnd(Instant.ofEpochMilli(1 + i))
            .setReferenceVersion("v1")
            .setModelId("bench")
            .setSampleCount(1 + i / generators)
            .setReservoirSize(1024)
            .setReferenceCount(200)
            .setScores(List.of(score("mmd2_poly", mmd), score("frechet", frechet)))
            .setTrigger(ScoreTrigger.SAMPLE_COUNT)
            .setComputedAt(Instant.ofEpochMilli(i))
            .build();
    processor.process(new Record<>("all-generators", scores, i));
    RankingUpdate update = null;
    for (MockProcessorContext.CapturedForward<? extends String, ?> f : context.forwarded()) {
      if (f.record().value() instanceof RankingOutput.Ranking r) {
        update = r.update();
      }
    }
    context.resetForwards();
    return rankings.serialize("synque-rankings-v1", update);
  }

  private static ProxyScore score(String proxy, double value) {
    return ProxyScore.newBuilder()
        .setProxy(proxy)
        .setValue(value)
        .setHigherIsBetter(false)
        .setStatus(ProxyStatus.OK)
        .setDetail(null)
        .build();
  }
}
