package dev.synque.monitor.evaluate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes {@code scores.csv} ({@code group,seed,dataset,proxy,value}) and {@code summary.csv}
 * ({@code group,proxy,higher_is_better,spearman,pearson,top3,mean_all,oracle_top3}, then the 95%
 * bootstrap bounds {@code spearman_low,spearman_high,pearson_low,pearson_high}). Numbers are
 * written with full precision ({@link Double#toString}); an undefined value is the empty cell.
 */
public final class EvaluationOutput {

  /** The header of {@code scores.csv}. */
  public static final String SCORES_HEADER = "group,seed,dataset,proxy,value";

  /** The header of {@code summary.csv}. */
  public static final String SUMMARY_HEADER =
      "group,proxy,higher_is_better,spearman,pearson,top3,mean_all,oracle_top3,"
          + "spearman_low,spearman_high,pearson_low,pearson_high";

  private EvaluationOutput() {}

  public static void writeScores(Path file, List<ProxyScore> scores) {
    List<String> lines = new ArrayList<>();
    lines.add(SCORES_HEADER);
    for (ProxyScore s : scores) {
      lines.add(
          String.join(
              ",", cell(s.group()), cell(s.seed()), cell(s.dataset()), s.proxy(), num(s.value())));
    }
    write(file, lines);
  }

  public static void writeSummary(Path file, List<SummaryRow> rows) {
    List<String> lines = new ArrayList<>();
    lines.add(SUMMARY_HEADER);
    for (SummaryRow r : rows) {
      lines.add(
          String.join(
              ",",
              cell(r.group()),
              r.proxy(),
              Boolean.toString(r.higherIsBetter()),
              num(r.spearman()),
              num(r.pearson()),
              num(r.top3()),
              num(r.meanAll()),
              num(r.oracleTop3()),
              num(r.spearmanInterval().lower()),
              num(r.spearmanInterval().upper()),
              num(r.pearsonInterval().lower()),
              num(r.pearsonInterval().upper())));
    }
    write(file, lines);
  }

  static String num(double v) {
    return Double.isNaN(v) ? "" : Double.toString(v);
  }

  /** Quotes a name holding a comma or quote (RFC 4180). */
  static String cell(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  static String fixed(double v, int decimals) {
    return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** Writes UTF-8 lines, creating parent folders. */
  static void write(Path file, List<String> lines) {
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      Files.write(file, lines, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
