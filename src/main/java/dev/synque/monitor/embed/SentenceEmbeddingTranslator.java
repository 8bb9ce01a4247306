package dev.synque.monitor.embed;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * DJL model I/O for a sentence-transformer exported to ONNX: a padded {@link TokenBatch} in, pooled
 * and L2-normalised vectors out. Pooling and normalisation run in plain Java on the token vectors
 * (ONNX Runtime's NDArray has almost no operators). Stateless, so one instance may serve every
 * predictor.
 */
final class SentenceEmbeddingTranslator implements NoBatchifyTranslator<TokenBatch, float[][]> {

  /** Output names of the token vectors in exports by Optimum/Xenova and sentence-transformers. */
  private static final String[] TOKEN_OUTPUTS = {"last_hidden_state", "token_embeddings"};

  private final Pooling pooling;
  private final boolean feedsTypeIds;

  /**
   * @param pooling how token vectors become the sentence vector
   * @param feedsTypeIds whether the graph has a {@code token_type_ids} input
   */
  SentenceEmbeddingTranslator(Pooling pooling, boolean feedsTypeIds) {
    this.pooling = pooling;
    this.feedsTypeIds = feedsTypeIds;
  }

  @Override
  public NDList processInput(TranslatorContext ctx, TokenBatch batch) {
    NDManager manager = ctx.getNDManager();
    Shape shape = new Shape(batch.rows(), batch.length());
    NDArray ids = manager.create(batch.ids(), shape);
    ids.setName("input_ids");
    NDArray mask = manager.create(batch.attentionMask(), shape);
    mask.setName("attention_mask");
    ctx.setAttachment("batch", batch);
    if (!feedsTypeIds) {
      return new NDList(ids, mask);
    }
    NDArray types = manager.create(batch.typeIds(), shape);
    types.setName("token_type_ids");
    return new NDList(ids, mask, types);
  }

  @Override
  public float[][] processOutput(TranslatorContext ctx, NDList outputs) {
    TokenBatch batch = (TokenBatch) ctx.getAttachment("batch");
    NDArray tokens = null;
    for (String name : TOKEN_OUTPUTS) {
      tokens = outputs.get(name);
      if (tokens != null) {
        break;
      }
    }
    if (tokens == null) {
      tokens = outputs.head();
    }
    Shape shape = tokens.getShape();
    if (shape.dimension() != 3 || shape.get(0) != batch.rows() || shape.get(1) != batch.length()) {
      throw new IllegalStateException(
          "the model's token output "
              + tokens.getName()
              + " has shape "
              + shape
              + "; expected ["
              + batch.rows()
              + ", "
              + batch.length()
              + ", dimension]");
    }
    return pool(tokens.toFloatArray(), batch, (int) shape.get(2), pooling);
  }

  /**
   * Pools token vectors {@code [rows, length, dimension]} and L2-normalises each result: mean over
   * the attention mask (sum of masked vectors divided by the mask's sum) or the first token, then
   * division by max(‖v‖, 1e-12). Sums are taken in double.
   */
  static float[][] pool(float[] tokens, TokenBatch batch, int dimension, Pooling pooling) {
    float[][] vectors = new float[batch.rows()][dimension];
    double[] sum = new double[dimension];
    for (int r = 0; r < batch.rows(); r++) {
      int rowStart = r * batch.length();
      java.util.Arrays.fill(sum, 0.0);
      if (pooling == Pooling.CLS) {
        int offset = rowStart * dimension;
        for (int k = 0; k < dimension; k++) {
          sum[k] = tokens[offset + k];
        }
      } else {
        long count = 0;
        for (int t = 0; t < batch.length(); t++) {
          if (batch.attentionMask()[rowStart + t] == 0) {
            continue;
          }
          count++;
          int offset = (rowStart + t) * dimension;
          for (int k = 0; k < dimension; k++) {
            sum[k] += tokens[offset + k];
          }
        }
        double scale = 1.0 / Math.max(count, 1);
        for (int k = 0; k < dimension; k++) {
          sum[k] *= scale;
        }
      }
      double norm = 0.0;
      for (int k = 0; k < dimension; k++) {
        norm += sum[k] * sum[k];
      }
      double inverse = 1.0 / Math.max(Math.sqrt(norm), 1e-12);
      float[] vector = vectors[r];
      for (int k = 0; k < dimension; k++) {
        vector[k] = (float) (sum[k] * inverse);
      }
    }
    return vectors;
  }
}
