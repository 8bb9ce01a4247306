package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.LensScore;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxy;
import dev.synque.monitor.core.RankAggregation;
import dev.synque.monitor.core.RankAggregation.ProxyColumn;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scores a {@link Benchmark}: every requested embedding proxy for every (group, seed, dataset),
 * {@code lens} and {@code lens_raw} where judgements are stored, and {@code combined}.
 *
 * <p>Proxies of the synthetic set alone ({@link QualityProxy#usesReference()} false) are computed
 * once per dataset and reported under every seed. A proxy that fails on a cell (for example a set
 * too small for it) gives NaN there and a {@link Failure} naming the cell and the reason; the run
 * goes on, and the summary leaves that cell out.
 *
 * <p>{@code combined} is {@link RankAggregation}'s Borda score over every single proxy of the run
 * except {@code lens_raw} (superseded by the debiased {@code lens}), ranking the datasets of one
 * (group, seed) against each other. {@code combined_pc1} combines the same proxies with the weights
 * of {@link RankAggregation#agreementWeights}, estimated from the same (group, seed)'s datasets:
 * how much each proxy agrees with the others, never how well it predicts performance. Neither uses
 * performance numbers.
 */
public final class Evaluation {

  private Evaluation() {}

  /**
   * A proxy that could not be computed on a cell.
   *
   * @param cell where
   * @param proxy which
   * @param reason the proxy's message
   */
  public record Failure(Benchmark.Cell cell, String proxy, String reason) {}

  /**
   * What a run produced.
   *
   * @param scores every value, in cell order then proxy order
   * @param orientations every proxy of the run (embedding proxies, then lens ones, then combined)
   * @param failures cells where a proxy failed
   */
  public record Result(
      List<ProxyScore> scores, Map<String, Orientation> orientations, List<Failure> failures) {}

  public static Result run(
      Benchmark benchmark, List<QualityProxy> proxies, EmbeddingSource source, Progress progress) {
    Map<String, Orientation> orientations = new LinkedHashMap<>();
    proxies.forEach(p -> orientations.put(p.name(), p.orientation()));
    List<ProxyScore> scores = new ArrayList<>();
    List<Failure> failures = new ArrayList<>();

    embedAll(benchmark, source, progress);

    List<Benchmark.Cell> cells = benchmark.cells();
    int done = 0;
    for (Benchmark.Group group : benchmark.groups().values()) {
      for (Map.Entry<String, java.nio.file.Path> dataset : group.datasets().entrySet()) {
        EmbeddingSet synthetic = source.embeddings(dataset.getValue());
        Map<String, Double> referenceFree = new LinkedHashMap<>();
        for (String seed : group.realSamples().keySet()) {
          Benchmark.Cell cell = new Benchmark.Cell(group.name(), seed, dataset.getKey());
          progress.update("proxies", done, cells.size(), seed + " / " + dataset.getKey());
          EmbeddingSet reference = source.embeddings(group.realSamples().get(seed));
          for (QualityProxy proxy : proxies) {
            double value;
            if (!proxy.usesReference() && referenceFree.containsKey(proxy.name())) {
              value = referenceFree.get(proxy.name());
            } else {
              value = computeOrNan(proxy, synthetic, reference, cell, failures);
              if (!proxy.usesReference()) {
                referenceFree.put(proxy.name(), value);
              }
            }
            scores.add(new ProxyScore(cell.group(), seed, cell.dataset(), proxy.name(), value));
          }
          done++;
        }
      }
    }
    progress.update("proxies", done, cells.size(), "");

    if (BenchmarkLens.present(benchmark)) {
      orientations.put(LensScore.NAME, Orientation.HIGHER_IS_BETTER);
      orientations.put(LensScore.RAW_NAME, Orientation.HIGHER_IS_BETTER);
      scores.addAll(BenchmarkLens.scores(benchmark));
    }
    List<ProxyScore> combined = combine(benchmark, scores, orientations);
    if (!combined.isEmpty()) {
      orientations.put(RankAggregation.NAME, Orientation.HIGHER_IS_BETTER);
      orientations.put(RankAggregation.AGREEMENT_NAME, Orientation.HIGHER_IS_BETTER);
      scores.addAll(combined);
    }
    return new Result(
        List.copyOf(scores),
        java.util.Collections.unmodifiableMap(orientations),
        List.copyOf(failures));
  }

  /** Embeds every file once up front, so the progress bar shows the slow part on its own. */
  private static void embedAll(Benchmark benchmark, EmbeddingSource source, Progress progress) {
    List<java.nio.file.Path> files = new ArrayList<>();
    for (Benchmark.Group g : benchmark.groups().values()) {
      files.addAll(g.realSamples().values());
      files.addAll(g.datasets().values());
    }
    for (int i = 0; i < files.size(); i++) {
      progress.update("embedding", i, files.size(), files.get(i).getFileName().toString());
      source.embeddings(files.get(i));
    }
    progress.update("embedding", files.size(), files.size(), "");
  }

  private static double computeOrNan(
      QualityProxy proxy,
      EmbeddingSet synthetic,
      EmbeddingSet reference,
      Benchmark.Cell cell,
      List<Failure> failures) {
    try {
      return proxy.compute(synthetic, reference);
    } catch (IllegalArgumentException e) {
      failures.add(new Failure(cell, proxy.name(), e.getMessage()));
      return Double.NaN;
    }
  }

  static List<ProxyScore> combine(
      Benchmark benchmark, List<ProxyScore> scores, Map<String, Orientation> orientations) {
    List<String> members =
        orientations.keySet().stream().filter(p -> !p.equals(LensScore.RAW_NAME)).toList();
    if (members.size() < 2) {
      return List.of();
    }
    // (group, seed) -> proxy -> dataset -> value
    Map<String, Map<String, Map<String, Double>>> table = new LinkedHashMap<>();
    for (ProxyScore s : scores) {
      table
          .computeIfAbsent(s.group() + "\u0000" + s.seed(), k -> new LinkedHashMap<>())
          .computeIfAbsent(s.proxy(), k -> new LinkedHashMap<>())
          .put(s.dataset(), s.value());
    }
    List<ProxyScore> combined = new ArrayList<>();
    for (Benchmark.Group g : benchmark.groups().values()) {
      List<String> datasets = List.copyOf(g.datasets().keySet());
      for (String seed : g.realSamples().keySet()) {
        Map<String, Map<String, Double>> byProxy =
            table.getOrDefault(g.name() + "\u0000" + seed, Map.of());
        List<ProxyColumn> columns = new ArrayList<>();
        for (String proxy : members) {
          Map<String, Double> values = byProxy.get(proxy);
          if (values == null) {
            continue;
          }
          double[] column = new double[datasets.size()];
          for (int i = 0; i < column.length; i++) {
            column[i] = values.getOrDefault(datasets.get(i), Double.NaN);
          }
          columns.add(new ProxyColumn(proxy, orientations.get(proxy), column));
        }
        if (columns.isEmpty()) {
          continue;
        }
        double[] values = RankAggregation.combine(columns);
        for (int i = 0; i < values.length; i++) {
          combined.add(
              new ProxyScore(g.name(), seed, datasets.get(i), RankAggregation.NAME, values[i]));
        }
        double[] weighted =
            RankAggregation.combineWeighted(columns, RankAggregation.agreementWeights(columns));
        for (int i = 0; i < weighted.length; i++) {
          combined.add(
              new ProxyScore(
                  g.name(), seed, datasets.get(i), RankAggregation.AGREEMENT_NAME, weighted[i]));
        }
      }
    }
    return combined;
  }
}
