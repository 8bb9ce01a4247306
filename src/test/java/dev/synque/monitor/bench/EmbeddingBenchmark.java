package dev.synque.monitor.bench;

import ai.djl.engine.Engine;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.ModelFiles;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Sentences per second of the default model (all-MiniLM-L6-v2 fp32, CPU) through {@link
 * DjlEmbedder} ({@code path=djl}) and through a raw ONNX Runtime session ({@code path=raw}) on the
 * same inputs: real headlines, read at run time from the SynQuE benchmark data (never copied into
 * this repository; {@code -Dsynque.bench.corpus=FILE} for another JSON array of {@code {"headline":
 * ...}}). Both paths tokenize with the same HuggingFace tokenizer, pad each batch to its longest
 * text, run the same graph with the same thread settings, mean-pool and L2-normalise; the raw path
 * just skips DJL (NDArrays, predictor, translator).
 *
 * <p>One invocation embeds 64 headlines in calls of {@code batchSize}, so the score is sentences
 * per second. Each configuration runs in its own JVM, which prints its peak resident memory (VmHWM)
 * at the end. Run: {@code bin/bench EmbeddingBenchmark -f 1 -wi 2 -i 3 -w 5s -r 5s}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = "-Dai.djl.offline=true")
public class EmbeddingBenchmark {

  static final String DEFAULT_CORPUS =
      "/work/shared/synque-benchmark/sentiment_analysis/real_data/cleaned_ds_validation.json";

  @Param({"1", "16", "64"})
  public int batchSize;

  @Param({"djl", "raw"})
  public String path;

  @Param({"2"})
  public int threads;

  private List<String> headlines;
  private int cursor;
  private DjlEmbedder embedder;
  private ModelFiles files;
  private HuggingFaceTokenizer tokenizer;
  private OrtEnvironment environment;
  private OrtSession session;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    headlines = readHeadlines(Path.of(System.getProperty("synque.bench.corpus", DEFAULT_CORPUS)));
    if (path.equals("djl")) {
      embedder =
          DjlEmbedder.open(
              EmbedderSettings.defaults().withThreads(threads).withBatchSize(batchSize));
      return;
    }
    Engine.getEngine(DjlEmbedder.ENGINE); // the same OrtEnvironment DJL would create
    environment = OrtEnvironment.getEnvironment();
    files = ModelFiles.resolve("minilm", null);
    tokenizer =
        HuggingFaceTokenizer.newInstance(
            files.tokenizerFile(),
            Map.of("truncation", "true", "padding", "false", "maxLength", "256"));
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    options.setIntraOpNumThreads(threads);
    options.setInterOpNumThreads(1);
    session = environment.createSession(files.onnxFile().toString(), options);
  }

  static List<String> readHeadlines(Path corpus) throws IOException {
    if (!Files.isRegularFile(corpus)) {
      throw new IllegalStateException(
          "benchmark corpus " + corpus + " is missing; set -Dsynque.bench.corpus=FILE");
    }
    List<String> texts = new ArrayList<>();
    for (JsonNode item : new ObjectMapper().readTree(corpus.toFile())) {
      String text = item.path("headline").asText("");
      if (!text.isBlank()) {
        texts.add(text);
      }
    }
    return texts.subList(0, Math.min(texts.size(), 1024));
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    if (embedder != null) {
      embedder.close();
    }
    if (session != null) {
      session.close();
      tokenizer.close();
      files.close();
    }
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM")) {
        System.out.printf(
            "%n[memory] path=%s batchSize=%d peak RSS %s, heap used %d MiB%n",
            path,
            batchSize,
            line.substring(6).strip(),
            (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
      }
    }
  }

  @Benchmark
  @OperationsPerInvocation(64)
  public void embed64(Blackhole blackhole) throws Exception {
    for (int done = 0; done < 64; done += batchSize) {
      if (cursor + batchSize > headlines.size()) {
        cursor = 0;
      }
      List<String> batch = headlines.subList(cursor, cursor + batchSize);
      cursor += batchSize;
      if (embedder != null) {
        EmbeddingBatch result = embedder.embed(batch);
        blackhole.consume(result.vector(0));
      } else {
        blackhole.consume(raw(batch));
      }
    }
  }

  /** Tokenize, pad, run the session, mean-pool and normalise, with ONNX Runtime's own API. */
  private float[][] raw(List<String> batch) throws Exception {
    Encoding[] encodings = tokenizer.batchEncode(batch.toArray(String[]::new));
    int rows = encodings.length;
    int length = 0;
    for (Encoding e : encodings) {
      length = Math.max(length, e.getIds().length);
    }
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      long[] row = encodings[r].getIds();
      System.arraycopy(row, 0, ids, r * length, row.length);
      java.util.Arrays.fill(mask, r * length, r * length + row.length, 1L);
    }
    long[] shape = {rows, length};
    try (OnnxTensor idTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape);
        OnnxTensor maskTensor = OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape);
        OnnxTensor typeTensor =
            OnnxTensor.createTensor(environment, LongBuffer.wrap(types), shape);
        OrtSession.Result result =
            session.run(
                Map.of(
                    "input_ids",
                    idTensor,
                    "attention_mask",
                    maskTensor,
                    "token_type_ids",
                    typeTensor))) {
      FloatBuffer tokens = ((OnnxTensor) result.get(0)).getFloatBuffer();
      int dimension = tokens.capacity() / (rows * length);
      float[][] out = new float[rows][dimension];
      double[] sum = new double[dimension];
      for (int r = 0; r < rows; r++) {
        java.util.Arrays.fill(sum, 0);
        int count = 0;
        for (int t = 0; t < length; t++) {
          if (mask[r * length + t] == 0) {
            continue;
          }
          count++;
          int offset = (r * length + t) * dimension;
          for (int k = 0; k < dimension; k++) {
            sum[k] += tokens.get(offset + k);
          }
        }
        double norm = 0;
        for (int k = 0; k < dimension; k++) {
          sum[k] /= count;
          norm += sum[k] * sum[k];
        }
        norm = Math.max(Math.sqrt(norm), 1e-12);
        for (int k = 0; k < dimension; k++) {
          out[r][k] = (float) (sum[k] / norm);
        }
      }
      return out;
    }
  }
}
