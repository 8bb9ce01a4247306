package dev.synque.monitor.bench;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetDistance;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.Mmd2Rbf;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Time of one proxy evaluation on embedding-sized inputs (d = 384, Gaussian noise, seeded). The
 * shapes match {@code src/test/python/bench_numpy.py}. Run with {@code bin/bench}, whose forks get
 * {@code --add-modules jdk.incubator.vector} (the SIMD kernels); add {@code -jvmArgsAppend
 * -Dsynque.simd=false} to time the scalar kernels.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class KernelProxiesBenchmark {

  /** {@code |X|x|R|}. */
  @Param({"1000x200", "2000x2000"})
  public String shape;

  @Param({"384"})
  public int dimension;

  private EmbeddingSet synthetic;
  private EmbeddingSet reference;

  @Setup
  public void setUp() {
    String[] sizes = shape.split("x");
    synthetic = random("synthetic", Integer.parseInt(sizes[0]), dimension, 1, 0.0);
    reference = random("reference", Integer.parseInt(sizes[1]), dimension, 2, 0.05);
  }

  @Benchmark
  public double mmd2Poly() {
    return Mmd2Polynomial.synqueDefault().compute(synthetic, reference);
  }

  @Benchmark
  public double mmd2Rbf() {
    return Mmd2Rbf.medianHeuristic().compute(synthetic, reference);
  }

  @Benchmark
  public double frechet() {
    return FrechetDistance.instance().compute(synthetic, reference);
  }

  static EmbeddingSet random(String name, int n, int d, long seed, double shift) {
    Random random = new Random(seed);
    double[] data = new double[n * d];
    for (int k = 0; k < data.length; k++) {
      data[k] = shift + random.nextGaussian();
    }
    return EmbeddingSet.wrap(name, n, d, data);
  }
}
