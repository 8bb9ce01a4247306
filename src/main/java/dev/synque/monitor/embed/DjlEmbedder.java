package dev.synque.monitor.embed;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.translate.TranslateException;
import ai.djl.util.Pair;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Embedder} on DJL with the ONNX Runtime engine and DJL's HuggingFace tokenizer, fully
 * offline (run with {@code -Dai.djl.offline=true}; model files come from {@link ModelFiles}).
 *
 * <p>How a call runs: texts are checked (bad ones become {@link EmbeddingOutcome.Rejected}),
 * tokenized in one native batch call with truncation to {@link ModelInfo#maxTokens()}, ordered by
 * token count so that micro-batches of at most {@code batchSize} texts carry little padding, run
 * through the model, pooled ({@link Pooling}) and L2-normalised, and put back in input order.
 *
 * <p>Batch invariance: padding is masked out of attention and pooling, so a text's vector does not
 * depend on its neighbours in exact arithmetic. On the CPU with ONNX Runtime 1.22 the fp32 vectors
 * are also bit for bit the same alone and in batches of any size ({@code DjlEmbedderTest} asserts
 * it; 601 benchmark headlines agreed exactly at batch sizes 1, 7, 64 and 256). Other kernels (GPU,
 * another ONNX Runtime) may sum in another order for another padded shape and differ in the last
 * bits.
 *
 * <p>Dynamically quantised models ({@code minilm-q}, or any graph with {@code
 * DynamicQuantizeLinear}, see {@link ModelFiles#dynamicQuantization()}) compute each activation's
 * int8 scale from the minimum and maximum of the whole input tensor, so in a padded batch a text's
 * vector would depend on its batch-mates (cosine about 0.98 against the same text alone). Such a
 * model is therefore run one text per inference, never padded, with one intra-op thread, and {@code
 * threads} texts run at the same time on the shared session (the calling thread and {@code threads
 * - 1} workers owned by this embedder). Every text then sees exactly the computation it would see
 * alone, whatever the batch, the order or the thread that runs it: batch-invariant by construction,
 * not by kernel luck. The micro-batch size is unused for such models.
 *
 * <p>Threads: thread-safe. A DJL {@link Predictor} is not, so each call borrows one from a pool and
 * uses it alone; the pool grows to the number of threads that call at the same time (one predictor
 * per thread) and all predictors share the loaded model. Each inference uses {@code threads}
 * intra-op threads, which sleep rather than spin between operators ({@code
 * session.intra_op.allow_spinning=0}): ONNX Runtime's default spin-wait burns the cores that the
 * monitor's stream thread and an in-process broker need, and on the 2-core development machine
 * turning it off cost the embedder alone nothing measurable while the monitor end to end gained
 * (docs/benchmarks.md, "End-to-end throughput"). Close after the last call has returned; closing
 * releases the model, the tokenizer and the extracted model files.
 */
public final class DjlEmbedder implements Embedder {

  /** The DJL engine, always named: DJL's default engine would otherwise be the tokenizer's. */
  public static final String ENGINE = "OnnxRuntime";

  private static final Logger LOG = LoggerFactory.getLogger(DjlEmbedder.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<String> KNOWN_INPUTS =
      Set.of("input_ids", "attention_mask", "token_type_ids");

  private final ModelInfo info;
  private final ModelFiles files;
  private final HuggingFaceTokenizer tokenizer;
  private final Model model;
  private final SentenceEmbeddingTranslator translator;
  private final Device device;
  private final int batchSize;
  private final long padId;
  private final ConcurrentLinkedQueue<Predictor<TokenBatch, float[][]>> idle =
      new ConcurrentLinkedQueue<>();
  private final List<Predictor<TokenBatch, float[][]>> created = new ArrayList<>();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder rejected = new LongAdder();

  /** Non-null for a model run one text per inference: runs texts beside the calling thread. */
  private final ExecutorService aloneWorkers;

  /** Texts run at the same time in one-text mode (the calling thread included). */
  private final int aloneParallelism;

  private volatile boolean closed;

  private DjlEmbedder(
      ModelInfo info,
      ModelFiles files,
      HuggingFaceTokenizer tokenizer,
      Model model,
      SentenceEmbeddingTranslator translator,
      Device device,
      int batchSize,
      long padId,
      int aloneParallelism) {
    this.info = info;
    this.files = files;
    this.tokenizer = tokenizer;
    this.model = model;
    this.translator = translator;
    this.device = device;
    this.batchSize = batchSize;
    this.padId = padId;
    this.aloneParallelism = aloneParallelism;
    this.aloneWorkers = aloneParallelism > 0 ? workers(info.id(), aloneParallelism - 1) : null;
  }

  /**
   * The helper threads of one-text mode: daemon threads, created when first needed. The queue holds
   * at most {@code parallelism - 1} tasks per concurrent {@link #embed} call, since each call
   * submits that many and waits for them.
   */
  private static ExecutorService workers(String modelId, int count) {
    if (count == 0) {
      return null;
    }
    AtomicInteger serial = new AtomicInteger();
    return new ThreadPoolExecutor(
        count,
        count,
        60,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        runnable -> {
          Thread thread = new Thread(runnable, "synque-embed-" + serial.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
  }

  /**
   * Loads a model and checks that its tokenizer and graph fit together: the graph's inputs are
   * {@code input_ids}, {@code attention_mask} and optionally {@code token_type_ids}; the highest
   * token id of {@code tokenizer.json} fits the embedding table (from {@code config.json}, and by
   * running the graph on that id); the output dimension is the one the model declares.
   *
   * @throws ConfigException naming the setting or file and the rule when the model is missing, does
   *     not load, or does not match its tokenizer, or when the settings do not fit the model
   */
  public static DjlEmbedder open(EmbedderSettings settings) {
    ModelFiles files = ModelFiles.resolve(settings.model(), settings.pooling());
    HuggingFaceTokenizer tokenizer = null;
    Model model = null;
    try {
      int maxLength = settings.maxLength() == 0 ? files.defaultMaxLength() : settings.maxLength();
      if (maxLength > files.maxPositions()) {
        throw new ConfigException(
            EmbedderSettings.MAX_LENGTH,
            maxLength,
            "must be at most " + files.maxPositions() + ", the model's position limit");
      }
      TokenizerFacts facts = TokenizerFacts.read(files);
      if (files.configVocabSize().isPresent()
          && facts.maxId() >= files.configVocabSize().getAsInt()) {
        throw mismatch(
            files,
            "its highest token id is "
                + facts.maxId()
                + " but the model's embedding table has "
                + files.configVocabSize().getAsInt()
                + " rows (vocab_size)");
      }
      tokenizer = loadTokenizer(files, maxLength);

      OnnxRuntimeDevices devices = OnnxRuntimeDevices.detect();
      Device device = devices.choose(settings.device());
      boolean alone = files.dynamicQuantization();
      String intraOpThreads = alone ? "1" : String.valueOf(settings.threads());
      model = Model.newInstance(files.id(), device, ENGINE);
      // the session copies its options when it is created, so they are closed right after
      try (OrtSession.SessionOptions sessionOptions = new OrtSession.SessionOptions()) {
        sessionOptions.addConfigEntry("session.intra_op.allow_spinning", "0");
        model.load(
            files.onnxFile(),
            null,
            Map.of(
                "sessionOptions",
                sessionOptions,
                "intraOpNumThreads",
                intraOpThreads,
                "interOpNumThreads",
                "1"));
      } catch (MalformedModelException | IOException | OrtException | RuntimeException e) {
        throw new ConfigException(
            EmbedderSettings.MODEL,
            files.onnxFile().toString(),
            "ONNX Runtime cannot load the model file: " + rootMessage(e));
      }
      List<String> inputs = new ArrayList<>();
      for (Pair<String, ?> input : model.describeInput()) {
        inputs.add(input.getKey());
      }
      if (!inputs.contains("input_ids")
          || !inputs.contains("attention_mask")
          || !KNOWN_INPUTS.containsAll(inputs)) {
        throw new ConfigException(
            EmbedderSettings.MODEL,
            files.onnxFile().toString(),
            "a sentence-transformer graph takes input_ids, attention_mask and optionally"
                + " token_type_ids; this one takes "
                + inputs);
      }
      SentenceEmbeddingTranslator translator =
          new SentenceEmbeddingTranslator(files.pooling(), inputs.contains("token_type_ids"));
      int dimension = probe(files, model, translator, facts);
      ModelInfo info = new ModelInfo(files.id(), dimension, maxLength, files.pooling());
      DjlEmbedder embedder =
          new DjlEmbedder(
              info,
              files,
              tokenizer,
              model,
              translator,
              device,
              settings.batchSize(),
              facts.padId(),
              alone ? settings.threads() : 0);
      LOG.info(
          "Embedding model {} ({} dimensions, {} pooling, at most {} tokens) on {}: ONNX Runtime {}"
              + " via DJL, providers [{}], GPUs seen {}, {}",
          info.id(),
          dimension,
          info.pooling().name().toLowerCase(Locale.ROOT),
          maxLength,
          device,
          devices.onnxRuntimeVersion(),
          devices.describeProviders(),
          devices.gpuCount(),
          alone
              ? "dynamically quantised: one text per inference, "
                  + settings.threads()
                  + " at a time with one intra-op thread each"
              : settings.threads() + " intra-op threads, batches of " + settings.batchSize());
      return embedder;
    } catch (RuntimeException e) {
      if (model != null) {
        model.close();
      }
      if (tokenizer != null) {
        tokenizer.close();
      }
      files.close();
      throw e;
    }
  }

  private static HuggingFaceTokenizer loadTokenizer(ModelFiles files, int maxLength) {
    try {
      return HuggingFaceTokenizer.newInstance(
          files.tokenizerFile(),
          Map.of(
              "addSpecialTokens", "true",
              "truncation", "true",
              "padding", "false",
              "maxLength", String.valueOf(maxLength),
              "modelMaxLength", String.valueOf(files.maxPositions())));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          files.tokenizerFile().toString(),
          "not a HuggingFace tokenizer.json: " + rootMessage(e));
    }
  }

  /** Runs the graph on the tokenizer's highest id: fails when the embedding table is smaller. */
  private static int probe(
      ModelFiles files, Model model, SentenceEmbeddingTranslator translator, TokenizerFacts facts) {
    float[][] out;
    try (Predictor<TokenBatch, float[][]> predictor = model.newPredictor(translator)) {
      out =
          predictor.predict(TokenBatch.pad(new long[][] {{facts.maxId()}}, new long[][] {{0}}, 0));
    } catch (TranslateException | RuntimeException e) {
      throw mismatch(
          files,
          "the model fails on its highest token id "
              + facts.maxId()
              + " (is the embedding table smaller?): "
              + rootMessage(e));
    }
    int dimension = out[0].length;
    if (files.expectedDimension().isPresent()
        && dimension != files.expectedDimension().getAsInt()) {
      throw new ConfigException(
          EmbedderSettings.MODEL,
          files.onnxFile().toString(),
          "the model outputs "
              + dimension
              + "-dimensional token vectors but its configuration declares "
              + files.expectedDimension().getAsInt()
              + " (hidden_size)");
    }
    return dimension;
  }

  private static ConfigException mismatch(ModelFiles files, String rule) {
    return new ConfigException(
        EmbedderSettings.MODEL,
        files.tokenizerFile().toString(),
        "the tokenizer does not match the model " + files.onnxFile() + ": " + rule);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.replace('\n', ' ').strip();
  }

  @Override
  public ModelInfo model() {
    return info;
  }

  /** The device the model runs on. */
  public Device device() {
    return device;
  }

  @Override
  public long truncatedCount() {
    return truncated.sum();
  }

  @Override
  public long rejectedCount() {
    return rejected.sum();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts) {
    if (closed) {
      throw new IllegalStateException("embedder for " + info.id() + " is closed");
    }
    int n = texts.size();
    EmbeddingOutcome[] outcomes = new EmbeddingOutcome[n];
    List<Integer> accepted = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      EmbeddingOutcome.Rejected rejection = check(texts.get(i));
      if (rejection == null) {
        accepted.add(i);
      } else {
        outcomes[i] = rejection;
      }
    }
    if (!accepted.isEmpty()) {
      String[] batchTexts = new String[accepted.size()];
      for (int k = 0; k < batchTexts.length; k++) {
        batchTexts[k] = texts.get(accepted.get(k));
      }
      Encoding[] encodings = tokenizer.batchEncode(batchTexts);
      List<Integer> runnable = new ArrayList<>(encodings.length);
      for (int k = 0; k < encodings.length; k++) {
        if (Arrays.stream(encodings[k].getSpecialTokenMask()).allMatch(bit -> bit == 1)) {
          outcomes[accepted.get(k)] =
              new EmbeddingOutcome.Rejected(
                  RejectReason.NO_TOKENS,
                  "the tokenizer keeps no token of the text (only control characters?)");
        } else {
          runnable.add(k);
        }
      }
      // Similar lengths together: less padding, and the result does not depend on the order.
      runnable.sort(Comparator.comparingInt(k -> encodings[k].getIds().length));
      if (aloneParallelism > 0) {
        runAlone(runnable, encodings, accepted, outcomes);
      } else {
        runBatched(runnable, encodings, accepted, outcomes);
      }
    }
    EmbeddingBatch batch = new EmbeddingBatch(info.id(), info.dimension(), Arrays.asList(outcomes));
    truncated.add(batch.truncatedCount());
    rejected.add(batch.rejectedCount());
    return batch;
  }

  /** Micro-batches of similar length, padded, on one predictor. */
  private void runBatched(
      List<Integer> runnable,
      Encoding[] encodings,
      List<Integer> accepted,
      EmbeddingOutcome[] outcomes) {
    Predictor<TokenBatch, float[][]> predictor = borrow();
    try {
      for (int from = 0; from < runnable.size(); from += batchSize) {
        List<Integer> chunk = runnable.subList(from, Math.min(runnable.size(), from + batchSize));
        long[][] ids = new long[chunk.size()][];
        long[][] types = new long[chunk.size()][];
        for (int c = 0; c < chunk.size(); c++) {
          ids[c] = encodings[chunk.get(c)].getIds();
          types[c] = encodings[chunk.get(c)].getTypeIds();
        }
        float[][] vectors = run(predictor, TokenBatch.pad(ids, types, padId));
        for (int c = 0; c < chunk.size(); c++) {
          Encoding encoding = encodings[chunk.get(c)];
          outcomes[accepted.get(chunk.get(c))] =
              new EmbeddingOutcome.Embedded(
                  vectors[c], encoding.getIds().length, encoding.exceedMaxLength());
        }
      }
    } finally {
      idle.offer(predictor);
    }
  }

  /**
   * One text per inference, unpadded, longest first, pulled from a shared counter by the calling
   * thread and up to {@code aloneParallelism - 1} workers, each on its own predictor. Each task
   * writes distinct cells of {@code outcomes}; {@link Future#get()} publishes them to the caller.
   */
  private void runAlone(
      List<Integer> runnable,
      Encoding[] encodings,
      List<Integer> accepted,
      EmbeddingOutcome[] outcomes) {
    int count = runnable.size();
    if (count == 0) {
      return;
    }
    AtomicInteger next = new AtomicInteger();
    Runnable work =
        () -> {
          Predictor<TokenBatch, float[][]> predictor = borrow();
          try {
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
              int k = runnable.get(count - 1 - i);
              Encoding encoding = encodings[k];
              float[][] vectors =
                  run(
                      predictor,
                      TokenBatch.pad(
                          new long[][] {encoding.getIds()},
                          new long[][] {encoding.getTypeIds()},
                          padId));
              outcomes[accepted.get(k)] =
                  new EmbeddingOutcome.Embedded(
                      vectors[0], encoding.getIds().length, encoding.exceedMaxLength());
            }
          } catch (RuntimeException e) {
            next.set(count); // the others stop after their current text
            throw e;
          } finally {
            idle.offer(predictor);
          }
        };
    // the texts are still being written while any helper runs: SharedWork waits for all
    SharedWork.run(work, aloneWorkers, Math.min(aloneParallelism - 1, count - 1));
  }

  private float[][] run(Predictor<TokenBatch, float[][]> predictor, TokenBatch batch) {
    try {
      return predictor.predict(batch);
    } catch (TranslateException | RuntimeException e) {
      throw new IllegalStateException(
          "model "
              + info.id()
              + " failed on a batch of "
              + batch.rows()
              + " texts of "
              + batch.length()
              + " tokens: "
              + rootMessage(e),
          e);
    }
  }

  /** Null for a text the model can take, else why not. */
  static EmbeddingOutcome.Rejected check(String text) {
    if (text == null) {
      return new EmbeddingOutcome.Rejected(RejectReason.MISSING_TEXT, "the text is null");
    }
    if (text.isBlank()) {
      return new EmbeddingOutcome.Rejected(
          RejectReason.EMPTY_TEXT, "the text is empty or only whitespace");
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return new EmbeddingOutcome.Rejected(
            RejectReason.INVALID_UNICODE,
            "unpaired UTF-16 surrogate U+"
                + Integer.toHexString(c).toUpperCase(Locale.ROOT)
                + " at char "
                + i);
      }
    }
    return null;
  }

  private Predictor<TokenBatch, float[][]> borrow() {
    Predictor<TokenBatch, float[][]> predictor = idle.poll();
    if (predictor != null) {
      return predictor;
    }
    predictor = model.newPredictor(translator);
    synchronized (created) {
      created.add(predictor);
    }
    return predictor;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (aloneWorkers != null) {
      aloneWorkers.shutdown();
    }
    synchronized (created) {
      for (Iterator<Predictor<TokenBatch, float[][]>> it = created.iterator(); it.hasNext(); ) {
        it.next().close();
        it.remove();
      }
    }
    idle.clear();
    model.close();
    tokenizer.close();
    files.close();
  }

  /** What {@code tokenizer.json} says about ids: the highest one and the padding id. */
  private record TokenizerFacts(long maxId, long padId) {

    static TokenizerFacts read(ModelFiles files) {
      JsonNode root;
      try {
        root = JSON.readTree(files.tokenizerFile().toFile());
      } catch (IOException e) {
        throw new ConfigException(
            EmbedderSettings.MODEL,
            files.tokenizerFile().toString(),
            "not a HuggingFace tokenizer.json: " + rootMessage(e));
      }
      long maxId = -1;
      JsonNode vocab = root.path("model").path("vocab");
      if (vocab.isObject()) {
        for (JsonNode id : (Iterable<JsonNode>) vocab::elements) {
          maxId = Math.max(maxId, id.asLong());
        }
      } else if (vocab.isArray()) {
        maxId = vocab.size() - 1L;
      }
      for (JsonNode added : root.path("added_tokens")) {
        maxId = Math.max(maxId, added.path("id").asLong(-1));
      }
      if (maxId < 0) {
        throw new ConfigException(
            EmbedderSettings.MODEL,
            files.tokenizerFile().toString(),
            "the tokenizer has no vocabulary (model.vocab)");
      }
      long padId = root.path("padding").path("pad_id").asLong(-1);
      if (padId < 0) {
        padId = vocab.isObject() ? vocab.path("[PAD]").asLong(0) : 0;
      }
      return new TokenizerFacts(maxId, padId);
    }
  }
}
