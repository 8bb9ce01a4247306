package dev.synque.monitor.core;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Ranks generators from their latest proxy values: per proxy and combined.
 *
 * <p><b>Eligibility.</b> A generator is ranked when its scores rest on at least {@code minSamples}
 * synthetic samples and at least one proxy value is available (finite); otherwise it is listed,
 * unranked, with the reason. Too few samples make every proxy noisy (and the unbiased MMD² and PAD
 * need a handful of samples to be defined at all), so a generator that just started cannot top the
 * board by luck.
 *
 * <p><b>Ranks.</b> Under each proxy, eligible generators with a value are ranked by that proxy's
 * {@link Orientation}; ties share the best rank of their group (competition ranking: 1, 2, 2, 4).
 * The combined score is {@link RankAggregation}'s Borda mean of rank scores over the proxies that
 * scored the generator and at least one other eligible generator (higher is better, in [0, 1]),
 * ranked the same way; a generator whose values are all of proxies no other eligible generator has
 * is listed unranked (a lone value is no comparison). Entries are ordered by combined rank then
 * generator id, ineligible ones last by id. The leader is the first entry when it is eligible; of
 * several tied for first, the smallest id.
 *
 * <p>Pure and deterministic: the same scores give the same ranking, whatever the map order.
 */
public final class Leaderboard {

  /** The combination rule's name, recorded in ranking updates. */
  public static final String COMBINATION_RULE = "borda-mean-rank-score";

  private Leaderboard() {}

  /**
   * A generator's latest values.
   *
   * @param sampleCount synthetic samples behind the values, at least 0
   * @param values proxy name to value; NaN or absent when unavailable
   */
  public record GeneratorScores(long sampleCount, Map<String, Double> values) {
    public GeneratorScores {
      if (sampleCount < 0 || values == null) {
        throw new IllegalArgumentException(
            "generator scores: sample count " + sampleCount + " must be >= 0 and values given");
      }
      values = Map.copyOf(values);
    }
  }

  /** One proxy's value and rank for a generator; {@code rank} is null when unavailable. */
  public record ProxyRank(String proxy, Double value, boolean higherIsBetter, Integer rank) {}

  /**
   * One generator on the board.
   *
   * @param rank combined competition rank, null when not eligible
   * @param combinedScore Borda score in [0, 1], null when not eligible
   * @param ineligibleReason null when eligible
   */
  public record Entry(
      String generatorId,
      Integer rank,
      Double combinedScore,
      boolean eligible,
      String ineligibleReason,
      long sampleCount,
      List<ProxyRank> proxies) {}

  /**
   * The board.
   *
   * @param entries ordered as described in the class comment
   * @param leader the generator ranked first, null when none is eligible
   */
  public record Ranking(List<Entry> entries, String leader) {}

  /**
   * Ranks the generators.
   *
   * @param scores generator id to latest values
   * @param orientations proxy name to orientation, in the order proxies are reported
   * @param minSamples at least 1
   */
  public static Ranking rank(
      Map<String, GeneratorScores> scores, Map<String, Orientation> orientations, long minSamples) {
    if (minSamples < 1) {
      throw new IllegalArgumentException("leaderboard: minSamples " + minSamples + " must be >= 1");
    }
    SortedMap<String, GeneratorScores> sorted = new TreeMap<>(scores);
    List<String> eligible = new ArrayList<>();
    Map<String, String> reasons = new LinkedHashMap<>();
    for (Map.Entry<String, GeneratorScores> e : sorted.entrySet()) {
      GeneratorScores s = e.getValue();
      if (s.sampleCount() < minSamples) {
        reasons.put(
            e.getKey(),
            "only " + s.sampleCount() + " samples; at least " + minSamples + " are needed");
      } else if (orientations.keySet().stream().noneMatch(p -> available(s, p))) {
        reasons.put(e.getKey(), "no proxy value is available yet");
      } else {
        eligible.add(e.getKey());
      }
    }
    Map<String, Map<String, Integer>> proxyRanks = new TreeMap<>();
    List<RankAggregation.ProxyColumn> columns = new ArrayList<>();
    for (Map.Entry<String, Orientation> proxy : orientations.entrySet()) {
      double[] values = new double[eligible.size()];
      for (int i = 0; i < values.length; i++) {
        GeneratorScores s = sorted.get(eligible.get(i));
        values[i] = available(s, proxy.getKey()) ? s.values().get(proxy.getKey()) : Double.NaN;
      }
      int[] ranks = competitionRanks(values, proxy.getValue());
      for (int i = 0; i < ranks.length; i++) {
        if (ranks[i] > 0) {
          proxyRanks
              .computeIfAbsent(eligible.get(i), g -> new TreeMap<>())
              .put(proxy.getKey(), ranks[i]);
        }
      }
      if (!eligible.isEmpty()) {
        columns.add(new RankAggregation.ProxyColumn(proxy.getKey(), proxy.getValue(), values));
      }
    }
    double[] combined = eligible.isEmpty() ? new double[0] : RankAggregation.combine(columns);
    int[] combinedRanks = competitionRanks(combined, Orientation.HIGHER_IS_BETTER);

    List<Entry> entries = new ArrayList<>();
    for (int i = 0; i < eligible.size(); i++) {
      String id = eligible.get(i);
      if (Double.isNaN(combined[i])) {
        // Its only values are of proxies no other generator has yet: nothing to compare.
        reasons.put(id, "no proxy value that another generator also has yet");
        continue;
      }
      entries.add(
          new Entry(
              id,
              combinedRanks[i],
              combined[i],
              true,
              null,
              sorted.get(id).sampleCount(),
              proxyList(sorted.get(id), orientations, proxyRanks.getOrDefault(id, Map.of()))));
    }
    entries.sort(Comparator.comparing(Entry::rank).thenComparing(Entry::generatorId));
    new TreeMap<>(reasons)
        .forEach(
            (id, reason) ->
                entries.add(
                    new Entry(
                        id,
                        null,
                        null,
                        false,
                        reason,
                        sorted.get(id).sampleCount(),
                        proxyList(sorted.get(id), orientations, Map.of()))));
    String leader =
        !entries.isEmpty() && entries.get(0).eligible() ? entries.get(0).generatorId() : null;
    return new Ranking(List.copyOf(entries), leader);
  }

  private static boolean available(GeneratorScores s, String proxy) {
    Double v = s.values().get(proxy);
    return v != null && Double.isFinite(v);
  }

  private static List<ProxyRank> proxyList(
      GeneratorScores s, Map<String, Orientation> orientations, Map<String, Integer> ranks) {
    List<ProxyRank> list = new ArrayList<>();
    orientations.forEach(
        (proxy, orientation) ->
            list.add(
                new ProxyRank(
                    proxy,
                    available(s, proxy) ? s.values().get(proxy) : null,
                    orientation == Orientation.HIGHER_IS_BETTER,
                    ranks.get(proxy))));
    return list;
  }

  /**
   * Competition ranks (1 = best; ties share the best rank of their group); 0 where the value is
   * NaN.
   */
  static int[] competitionRanks(double[] values, Orientation orientation) {
    Integer[] order =
        java.util.stream.IntStream.range(0, values.length)
            .filter(i -> !Double.isNaN(values[i]))
            .boxed()
            .toArray(Integer[]::new);
    Comparator<Integer> better = Comparator.comparingDouble(i -> values[i]);
    if (orientation == Orientation.HIGHER_IS_BETTER) {
      better = better.reversed();
    }
    Arrays.sort(order, better);
    int[] ranks = new int[values.length];
    for (int k = 0; k < order.length; k++) {
      boolean tiedWithPrevious = k > 0 && values[order[k]] == values[order[k - 1]];
      ranks[order[k]] = tiedWithPrevious ? ranks[order[k - 1]] : k + 1;
    }
    return ranks;
  }
}
