package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The default model against a sentence-transformers-style reference computed on an independent path
 * (sentence-transformers, torch and Python onnxruntime are not available on the build machine):
 *
 * <ol>
 *   <li>token ids from {@link ReferenceWordPiece}, a plain-Java BERT tokenizer written for this
 *       test (not DJL's HuggingFace tokenizer), checked equal to the adapter's ids;
 *   <li>the ONNX graph run through the raw ONNX Runtime Java API ({@link OrtSession}, not DJL), one
 *       sentence at a time and unpadded, from the jar's resource bytes;
 *   <li>mean pooling over the attention mask and L2 normalisation written here in float32, as
 *       sentence-transformers' {@code Pooling} and {@code Normalize} modules do in torch.
 * </ol>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EmbeddingReferenceTest {

  static final List<String> SENTENCES =
      List.of(
          "Another coal-fired power plant closes its doors",
          "$MAR - Marriott seen running up 20% gain",
          "UK regulator orders recall of fire-risk Whirlpool washing machines",
          "Roku shares dropped after it notified users that FOX channels will not be accessible.",
          "The café's crème brûlée was naïvely priced at €4.50!",
          "A",
          "unbelievably uncharacteristically antidisestablishmentarianism",
          "Tokyo 東京 stocks rallied; the Nikkei rose 1.2% (its best day since March).",
          "✅Get the best deals. \n✅Don't break the bank.",
          "  leading and trailing whitespace\t",
          "Earnings beat estimates, but guidance disappointed investors who had hoped for more.",
          "the the the the the the the the the the the the the the the the the the the the");

  private OrtEnvironment environment;
  private OrtSession session;
  private ReferenceWordPiece wordPiece;
  private DjlEmbedder embedder;

  @BeforeAll
  void setUp() throws Exception {
    // DJL creates the process's one OrtEnvironment (with its threading options), so it goes first.
    embedder = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2).withBatchSize(64));
    ClassLoader loader = getClass().getClassLoader();
    environment = OrtEnvironment.getEnvironment();
    try (InputStream onnx = loader.getResourceAsStream("all-minilm-l6-v2.onnx");
        InputStream tokenizer = loader.getResourceAsStream("all-minilm-l6-v2-tokenizer.json")) {
      session = environment.createSession(onnx.readAllBytes(), new OrtSession.SessionOptions());
      wordPiece = new ReferenceWordPiece(tokenizer);
    }
  }

  @AfterAll
  void tearDown() throws Exception {
    embedder.close();
    session.close();
  }

  /** Raw ONNX Runtime, one sentence, no padding; float32 mean pooling and L2 normalisation. */
  float[] reference(String sentence) throws Exception {
    long[] ids = wordPiece.encode(sentence, 256);
    long[] mask = new long[ids.length];
    java.util.Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> inputs = new HashMap<>();
    inputs.put("input_ids", OnnxTensor.createTensor(environment, new long[][] {ids}));
    inputs.put("attention_mask", OnnxTensor.createTensor(environment, new long[][] {mask}));
    inputs.put(
        "token_type_ids",
        OnnxTensor.createTensor(environment, new long[][] {new long[ids.length]}));
    try (OrtSession.Result result = session.run(inputs)) {
      float[][] tokens = ((float[][][]) result.get("last_hidden_state").get().getValue())[0];
      float[] mean = new float[tokens[0].length];
      float count = 0;
      for (int t = 0; t < tokens.length; t++) {
        for (int k = 0; k < mean.length; k++) {
          mean[k] += tokens[t][k] * mask[t];
        }
        count += mask[t];
      }
      float norm = 0;
      for (int k = 0; k < mean.length; k++) {
        mean[k] /= Math.max(count, 1e-9f);
        norm += mean[k] * mean[k];
      }
      norm = Math.max((float) Math.sqrt(norm), 1e-12f);
      for (int k = 0; k < mean.length; k++) {
        mean[k] /= norm;
      }
      return mean;
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int k = 0; k < a.length; k++) {
      dot += (double) a[k] * b[k];
      na += (double) a[k] * a[k];
      nb += (double) b[k] * b[k];
    }
    return dot / Math.sqrt(na * nb);
  }

  @Test
  void shouldTokenizeLikeTheIndependentWordPiece() {
    try (ai.djl.huggingface.tokenizers.HuggingFaceTokenizer tokenizer =
        ai.djl.huggingface.tokenizers.HuggingFaceTokenizer.newInstance(
            getClass().getClassLoader().getResourceAsStream("all-minilm-l6-v2-tokenizer.json"),
            Map.of("truncation", "true", "padding", "false", "maxLength", "256"))) {
      for (String sentence : SENTENCES) {
        assertThat(tokenizer.encode(sentence).getIds())
            .as(sentence)
            .containsExactly(wordPiece.encode(sentence, 256));
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void shouldMatchTheSentenceTransformersReference() throws Exception {
    EmbeddingBatch batch = embedder.embed(SENTENCES);

    assertThat(batch.modelId()).isEqualTo("sentence-transformers/all-MiniLM-L6-v2");
    assertThat(batch.dimension()).isEqualTo(384);
    double worst = 1.0;
    for (int i = 0; i < SENTENCES.size(); i++) {
      double cosine = cosine(batch.vector(i), reference(SENTENCES.get(i)));
      worst = Math.min(worst, cosine);
      assertThat(cosine).as(SENTENCES.get(i)).isGreaterThanOrEqualTo(0.99999);
    }
    System.out.printf(
        "EmbeddingReferenceTest: worst cosine to reference = %.12f (1 - cos = %.2e)%n",
        worst, 1 - worst);
  }
}
