package dev.synque.monitor.stream;

import java.util.List;
import java.util.Objects;

/**
 * One generator's samples of one embedding micro-batch, in arrival order, with their vectors. It
 * only travels between processors of one sub-topology (never serialised).
 *
 * @param generatorId never blank
 * @param modelId the embedding model of every vector
 * @param samples at least one, copied
 */
public record EmbeddedSamples(String generatorId, String modelId, List<Item> samples) {

  public EmbeddedSamples {
    Objects.requireNonNull(generatorId, "generatorId");
    Objects.requireNonNull(modelId, "modelId");
    samples = List.copyOf(samples);
    if (samples.isEmpty()) {
      throw new IllegalArgumentException("embedded samples: at least one sample is needed");
    }
  }

  /**
   * One embedded sample.
   *
   * @param sample the validated sample
   * @param vector its embedding; handed over, not copied (the embedder keeps no reference)
   */
  public record Item(ValidSample sample, float[] vector) {
    public Item {
      Objects.requireNonNull(sample, "sample");
      Objects.requireNonNull(vector, "vector");
    }
  }
}
