package dev.synque.monitor.stream;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetReference;
import dev.synque.monitor.core.Leaderboard;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * What the live intervals, tiers, floors and evidence cost next to the proxies themselves, for a
 * window of reservoir capacity k (d = 384, |R| = 200, as {@link WindowCostBenchmark}):
 *
 * <ul>
 *   <li>{@code proxies}: one emission's proxies, {@code mmd2_poly} (incremental, O(1)) and {@code
 *       frechet} (from the running moments): the baseline of the streaming proxies;
 *   <li>{@code mmd2PolyBatch}: {@code mmd2_poly} recomputed on the reservoir, what every
 *       reservoir-based proxy costs at least (one pass over all pairs);
 *   <li>{@code evidence}: {@link WindowEvidence#annotate} on those scores (realness from the
 *       incremental sums, coverage from one reservoir × reference pass, interval, evidence; the
 *       reference's row sums and floors cached, as in the monitor after the first emission);
 *   <li>{@code noiseFloors}: the floors of {@code mmd2_poly} and {@code frechet} for a reference
 *       seen for the first time (paid once per reference version and task);
 *   <li>{@code rankingTiers}: {@link RankingTiers#annotate} of a ranking of 50 generators
 *       (intervals, paired tiers, P(beats next)), next to {@code rankOnly}: {@code
 *       core.Leaderboard} alone on the same 50.
 * </ul>
 *
 * <p>Run with {@code bin/bench LiveUncertaintyBenchmark -f 1 -wi 3 -i 5 -w 2s -r 2s}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class LiveUncertaintyBenchmark {

  @Param({"256", "1024"})
  public int capacity;

  private static final int DIMENSION = 384;
  private static final int REFERENCE_SIZE = 200;
  private static final int GENERATORS = 50;

  private WindowState state;
  private ReferenceSnapshot reference;
  private List<QualityProxy> proxies;
  private WindowEvidence evidence;
  private QualityScores scores;
  private RankingUpdate ranking;
  private Map<String, QualityScores> board;
  private Map<String, Leaderboard.GeneratorScores> values;
  private final Map<String, Orientation> orientations = new LinkedHashMap<>();

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
    proxies = QualityProxies.byNames(List.of("mmd2_poly", "frechet"));
    for (QualityProxy p : proxies) {
      orientations.put(p.name(), p.orientation());
    }
    evidence = new WindowEvidence(proxies);
    board = new HashMap<>();
    values = new HashMap<>();
    for (int g = 0; g < GENERATORS; g++) {
      WindowState s = window(random, g * 0.01);
      QualityScores q =
          evidence.annotate(
              WindowScores.compute("g" + g, s, reference, proxies, ScoreTrigger.SAMPLE_COUNT, 0),
              s,
              reference);
      board.put("g" + g, q);
      values.put("g" + g, RankGeneratorsProcessor.values(q));
      if (g == 0) {
        state = s;
        scores = q;
      }
    }
    Leaderboard.Ranking r = Leaderboard.rank(values, orientations, 1);
    ranking =
        RankingUpdate.newBuilder()
            .setReferenceVersion("v1")
            .setWindowKind(WindowKind.ALL_TIME)
            .setCombinationRule(Leaderboard.COMBINATION_RULE)
            .setMinSamples(1)
            .setEntries(r.entries().stream().map(RankingRecords::entry).toList())
            .setLeader(r.leader())
            .setComputedAt(Instant.EPOCH)
            .build();
  }

  private WindowState window(Random random, double shift) {
    WindowState s = new WindowState(WindowKind.ALL_TIME, 0, 0, "bench", DIMENSION, capacity, 11);
    float[] v = new float[DIMENSION];
    for (int i = 0; i < capacity; i++) {
      for (int j = 0; j < DIMENSION; j++) {
        v[j] = (float) (shift + random.nextGaussian());
      }
      s.add(
          "s" + i,
          v,
          "Acme Corp shares rise 4% after quarterly earnings beat expectations " + i,
          i);
    }
    s.attach(reference);
    return s;
  }

  @Benchmark
  public QualityScores proxies() {
    return WindowScores.compute("g0", state, reference, proxies, ScoreTrigger.SAMPLE_COUNT, 0);
  }

  @Benchmark
  public double mmd2PolyBatch() {
    return Mmd2Polynomial.synqueDefault()
        .compute(state.reservoir.toEmbeddingSet("x"), reference.embeddings());
  }

  @Benchmark
  public QualityScores evidence() {
    return evidence.annotate(scores, state, reference);
  }

  @Benchmark
  public Object noiseFloors() {
    return new WindowEvidence(proxies).floors(reference);
  }

  @Benchmark
  public RankingUpdate rankingTiers() {
    return RankingTiers.annotate(ranking, board);
  }

  @Benchmark
  public Leaderboard.Ranking rankOnly() {
    return Leaderboard.rank(values, orientations, 1);
  }
}
