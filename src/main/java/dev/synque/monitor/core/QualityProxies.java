package dev.synque.monitor.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of embedding proxies with their SynQuE defaults, by name, in the order reports list
 * them: {@code mmd2_poly, mmd2_rbf, pad, pad_balanced, frechet, mauve, mdm, vendi}. The LLM proxy
 * ({@link LensScore}) and the {@link RankAggregation combined} proxy are not embedding proxies and
 * are not listed here.
 */
public final class QualityProxies {

  private static final Map<String, QualityProxy> BY_NAME = new LinkedHashMap<>();

  static {
    for (QualityProxy p :
        List.of(
            Mmd2Polynomial.synqueDefault(),
            Mmd2Rbf.medianHeuristic(),
            ProxyADistance.authors(),
            ProxyADistance.balanced(),
            FrechetDistance.instance(),
            new Mauve(),
            new MeanDistanceToMedoid(),
            new VendiScore())) {
      BY_NAME.put(p.name(), p);
    }
  }

  private QualityProxies() {}

  /** Every embedding proxy with its defaults, in report order. */
  public static List<QualityProxy> all() {
    return List.copyOf(BY_NAME.values());
  }

  /** The names of {@link #all()}. */
  public static List<String> names() {
    return List.copyOf(BY_NAME.keySet());
  }

  /**
   * The proxies with these names, in the given order.
   *
   * @throws IllegalArgumentException for an unknown or repeated name, naming it and the known ones
   */
  public static List<QualityProxy> byNames(List<String> names) {
    List<QualityProxy> proxies = new ArrayList<>();
    for (String name : names) {
      QualityProxy p = BY_NAME.get(name);
      if (p == null) {
        throw new IllegalArgumentException(
            "unknown proxy \"" + name + "\"; known proxies: " + String.join(", ", names()));
      }
      if (proxies.contains(p)) {
        throw new IllegalArgumentException("proxy \"" + name + "\" is listed twice");
      }
      proxies.add(p);
    }
    return proxies;
  }
}
