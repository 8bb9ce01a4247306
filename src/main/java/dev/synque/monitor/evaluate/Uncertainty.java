package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.MmdWitness;
import dev.synque.monitor.core.NoiseFloor;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxy;
import dev.synque.monitor.core.Separation;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How far each score is from noise, and why a dataset scores as it does: noise floors of every
 * reference-using proxy, intervals, tiers and P(A beats B) for {@code mmd2_poly}, and per-sample
 * evidence from the MMD witness. Uses no performance numbers.
 *
 * <ul>
 *   <li><b>Noise floors</b> ({@link NoiseFloor}): per (group, seed), each reference-using proxy
 *       between random halves of the real sample, {@value #FLOOR_REPEATS} splits, seed {@value
 *       #FLOOR_SEED}. A proxy that fails on the halves (too few vectors) is left out.
 *   <li><b>Intervals</b> for {@code mmd2_poly}: {@code value ± 1.96 se} with the first-order
 *       standard error of {@link MmdWitness}.
 *   <li><b>Tiers</b> ({@link Separation#tiers}) of the datasets of each (group, seed) at level
 *       {@value Separation#DEFAULT_LEVEL}, with the paired difference errors (the datasets share
 *       the real sample), and P(A beats B) for each dataset and the next one down.
 *   <li><b>Evidence</b>: each synthetic sample's realness (the MMD witness), each real sample's
 *       coverage, and the least real-looking / least covered ones.
 * </ul>
 */
public final class Uncertainty {

  /** Random splits of the real sample per noise floor. */
  public static final int FLOOR_REPEATS = NoiseFloor.DEFAULT_REPEATS;

  /** Seed of the noise-floor splits. */
  public static final long FLOOR_SEED = 20L;

  /** Normal quantile of the 95% intervals. */
  public static final double Z95 = 1.959963984540054;

  /** How many least real-looking samples and least covered real samples a report lists. */
  public static final int EVIDENCE_COUNT = 3;

  private Uncertainty() {}

  /** A proxy's noise floor for one real sample. */
  public record Floor(String group, String seed, NoiseFloor floor) {}

  /**
   * One dataset's {@code mmd2_poly} with its interval and tier within its (group, seed).
   *
   * @param rank 1 = best within the (group, seed)
   * @param beatsNext P(this dataset beats the next one down), NaN for the last
   */
  public record Interval(
      String group,
      String seed,
      String dataset,
      String proxy,
      double value,
      double se,
      double low,
      double high,
      int rank,
      int tier,
      double beatsNext) {}

  /** The per-sample evidence of one (group, seed, dataset). */
  public record Evidence(
      String group, String seed, String dataset, double[] realness, double[] coverage) {}

  /** Everything computed. */
  public record Result(List<Floor> floors, List<Interval> intervals, List<Evidence> evidence) {}

  /**
   * Computes floors, intervals, tiers and evidence.
   *
   * @param proxies the run's embedding proxies (floors for those that use the reference)
   */
  public static Result run(
      Benchmark benchmark, List<QualityProxy> proxies, EmbeddingSource source, Progress progress) {
    List<Floor> floors = new ArrayList<>();
    List<Interval> intervals = new ArrayList<>();
    List<Evidence> evidence = new ArrayList<>();
    int total = 0;
    for (Benchmark.Group g : benchmark.groups().values()) {
      total += g.realSamples().size();
    }
    int done = 0;
    for (Benchmark.Group g : benchmark.groups().values()) {
      List<String> datasets = List.copyOf(g.datasets().keySet());
      for (Map.Entry<String, Path> real : g.realSamples().entrySet()) {
        String seed = real.getKey();
        progress.update("evidence", done++, total, g.name() + " / " + seed);
        EmbeddingSet reference = source.embeddings(real.getValue());
        for (QualityProxy proxy : proxies) {
          if (!proxy.usesReference() || reference.size() < 4) {
            continue;
          }
          try {
            floors.add(
                new Floor(
                    g.name(), seed, NoiseFloor.of(proxy, reference, FLOOR_REPEATS, FLOOR_SEED)));
          } catch (IllegalArgumentException e) {
            // a proxy that cannot run on halves of this size has no floor here
          }
        }
        MmdWitness[] witnesses = new MmdWitness[datasets.size()];
        double[] values = new double[datasets.size()];
        for (int i = 0; i < witnesses.length; i++) {
          witnesses[i] =
              MmdWitness.polynomial(
                  source.embeddings(g.datasets().get(datasets.get(i))), reference);
          values[i] = witnesses[i].mmd2();
          evidence.add(
              new Evidence(
                  g.name(),
                  seed,
                  datasets.get(i),
                  witnesses[i].realness(),
                  witnesses[i].coverage()));
        }
        Separation.Tiers tiers =
            Separation.tiers(
                values,
                Orientation.LOWER_IS_BETTER,
                (a, b) -> witnesses[a].pairedDifferenceError(witnesses[b]),
                Separation.DEFAULT_LEVEL);
        int[] order = tiers.order();
        double[] beatsNext = tiers.beatsNext();
        int[] tier = tiers.tier();
        for (int p = 0; p < order.length; p++) {
          int i = order[p];
          double se = witnesses[i].standardError();
          intervals.add(
              new Interval(
                  g.name(),
                  seed,
                  datasets.get(i),
                  Mmd2Polynomial.NAME,
                  values[i],
                  se,
                  values[i] - Z95 * se,
                  values[i] + Z95 * se,
                  p + 1,
                  tier[i],
                  beatsNext[p]));
        }
      }
    }
    progress.update("evidence", done, total, "");
    return new Result(List.copyOf(floors), List.copyOf(intervals), List.copyOf(evidence));
  }

  /** {@code noise_floors.csv}: {@code group,seed,proxy,repeats,mean,sd,p95}. */
  public static void writeFloors(Path file, List<Floor> floors) {
    List<String> lines = new ArrayList<>();
    lines.add("group,seed,proxy,repeats,mean,sd,p95");
    for (Floor f : floors) {
      lines.add(
          String.join(
              ",",
              EvaluationOutput.cell(f.group()),
              EvaluationOutput.cell(f.seed()),
              f.floor().proxy(),
              Integer.toString(f.floor().values().length),
              EvaluationOutput.num(f.floor().mean()),
              EvaluationOutput.num(f.floor().sd()),
              EvaluationOutput.num(f.floor().p95())));
    }
    EvaluationOutput.write(file, lines);
  }

  /**
   * {@code intervals.csv}: {@code group,seed,dataset,proxy,value,se,low,high,rank,tier,
   * p_beats_next,floor_p95}, datasets best first within each (group, seed).
   */
  public static void writeIntervals(Path file, Result result) {
    List<String> lines = new ArrayList<>();
    lines.add("group,seed,dataset,proxy,value,se,low,high,rank,tier,p_beats_next,floor_p95");
    for (Interval i : result.intervals()) {
      lines.add(
          String.join(
              ",",
              EvaluationOutput.cell(i.group()),
              EvaluationOutput.cell(i.seed()),
              EvaluationOutput.cell(i.dataset()),
              i.proxy(),
              EvaluationOutput.num(i.value()),
              EvaluationOutput.num(i.se()),
              EvaluationOutput.num(i.low()),
              EvaluationOutput.num(i.high()),
              Integer.toString(i.rank()),
              Integer.toString(i.tier()),
              EvaluationOutput.num(i.beatsNext()),
              EvaluationOutput.num(floorP95(result, i.group(), i.seed(), i.proxy()))));
    }
    EvaluationOutput.write(file, lines);
  }

  /**
   * {@code samples.csv}: {@code group,seed,dataset,set,index,value}: {@code set} is {@code
   * synthetic} (value = realness, the MMD witness; low = least real-looking) or {@code real} (value
   * = coverage; low = a real sample the dataset leaves uncovered); {@code index} is the line's
   * position among the file's embedded texts, from 0 (the line's position among its texts when the
   * embedder rejected none).
   */
  public static void writeSamples(Path file, List<Evidence> evidence) {
    List<String> lines = new ArrayList<>();
    lines.add("group,seed,dataset,set,index,value");
    for (Evidence e : evidence) {
      String prefix =
          String.join(
              ",",
              EvaluationOutput.cell(e.group()),
              EvaluationOutput.cell(e.seed()),
              EvaluationOutput.cell(e.dataset()));
      for (int i = 0; i < e.realness().length; i++) {
        lines.add(prefix + ",synthetic," + i + "," + EvaluationOutput.num(e.realness()[i]));
      }
      for (int j = 0; j < e.coverage().length; j++) {
        lines.add(prefix + ",real," + j + "," + EvaluationOutput.num(e.coverage()[j]));
      }
    }
    EvaluationOutput.write(file, lines);
  }

  static double floorP95(Result result, String group, String seed, String proxy) {
    for (Floor f : result.floors()) {
      if (f.group().equals(group) && f.seed().equals(seed) && f.floor().proxy().equals(proxy)) {
        return f.floor().p95();
      }
    }
    return Double.NaN;
  }

  /** The indices of the {@code count} smallest values, smallest first (ties by index). */
  static int[] lowest(double[] values, int count) {
    Integer[] idx = new Integer[values.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    java.util.Arrays.sort(
        idx, Comparator.<Integer>comparingDouble(i -> values[i]).thenComparingInt(i -> i));
    int n = Math.min(count, idx.length);
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = idx[k];
    }
    return out;
  }

  /**
   * The report section: how to read it, the noise floors, the tiers with intervals, and the
   * evidence of the first real sample of each group.
   */
  public static String html(Benchmark benchmark, Result result) {
    StringBuilder html = new StringBuilder();
    html.append("<style>tr.tier-even td{background:#f3f6fb}.sample{margin:2px 0}</style>\n")
        .append("<h2>Noise floors, intervals and tiers</h2>\n")
        .append(
            "<p class=\"note\">A <em>noise floor</em> is the proxy between two random halves of"
                + " the real sample (")
        .append(FLOOR_REPEATS)
        .append(
            " splits): what real data scores against real data. A score at or below the floor's"
                + " 95th percentile cannot be told from real data at this sample size. For"
                + " <code>mmd2_poly</code> the interval is value ± 1.96 standard errors (first"
                + " order; it understates the spread near the floor). Datasets in one"
                + " <em>tier</em> cannot be told apart from the tier's best at P ≥ 0.95; P(beats"
                + " next) is the probability that a dataset beats the one ranked just below it."
                + "</p>\n");
    // floors: one row per (group, seed), one column per proxy
    List<String> proxies = new ArrayList<>();
    Map<String, Map<String, NoiseFloor>> bySample = new LinkedHashMap<>();
    for (Floor f : result.floors()) {
      if (!proxies.contains(f.floor().proxy())) {
        proxies.add(f.floor().proxy());
      }
      bySample
          .computeIfAbsent(f.group() + " / " + f.seed(), k -> new LinkedHashMap<>())
          .put(f.floor().proxy(), f.floor());
    }
    html.append("<table class=\"floors\">\n<tr><th>group / seed</th>");
    proxies.forEach(p -> html.append("<th>").append(HtmlReport.esc(p)).append("</th>"));
    html.append("</tr>\n");
    bySample.forEach(
        (sample, floors) -> {
          html.append("<tr><td>").append(HtmlReport.esc(sample)).append("</td>");
          for (String p : proxies) {
            NoiseFloor f = floors.get(p);
            html.append("<td>")
                .append(
                    f == null
                        ? "–"
                        : String.format(
                            Locale.ROOT,
                            "%.4g <span class=\"ci\">p95 %.4g</span>",
                            f.mean(),
                            f.p95()))
                .append("</td>");
          }
          html.append("</tr>\n");
        });
    html.append("</table>\n");
    for (Benchmark.Group g : benchmark.groups().values()) {
      String seed = g.realSamples().firstKey();
      html.append("<h2>Tiers by mmd2_poly: ")
          .append(HtmlReport.esc(g.name()))
          .append(", real sample ")
          .append(HtmlReport.esc(seed))
          .append("</h2>\n<table class=\"tiers\">\n<tr><th>rank</th><th>dataset</th>")
          .append("<th>tier</th><th>mmd2_poly [95%]</th><th>× floor p95</th>")
          .append("<th>P(beats next)</th></tr>\n");
      double floor = floorP95(result, g.name(), seed, Mmd2Polynomial.NAME);
      for (Interval i : result.intervals()) {
        if (!i.group().equals(g.name()) || !i.seed().equals(seed)) {
          continue;
        }
        html.append("<tr class=\"tier-")
            .append(i.tier() % 2 == 0 ? "even" : "odd")
            .append("\"><td>")
            .append(i.rank())
            .append("</td><td>")
            .append(HtmlReport.esc(i.dataset()))
            .append("</td><td>")
            .append(i.tier())
            .append("</td><td>")
            .append(
                String.format(
                    Locale.ROOT,
                    "%.4g <span class=\"ci\">[%.4g, %.4g]</span>",
                    i.value(),
                    i.low(),
                    i.high()))
            .append("</td><td>")
            .append(EvaluationOutput.fixed(i.value() / floor, 1))
            .append("</td><td>")
            .append(EvaluationOutput.fixed(i.beatsNext(), 3))
            .append("</td></tr>\n");
      }
      html.append("</table>\n");
      appendEvidence(html, g, seed, result);
    }
    return html.toString();
  }

  private static void appendEvidence(
      StringBuilder html, Benchmark.Group g, String seed, Result result) {
    html.append("<h2>Evidence: ")
        .append(HtmlReport.esc(g.name()))
        .append(", real sample ")
        .append(HtmlReport.esc(seed))
        .append("</h2>\n")
        .append(
            "<p class=\"note\">Realness of a synthetic sample is the MMD witness, mean k(x, real)"
                + " − mean k(x, synthetic): the lowest are the least real-looking. Coverage of a"
                + " real sample is mean k(r, synthetic) − mean k(r, real): the lowest are the real"
                + " samples the dataset leaves uncovered. Per-sample values of every cell are in"
                + " samples.csv.</p>\n")
        .append("<table class=\"evidence\">\n<tr><th>dataset</th>")
        .append("<th>least real-looking samples (line, realness)</th>")
        .append("<th>least covered real samples (line, coverage)</th></tr>\n");
    List<String> realTexts = Benchmark.texts(g.realSamples().get(seed));
    for (Evidence e : result.evidence()) {
      if (!e.group().equals(g.name()) || !e.seed().equals(seed)) {
        continue;
      }
      List<String> texts = Benchmark.texts(g.datasets().get(e.dataset()));
      html.append("<tr><td>").append(HtmlReport.esc(e.dataset())).append("</td><td>");
      // texts line up with the vectors unless the embedder rejected some lines
      boolean aligned = texts.size() == e.realness().length;
      boolean realAligned = realTexts.size() == e.coverage().length;
      for (int i : lowest(e.realness(), EVIDENCE_COUNT)) {
        appendSample(html, i, aligned ? texts.get(i) : null, e.realness()[i]);
      }
      html.append("</td><td>");
      for (int j : lowest(e.coverage(), EVIDENCE_COUNT)) {
        appendSample(html, j, realAligned ? realTexts.get(j) : null, e.coverage()[j]);
      }
      html.append("</td></tr>\n");
    }
    html.append("</table>\n");
  }

  private static void appendSample(StringBuilder html, int index, String text, double value) {
    String shown =
        text == null
            ? "(text not shown: some lines of the file were rejected by the embedder)"
            : text.length() > 140 ? text.substring(0, 140) + "…" : text;
    html.append("<div class=\"sample\"><span class=\"ci\">#")
        .append(index)
        .append(String.format(Locale.ROOT, " %.3g", value))
        .append("</span> ")
        .append(HtmlReport.esc(shown))
        .append("</div>");
  }
}
