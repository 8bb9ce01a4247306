package dev.synque.monitor.stream;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetReference;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * What one full window state costs the stream thread beyond the per-sample updates ({@code
 * bench.StreamingStateBenchmark}), against the reservoir capacity k (d = 384, |R| = 200, texts of
 * about 80 characters as in the demo):
 *
 * <ul>
 *   <li>{@code stateToBytes} and {@code stateFromBytes}: once per micro-batch and generator the
 *       processor writes the window's state to its store (and, through the record cache, to the
 *       changelog once per commit); a state is read back only after a restart or by the timer. Both
 *       should grow linearly in k (the reservoir's vectors and texts, the MMD sums).
 *   <li>{@code scores}: one emission of the default proxies, {@code mmd2_poly} (the incremental
 *       value, O(1)) and {@code frechet} (from the running moments against the prepared reference,
 *       independent of k).
 * </ul>
 *
 * <p>In this package because {@link WindowState} and {@link WindowScores} are the topology's own.
 * Run with {@code bin/bench WindowCostBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WindowCostBenchmark {

  @Param({"256", "512", "1024", "2048", "4096"})
  public int capacity;

  private static final int DIMENSION = 384;
  private static final int REFERENCE_SIZE = 200;

  private WindowState state;
  private byte[] bytes;
  private ReferenceSnapshot reference;
  private List<QualityProxy> proxies;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    double[][] rows = new double[REFERENCE_SIZE][DIMENSION];
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < REFERENCE_SIZE; i++) {
      for (int j = 0; j < DIMENSION; j++) {
        rows[i][j] = 0.05 + random.nextGaussian();
      }
      ids.add(String.format("r%03d", i));
    }
    EmbeddingSet embeddings = EmbeddingSet.of("reference", rows);
    reference =
        new ReferenceSnapshot("v1", "bench", ids, ids, embeddings, FrechetReference.of(embeddings));
    state = new WindowState(WindowKind.ALL_TIME, 0, 0, "bench", DIMENSION, capacity, 11);
    // Fill first, attach after: the attach builds the MMD sums exactly once (O(k²·d)) instead of
    // k incremental writes.
    float[] v = new float[DIMENSION];
    for (int i = 0; i < capacity; i++) {
      for (int j = 0; j < DIMENSION; j++) {
        v[j] = (float) random.nextGaussian();
      }
      state.add(
          String.format("g07-faithful-%d", i),
          v,
          "Acme Corp shares rise 4% after quarterly earnings beat analyst expectations " + i,
          1_000 + i);
    }
    state.attach(reference);
    bytes = state.toBytes();
    proxies = QualityProxies.byNames(List.of("mmd2_poly", "frechet"));
  }

  @Benchmark
  public byte[] stateToBytes() {
    return state.toBytes();
  }

  @Benchmark
  public WindowState stateFromBytes() {
    return WindowState.fromBytes(bytes, reference);
  }

  @Benchmark
  public QualityScores scores() {
    return WindowScores.compute("g07", state, reference, proxies, ScoreTrigger.SAMPLE_COUNT, 0);
  }
}
