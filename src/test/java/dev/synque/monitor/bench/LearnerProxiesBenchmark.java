package dev.synque.monitor.bench;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mauve;
import dev.synque.monitor.core.MeanDistanceToMedoid;
import dev.synque.monitor.core.ProxyADistance;
import dev.synque.monitor.core.VendiScore;
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
 * Time of one evaluation of the proxies that fit a model (logistic regression, k-means, k-medoids)
 * or decompose a Gram matrix, at |X| = 1000, |R| = 200, d = 384 (Gaussian noise, seeded, the inputs
 * of {@link KernelProxiesBenchmark}). Run with {@code bin/bench LearnerProxiesBenchmark -f 1 -wi 3
 * -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class LearnerProxiesBenchmark {

  /** {@code |X|x|R|}. */
  @Param({"1000x200"})
  public String shape;

  @Param({"384"})
  public int dimension;

  private EmbeddingSet synthetic;
  private EmbeddingSet reference;

  @Setup
  public void setUp() {
    String[] sizes = shape.split("x");
    synthetic =
        KernelProxiesBenchmark.random("synthetic", Integer.parseInt(sizes[0]), dimension, 1, 0.0);
    reference =
        KernelProxiesBenchmark.random("reference", Integer.parseInt(sizes[1]), dimension, 2, 0.05);
  }

  @Benchmark
  public double pad() {
    return ProxyADistance.authors().compute(synthetic, reference);
  }

  @Benchmark
  public double padBalanced() {
    return ProxyADistance.balanced().compute(synthetic, reference);
  }

  @Benchmark
  public double mauve() {
    return new Mauve().compute(synthetic, reference);
  }

  @Benchmark
  public double vendi() {
    return VendiScore.of(synthetic);
  }

  @Benchmark
  public double mdm() {
    return new MeanDistanceToMedoid().compute(synthetic, reference);
  }
}
