package dev.synque.monitor.lens;

import dev.synque.monitor.core.LensJudgement;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The judge's four answers about one example, kept per example so that "which synthetic samples
 * look fake" can be answered. An answer is null when it stayed unparseable after the re-asks.
 *
 * @param sampleId the judged sample; never null
 * @param origin whether the example is synthetic or real; never null
 * @param realGivenSyntheticAtA "real?" with the synthetic set at position A, or null
 * @param realGivenSyntheticAtB "real?" with the synthetic set at position B, or null
 * @param syntheticGivenSyntheticAtA "synthetic?" with the synthetic set at A, or null
 * @param syntheticGivenSyntheticAtB "synthetic?" with the synthetic set at B, or null
 */
public record ExampleJudgement(
    String sampleId,
    Origin origin,
    Likelihood realGivenSyntheticAtA,
    Likelihood realGivenSyntheticAtB,
    Likelihood syntheticGivenSyntheticAtA,
    Likelihood syntheticGivenSyntheticAtB) {

  /** Which set a judged example belongs to. */
  public enum Origin {
    SYNTHETIC,
    REAL
  }

  public ExampleJudgement {
    Objects.requireNonNull(sampleId, "sampleId");
    Objects.requireNonNull(origin, "origin");
  }

  /** The four answers as a {@link LensJudgement}, when all four were parseable. */
  public Optional<LensJudgement> judgement() {
    return unparseableAnswers() > 0
        ? Optional.empty()
        : Optional.of(
            new LensJudgement(
                realGivenSyntheticAtA,
                realGivenSyntheticAtB,
                syntheticGivenSyntheticAtA,
                syntheticGivenSyntheticAtB));
  }

  /** Answers (0..4) that stayed unparseable. */
  public int unparseableAnswers() {
    return (int)
        Stream.of(
                realGivenSyntheticAtA,
                realGivenSyntheticAtB,
                syntheticGivenSyntheticAtA,
                syntheticGivenSyntheticAtB)
            .filter(Objects::isNull)
            .count();
  }

  /** The same answers under another sample id (for reusing a real example's judgement). */
  public ExampleJudgement withSampleId(String id) {
    return new ExampleJudgement(
        id,
        origin,
        realGivenSyntheticAtA,
        realGivenSyntheticAtB,
        syntheticGivenSyntheticAtA,
        syntheticGivenSyntheticAtB);
  }
}
