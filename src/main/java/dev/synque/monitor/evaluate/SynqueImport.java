package dev.synque.monitor.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Converts the SynQuE authors' sentiment-analysis release ({@code data/sentiment_analysis}) into
 * the {@link Benchmark} format: one group {@value #GROUP}, one real sample per {@code
 * real_data/balanced_real_seed=<s>.json} (seed name {@code <s>}), the {@code headline} of every
 * example as its text (labels are dropped: proxies must not see them), {@code
 * task_performance/sentiment_score.csv} deduplicated into {@code performance.csv}, and the LENS
 * judgements of {@code LENS/scores/<judge>/seed=<s>/{synthetic_data,real_data}/<dataset>.json}
 * under {@code lens/all/<s>/{synthetic,real}/}.
 */
public final class SynqueImport {

  /** The single group of the sentiment benchmark. */
  public static final String GROUP = "all";

  private static final Pattern REAL_SAMPLE = Pattern.compile("balanced_real_seed=(\\d+)\\.json");
  private static final List<String> JUDGEMENT_FIELDS =
      List.of(
          "score_real_given_synth_loc_A_judgement",
          "score_real_given_synth_loc_B_judgement",
          "score_synth_given_synth_loc_A_judgement",
          "score_synth_given_synth_loc_B_judgement");
  private static final ObjectMapper JSON = new ObjectMapper();

  private SynqueImport() {}

  /** What an import wrote. */
  public record Summary(int datasets, int realSamples, int lensPairs, String judge) {}

  /**
   * Imports {@code from} into {@code to} (created; existing files are overwritten).
   *
   * @param judge the LENS judge folder under {@code LENS/scores}; null picks the only one there
   * @throws BenchmarkFormatException when the source does not have the authors' layout
   */
  public static Summary run(Path from, Path to, String judge) {
    Path synthetic = from.resolve("synthetic_data");
    Path real = from.resolve("real_data");
    Path performanceCsv = from.resolve("task_performance").resolve("sentiment_score.csv");
    Map<String, Path> datasets = filesEndingIn(synthetic, ".json");
    if (datasets.isEmpty()) {
      throw new BenchmarkFormatException(synthetic, "holds no <dataset>.json");
    }
    Map<String, Double> performance = readPerformance(performanceCsv);
    List<String> lines = new ArrayList<>();
    lines.add(Benchmark.PERFORMANCE_HEADER);
    for (String dataset : datasets.keySet()) {
      Double f1 = performance.get(dataset);
      if (f1 == null) {
        throw new BenchmarkFormatException(performanceCsv, "has no row for " + dataset);
      }
      lines.add(GROUP + "," + dataset + "," + f1);
      JsonLines.write(
          to.resolve("synthetic").resolve(GROUP).resolve(dataset + ".jsonl"),
          textRows(datasets.get(dataset)));
    }
    EvaluationOutput.write(to.resolve(Benchmark.PERFORMANCE_FILE), lines);

    Map<String, Path> seeds = new TreeMap<>();
    filesEndingIn(real, ".json")
        .forEach(
            (name, path) -> {
              Matcher m = REAL_SAMPLE.matcher(path.getFileName().toString());
              if (m.matches()) {
                seeds.put(m.group(1), path);
              }
            });
    if (seeds.isEmpty()) {
      throw new BenchmarkFormatException(real, "holds no balanced_real_seed=<s>.json");
    }
    seeds.forEach(
        (seed, path) ->
            JsonLines.write(
                to.resolve("real").resolve(GROUP).resolve(seed + ".jsonl"), textRows(path)));

    int pairs = 0;
    Path scores = from.resolve("LENS").resolve("scores");
    String chosenJudge = null;
    if (Files.isDirectory(scores)) {
      chosenJudge = judge != null ? judge : onlyJudge(scores);
      Path judgeDir = scores.resolve(chosenJudge);
      if (!Files.isDirectory(judgeDir)) {
        throw new BenchmarkFormatException(judgeDir, "judge folder is missing");
      }
      for (String seed : seeds.keySet()) {
        Path seedDir = judgeDir.resolve("seed=" + seed);
        for (String dataset : datasets.keySet()) {
          Path s = seedDir.resolve("synthetic_data").resolve(dataset + ".json");
          Path r = seedDir.resolve("real_data").resolve(dataset + ".json");
          if (!Files.isRegularFile(s) || !Files.isRegularFile(r)) {
            continue;
          }
          Path lens = to.resolve("lens").resolve(GROUP).resolve(seed);
          JsonLines.write(lens.resolve("synthetic").resolve(dataset + ".jsonl"), judgements(s));
          JsonLines.write(lens.resolve("real").resolve(dataset + ".jsonl"), judgements(r));
          pairs++;
        }
      }
    }
    return new Summary(datasets.size(), seeds.size(), pairs, chosenJudge);
  }

  private static String onlyJudge(Path scores) {
    try (Stream<Path> entries = Files.list(scores)) {
      List<Path> judges = entries.filter(Files::isDirectory).sorted().toList();
      if (judges.size() != 1) {
        throw new BenchmarkFormatException(
            scores,
            "holds "
                + judges.size()
                + " judge folders; name one with --lens-judge (found "
                + judges.stream().map(p -> p.getFileName().toString()).toList()
                + ")");
      }
      return judges.get(0).getFileName().toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + scores, e);
    }
  }

  private static List<Map<String, String>> textRows(Path file) {
    List<Map<String, String>> rows = new ArrayList<>();
    JsonNode items = readArray(file);
    for (int i = 0; i < items.size(); i++) {
      JsonNode headline = items.get(i).get("headline");
      if (headline == null || !headline.isTextual()) {
        throw new BenchmarkFormatException(
            file, "item " + (i + 1) + " has no string field \"headline\"");
      }
      rows.add(Map.of(Benchmark.TEXT_FIELD, headline.asText()));
    }
    return rows;
  }

  private static List<Map<String, String>> judgements(Path file) {
    List<Map<String, String>> rows = new ArrayList<>();
    JsonNode items = readArray(file);
    for (int i = 0; i < items.size(); i++) {
      Map<String, String> row = new LinkedHashMap<>();
      for (String field : JUDGEMENT_FIELDS) {
        JsonNode v = items.get(i).get(field);
        if (v == null || !v.isTextual()) {
          throw new BenchmarkFormatException(
              file, "item " + (i + 1) + " has no string field \"" + field + "\"");
        }
        row.put(field, v.asText());
      }
      rows.add(row);
    }
    return rows;
  }

  private static JsonNode readArray(Path file) {
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node == null || !node.isArray() || node.isEmpty()) {
        throw new BenchmarkFormatException(file, "must be a non-empty JSON list");
      }
      return node;
    } catch (IOException e) {
      throw new BenchmarkFormatException(file, "is not readable JSON (" + e.getMessage() + ")");
    }
  }

  private static Map<String, Double> readPerformance(Path csv) {
    if (!Files.isRegularFile(csv)) {
      throw new BenchmarkFormatException(csv, "file is missing");
    }
    Map<String, Double> rows = new TreeMap<>();
    try {
      List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
      for (int i = 1; i < lines.size(); i++) {
        String[] cells = lines.get(i).strip().split(",");
        if (cells.length != 2) {
          continue;
        }
        double f1 = Double.parseDouble(cells[1]);
        Double previous = rows.put(cells[0], f1);
        if (previous != null && previous != f1) {
          throw new BenchmarkFormatException(
              csv, "dataset " + cells[0] + " has two different values: " + previous + ", " + f1);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + csv, e);
    } catch (NumberFormatException e) {
      throw new BenchmarkFormatException(
          csv, "holds a value that is not a number: " + e.getMessage());
    }
    return rows;
  }

  private static Map<String, Path> filesEndingIn(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      throw new BenchmarkFormatException(dir, "folder is missing (is this the authors' layout?)");
    }
    Map<String, Path> files = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path p : entries.filter(Files::isRegularFile).toList()) {
        String name = p.getFileName().toString();
        if (name.endsWith(suffix)) {
          files.put(name.substring(0, name.length() - suffix.length()), p);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + dir, e);
    }
    return files;
  }
}
