package dev.synque.monitor.embed;

import java.util.List;
import java.util.Objects;

/**
 * The outcomes of one {@link Embedder#embed} call, in input order, with the id of the model that
 * made them: vectors from different models (or poolings) must never be compared, so the id travels
 * with every batch.
 *
 * @param modelId the embedder's {@link ModelInfo#id()}; never null
 * @param dimension length of every vector in this batch
 * @param outcomes one per input text, in input order; never null (copied)
 */
public record EmbeddingBatch(String modelId, int dimension, List<EmbeddingOutcome> outcomes) {

  public EmbeddingBatch {
    Objects.requireNonNull(modelId, "modelId");
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    outcomes = List.copyOf(outcomes);
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) instanceof EmbeddingOutcome.Embedded embedded
          && embedded.vector().length != dimension) {
        throw new IllegalArgumentException(
            "outcome "
                + i
                + " has "
                + embedded.vector().length
                + " components, the batch's dimension is "
                + dimension);
      }
    }
  }

  /** Number of input texts. */
  public int size() {
    return outcomes.size();
  }

  /**
   * The vector of input {@code index}.
   *
   * @throws IllegalStateException naming the input and the reason when it was rejected
   */
  public float[] vector(int index) {
    EmbeddingOutcome outcome = outcomes.get(index);
    if (outcome instanceof EmbeddingOutcome.Embedded embedded) {
      return embedded.vector();
    }
    EmbeddingOutcome.Rejected rejected = (EmbeddingOutcome.Rejected) outcome;
    throw new IllegalStateException(
        "input " + index + " has no vector: " + rejected.reason() + ": " + rejected.message());
  }

  /** Inputs that got no vector. */
  public int rejectedCount() {
    return (int) outcomes.stream().filter(EmbeddingOutcome.Rejected.class::isInstance).count();
  }

  /** Inputs that were cut to the maximum length. */
  public int truncatedCount() {
    return (int)
        outcomes.stream()
            .filter(o -> o instanceof EmbeddingOutcome.Embedded e && e.truncated())
            .count();
  }
}
