package dev.synque.monitor.evaluate;

import dev.synque.monitor.core.EmbeddingSet;
import java.nio.file.Path;

/**
 * The embeddings of a benchmark text file, one vector per line in file order, all from one model.
 * Implementations cache by model and content, so each text is embedded once.
 */
public interface EmbeddingSource {

  /** The model id the vectors come from (recorded in the report). */
  String modelId();

  /**
   * @param textFile a JSON Lines file of the benchmark
   * @throws BenchmarkFormatException when the file breaks the format
   */
  EmbeddingSet embeddings(Path textFile);
}
