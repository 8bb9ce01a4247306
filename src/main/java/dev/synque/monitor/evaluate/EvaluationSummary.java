package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.BootstrapInterval;
import dev.synque.monitor.core.Correlation;
import dev.synque.monitor.core.Orientation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.ToDoubleBiFunction;

/**
 * Summarises proxy scores against downstream performance with the SynQuE authors' protocol.
 *
 * <ul>
 *   <li>Correlations: within one (group, seed), across that group's datasets, of the raw proxy
 *       values (no sign flip: a distance that works correlates negatively) with performance; then
 *       the mean over seeds (seeds where the correlation is undefined, a constant proxy, are left
 *       out, like pandas' mean), then over groups for {@code ALL}.
 *   <li>{@code top3}: the mean performance of the three datasets the proxy ranks best under its own
 *       orientation (ties broken by dataset name), mean over seeds, then groups. {@code mean_all}
 *       and {@code oracle_top3} are the random-choice baseline and the ceiling.
 *   <li>Intervals: percentile bootstrap over datasets (the same resample of a group's datasets is
 *       applied to every seed, groups resampled independently), {@value
 *       BootstrapInterval#DEFAULT_RESAMPLES} resamples, 95%, seed 1234.
 * </ul>
 *
 * <p>A cell whose value is NaN (the proxy failed there) is left out of its seed's correlation and
 * top-3; a seed with fewer than two values is left out.
 */
public final class EvaluationSummary {

  /** The group name of the rows that average over groups. */
  public static final String ALL = "ALL";

  /** How many datasets {@code top3} picks. */
  public static final int TOP = 3;

  static final long BOOTSTRAP_SEED = 1234L;

  private EvaluationSummary() {}

  /**
   * The summary rows: per proxy, one row per group and an {@code ALL} row, proxies in the order of
   * {@code orientations}.
   *
   * @param benchmark gives groups, datasets and performance
   * @param scores every proxy value
   * @param orientations proxy name to orientation, in report order
   */
  public static List<SummaryRow> summarise(
      Benchmark benchmark, List<ProxyScore> scores, Map<String, Orientation> orientations) {
    return summarise(benchmark, scores, orientations, BootstrapInterval.DEFAULT_RESAMPLES);
  }

  static List<SummaryRow> summarise(
      Benchmark benchmark,
      List<ProxyScore> scores,
      Map<String, Orientation> orientations,
      int resamples) {
    // proxy -> group -> seed -> dataset -> value
    Map<String, Map<String, Map<String, Map<String, Double>>>> table = new LinkedHashMap<>();
    for (ProxyScore s : scores) {
      table
          .computeIfAbsent(s.proxy(), p -> new TreeMap<>())
          .computeIfAbsent(s.group(), g -> new TreeMap<>())
          .computeIfAbsent(s.seed(), x -> new TreeMap<>())
          .put(s.dataset(), s.value());
    }
    List<SummaryRow> rows = new ArrayList<>();
    for (Map.Entry<String, Orientation> proxy : orientations.entrySet()) {
      Map<String, Map<String, Map<String, Double>>> byGroup =
          table.getOrDefault(proxy.getKey(), Map.of());
      List<GroupData> groups = new ArrayList<>();
      for (Benchmark.Group g : benchmark.groups().values()) {
        groups.add(GroupData.of(g, byGroup.getOrDefault(g.name(), Map.of())));
      }
      Orientation orientation = proxy.getValue();
      List<SummaryRow> groupRows = new ArrayList<>();
      for (GroupData g : groups) {
        groupRows.add(row(g.name, proxy.getKey(), orientation, List.of(g), resamples));
      }
      rows.addAll(groupRows);
      rows.add(row(ALL, proxy.getKey(), orientation, groups, resamples));
    }
    return rows;
  }

  private static SummaryRow row(
      String name, String proxy, Orientation orientation, List<GroupData> groups, int resamples) {
    double spearman = meanOverGroups(groups, (g, idx) -> g.meanCorrelation(idx, true));
    double pearson = meanOverGroups(groups, (g, idx) -> g.meanCorrelation(idx, false));
    double top3 = meanOverGroups(groups, (g, idx) -> g.meanTop(orientation));
    double meanAll = meanOverGroups(groups, (g, idx) -> g.meanPerformance());
    double oracle = meanOverGroups(groups, (g, idx) -> g.oracleTop());
    int[] sizes = groups.stream().mapToInt(g -> g.datasets.length).toArray();
    BootstrapInterval spearmanCi =
        BootstrapInterval.stratified(
            sizes,
            resamples,
            BootstrapInterval.DEFAULT_LEVEL,
            BOOTSTRAP_SEED,
            strata -> meanOverStrata(groups, strata, true));
    BootstrapInterval pearsonCi =
        BootstrapInterval.stratified(
            sizes,
            resamples,
            BootstrapInterval.DEFAULT_LEVEL,
            BOOTSTRAP_SEED,
            strata -> meanOverStrata(groups, strata, false));
    return new SummaryRow(
        name,
        proxy,
        orientation == Orientation.HIGHER_IS_BETTER,
        spearman,
        pearson,
        top3,
        meanAll,
        oracle,
        spearmanCi,
        pearsonCi);
  }

  private static double meanOverStrata(List<GroupData> groups, int[][] strata, boolean spearman) {
    double sum = 0;
    int n = 0;
    for (int s = 0; s < groups.size(); s++) {
      double v = groups.get(s).meanCorrelation(strata[s], spearman);
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  private static double meanOverGroups(
      List<GroupData> groups, ToDoubleBiFunction<GroupData, int[]> statistic) {
    double sum = 0;
    int n = 0;
    for (GroupData g : groups) {
      double v = statistic.applyAsDouble(g, g.all());
      if (!Double.isNaN(v)) {
        sum += v;
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** One group's datasets, their performance and one proxy's values per seed (NaN if absent). */
  private record GroupData(
      String name, String[] datasets, double[] performance, SortedMap<String, double[]> values) {

    static GroupData of(Benchmark.Group group, Map<String, Map<String, Double>> bySeed) {
      String[] datasets = group.datasets().keySet().toArray(String[]::new);
      double[] performance = new double[datasets.length];
      for (int i = 0; i < datasets.length; i++) {
        performance[i] = group.performance().get(datasets[i]);
      }
      SortedMap<String, double[]> values = new TreeMap<>();
      for (String seed : group.realSamples().keySet()) {
        Map<String, Double> cells = bySeed.getOrDefault(seed, Map.of());
        double[] v = new double[datasets.length];
        for (int i = 0; i < datasets.length; i++) {
          v[i] = cells.getOrDefault(datasets[i], Double.NaN);
        }
        values.put(seed, v);
      }
      return new GroupData(group.name(), datasets, performance, values);
    }

    int[] all() {
      int[] idx = new int[datasets.length];
      Arrays.setAll(idx, i -> i);
      return idx;
    }

    /** Mean over seeds of the correlation on the datasets {@code idx} (repeats allowed). */
    double meanCorrelation(int[] idx, boolean spearman) {
      double sum = 0;
      int n = 0;
      for (double[] v : values.values()) {
        int m = 0;
        double[] x = new double[idx.length];
        double[] y = new double[idx.length];
        for (int i : idx) {
          if (!Double.isNaN(v[i])) {
            x[m] = v[i];
            y[m] = performance[i];
            m++;
          }
        }
        if (m < 2) {
          continue;
        }
        x = Arrays.copyOf(x, m);
        y = Arrays.copyOf(y, m);
        double c = spearman ? Correlation.spearman(x, y) : Correlation.pearson(x, y);
        if (!Double.isNaN(c)) {
          sum += c;
          n++;
        }
      }
      return n == 0 ? Double.NaN : sum / n;
    }

    double meanTop(Orientation orientation) {
      double sum = 0;
      int n = 0;
      for (double[] v : values.values()) {
        Integer[] order =
            Arrays.stream(all()).filter(i -> !Double.isNaN(v[i])).boxed().toArray(Integer[]::new);
        if (order.length == 0) {
          continue;
        }
        Comparator<Integer> byValue = Comparator.comparingDouble(i -> v[i]);
        if (orientation == Orientation.HIGHER_IS_BETTER) {
          byValue = byValue.reversed();
        }
        Arrays.sort(order, byValue.thenComparing(i -> datasets[i]));
        sum += meanPerformance(order, Math.min(TOP, order.length));
        n++;
      }
      return n == 0 ? Double.NaN : sum / n;
    }

    double meanPerformance() {
      return Arrays.stream(performance).average().orElse(Double.NaN);
    }

    double oracleTop() {
      Integer[] order = Arrays.stream(all()).boxed().toArray(Integer[]::new);
      Arrays.sort(
          order,
          Comparator.<Integer>comparingDouble(i -> performance[i])
              .reversed()
              .thenComparing(i -> datasets[i]));
      return meanPerformance(order, Math.min(TOP, order.length));
    }

    private double meanPerformance(Integer[] order, int k) {
      double sum = 0;
      for (int i = 0; i < k; i++) {
        sum += performance[order[i]];
      }
      return sum / k;
    }
  }
}
