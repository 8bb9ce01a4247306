package dev.synque.monitor.bench;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.MmdWitness;
import dev.synque.monitor.core.NoiseFloor;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.Separation;
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
 * Cost of the uncertainty and evidence of one ranking against the proxy itself, in the same run:
 * {@code generators} synthetic sets of {@code |X|} vectors against one reference of {@code |R|} (d
 * = 384, Gaussian, seeded as {@link KernelProxiesBenchmark}).
 *
 * <ul>
 *   <li>{@code proxyOnly}: {@code mmd2_poly} of every generator (the baseline);
 *   <li>{@code witnessAndTiers}: {@link MmdWitness} of every generator (value, standard error,
 *       per-sample realness and coverage) plus the tiers with paired errors;
 *   <li>{@code tiersOnly}: the tiers given the witnesses (what a ranking adds when the witnesses
 *       are kept);
 *   <li>{@code noiseFloor}: the {@code mmd2_poly} noise floor of the reference (10 splits), paid
 *       once per reference version, not per ranking.
 * </ul>
 *
 * Run: {@code bin/bench UncertaintyBenchmark -f 1 -wi 3 -i 5}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class UncertaintyBenchmark {

  /** {@code |X|x|R|}. */
  @Param({"1000x200"})
  public String shape;

  @Param({"5"})
  public int generators;

  private EmbeddingSet[] synthetic;
  private EmbeddingSet reference;
  private MmdWitness[] witnesses;

  @Setup
  public void setUp() {
    String[] sizes = shape.split("x");
    synthetic = new EmbeddingSet[generators];
    witnesses = new MmdWitness[generators];
    for (int g = 0; g < generators; g++) {
      synthetic[g] =
          KernelProxiesBenchmark.random("g" + g, Integer.parseInt(sizes[0]), 384, 10 + g, 0.02 * g);
    }
    reference = KernelProxiesBenchmark.random("reference", Integer.parseInt(sizes[1]), 384, 2, 0);
    for (int g = 0; g < generators; g++) {
      witnesses[g] = MmdWitness.polynomial(synthetic[g], reference);
    }
  }

  @Benchmark
  public double proxyOnly() {
    double s = 0;
    for (EmbeddingSet x : synthetic) {
      s += Mmd2Polynomial.synqueDefault().compute(x, reference);
    }
    return s;
  }

  @Benchmark
  public Separation.Tiers witnessAndTiers() {
    MmdWitness[] w = new MmdWitness[generators];
    double[] values = new double[generators];
    for (int g = 0; g < generators; g++) {
      w[g] = MmdWitness.polynomial(synthetic[g], reference);
      values[g] = w[g].mmd2();
    }
    return Separation.tiers(
        values,
        Orientation.LOWER_IS_BETTER,
        (a, b) -> w[a].pairedDifferenceError(w[b]),
        Separation.DEFAULT_LEVEL);
  }

  @Benchmark
  public Separation.Tiers tiersOnly() {
    double[] values = new double[generators];
    for (int g = 0; g < generators; g++) {
      values[g] = witnesses[g].mmd2();
    }
    return Separation.tiers(
        values,
        Orientation.LOWER_IS_BETTER,
        (a, b) -> witnesses[a].pairedDifferenceError(witnesses[b]),
        Separation.DEFAULT_LEVEL);
  }

  @Benchmark
  public NoiseFloor noiseFloor() {
    return NoiseFloor.of(Mmd2Polynomial.synqueDefault(), reference, 10, 20L);
  }
}
