package dev.synque.monitor.embed;

import java.util.List;

/**
 * The embedding port: texts in, L2-normalised {@code float[]} vectors of a fixed dimension out.
 *
 * <p>Contract:
 *
 * <ul>
 *   <li>{@link #embed} returns one outcome per input, in input order. Bad input (null, empty or
 *       whitespace-only text, unpaired surrogates, text the tokenizer drops entirely) is a {@link
 *       EmbeddingOutcome.Rejected} with its reason, never an exception; the other texts of the call
 *       are embedded as usual.
 *   <li>Text longer than {@link ModelInfo#maxTokens()} tokens is truncated, flagged on its outcome
 *       and counted in {@link #truncatedCount()}.
 *   <li>A text's vector does not depend on the other texts of the call (up to float rounding, see
 *       the adapter's documentation).
 *   <li>Implementations are thread-safe; an instance owns native resources and is closed by whoever
 *       created it.
 * </ul>
 */
public interface Embedder extends AutoCloseable {

  /** The model: id, dimension, maximum length and pooling. Never null. */
  ModelInfo model();

  /**
   * Embeds a list of texts.
   *
   * @param texts the texts, none of which may break the call; the list itself must not be null
   * @return the outcomes in input order, with the model id; never null
   * @throws IllegalStateException after {@link #close()}
   */
  EmbeddingBatch embed(List<String> texts);

  /** Texts truncated to the maximum length since this embedder was created. */
  long truncatedCount();

  /** Texts rejected since this embedder was created. */
  long rejectedCount();

  /** Releases the model and its native memory. Idempotent. */
  @Override
  void close();
}
