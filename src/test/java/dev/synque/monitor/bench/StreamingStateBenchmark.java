package dev.synque.monitor.bench;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.IncrementalMmd2;
import dev.synque.monitor.core.PolynomialKernel;
import dev.synque.monitor.core.Reservoir;
import dev.synque.monitor.core.RunningMoments;
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
 * Cost of one streaming update of a generator's state: a full reservoir of {@code k} embeddings (d
 * = 384) against a reference of 200, as the topology keeps it, for reservoir capacities k from 256
 * to 4,096 (the monitor's default is 1,024), so the growth with k can be read off one run.
 *
 * <ul>
 *   <li>{@code incrementalMmdReplace}: the worst case per sample, a replacement of an occupied slot
 *       in the incremental MMD² ({@code O(k·d + |R|·d)}). The exact refresh is switched off here so
 *       this is the per-update cost alone; {@code exactRefresh} is the refresh, which the default
 *       interval ({@code k}) amortises over {@code k} changes.
 *   <li>{@code reservoirOffer}: one offer to a full reservoir (validation, the seeded draw, and a
 *       copy when accepted).
 *   <li>{@code runningMomentsUpdate}: one Welford update of mean and co-moment ({@code O(d²)},
 *       independent of k: it summarises every sample, not the reservoir).
 * </ul>
 *
 * <p>Expected growth in k: linear for {@code incrementalMmdReplace}, quadratic for {@code
 * exactRefresh} (so linear once amortised over its interval of k changes), flat for the other two.
 * The cost of a window state that grows with k once per micro-batch (its bytes) is in {@code
 * stream.WindowCostBenchmark}; the cost that grows with the number of generators (the ranking) in
 * {@code stream.RankingCostBenchmark}.
 *
 * <p>Run with {@code bin/bench StreamingStateBenchmark -f 1 -wi 3 -i 5} (one capacity: add {@code
 * -p capacity=1024}).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class StreamingStateBenchmark {

  @Param({"256", "512", "1024", "2048", "4096"})
  public int capacity;

  @Param({"384"})
  public int dimension;

  private static final int REFERENCE_SIZE = 200;
  private static final int INCOMING = 4096;

  private Reservoir reservoir;
  private IncrementalMmd2 mmd;
  private RunningMoments moments;
  private float[][] incoming;
  private double[][] incomingDouble;
  private long next;

  @Setup(Level.Trial)
  public void setUp() {
    Random random = new Random(7);
    EmbeddingSet reference =
        KernelProxiesBenchmark.random("reference", REFERENCE_SIZE, dimension, 2, 0.05);
    reservoir = new Reservoir(capacity, dimension, 11);
    incoming = new float[INCOMING][dimension];
    for (float[] v : incoming) {
      for (int j = 0; j < dimension; j++) {
        v[j] = (float) random.nextGaussian();
      }
    }
    incomingDouble = new double[INCOMING][dimension];
    for (int i = 0; i < INCOMING; i++) {
      for (int j = 0; j < dimension; j++) {
        incomingDouble[i][j] = incoming[i][j];
      }
    }
    for (int i = 0; i < capacity; i++) {
      reservoir.offer("fill-" + i, incoming[i % INCOMING], "text " + i);
    }
    mmd =
        IncrementalMmd2.of(
            reservoir, reference, PolynomialKernel.synqueDefault(dimension), /* refresh */ 0);
    moments = new RunningMoments(dimension);
  }

  @Benchmark
  public double incrementalMmdReplace() {
    long i = next++;
    mmd.put((int) (i % capacity), incoming[(int) (i % INCOMING)]);
    return mmd.value();
  }

  @Benchmark
  public Reservoir.Outcome reservoirOffer() {
    long i = next++;
    return reservoir.offer("sample-" + i, incoming[(int) (i % INCOMING)], "text").outcome();
  }

  @Benchmark
  public double exactRefresh() {
    mmd.recomputeExactly();
    return mmd.value();
  }

  @Benchmark
  public long runningMomentsUpdate() {
    moments.add(incomingDouble[(int) (next++ % INCOMING)]);
    return moments.count();
  }
}
