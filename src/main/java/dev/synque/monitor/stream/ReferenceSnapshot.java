package dev.synque.monitor.stream;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.RunningMoments;
import java.util.List;
import java.util.Objects;

/**
 * The current reference set, embedded: what every generator is compared with.
 *
 * @param version the reference version, never null
 * @param modelId the embedding model of {@link #embeddings()}
 * @param sampleIds the samples embedded, in the order of the rows
 * @param embeddings the reference vectors R (rows sorted by sample id); shared, never mutated
 * @param moments running moments of R, for the Fréchet distance; never mutated after construction
 */
public record ReferenceSnapshot(
    String version,
    String modelId,
    List<String> sampleIds,
    EmbeddingSet embeddings,
    RunningMoments moments) {

  public ReferenceSnapshot {
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(modelId, "modelId");
    sampleIds = List.copyOf(sampleIds);
    Objects.requireNonNull(embeddings, "embeddings");
    Objects.requireNonNull(moments, "moments");
  }

  /** Number of reference samples. */
  public int size() {
    return embeddings.size();
  }
}
