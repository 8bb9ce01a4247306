package dev.synque.monitor.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code report.html}: one self-contained file (inline CSS and SVG, no script, no network) with the
 * summary table and, per proxy, a scatter plot of proxy value against downstream performance, one
 * dot per (seed, dataset) coloured by seed. Hovering a dot names its dataset, seed and values.
 */
public final class HtmlReport {

  private static final String[] SEED_COLOURS = {
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f",
    "#bcbd22", "#17becf"
  };
  private static final int WIDTH = 360;
  private static final int HEIGHT = 260;
  private static final int MARGIN_LEFT = 56;
  private static final int MARGIN_BOTTOM = 40;
  private static final int MARGIN_TOP = 12;
  private static final int MARGIN_RIGHT = 28;

  private HtmlReport() {}

  /**
   * The report's context.
   *
   * @param title headline
   * @param facts label to value lines shown under the title (benchmark, model, run time...)
   */
  public record Header(String title, Map<String, String> facts) {}

  public static void write(
      Path file,
      Header header,
      Benchmark benchmark,
      List<ProxyScore> scores,
      List<SummaryRow> summary) {
    write(file, header, benchmark, scores, summary, "");
  }

  /**
   * As {@link #write(Path, Header, Benchmark, List, List)} with an extra HTML section at the end.
   */
  public static void write(
      Path file,
      Header header,
      Benchmark benchmark,
      List<ProxyScore> scores,
      List<SummaryRow> summary,
      String extraSection) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.writeString(
          file,
          render(header, benchmark, scores, summary).replace("</body></html>\n", "")
              + extraSection
              + "</body></html>\n",
          StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  static String render(
      Header header, Benchmark benchmark, List<ProxyScore> scores, List<SummaryRow> summary) {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n")
        .append("<title>")
        .append(esc(header.title()))
        .append("</title>\n<style>\n")
        .append(
            "body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:24px;"
                + "color:#222;max-width:1200px}\n"
                + "h1{font-size:22px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 8px}\n"
                + "dl{display:grid;grid-template-columns:max-content auto;gap:2px 12px;"
                + "font-size:13px;color:#555}dt{font-weight:600}dd{margin:0}\n"
                + "table{border-collapse:collapse;font-size:13px}"
                + "th,td{padding:4px 10px;border-bottom:1px solid #ddd;text-align:right}"
                + "th:first-child,td:first-child,th:nth-child(2),td:nth-child(2){text-align:left}"
                + "th{background:#f4f4f4}\n"
                + "td.good{color:#1a7f37;font-weight:600}td.bad{color:#b42318}\n"
                + ".ci{color:#888;font-size:11px}\n"
                + ".plots{display:flex;flex-wrap:wrap;gap:18px}"
                + "figure{margin:0;border:1px solid #e5e5e5;padding:6px}"
                + "figcaption{font-size:13px;font-weight:600;margin-bottom:2px}\n"
                + "svg text{font-size:10px;fill:#555}.legend span{font-size:12px;margin-right:10px}"
                + "\n.note{font-size:13px;color:#555;max-width:900px}\n")
        .append("</style></head><body>\n<h1>")
        .append(esc(header.title()))
        .append("</h1>\n<dl>\n");
    header
        .facts()
        .forEach(
            (k, v) ->
                html.append("<dt>")
                    .append(esc(k))
                    .append("</dt><dd>")
                    .append(esc(v))
                    .append("</dd>\n"));
    html.append("</dl>\n");
    html.append(
        "<p class=\"note\">Correlations are of raw proxy values with downstream performance across"
            + " datasets within each real sample (seed), averaged over seeds and then groups, so a"
            + " distance that works correlates <em>negatively</em>. The <em>agrees</em> column"
            + " says whether the sign matches the proxy's orientation. top-3 is the mean"
            + " performance of the three datasets the proxy ranks best; compare it with the mean of"
            + " all datasets and with the best three. Grey ranges are 95% bootstrap intervals over"
            + " datasets.</p>\n");
    appendTable(html, summary);
    html.append("<h2>Proxy value against downstream performance</h2>\n");
    appendLegend(html, benchmark);
    html.append("<div class=\"plots\">\n");
    Map<String, List<ProxyScore>> byProxy = new LinkedHashMap<>();
    for (SummaryRow r : summary) {
      byProxy.putIfAbsent(r.proxy(), new ArrayList<>());
    }
    for (ProxyScore s : scores) {
      byProxy.computeIfAbsent(s.proxy(), p -> new ArrayList<>()).add(s);
    }
    byProxy.forEach((proxy, points) -> appendScatter(html, proxy, points, benchmark));
    html.append("</div>\n</body></html>\n");
    return html.toString();
  }

  private static void appendTable(StringBuilder html, List<SummaryRow> summary) {
    boolean manyGroups = summary.stream().map(SummaryRow::group).distinct().count() > 2;
    html.append("<h2>Summary</h2>\n<table>\n<tr><th>group</th><th>proxy</th><th>better</th>")
        .append("<th>Spearman</th><th>Pearson</th><th>agrees</th><th>top-3</th>")
        .append("<th>mean all</th><th>best 3</th></tr>\n");
    for (SummaryRow r : summary) {
      if (manyGroups || r.group().equals(EvaluationSummary.ALL)) {
        double sign = r.higherIsBetter() ? 1 : -1;
        boolean agrees = !Double.isNaN(r.spearman()) && sign * r.spearman() > 0;
        html.append("<tr><td>")
            .append(esc(r.group()))
            .append("</td><td>")
            .append(esc(r.proxy()))
            .append("</td><td>")
            .append(r.higherIsBetter() ? "higher" : "lower")
            .append("</td><td>")
            .append(withInterval(r.spearman(), r.spearmanInterval()))
            .append("</td><td>")
            .append(withInterval(r.pearson(), r.pearsonInterval()))
            .append("</td><td class=\"")
            .append(Double.isNaN(r.spearman()) ? "\">–" : agrees ? "good\">yes" : "bad\">no")
            .append("</td><td class=\"")
            .append(r.top3() > r.meanAll() ? "good" : "bad")
            .append("\">")
            .append(EvaluationOutput.fixed(r.top3(), 4))
            .append("</td><td>")
            .append(EvaluationOutput.fixed(r.meanAll(), 4))
            .append("</td><td>")
            .append(EvaluationOutput.fixed(r.oracleTop3(), 4))
            .append("</td></tr>\n");
      }
    }
    html.append("</table>\n");
  }

  private static String withInterval(double v, dev.synque.monitor.core.BootstrapInterval ci) {
    return EvaluationOutput.fixed(v, 3)
        + " <span class=\"ci\">["
        + EvaluationOutput.fixed(ci.lower(), 2)
        + ", "
        + EvaluationOutput.fixed(ci.upper(), 2)
        + "]</span>";
  }

  private static void appendLegend(StringBuilder html, Benchmark benchmark) {
    html.append("<p class=\"legend\">");
    Map<String, String> colours = seedColours(benchmark);
    colours.forEach(
        (seed, colour) ->
            html.append("<span><svg width=\"10\" height=\"10\"><circle cx=\"5\" cy=\"5\" r=\"4\"")
                .append(" fill=\"")
                .append(colour)
                .append("\"/></svg> ")
                .append(esc(seed))
                .append("</span>"));
    html.append("</p>\n");
  }

  private static Map<String, String> seedColours(Benchmark benchmark) {
    Map<String, String> colours = new TreeMap<>();
    for (Benchmark.Group g : benchmark.groups().values()) {
      for (String seed : g.realSamples().keySet()) {
        colours.putIfAbsent(seed, "");
      }
    }
    int i = 0;
    for (Map.Entry<String, String> e : colours.entrySet()) {
      e.setValue(SEED_COLOURS[i++ % SEED_COLOURS.length]);
    }
    return colours;
  }

  private static void appendScatter(
      StringBuilder html, String proxy, List<ProxyScore> points, Benchmark benchmark) {
    Map<String, String> colours = seedColours(benchmark);
    List<double[]> xy = new ArrayList<>();
    List<ProxyScore> shown = new ArrayList<>();
    for (ProxyScore p : points) {
      Double perf = benchmark.groups().get(p.group()).performance().get(p.dataset());
      if (perf != null && Double.isFinite(p.value())) {
        xy.add(new double[] {p.value(), perf});
        shown.add(p);
      }
    }
    html.append("<figure><figcaption>").append(esc(proxy)).append("</figcaption>\n");
    html.append("<svg width=\"")
        .append(WIDTH)
        .append("\" height=\"")
        .append(HEIGHT)
        .append("\" role=\"img\" aria-label=\"")
        .append(esc(proxy))
        .append(" against performance\">\n");
    if (xy.isEmpty()) {
      html.append("<text x=\"20\" y=\"40\">no values</text></svg></figure>\n");
      return;
    }
    double[] xr = range(xy, 0);
    double[] yr = range(xy, 1);
    int plotW = WIDTH - MARGIN_LEFT - MARGIN_RIGHT;
    int plotH = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
    html.append(
        String.format(
            Locale.ROOT,
            "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#fafafa\" stroke=\"#ccc\"/>\n",
            MARGIN_LEFT,
            MARGIN_TOP,
            plotW,
            plotH));
    for (int t = 0; t <= 4; t++) {
      double fx = xr[0] + (xr[1] - xr[0]) * t / 4;
      double fy = yr[0] + (yr[1] - yr[0]) * t / 4;
      double px = MARGIN_LEFT + plotW * t / 4.0;
      double py = MARGIN_TOP + plotH - plotH * t / 4.0;
      html.append(
          String.format(
              Locale.ROOT,
              "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                  + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
              px,
              HEIGHT - MARGIN_BOTTOM + 14,
              tick(fx),
              MARGIN_LEFT - 4,
              py + 3,
              tick(fy)));
    }
    html.append(
        String.format(
            Locale.ROOT,
            "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>"
                + "<text transform=\"translate(12,%.1f) rotate(-90)\" text-anchor=\"middle\">"
                + "performance</text>\n",
            MARGIN_LEFT + plotW / 2.0,
            HEIGHT - 6,
            esc(proxy),
            MARGIN_TOP + plotH / 2.0));
    for (int i = 0; i < xy.size(); i++) {
      double px = MARGIN_LEFT + plotW * (xy.get(i)[0] - xr[0]) / (xr[1] - xr[0]);
      double py = MARGIN_TOP + plotH - plotH * (xy.get(i)[1] - yr[0]) / (yr[1] - yr[0]);
      ProxyScore p = shown.get(i);
      html.append(
          String.format(
              Locale.ROOT,
              "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.2\" fill=\"%s\" fill-opacity=\"0.75\">"
                  + "<title>%s (seed %s): %s = %s, performance %s</title></circle>\n",
              px,
              py,
              colours.getOrDefault(p.seed(), "#333"),
              esc(p.dataset()),
              esc(p.seed()),
              esc(proxy),
              tick(xy.get(i)[0]),
              tick(xy.get(i)[1])));
    }
    html.append("</svg></figure>\n");
  }

  private static double[] range(List<double[]> xy, int axis) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] p : xy) {
      lo = Math.min(lo, p[axis]);
      hi = Math.max(hi, p[axis]);
    }
    double pad = hi > lo ? (hi - lo) * 0.05 : Math.max(Math.abs(lo) * 0.05, 1e-9);
    return new double[] {lo - pad, hi + pad};
  }

  private static String tick(double v) {
    double a = Math.abs(v);
    if (a != 0 && (a < 1e-3 || a >= 1e5)) {
      return String.format(Locale.ROOT, "%.2e", v);
    }
    return String.format(Locale.ROOT, a >= 100 ? "%.1f" : "%.4f", v);
  }

  static String esc(String s) {
    return s.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
