package dev.synque.monitor.metrics;

import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How far to trust the ranking, per generator, proxy and window kind, from each {@link
 * RankingUpdate} (see docs/uncertainty.md):
 *
 * <ul>
 *   <li>{@value #INTERVAL_LOW}, {@value #INTERVAL_HIGH}: bounds of the proxy value's interval at
 *       the ranking's level (0.95); only proxies with a live interval ({@code mmd2_poly});
 *   <li>{@value #TIER}: the generator's tier under that proxy, 1 = best; generators of one tier
 *       cannot be told apart at the level;
 *   <li>{@value #BEATS_NEXT}: P(the generator beats the next one down in that proxy's order), 0..1;
 *   <li>{@value #NOISE_FLOOR}: the reference's noise floor (p95 of the proxy between random halves
 *       of the reference), per proxy and window kind.
 * </ul>
 *
 * <p>A series without a value in the latest ranking reads {@code NaN}. Generator and proxy tag
 * values are the ones {@link GeneratorQualityMetrics} bounds (one shared cap); series of a retired
 * generator are removed. Thread-safe.
 */
public final class UncertaintyMetrics implements MeterBinder {

  /** Lower bound of a proxy value's interval. */
  public static final String INTERVAL_LOW = "synque.generator.interval.low";

  /** Upper bound of a proxy value's interval. */
  public static final String INTERVAL_HIGH = "synque.generator.interval.high";

  /** Tier under a proxy, 1 is best. */
  public static final String TIER = "synque.generator.tier";

  /** P(beats the next generator down). */
  public static final String BEATS_NEXT = "synque.generator.beats.next";

  /** Noise floor (p95) of a proxy for the current reference. */
  public static final String NOISE_FLOOR = "synque.reference.noise.floor";

  private final GeneratorQualityMetrics tags;
  private volatile Cells cells;

  private record Cells(
      GaugeCells low, GaugeCells high, GaugeCells tier, GaugeCells beatsNext, GaugeCells floor) {}

  /**
   * @param tags whose bounded generator and proxy tag values these series share
   */
  public UncertaintyMetrics(GeneratorQualityMetrics tags) {
    this.tags = tags;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    cells =
        new Cells(
            new GaugeCells(
                registry, INTERVAL_LOW, "Lower bound of the proxy value's 95% interval", null),
            new GaugeCells(
                registry, INTERVAL_HIGH, "Upper bound of the proxy value's 95% interval", null),
            new GaugeCells(
                registry,
                TIER,
                "Tier of the generator under the proxy, 1 is best; one tier cannot be told apart",
                null),
            new GaugeCells(
                registry,
                BEATS_NEXT,
                "Probability that the generator beats the next one down under the proxy",
                null),
            new GaugeCells(
                registry,
                NOISE_FLOOR,
                "Noise floor of the proxy: p95 of the proxy between random halves of the reference",
                null));
  }

  /** The intervals, tiers and floors of one ranking. */
  public void ranked(RankingUpdate ranking) {
    Cells c = cells;
    if (c == null) {
      return;
    }
    String window = ranking.getWindowKind().name();
    for (RankingEntry entry : ranking.getEntries()) {
      String generator = tags.generatorTag(entry.getGeneratorId());
      for (ProxyRank p : entry.getProxies()) {
        if (p.getLow() == null && p.getTier() == null) {
          continue;
        }
        Tags t =
            Tags.of("generator", generator, "proxy", tags.proxyTag(p.getProxy()), "window", window);
        c.low().set(t, orNaN(p.getLow()));
        c.high().set(t, orNaN(p.getHigh()));
        c.tier().set(t, p.getTier() == null ? Double.NaN : p.getTier());
        c.beatsNext().set(t, orNaN(p.getBeatsNext()));
      }
    }
    if (ranking.getNoiseFloors() != null) {
      for (NoiseFloorSummary f : ranking.getNoiseFloors()) {
        c.floor().set(Tags.of("proxy", tags.proxyTag(f.getProxy()), "window", window), f.getP95());
      }
    }
  }

  /** Removes every series of a retired generator. */
  public void retired(String generatorId) {
    Cells c = cells;
    if (c == null) {
      return;
    }
    for (GaugeCells g : new GaugeCells[] {c.low(), c.high(), c.tier(), c.beatsNext()}) {
      g.removeIf(
          t ->
              t.stream()
                  .anyMatch(
                      x -> x.getKey().equals("generator") && x.getValue().equals(generatorId)));
    }
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }
}
