package dev.synque.monitor.generate;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A small grammar of financial-news headlines, the demo's domain (the same as the SynQuE sentiment
 * benchmark). The demo's "real" reference set and its faithful generators draw from it; degraded
 * generators draw from narrower or different grammars, so embedding proxies can tell them apart
 * without any model or data download.
 */
final class HeadlineGrammar {

  static final List<String> COMPANIES =
      List.of(
          "Acme Corp",
          "Globex",
          "Initech",
          "Umbrella Holdings",
          "Hooli",
          "Stark Industries",
          "Wayne Enterprises",
          "Soylent",
          "Cyberdyne",
          "Tyrell",
          "Wonka Foods",
          "Gringotts Bank",
          "Oscorp",
          "Aperture Labs",
          "Vandelay Imports",
          "Pied Piper",
          "Massive Dynamic",
          "Nakatomi Trading",
          "Monarch Airlines",
          "Blue Sun",
          "Virtucon",
          "Dunder Mifflin",
          "Sterling Cooper",
          "Prestige Worldwide",
          "Rekall",
          "Zorin Mining",
          "Weyland Energy",
          "Octan Oil",
          "Ollivanders",
          "Duff Brewing");

  private static final List<String> UP_VERBS =
      List.of("rises", "jumps", "climbs", "gains", "rallies", "surges", "edges up", "advances");
  private static final List<String> DOWN_VERBS =
      List.of("falls", "drops", "slides", "sinks", "tumbles", "slips", "retreats", "plunges");
  private static final List<String> UP_REASONS =
      List.of(
          "after earnings beat estimates",
          "on upgrade to buy",
          "as revenue tops forecasts",
          "on takeover talk",
          "after raising guidance",
          "on strong China sales",
          "as margins widen",
          "after buyback announcement",
          "on new contract win");
  private static final List<String> DOWN_REASONS =
      List.of(
          "after profit warning",
          "on downgrade to sell",
          "as sales miss forecasts",
          "amid accounting probe",
          "after cutting guidance",
          "on weak demand in Europe",
          "as costs climb",
          "after CEO exit",
          "on recall of flagship product");
  private static final List<String> NEUTRAL =
      List.of(
          "{c} to present at industry conference next week",
          "{c} names new chief financial officer",
          "{c} schedules third-quarter results for Oct. {d}",
          "{c} completes previously announced refinancing",
          "{c} board declares regular quarterly dividend",
          "{c} opens new distribution centre in {p}");
  private static final List<String> PLACES =
      List.of("Ohio", "Texas", "Rotterdam", "Singapore", "Poland", "Ontario", "Bavaria", "Chile");

  private HeadlineGrammar() {}

  /** A headline in the reference style: bullish, bearish or neutral, varied wording. */
  static String headline(SplittableRandom r) {
    String company = pick(r, COMPANIES);
    int kind = r.nextInt(3);
    if (kind == 2) {
      return pick(r, NEUTRAL)
          .replace("{c}", company)
          .replace("{d}", Integer.toString(1 + r.nextInt(28)))
          .replace("{p}", pick(r, PLACES));
    }
    boolean up = kind == 0;
    String verb = pick(r, up ? UP_VERBS : DOWN_VERBS);
    String reason = pick(r, up ? UP_REASONS : DOWN_REASONS);
    double pct = 0.5 + r.nextInt(150) / 10.0;
    return r.nextBoolean()
        ? String.format(java.util.Locale.ROOT, "%s %s %.1f%% %s", company, verb, pct, reason)
        : String.format(java.util.Locale.ROOT, "%s shares %s %s", company, verb, reason);
  }

  static <T> T pick(SplittableRandom r, List<T> values) {
    return values.get(r.nextInt(values.size()));
  }
}
