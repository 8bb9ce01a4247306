package dev.synque.monitor.generate;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The demo's procedural generators: no model and no download, each a pure function of (seed, sample
 * index), with a known quality, so a newcomer sees a sensible ranking and a drift alert within a
 * minute. Texts are financial-news headlines (the SynQuE sentiment domain).
 *
 * <ul>
 *   <li>{@code faithful}: the reference grammar itself (different seed): the best generator.
 *   <li>{@code templated}: the reference grammar with a few companies and one sentence shape: on
 *       topic but low diversity.
 *   <li>{@code collapsed}: three fixed headlines, mode collapse.
 *   <li>{@code off-topic}: lifestyle sentences, another domain.
 *   <li>{@code drifting}: faithful for its first {@link #DRIFT_AFTER} samples, then more and more
 *       collapsed and off-topic text: the one that raises a drift alert.
 * </ul>
 *
 * @param id the generator id published with every sample
 * @param description one line for the terminal and the web page
 */
public record DemoGenerator(String id, String description, Kind kind) {

  /** Samples after which {@code drifting} starts to degrade. */
  public static final long DRIFT_AFTER = 600;

  /** How a generator writes. */
  public enum Kind {
    FAITHFUL,
    TEMPLATED,
    COLLAPSED,
    OFF_TOPIC,
    DRIFTING
  }

  /** The demo's five generators. */
  public static List<DemoGenerator> all() {
    return List.of(
        new DemoGenerator("faithful", "samples the reference style itself", Kind.FAITHFUL),
        new DemoGenerator(
            "templated", "on topic, but few companies and one sentence shape", Kind.TEMPLATED),
        new DemoGenerator("collapsed", "repeats three headlines (mode collapse)", Kind.COLLAPSED),
        new DemoGenerator("off-topic", "writes lifestyle sentences, not finance", Kind.OFF_TOPIC),
        new DemoGenerator(
            "drifting", "faithful for " + DRIFT_AFTER + " samples, then degrades", Kind.DRIFTING));
  }

  /** The demo's real reference sample: {@code count} headlines from the reference grammar. */
  public static List<String> reference(int count, long seed) {
    List<String> texts = new java.util.ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      texts.add(HeadlineGrammar.headline(random(seed ^ 0x5EED_5EEDL, i)));
    }
    return texts;
  }

  /** The text of sample {@code index} (0-based) for the given seed. Pure. */
  public String text(long index, long seed) {
    SplittableRandom r = random(seed ^ id.hashCode(), index);
    return switch (kind) {
      case FAITHFUL -> HeadlineGrammar.headline(r);
      case TEMPLATED -> templated(r);
      case COLLAPSED -> COLLAPSED_TEXTS.get(r.nextInt(COLLAPSED_TEXTS.size()));
      case OFF_TOPIC -> offTopic(r);
      case DRIFTING -> drifting(index, r);
    };
  }

  private static String drifting(long index, SplittableRandom r) {
    if (index < DRIFT_AFTER) {
      return HeadlineGrammar.headline(r);
    }
    // Degradation ramps up over the next DRIFT_AFTER samples, then stays at 90%.
    double degraded = Math.min(0.9, (index - DRIFT_AFTER + 1) / (double) DRIFT_AFTER);
    if (r.nextDouble() >= degraded) {
      return HeadlineGrammar.headline(r);
    }
    return r.nextBoolean() ? COLLAPSED_TEXTS.get(r.nextInt(3)) : offTopic(r);
  }

  private static final List<String> COLLAPSED_TEXTS =
      List.of(
          "Stocks rise as investors cheer strong earnings",
          "Shares fall after company misses expectations",
          "Market stays flat ahead of key data");

  private static String templated(SplittableRandom r) {
    String company = HeadlineGrammar.COMPANIES.get(r.nextInt(3));
    return String.format(Locale.ROOT, "%s stock moves %d%% today", company, 1 + r.nextInt(9));
  }

  private static final List<String> OFF_TOPIC_SUBJECTS =
      List.of("My grandmother", "Our hiking group", "The new bakery", "A local chef", "My cat");
  private static final List<String> OFF_TOPIC_ACTIONS =
      List.of(
          "shares a recipe for lemon cake",
          "explores the hidden beaches of Portugal",
          "tries a ten-minute morning yoga routine",
          "reviews the best hiking boots of the season",
          "plants tomatoes on a tiny balcony");

  private static String offTopic(SplittableRandom r) {
    return HeadlineGrammar.pick(r, OFF_TOPIC_SUBJECTS)
        + " "
        + HeadlineGrammar.pick(r, OFF_TOPIC_ACTIONS);
  }

  private static SplittableRandom random(long seed, long index) {
    return new SplittableRandom(seed * 0x9E3779B97F4A7C15L + index * 0xBF58476D1CE4E5B9L + 1);
  }
}
