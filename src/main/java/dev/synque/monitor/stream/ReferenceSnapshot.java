package dev.synque.monitor.stream;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetReference;
import java.util.List;
import java.util.Objects;

/**
 * The current reference set, embedded: what every generator is compared with.
 *
 * @param version the reference version, never null
 * @param modelId the embedding model of {@link #embeddings()}
 * @param sampleIds the samples embedded, in the order of the rows
 * @param texts their texts, in the same order (the real examples of LENS requests)
 * @param embeddings the reference vectors R (rows sorted by sample id); shared, never mutated
 * @param frechet R prepared for Fréchet distances against the generators' running moments
 */
public record ReferenceSnapshot(
    String version,
    String modelId,
    List<String> sampleIds,
    List<String> texts,
    EmbeddingSet embeddings,
    FrechetReference frechet) {

  public ReferenceSnapshot {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(modelId, "modelId");
    sampleIds = List.copyOf(sampleIds);
    texts = List.copyOf(texts);
    if (texts.size() != sampleIds.size()) {
      throw new IllegalArgumentException(
          texts.size() + " reference texts for " + sampleIds.size() + " sample ids");
    }
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(frechet, "frechet");
  }

  /** Number of reference samples. */
  public int size() {
    return embeddings.size();
  }
}
