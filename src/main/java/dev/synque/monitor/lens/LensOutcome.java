package dev.synque.monitor.lens;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What one LENS run produced.
 *
 * @param rubric the rubric used; never null
 * @param synthetic per-example judgements of the synthetic examples, in order
 * @param real per-example judgements of the real examples, in order
 * @param probabilityReal debiased probability that each example is real, by sample id, for the
 *     fully parsed examples (absent otherwise); averaged over positions A and B
 * @param score the debiased LENS score in [0, 1], or null when {@link #reason} says why not
 * @param rawScore the raw LENS score, or null with {@link #score}
 * @param reason why there is no score, or null
 * @param llmCalls chat calls made (format re-asks included, HTTP retries not)
 * @param tokens prompt + completion tokens the server reported
 */
public record LensOutcome(
    Rubric rubric,
    List<ExampleJudgement> synthetic,
    List<ExampleJudgement> real,
    Map<String, Double> probabilityReal,
    Double score,
    Double rawScore,
    String reason,
    int llmCalls,
    long tokens) {

  public LensOutcome {
    Objects.requireNonNull(rubric, "rubric");
    synthetic = List.copyOf(synthetic);
    real = List.copyOf(real);
    probabilityReal = Map.copyOf(probabilityReal);
    if ((score == null) != (reason != null)) {
      throw new IllegalArgumentException("a LENS outcome has a score or a reason, not both");
    }
  }

  /** Answers that stayed unparseable, over all examples. */
  public int unparseable() {
    return synthetic.stream().mapToInt(ExampleJudgement::unparseableAnswers).sum()
        + real.stream().mapToInt(ExampleJudgement::unparseableAnswers).sum();
  }

  /** Synthetic examples with all four answers parsed. */
  public int syntheticJudged() {
    return (int) synthetic.stream().filter(j -> j.unparseableAnswers() == 0).count();
  }

  /** Real examples with all four answers parsed. */
  public int realJudged() {
    return (int) real.stream().filter(j -> j.unparseableAnswers() == 0).count();
  }
}
