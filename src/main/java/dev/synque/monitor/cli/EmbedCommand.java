package dev.synque.monitor.cli;

import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.Embedders;
import dev.synque.monitor.embed.EmbeddingBatch;
import dev.synque.monitor.embed.EmbeddingOutcome;
import dev.synque.monitor.embed.JsonlTextReader;
import dev.synque.monitor.embed.NpyWriter;
import dev.synque.monitor.embed.RemoteEmbedderSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque embed}: one vector per JSON Lines record, written as a float32 {@code .npy}. */
@Command(
    name = "embed",
    mixinStandardHelpOptions = true,
    description = {
      "Embed one text field of every line of a JSON Lines file into a float32 .npy matrix of shape"
          + " (lines, dimension): row i is line i+1, L2-normalised. Offline: models come from"
          + " jars on the classpath or a local directory.",
      "Exit codes: 0 done, 1 a line was rejected (with --on-reject fail), 2 bad options or"
          + " model files."
    })
final class EmbedCommand implements Callable<Integer> {

  /** Lines per call to the embedder: bounds memory and lets it sort each chunk by length. */
  static final int CHUNK = 1024;

  enum OnReject {
    FAIL,
    NAN
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--input", required = true, description = "JSON Lines file, UTF-8.")
  Path input;

  @Option(
      names = "--field",
      defaultValue = "text",
      description = "Field holding the text (default: ${DEFAULT-VALUE}).")
  String field;

  @Option(names = "--output", required = true, description = "The .npy file to write.")
  Path output;

  @Option(
      names = "--model",
      description =
          "minilm (all-MiniLM-L6-v2, default), minilm-q (all-MiniLM-L6-v2 int8, one text per"
              + " inference, --threads at a time), bge-small (bge-small-en-v1.5) or a directory"
              + " with model.onnx and tokenizer.json (synque.embed.model). With"
              + " --embeddings-url: the server's model name (required).")
  String model;

  @Option(
      names = "--embeddings-url",
      description =
          "Base URL of an OpenAI-compatible embeddings API, for example http://localhost:8080/v1"
              + " (TEI, vLLM, Ollama); texts go to URL/embeddings instead of the local model"
              + " (synque.embed.url).")
  String embeddingsUrl;

  @Option(
      names = "--tokenizer",
      description =
          "With --embeddings-url: a built-in model name or a directory with tokenizer.json whose"
              + " tokens count and truncate texts before they are sent; default none, the server"
              + " truncates (synque.embed.tokenizer).")
  String tokenizer;

  @Option(
      names = "--pooling",
      description =
          "mean or cls, for a model directory without 1_Pooling/config.json"
              + " (synque.embed.pooling).")
  String pooling;

  @Option(
      names = "--device",
      defaultValue = "auto",
      description = "auto (GPU when ONNX Runtime sees one), cpu or gpu (synque.embed.device).")
  String device;

  @Option(
      names = "--batch-size",
      defaultValue = "" + EmbedderSettings.DEFAULT_BATCH_SIZE,
      description =
          "Texts per inference call (default: ${DEFAULT-VALUE}; synque.embed.batch.size).")
  String batchSize;

  @Option(
      names = "--threads",
      description =
          "ONNX Runtime intra-op threads (default: available processors; synque.embed.threads).")
  String threads;

  @Option(
      names = "--max-length",
      description =
          "Most tokens per text, special tokens included; longer texts are truncated and counted"
              + " (default: the model's, 256 for minilm, 512 for bge-small;"
              + " synque.embed.max.length).")
  String maxLength;

  @Option(
      names = "--on-reject",
      defaultValue = "fail",
      description =
          "fail: stop at the first bad line (invalid UTF-8 or JSON, missing field, empty text),"
              + " naming it, and write nothing; nan: write a row of NaN for it and go on."
              + " Default: ${DEFAULT-VALUE}.")
  String onReject;

  @Override
  public Integer call() throws IOException {
    OnReject policy = parsePolicy(onReject);
    Map<String, Object> config = new HashMap<>();
    config.put(
        EmbedderSettings.MODEL,
        model != null || embeddingsUrl != null ? model : EmbedderSettings.DEFAULT_MODEL);
    config.put(EmbedderSettings.DEVICE, device);
    config.put(EmbedderSettings.BATCH_SIZE, batchSize);
    putIfSet(config, EmbedderSettings.POOLING, pooling);
    putIfSet(config, EmbedderSettings.THREADS, threads);
    putIfSet(config, EmbedderSettings.MAX_LENGTH, maxLength);
    putIfSet(config, RemoteEmbedderSettings.URL, embeddingsUrl);
    putIfSet(config, RemoteEmbedderSettings.TOKENIZER, tokenizer);
    // every key is checked before the input is read or the model is loaded
    if (RemoteEmbedderSettings.fromConfig(config).isEmpty()) {
      EmbedderSettings.fromConfig(config);
    }
    if (!Files.isRegularFile(input)) {
      throw new IllegalArgumentException("--input " + input + ": no such file");
    }
    Path outputDirectory = output.toAbsolutePath().getParent();
    if (outputDirectory == null || !Files.isDirectory(outputDirectory)) {
      throw new IllegalArgumentException("--output " + output + ": the directory does not exist");
    }
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (Embedder embedder = Embedders.open(config);
        JsonlTextReader reader = JsonlTextReader.open(input, field)) {
      long started = System.nanoTime(); // after loading: the rate is the embedding rate
      int dimension = embedder.model().dimension();
      float[] nanRow = new float[dimension];
      Arrays.fill(nanRow, Float.NaN);
      NpyWriter writer = NpyWriter.create(output, dimension);
      long lines = 0;
      long rejected = 0;
      try {
        List<JsonlTextReader.Line> chunk = new ArrayList<>(CHUNK);
        boolean more = true;
        while (more) {
          chunk.clear();
          JsonlTextReader.Line line = null;
          while (chunk.size() < CHUNK && (line = reader.next()) != null) {
            chunk.add(line);
          }
          more = line != null;
          List<String> texts = new ArrayList<>(chunk.size());
          for (JsonlTextReader.Line l : chunk) {
            if (l.problem() != null && policy == OnReject.FAIL) {
              return reject(writer, err, l.problem());
            }
            texts.add(l.text());
          }
          EmbeddingBatch batch = embedder.embed(texts);
          for (int i = 0; i < chunk.size(); i++) {
            lines++;
            EmbeddingOutcome outcome = batch.outcomes().get(i);
            if (outcome instanceof EmbeddingOutcome.Embedded embedded) {
              writer.write(embedded.vector());
              continue;
            }
            String why =
                chunk.get(i).problem() != null
                    ? chunk.get(i).problem()
                    : input
                        + ":"
                        + chunk.get(i).number()
                        + ": field '"
                        + field
                        + "': "
                        + ((EmbeddingOutcome.Rejected) outcome).reason()
                        + ": "
                        + ((EmbeddingOutcome.Rejected) outcome).message();
            if (policy == OnReject.FAIL) {
              return reject(writer, err, why);
            }
            rejected++;
            err.println("synque: " + why + " (NaN row)");
            writer.write(nanRow);
          }
        }
        writer.close();
      } catch (IOException | RuntimeException e) {
        writer.abort();
        throw e;
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      out.printf(
          "wrote %s: %d x %d float32 (model %s); %d truncated to %d tokens, %d rejected;"
              + " %.1f lines/s%n",
          output,
          lines,
          dimension,
          embedder.model().id(),
          embedder.truncatedCount(),
          embedder.model().maxTokens(),
          rejected,
          lines / Math.max(seconds, 1e-9));
      out.flush();
      err.flush();
      return 0;
    }
  }

  private static Integer reject(NpyWriter writer, PrintWriter err, String why) {
    writer.abort();
    err.println("synque: " + why + " (nothing written; --on-reject nan writes a NaN row instead)");
    err.flush();
    return 1;
  }

  private static OnReject parsePolicy(String value) {
    try {
      return OnReject.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--on-reject " + value + ": choose fail or nan");
    }
  }

  private static void putIfSet(Map<String, Object> config, String key, String value) {
    if (value != null) {
      config.put(key, value);
    }
  }
}
