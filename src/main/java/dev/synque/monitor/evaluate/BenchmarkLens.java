package dev.synque.monitor.evaluate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.core.LensJudgement;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import dev.synque.monitor.core.LensScore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lens} and {@code lens_raw} scores of a benchmark's stored LLM judgements ({@code
 * lens/<group>/<seed>/{synthetic,real}/<dataset>.jsonl}), computed with {@link LensScore}: the same
 * code that scores live LENS results.
 */
public final class BenchmarkLens {

  /** The four fields of a judgement object, in {@link LensJudgement}'s order. */
  public static final List<String> FIELDS =
      List.of(
          "score_real_given_synth_loc_A_judgement",
          "score_real_given_synth_loc_B_judgement",
          "score_synth_given_synth_loc_A_judgement",
          "score_synth_given_synth_loc_B_judgement");

  private BenchmarkLens() {}

  /** {@code lens} and {@code lens_raw} of every cell that has judgements, in cell order. */
  public static List<ProxyScore> scores(Benchmark benchmark) {
    List<ProxyScore> scores = new ArrayList<>();
    for (Benchmark.Cell cell : benchmark.cells()) {
      benchmark
          .lensFiles(cell.group(), cell.seed(), cell.dataset())
          .ifPresent(
              files -> {
                List<LensJudgement> synthetic = read(files.synthetic());
                List<LensJudgement> real = read(files.real());
                scores.add(score(cell, LensScore.NAME, LensScore.debiased(synthetic, real)));
                scores.add(score(cell, LensScore.RAW_NAME, LensScore.raw(synthetic)));
              });
    }
    return scores;
  }

  /** Whether any cell of the benchmark has judgements. */
  public static boolean present(Benchmark benchmark) {
    return benchmark.cells().stream()
        .anyMatch(c -> benchmark.lensFiles(c.group(), c.seed(), c.dataset()).isPresent());
  }

  private static ProxyScore score(Benchmark.Cell cell, String proxy, double value) {
    return new ProxyScore(cell.group(), cell.seed(), cell.dataset(), proxy, value);
  }

  /**
   * The judgements of one file.
   *
   * @throws BenchmarkFormatException for a missing field or an unknown label, naming the line
   */
  public static List<LensJudgement> read(Path file) {
    List<ObjectNode> objects = JsonLines.readObjects(file);
    List<LensJudgement> judgements = new ArrayList<>(objects.size());
    for (int i = 0; i < objects.size(); i++) {
      Likelihood[] answers = new Likelihood[4];
      for (int f = 0; f < 4; f++) {
        JsonNode v = objects.get(i).get(FIELDS.get(f));
        try {
          answers[f] = Likelihood.fromLabel(v == null || !v.isTextual() ? null : v.asText());
        } catch (IllegalArgumentException e) {
          throw new BenchmarkFormatException(
              file, "object " + (i + 1) + ", field " + FIELDS.get(f) + ": " + e.getMessage());
        }
      }
      judgements.add(new LensJudgement(answers[0], answers[1], answers[2], answers[3]));
    }
    return judgements;
  }
}
