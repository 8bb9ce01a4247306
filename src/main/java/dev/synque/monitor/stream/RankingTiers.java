package dev.synque.monitor.stream;

import dev.synque.monitor.avro.MmdPairing;
import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyInterval;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.MmdUncertainty;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.Separation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Adds intervals, tiers, P(beats next) and noise floors to a ranking, from the scores it ranked.
 *
 * <p>Every proxy value with an interval in its scores ({@link WindowEvidence}) gets {@code low} and
 * {@code high}. The tiers are {@code mmd2_poly}'s ({@value #TIER_PROXY}, the proxy with a live
 * interval): {@link Separation#tiers} at {@link WindowEvidence#LEVEL} over the eligible generators
 * whose scores carry {@code mmdPairing}, with the paired standard deviation of each difference
 * ({@link MmdUncertainty#pairedDifferenceError}: the generators share the reference, whose noise
 * cancels in their difference). Generators without it keep a null tier. The noise floors are the
 * reference version's (the same in every scores record of that version; the smallest generator id's
 * are taken).
 *
 * <p>Pure function of its inputs (no clock, no randomness). Thread-safe (stateless).
 */
final class RankingTiers {

  /** The proxy the tiers are computed for. */
  static final String TIER_PROXY = Mmd2Polynomial.NAME;

  private RankingTiers() {}

  /** {@code update} with intervals, tiers and floors from {@code scores} (generator → scores). */
  static RankingUpdate annotate(RankingUpdate update, Map<String, QualityScores> scores) {
    Map<String, QualityScores> byId = new TreeMap<>(scores);
    List<String> tiered = new ArrayList<>();
    List<MmdUncertainty> uncertainties = new ArrayList<>();
    for (RankingEntry e : update.getEntries()) {
      QualityScores s = byId.get(e.getGeneratorId());
      Double value = value(e, TIER_PROXY);
      if (!e.getEligible() || s == null || s.getMmdPairing() == null || value == null) {
        continue;
      }
      MmdPairing p = s.getMmdPairing();
      double[] coverage = new double[p.getCoverage().size()];
      for (int j = 0; j < coverage.length; j++) {
        coverage[j] = p.getCoverage().get(j);
      }
      if (!uncertainties.isEmpty() && uncertainties.get(0).coverage().length != coverage.length) {
        continue; // another reference content: not comparable paired
      }
      tiered.add(e.getGeneratorId());
      uncertainties.add(
          new MmdUncertainty(value, p.getSyntheticCount(), p.getRealnessVariance(), coverage));
    }
    Map<String, Integer> tier = new HashMap<>();
    Map<String, Double> beatsNext = new HashMap<>();
    if (!tiered.isEmpty()) {
      double[] estimates = uncertainties.stream().mapToDouble(MmdUncertainty::mmd2).toArray();
      Separation.Tiers tiers =
          Separation.tiers(
              estimates,
              Orientation.LOWER_IS_BETTER,
              (a, b) -> uncertainties.get(a).pairedDifferenceError(uncertainties.get(b)),
              WindowEvidence.LEVEL);
      int[] order = tiers.order();
      double[] next = tiers.beatsNext();
      for (int p = 0; p < order.length; p++) {
        String id = tiered.get(order[p]);
        tier.put(id, tiers.tier()[order[p]]);
        if (!Double.isNaN(next[p])) {
          beatsNext.put(id, next[p]);
        }
      }
    }
    boolean anyInterval = false;
    List<RankingEntry> entries = new ArrayList<>();
    for (RankingEntry e : update.getEntries()) {
      QualityScores s = byId.get(e.getGeneratorId());
      Map<String, ProxyInterval> intervals = new HashMap<>();
      if (s != null && s.getIntervals() != null) {
        s.getIntervals().forEach(i -> intervals.put(i.getProxy(), i));
      }
      List<ProxyRank> proxies = new ArrayList<>();
      for (ProxyRank p : e.getProxies()) {
        ProxyInterval i = p.getValue() == null ? null : intervals.get(p.getProxy());
        ProxyRank.Builder b = ProxyRank.newBuilder(p);
        if (i != null) {
          anyInterval = true;
          b.setLow(i.getLow()).setHigh(i.getHigh());
        }
        if (p.getProxy().equals(TIER_PROXY)) {
          b.setTier(tier.get(e.getGeneratorId())).setBeatsNext(beatsNext.get(e.getGeneratorId()));
        }
        proxies.add(b.build());
      }
      entries.add(RankingEntry.newBuilder(e).setProxies(proxies).build());
    }
    List<NoiseFloorSummary> floors = null;
    for (QualityScores s : byId.values()) {
      if (s.getNoiseFloors() != null
          && s.getReferenceVersion().equals(update.getReferenceVersion())) {
        floors = s.getNoiseFloors();
        break;
      }
    }
    return RankingUpdate.newBuilder(update)
        .setEntries(entries)
        .setTierLevel(anyInterval || !tier.isEmpty() ? WindowEvidence.LEVEL : null)
        .setNoiseFloors(floors)
        .build();
  }

  /**
   * Whether {@code challenger} is separated from {@code incumbent} in its favour in {@code
   * ranking}'s tiers: a lower tier number. True when either has no tier (no interval data, not
   * eligible, not in the ranking), so without tiers the leader rule is the plain one.
   */
  static boolean separatedAbove(RankingUpdate ranking, String challenger, String incumbent) {
    Integer c = tierOf(ranking, challenger);
    Integer i = tierOf(ranking, incumbent);
    return c == null || i == null || c < i;
  }

  /** The generator's {@value #TIER_PROXY} tier in {@code ranking}, or null. */
  static Integer tierOf(RankingUpdate ranking, String generator) {
    if (generator == null) {
      return null;
    }
    for (RankingEntry e : ranking.getEntries()) {
      if (e.getGeneratorId().equals(generator)) {
        for (ProxyRank p : e.getProxies()) {
          if (p.getProxy().equals(TIER_PROXY)) {
            return p.getTier();
          }
        }
      }
    }
    return null;
  }

  private static Double value(RankingEntry e, String proxy) {
    for (ProxyRank p : e.getProxies()) {
      if (p.getProxy().equals(proxy)) {
        return p.getValue();
      }
    }
    return null;
  }
}
