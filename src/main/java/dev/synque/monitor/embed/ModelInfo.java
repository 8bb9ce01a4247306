package dev.synque.monitor.embed;

import java.util.Objects;

/**
 * What an embedder produces.
 *
 * @param id stable identifier of the model and its pooling, carried by every vector batch (for
 *     example {@code sentence-transformers/all-MiniLM-L6-v2}); never blank
 * @param dimension length of every vector
 * @param maxTokens most tokens per text, special tokens included; longer texts are truncated
 * @param pooling how token vectors become the sentence vector
 */
public record ModelInfo(String id, int dimension, int maxTokens, Pooling pooling) {
  public ModelInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(pooling, "pooling");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a model id must not be blank");
    }
    if (dimension < 1) {
      throw new IllegalArgumentException("dimension must be positive, got " + dimension);
    }
    if (maxTokens < 3) {
      throw new IllegalArgumentException("maxTokens must be at least 3, got " + maxTokens);
    }
  }
}
