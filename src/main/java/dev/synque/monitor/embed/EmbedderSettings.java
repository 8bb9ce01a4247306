package dev.synque.monitor.embed;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to build an embedder. Each key below is also a {@code synque embed} option.
 *
 * @param model {@code minilm} (default), {@code minilm-q} (int8), {@code bge-small}, or a directory
 *     holding an ONNX sentence-transformer (see {@link ModelFiles}); never blank
 * @param pooling the pooling of a model directory, or null to take the model's own (built-in models
 *     and directories with {@code 1_Pooling/config.json})
 * @param device where to run; never null
 * @param threads ONNX Runtime intra-op threads per inference, 1..256; for a dynamically quantised
 *     model ({@code minilm-q}) the number of texts run in parallel, one thread each
 * @param maxLength most tokens per text, special tokens included, or 0 for the model's default;
 *     otherwise 3..the model's position limit (checked when the model is loaded)
 * @param batchSize most texts per inference call (micro-batch), 1..4096; a dynamically quantised
 *     model always runs one text per call
 */
public record EmbedderSettings(
    String model,
    Pooling pooling,
    DevicePreference device,
    int threads,
    int maxLength,
    int batchSize) {

  /**
   * Model: {@code minilm}, {@code minilm-q}, {@code bge-small} or a directory ({@code --model}).
   */
  public static final String MODEL = "synque.embed.model";

  /** Pooling of a model directory: {@code mean} or {@code cls} ({@code --pooling}). */
  public static final String POOLING = "synque.embed.pooling";

  /** Device: {@code auto}, {@code cpu} or {@code gpu} ({@code --device}). */
  public static final String DEVICE = "synque.embed.device";

  /** ONNX Runtime intra-op threads ({@code --threads}); default: available processors. */
  public static final String THREADS = "synque.embed.threads";

  /** Maximum tokens per text ({@code --max-length}); default: the model's. */
  public static final String MAX_LENGTH = "synque.embed.max.length";

  /** Texts per inference call ({@code --batch-size}); default 32. */
  public static final String BATCH_SIZE = "synque.embed.batch.size";

  /** The default model, all-MiniLM-L6-v2 in fp32. */
  public static final String DEFAULT_MODEL = "minilm";

  /** The default micro-batch size. */
  public static final int DEFAULT_BATCH_SIZE = 32;

  /**
   * Every key with its type, default and documentation, for the configuration reference; {@link
   * #fromConfig} and the constructor apply the defaults and rules.
   */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              MODEL,
              Type.STRING,
              DEFAULT_MODEL,
              Importance.HIGH,
              "Embedding model: minilm (all-MiniLM-L6-v2, 384 dimensions), bge-small"
                  + " (bge-small-en-v1.5, 384) or a directory holding an ONNX sentence-transformer.")
          .define(
              POOLING,
              Type.STRING,
              null,
              Importance.LOW,
              "Pooling of a model directory, mean or cls; unset: the model's own (built-in models,"
                  + " and directories with 1_Pooling/config.json).")
          .define(
              DEVICE,
              Type.STRING,
              "auto",
              ConfigDef.CaseInsensitiveValidString.in("auto", "cpu", "gpu"),
              Importance.MEDIUM,
              "Where inference runs: auto (a GPU when one is usable, else the CPU), cpu or gpu.")
          .define(
              THREADS,
              Type.INT,
              null,
              Importance.MEDIUM,
              "ONNX Runtime intra-op threads per inference, 1 to 256; unset: the number of"
                  + " available processors.")
          .define(
              MAX_LENGTH,
              Type.INT,
              0,
              Importance.LOW,
              "Most tokens per text, special tokens included (longer texts are truncated); 0: the"
                  + " model's default, otherwise at least 3 and at most the model's position limit.")
          .define(
              BATCH_SIZE,
              Type.INT,
              DEFAULT_BATCH_SIZE,
              ConfigDef.Range.between(1, 4096),
              Importance.MEDIUM,
              "Most texts per inference call (micro-batch).");

  public EmbedderSettings {
    Objects.requireNonNull(device, "device");
    if (model == null || model.isBlank()) {
      throw new ConfigException(
          MODEL, model, "name minilm, minilm-q, bge-small or a model directory");
    }
    if (threads < 1 || threads > 256) {
      throw new ConfigException(THREADS, threads, "must be between 1 and 256");
    }
    if (maxLength != 0 && maxLength < 3) {
      throw new ConfigException(
          MAX_LENGTH, maxLength, "must be at least 3 (two special tokens and one of text)");
    }
    if (batchSize < 1 || batchSize > 4096) {
      throw new ConfigException(BATCH_SIZE, batchSize, "must be between 1 and 4096");
    }
  }

  /** The default model on the best device, one thread per processor, default length and batch. */
  public static EmbedderSettings defaults() {
    return new EmbedderSettings(
        DEFAULT_MODEL,
        null,
        DevicePreference.AUTO,
        Runtime.getRuntime().availableProcessors(),
        0,
        DEFAULT_BATCH_SIZE);
  }

  /** A copy with another model. */
  public EmbedderSettings withModel(String newModel) {
    return new EmbedderSettings(newModel, pooling, device, threads, maxLength, batchSize);
  }

  /** A copy with another micro-batch size. */
  public EmbedderSettings withBatchSize(int newBatchSize) {
    return new EmbedderSettings(model, pooling, device, threads, maxLength, newBatchSize);
  }

  /** A copy with another number of intra-op threads. */
  public EmbedderSettings withThreads(int newThreads) {
    return new EmbedderSettings(model, pooling, device, newThreads, maxLength, batchSize);
  }

  /** A copy with another maximum length (0: the model's default). */
  public EmbedderSettings withMaxLength(int newMaxLength) {
    return new EmbedderSettings(model, pooling, device, threads, newMaxLength, batchSize);
  }

  /** A copy with another device. */
  public EmbedderSettings withDevice(DevicePreference newDevice) {
    return new EmbedderSettings(model, pooling, newDevice, threads, maxLength, batchSize);
  }

  /** A copy with another pooling (null: the model's own). */
  public EmbedderSettings withPooling(Pooling newPooling) {
    return new EmbedderSettings(model, newPooling, device, threads, maxLength, batchSize);
  }

  /**
   * Reads settings from a configuration map; missing keys take their defaults.
   *
   * @throws ConfigException naming the key and the rule when a value is malformed
   */
  public static EmbedderSettings fromConfig(Map<String, ?> config) {
    EmbedderSettings defaults = defaults();
    Object pooling = config.get(POOLING);
    Object device = config.get(DEVICE);
    return new EmbedderSettings(
        config.get(MODEL) == null ? defaults.model() : config.get(MODEL).toString(),
        pooling == null ? null : parse(POOLING, pooling, Pooling::parse),
        device == null ? defaults.device() : parse(DEVICE, device, DevicePreference::parse),
        integer(config, THREADS, defaults.threads()),
        integer(config, MAX_LENGTH, 0),
        integer(config, BATCH_SIZE, defaults.batchSize()));
  }

  private static <T> T parse(
      String key, Object value, java.util.function.Function<String, T> parser) {
    try {
      return parser.apply(value.toString());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, value, e.getMessage());
    }
  }

  private static int integer(Map<String, ?> config, String key, int fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }
}
