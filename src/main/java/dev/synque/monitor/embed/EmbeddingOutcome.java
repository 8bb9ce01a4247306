package dev.synque.monitor.embed;

import java.util.Objects;

/** What became of one input text: a vector, or a rejection with its reason. */
public sealed interface EmbeddingOutcome
    permits EmbeddingOutcome.Embedded, EmbeddingOutcome.Rejected {

  /**
   * A text turned into a vector.
   *
   * @param vector the L2-normalised vector (norm 1 within float rounding); never null. Not copied:
   *     the embedder hands it over and keeps no reference, callers must not share it mutably
   * @param tokens tokens the model saw, special tokens included (at most the maximum length), or 0
   *     when the embedder cannot count them (a server without a client-side tokenizer)
   * @param truncated whether the text had more tokens than the maximum length and was cut
   */
  record Embedded(float[] vector, int tokens, boolean truncated) implements EmbeddingOutcome {
    public Embedded {
      Objects.requireNonNull(vector, "vector");
      if (vector.length == 0) {
        throw new IllegalArgumentException("an embedding needs at least one component");
      }
      if (tokens < 0) {
        throw new IllegalArgumentException("tokens must not be negative, got " + tokens);
      }
    }
  }

  /**
   * A text that got no vector.
   *
   * @param reason why; never null
   * @param message one line for people, naming the rule; never null
   */
  record Rejected(RejectReason reason, String message) implements EmbeddingOutcome {
    public Rejected {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(message, "message");
    }
  }
}
