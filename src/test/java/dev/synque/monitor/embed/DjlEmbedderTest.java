package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DjlEmbedderTest {

  private DjlEmbedder embedder;
  private ModelFiles minilm;

  @BeforeAll
  void setUp() {
    embedder = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2).withBatchSize(64));
    minilm = ModelFiles.resolve("minilm", null);
  }

  @AfterAll
  void tearDown() {
    embedder.close();
    minilm.close();
  }

  /** Sentences of many lengths, one long enough to be truncated. */
  private static List<String> variedSentences() {
    List<String> texts = new ArrayList<>(EmbeddingReferenceTest.SENTENCES);
    for (int i = 0; i < EmbeddingReferenceTest.SENTENCES.size(); i++) {
      texts.add(
          String.join(
              " ",
              EmbeddingReferenceTest.SENTENCES.subList(
                  0, 1 + i % EmbeddingReferenceTest.SENTENCES.size())));
    }
    texts.add("word ".repeat(300));
    return texts;
  }

  @Test
  void shouldGiveBitIdenticalVectorsAloneAndInBatchesOfAnySize() {
    List<String> texts = variedSentences();
    List<float[]> alone = new ArrayList<>();
    for (String text : texts) {
      alone.add(embedder.embed(List.of(text)).vector(0));
    }
    for (int batchSize : new int[] {1, 5, 64}) {
      try (DjlEmbedder other =
          DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2).withBatchSize(batchSize))) {
        EmbeddingBatch batch = other.embed(texts);
        for (int i = 0; i < texts.size(); i++) {
          assertThat(batch.vector(i))
              .as("batch size %d, text %d", batchSize, i)
              .isEqualTo(alone.get(i));
        }
      }
    }
  }

  @Test
  void shouldNotDependOnInputOrder() {
    List<String> texts = variedSentences();
    List<String> reversed = new ArrayList<>(texts);
    java.util.Collections.reverse(reversed);

    EmbeddingBatch forward = embedder.embed(texts);
    EmbeddingBatch backward = embedder.embed(reversed);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(backward.vector(texts.size() - 1 - i)).isEqualTo(forward.vector(i));
    }
  }

  @Test
  void shouldReturnUnitVectorsOfTheDeclaredDimensionWithTheModelId() {
    EmbeddingBatch batch = embedder.embed(EmbeddingReferenceTest.SENTENCES);

    assertThat(embedder.model())
        .isEqualTo(new ModelInfo("sentence-transformers/all-MiniLM-L6-v2", 384, 256, Pooling.MEAN));
    assertThat(batch.modelId()).isEqualTo(embedder.model().id());
    for (int i = 0; i < batch.size(); i++) {
      float[] vector = batch.vector(i);
      double norm = 0;
      for (float v : vector) {
        norm += v * v;
      }
      assertThat(vector).hasSize(384);
      assertThat(Math.sqrt(norm)).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-6));
    }
  }

  @Test
  void shouldRejectBadTextsWithTheirReasonAndEmbedTheRest() {
    long rejectedBefore = embedder.rejectedCount();
    List<String> texts =
        Arrays.asList(
            "A fine headline", null, "", " \t\n ", "broken \uD800 surrogate", "\u0000\u0001", "ok");

    EmbeddingBatch batch = embedder.embed(texts);

    assertThat(batch.size()).isEqualTo(7);
    assertThat(batch.outcomes().get(0)).isInstanceOf(EmbeddingOutcome.Embedded.class);
    assertThat(batch.outcomes().get(6)).isInstanceOf(EmbeddingOutcome.Embedded.class);
    assertThat(reason(batch, 1)).isEqualTo(RejectReason.MISSING_TEXT);
    assertThat(reason(batch, 2)).isEqualTo(RejectReason.EMPTY_TEXT);
    assertThat(reason(batch, 3)).isEqualTo(RejectReason.EMPTY_TEXT);
    assertThat(reason(batch, 4)).isEqualTo(RejectReason.INVALID_UNICODE);
    assertThat(reason(batch, 5)).isEqualTo(RejectReason.NO_TOKENS);
    assertThat(((EmbeddingOutcome.Rejected) batch.outcomes().get(4)).message())
        .contains("U+D800")
        .contains("char 7");
    assertThat(batch.rejectedCount()).isEqualTo(5);
    assertThat(embedder.rejectedCount() - rejectedBefore).isEqualTo(5);
    assertThatThrownBy(() -> batch.vector(2))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("input 2")
        .hasMessageContaining("EMPTY_TEXT");
  }

  @Test
  void shouldEmbedAnAllRejectedOrEmptyList() {
    assertThat(embedder.embed(List.of()).size()).isZero();
    assertThat(embedder.embed(List.of("  ")).rejectedCount()).isEqualTo(1);
  }

  @Test
  void shouldTruncateOverLongTextAndCountIt() {
    long before = embedder.truncatedCount();

    EmbeddingBatch batch = embedder.embed(List.of("word ".repeat(300), "word ".repeat(254)));

    EmbeddingOutcome.Embedded cut = (EmbeddingOutcome.Embedded) batch.outcomes().get(0);
    EmbeddingOutcome.Embedded fits = (EmbeddingOutcome.Embedded) batch.outcomes().get(1);
    assertThat(cut.truncated()).isTrue();
    assertThat(cut.tokens()).isEqualTo(256);
    assertThat(fits.truncated()).isFalse();
    assertThat(fits.tokens()).isEqualTo(256);
    assertThat(cut.vector()).isEqualTo(fits.vector()); // the model saw the same 256 tokens
    assertThat(batch.truncatedCount()).isEqualTo(1);
    assertThat(embedder.truncatedCount() - before).isEqualTo(1);
  }

  @Test
  void shouldHonourAConfiguredMaxLength() {
    try (DjlEmbedder short16 =
        DjlEmbedder.open(EmbedderSettings.defaults().withThreads(1).withMaxLength(16))) {
      EmbeddingOutcome.Embedded outcome =
          (EmbeddingOutcome.Embedded) short16.embed(List.of("word ".repeat(40))).outcomes().get(0);

      assertThat(short16.model().maxTokens()).isEqualTo(16);
      assertThat(outcome.tokens()).isEqualTo(16);
      assertThat(outcome.truncated()).isTrue();
    }
  }

  @Test
  void shouldRejectAMaxLengthBeyondTheModelsPositions() {
    assertThatThrownBy(() -> DjlEmbedder.open(EmbedderSettings.defaults().withMaxLength(513)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedderSettings.MAX_LENGTH)
        .hasMessageContaining("513")
        .hasMessageContaining("512");
  }

  @Test
  void shouldGiveTheSameVectorsFromManyThreads() throws Exception {
    List<String> texts = variedSentences();
    EmbeddingBatch expected = embedder.embed(texts);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<EmbeddingBatch>> futures = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        futures.add(pool.submit(() -> embedder.embed(texts)));
      }
      for (Future<EmbeddingBatch> future : futures) {
        EmbeddingBatch batch = future.get();
        for (int i = 0; i < texts.size(); i++) {
          assertThat(batch.vector(i)).isEqualTo(expected.vector(i));
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldRefuseWorkAfterClose() {
    DjlEmbedder closed = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(1));
    closed.close();
    closed.close(); // idempotent

    assertThatThrownBy(() -> closed.embed(List.of("text")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("closed");
  }

  @Test
  void shouldLoadBgeSmallWithClsPooling() {
    try (DjlEmbedder bge =
        DjlEmbedder.open(EmbedderSettings.defaults().withModel("bge-small").withThreads(2))) {
      EmbeddingBatch batch = bge.embed(List.of("Stocks rallied", "Stocks rallied"));

      assertThat(bge.model())
          .isEqualTo(new ModelInfo("BAAI/bge-small-en-v1.5", 384, 512, Pooling.CLS));
      assertThat(batch.modelId()).isEqualTo("BAAI/bge-small-en-v1.5");
      assertThat(batch.vector(0)).isEqualTo(batch.vector(1));
      double cosine =
          EmbeddingReferenceTest.cosine(
              batch.vector(0), embedder.embed(List.of("Stocks rallied")).vector(0));
      assertThat(cosine).isLessThan(0.9); // a different model, a different space
    }
  }

  /** A directory laid out like a sentence-transformers ONNX export of all-MiniLM-L6-v2. */
  private Path modelDirectory(Path dir, boolean withPooling) throws Exception {
    Files.createSymbolicLink(dir.resolve("model.onnx"), minilm.onnxFile());
    Files.copy(minilm.tokenizerFile(), dir.resolve("tokenizer.json"));
    if (withPooling) {
      Files.createDirectories(dir.resolve("1_Pooling"));
      Files.writeString(
          dir.resolve("1_Pooling/config.json"),
          "{\"word_embedding_dimension\": 384, \"pooling_mode_cls_token\": false,"
              + " \"pooling_mode_mean_tokens\": true, \"pooling_mode_max_tokens\": false}");
    }
    return dir;
  }

  @Test
  void shouldLoadAUserModelDirectoryLikeTheBuiltIn(@TempDir Path dir) throws Exception {
    modelDirectory(dir, true);
    Files.writeString(dir.resolve("sentence_bert_config.json"), "{\"max_seq_length\": 256}");

    try (DjlEmbedder custom =
        DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString()).withThreads(2))) {
      EmbeddingBatch batch = custom.embed(EmbeddingReferenceTest.SENTENCES);
      EmbeddingBatch builtin = embedder.embed(EmbeddingReferenceTest.SENTENCES);

      assertThat(custom.model().id())
          .startsWith(dir.getFileName() + "@sha256:")
          .endsWith("/mean")
          .isNotEqualTo(builtin.modelId());
      assertThat(custom.model().maxTokens()).isEqualTo(256);
      for (int i = 0; i < batch.size(); i++) {
        assertThat(batch.vector(i)).isEqualTo(builtin.vector(i));
      }
    }
  }

  @Test
  void shouldNameTheMissingModelFile(@TempDir Path dir) {
    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedderSettings.MODEL)
        .hasMessageContaining("missing model file")
        .hasMessageContaining(dir.resolve("model.onnx").toString());
  }

  @Test
  void shouldNameAnUnknownModel() {
    assertThatThrownBy(() -> DjlEmbedder.open(EmbedderSettings.defaults().withModel("gpt-17")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("gpt-17")
        .hasMessageContaining("minilm, bge-small");
  }

  @Test
  void shouldAskForAPoolingWhenTheDirectoryNamesNone(@TempDir Path dir) throws Exception {
    modelDirectory(dir, false);

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedderSettings.POOLING)
        .hasMessageContaining("1_Pooling");
    try (DjlEmbedder cls =
        DjlEmbedder.open(
            EmbedderSettings.defaults()
                .withModel(dir.toString())
                .withPooling(Pooling.CLS)
                .withThreads(1))) {
      assertThat(cls.model().pooling()).isEqualTo(Pooling.CLS);
      assertThat(cls.model().id()).endsWith("/cls");
    }
  }

  @Test
  void shouldRejectATokenizerWithMoreTokensThanTheModel(@TempDir Path dir) throws Exception {
    modelDirectory(dir, true);
    ObjectMapper json = new ObjectMapper();
    ObjectNode tokenizer = (ObjectNode) json.readTree(dir.resolve("tokenizer.json").toFile());
    ((ObjectNode) tokenizer.path("model").path("vocab")).put("[EXTRA]", 30522);
    json.writeValue(dir.resolve("tokenizer.json").toFile(), tokenizer);

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(dir.resolve("tokenizer.json").toString())
        .hasMessageContaining("does not match the model")
        .hasMessageContaining("30522");
  }

  @Test
  void shouldRejectATokenizerBeyondTheConfiguredVocabulary(@TempDir Path dir) throws Exception {
    modelDirectory(dir, true);
    Files.writeString(dir.resolve("config.json"), "{\"vocab_size\": 30000, \"hidden_size\": 384}");

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("does not match the model")
        .hasMessageContaining("30521")
        .hasMessageContaining("30000 rows (vocab_size)");
  }

  @Test
  void shouldRejectAnOutputDimensionOtherThanTheConfigured(@TempDir Path dir) throws Exception {
    modelDirectory(dir, true);
    Files.writeString(dir.resolve("config.json"), "{\"hidden_size\": 768}");

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("model.onnx")
        .hasMessageContaining("384-dimensional")
        .hasMessageContaining("768");
  }

  @Test
  void shouldNameAModelFileOnnxRuntimeCannotLoad(@TempDir Path dir) throws Exception {
    modelDirectory(dir, true);
    Files.delete(dir.resolve("model.onnx"));
    Files.writeString(dir.resolve("model.onnx"), "not a model");

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withModel(dir.toString())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(dir.resolve("model.onnx").toString())
        .hasMessageContaining("cannot load");
  }

  @Test
  void shouldRefuseAGpuWhenNoneIsUsable() {
    org.junit.jupiter.api.Assumptions.assumeTrue(OnnxRuntimeDevices.detect().gpuCount() == 0);

    assertThatThrownBy(
            () -> DjlEmbedder.open(EmbedderSettings.defaults().withDevice(DevicePreference.GPU)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedderSettings.DEVICE)
        .hasMessageContaining("no usable GPU");
  }

  private static RejectReason reason(EmbeddingBatch batch, int index) {
    return ((EmbeddingOutcome.Rejected) batch.outcomes().get(index)).reason();
  }
}
