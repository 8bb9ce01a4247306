package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The int8 all-MiniLM-L6-v2 ({@code minilm-q}): its activations are quantised with a scale taken
 * over the whole input tensor, so the embedder runs it one text per inference; these tests hold it
 * to the same bit-for-bit batch invariance as the fp32 model.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QuantizedEmbedderTest {

  private static final EmbedderSettings INT8 = EmbedderSettings.defaults().withModel("minilm-q");

  private DjlEmbedder embedder;
  private List<String> texts;
  private List<float[]> alone;

  @BeforeAll
  void setUp() {
    embedder = DjlEmbedder.open(INT8.withThreads(2));
    texts = new ArrayList<>(EmbeddingReferenceTest.SENTENCES);
    for (int i = 0; i < EmbeddingReferenceTest.SENTENCES.size(); i++) {
      texts.add(String.join(" ", EmbeddingReferenceTest.SENTENCES.subList(0, 1 + i)));
    }
    texts.add("word ".repeat(300));
    alone = new ArrayList<>();
    for (String text : texts) {
      alone.add(embedder.embed(List.of(text)).vector(0));
    }
  }

  @AfterAll
  void tearDown() {
    embedder.close();
  }

  @Test
  void shouldDescribeTheInt8Model() {
    assertThat(embedder.model())
        .isEqualTo(
            new ModelInfo("sentence-transformers/all-MiniLM-L6-v2@int8", 384, 256, Pooling.MEAN));
    try (ModelFiles int8 = ModelFiles.resolve("minilm-q", null);
        ModelFiles fp32 = ModelFiles.resolve("minilm", null)) {
      assertThat(int8.dynamicQuantization()).isTrue();
      assertThat(fp32.dynamicQuantization()).isFalse();
      // what the built-in flags say is what the graphs hold
      assertThat(ModelFiles.containsOperator(int8.onnxFile(), "DynamicQuantizeLinear")).isTrue();
      assertThat(ModelFiles.containsOperator(fp32.onnxFile(), "DynamicQuantizeLinear")).isFalse();
    }
  }

  @Test
  void shouldGiveBitIdenticalVectorsAloneAndInBatchesOfAnySizeAndParallelism() {
    for (int threads : new int[] {1, 2, 3}) {
      for (int batchSize : new int[] {1, 5, 64}) {
        try (DjlEmbedder other =
            DjlEmbedder.open(INT8.withThreads(threads).withBatchSize(batchSize))) {
          EmbeddingBatch batch = other.embed(texts);
          for (int i = 0; i < texts.size(); i++) {
            assertThat(batch.vector(i))
                .as("threads %d, batch size %d, text %d", threads, batchSize, i)
                .isEqualTo(alone.get(i));
          }
        }
      }
    }
  }

  @Test
  void shouldNotDependOnInputOrderOrNeighbours() {
    List<String> shuffled = new ArrayList<>(texts);
    Collections.shuffle(shuffled, new Random(7));
    List<String> withStrangers = new ArrayList<>(shuffled);
    withStrangers.add(0, "a completely different, much longer neighbour ".repeat(6));
    withStrangers.add("x");

    EmbeddingBatch mixed = embedder.embed(withStrangers);

    for (int i = 0; i < shuffled.size(); i++) {
      int original = texts.indexOf(shuffled.get(i));
      assertThat(mixed.vector(i + 1)).as("text %d", original).isEqualTo(alone.get(original));
    }
  }

  @Test
  void shouldGiveTheSameVectorsFromManyThreads() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<EmbeddingBatch>> futures = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        futures.add(pool.submit(() -> embedder.embed(texts)));
      }
      for (Future<EmbeddingBatch> future : futures) {
        EmbeddingBatch batch = future.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(batch.vector(i)).isEqualTo(alone.get(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Why the model runs alone: fed the padded batch the fp32 path would build, the same graph gives
   * a text another vector. Raw ONNX Runtime, so the embedder's own construction plays no part.
   */
  @Test
  void shouldShowThatAPaddedBatchWouldChangeTheVector() throws Exception {
    try (ModelFiles files = ModelFiles.resolve("minilm-q", null)) {
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        try (OrtSession session = environment.createSession(files.onnxFile().toString(), options)) {
          long[] shortText = {101, 2178, 5317, 102};
          long[] longText = {101, 1037, 2172, 2936, 6986, 2055, 3045, 1998, 18745, 102};
          float[] solo = meanPooled(environment, session, new long[][] {shortText}, 0);
          long[][] padded = {new long[longText.length], longText};
          System.arraycopy(shortText, 0, padded[0], 0, shortText.length);
          float[] batched = meanPooled(environment, session, padded, 0);
          double cosine = EmbeddingReferenceTest.cosine(solo, batched);
          assertThat(batched).isNotEqualTo(solo);
          assertThat(cosine).isLessThan(0.99999);
        }
      }
    }
  }

  /**
   * The embedder against an independent path: the plain-Java WordPiece of {@link
   * EmbeddingReferenceTest}, raw ONNX Runtime on one unpadded sentence, mean pooling and L2
   * normalisation written here.
   */
  @Test
  void shouldMatchRawOnnxRuntimeOnOneSentenceAtATime() throws Exception {
    try (ModelFiles files = ModelFiles.resolve("minilm-q", null);
        java.io.InputStream tokenizerJson = Files.newInputStream(files.tokenizerFile())) {
      ReferenceWordPiece wordPiece = new ReferenceWordPiece(tokenizerJson);
      OrtEnvironment environment = OrtEnvironment.getEnvironment();
      try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
        options.setIntraOpNumThreads(1);
        try (OrtSession session = environment.createSession(files.onnxFile().toString(), options)) {
          for (int i = 0; i < EmbeddingReferenceTest.SENTENCES.size(); i++) {
            long[] ids = wordPiece.encode(EmbeddingReferenceTest.SENTENCES.get(i), 256);
            float[] mean = meanPooled(environment, session, new long[][] {ids}, 0);
            double cosine = EmbeddingReferenceTest.cosine(alone.get(i), mean);
            assertThat(cosine)
                .as(EmbeddingReferenceTest.SENTENCES.get(i))
                .isGreaterThanOrEqualTo(0.99999);
          }
        }
      }
    }
  }

  @Test
  void shouldStayCloseToTheFp32Model() {
    try (DjlEmbedder fp32 = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2))) {
      EmbeddingBatch reference = fp32.embed(texts);
      double worst = 1.0;
      for (int i = 0; i < texts.size(); i++) {
        worst = Math.min(worst, EmbeddingReferenceTest.cosine(alone.get(i), reference.vector(i)));
      }
      assertThat(worst).isGreaterThan(0.95);
      assertThat(worst).isLessThan(1.0); // a different model, not the fp32 one under another name
    }
  }

  @Test
  void shouldTruncateAndCountLikeTheFp32Model() {
    long before = embedder.truncatedCount();

    EmbeddingBatch batch = embedder.embed(List.of("word ".repeat(300), "word ".repeat(254)));

    EmbeddingOutcome.Embedded cut = (EmbeddingOutcome.Embedded) batch.outcomes().get(0);
    EmbeddingOutcome.Embedded fits = (EmbeddingOutcome.Embedded) batch.outcomes().get(1);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.tokens()).isEqualTo(256);
    assertThat(fits.truncated()).isFalse();
    assertThat(cut.vector()).isEqualTo(fits.vector());
    assertThat(embedder.truncatedCount() - before).isEqualTo(1);
  }

  @Test
  void shouldRejectBadTextsAndEmbedTheRest() {
    EmbeddingBatch batch = embedder.embed(java.util.Arrays.asList("fine", null, " ", "\u0000"));

    assertThat(batch.vector(0)).isEqualTo(embedder.embed(List.of("fine")).vector(0));
    assertThat(batch.rejectedCount()).isEqualTo(3);
  }

  @Test
  void shouldDetectDynamicQuantisationInAModelDirectory(@TempDir Path dir) throws Exception {
    try (ModelFiles int8 = ModelFiles.resolve("minilm-q", null)) {
      Files.copy(int8.onnxFile(), dir.resolve("model.onnx"));
      Files.copy(int8.tokenizerFile(), dir.resolve("tokenizer.json"));
    }
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");
    try (ModelFiles directory = ModelFiles.resolve(dir.toString(), Pooling.MEAN);
        DjlEmbedder fromDirectory =
            DjlEmbedder.open(
                EmbedderSettings.defaults()
                    .withModel(dir.toString())
                    .withPooling(Pooling.MEAN)
                    .withThreads(2)
                    .withBatchSize(64))) {
      assertThat(directory.dynamicQuantization()).isTrue();
      EmbeddingBatch batch = fromDirectory.embed(texts);
      for (int i = 0; i < texts.size(); i++) {
        assertThat(batch.vector(i)).as("text %d", i).isEqualTo(alone.get(i));
      }
    }
  }

  /** Runs token rows (0 = padding) through the graph; mean-pools row {@code row} in double. */
  private static float[] meanPooled(
      OrtEnvironment environment, OrtSession session, long[][] ids, int row) throws Exception {
    long[][] mask = new long[ids.length][];
    long[][] types = new long[ids.length][];
    for (int r = 0; r < ids.length; r++) {
      mask[r] = new long[ids[r].length];
      types[r] = new long[ids[r].length];
      for (int t = 0; t < ids[r].length; t++) {
        mask[r][t] = ids[r][t] == 0 ? 0 : 1;
      }
    }
    Map<String, OnnxTensor> inputs = new HashMap<>();
    inputs.put("input_ids", OnnxTensor.createTensor(environment, ids));
    inputs.put("attention_mask", OnnxTensor.createTensor(environment, mask));
    if (session.getInputNames().contains("token_type_ids")) {
      inputs.put("token_type_ids", OnnxTensor.createTensor(environment, types));
    }
    try (OrtSession.Result result = session.run(inputs)) {
      float[][] tokens = ((float[][][]) result.get(0).getValue())[row];
      float[] mean = new float[tokens[0].length];
      double[] sum = new double[mean.length];
      int count = 0;
      for (int t = 0; t < tokens.length; t++) {
        if (mask[row][t] == 1) {
          count++;
          for (int k = 0; k < sum.length; k++) {
            sum[k] += tokens[t][k];
          }
        }
      }
      for (int k = 0; k < sum.length; k++) {
        mean[k] = (float) (sum[k] / count);
      }
      return mean;
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }
}
