package dev.synque.monitor.cli;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.Embedders;
import dev.synque.monitor.embed.NpyWriter;
import dev.synque.monitor.embed.RemoteEmbedderSettings;
import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.evaluate.CachedEmbeddings;
import dev.synque.monitor.evaluate.Evaluation;
import dev.synque.monitor.evaluate.EvaluationOutput;
import dev.synque.monitor.evaluate.EvaluationSummary;
import dev.synque.monitor.evaluate.HtmlReport;
import dev.synque.monitor.evaluate.SummaryRow;
import dev.synque.monitor.evaluate.Uncertainty;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque evaluate}: every proxy on a benchmark directory, against downstream results. */
@Command(
    name = "evaluate",
    mixinStandardHelpOptions = true,
    description = {
      "Score every synthetic dataset of a benchmark directory with the quality proxies (and LENS"
          + " where judgements are stored), and measure how well each proxy predicts the datasets'"
          + " downstream performance with the SynQuE protocol.",
      "Writes OUT/scores.csv, OUT/summary.csv, OUT/noise_floors.csv, OUT/intervals.csv,"
          + " OUT/samples.csv and OUT/report.html."
    })
final class EvaluateCommand implements Callable<Integer> {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--benchmark", required = true, description = "The benchmark directory.")
  Path benchmarkDir;

  @Option(names = "--out", required = true, description = "Folder for the results (created).")
  Path out;

  @Option(
      names = "--proxies",
      split = ",",
      description = "Embedding proxies to compute (default: all of ${COMPLETION-CANDIDATES}).",
      completionCandidates = ProxyNames.class)
  List<String> proxies;

  @Option(
      names = "--model",
      description =
          "minilm (default), minilm-q (int8), bge-small or a model directory; with"
              + " --embeddings-url the server's model name (required).")
  String model;

  @Option(
      names = "--embeddings-url",
      description =
          "Base URL of an OpenAI-compatible embeddings API (for example http://localhost:8080/v1)"
              + " to embed with instead of the local model.")
  String embeddingsUrl;

  @Option(
      names = "--tokenizer",
      description =
          "With --embeddings-url: a built-in model or a directory with tokenizer.json that"
              + " truncates texts before they are sent (default: the server truncates).")
  String tokenizer;

  @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu.")
  String device;

  @Option(names = "--threads", description = "ONNX Runtime intra-op threads.")
  String threads;

  @Option(
      names = "--batch-size",
      defaultValue = "" + EmbedderSettings.DEFAULT_BATCH_SIZE,
      description = "Texts per inference call (default: ${DEFAULT-VALUE}).")
  String batchSize;

  @Option(
      names = "--cache",
      description = "Embedding cache folder (default: OUT/embedding-cache); 'none' for no cache.")
  String cache;

  @Option(
      names = "--export-embeddings",
      description =
          "Also write every embedding matrix as float32 .npy under OUT/embeddings/<group>/"
              + " (real-<seed>.npy, <dataset>.npy), for checks in numpy.")
  boolean exportEmbeddings;

  static final class ProxyNames implements Iterable<String> {
    @Override
    public java.util.Iterator<String> iterator() {
      return QualityProxies.names().iterator();
    }
  }

  @Override
  public Integer call() throws IOException {
    Instant started = Instant.now();
    List<QualityProxy> selected =
        proxies == null || proxies.isEmpty()
            ? QualityProxies.all()
            : QualityProxies.byNames(proxies);
    Benchmark benchmark = Benchmark.open(benchmarkDir);
    Map<String, Object> config = new HashMap<>();
    config.put(
        EmbedderSettings.MODEL,
        model != null || embeddingsUrl != null ? model : EmbedderSettings.DEFAULT_MODEL);
    config.put(EmbedderSettings.DEVICE, device);
    config.put(EmbedderSettings.BATCH_SIZE, batchSize);
    if (threads != null) {
      config.put(EmbedderSettings.THREADS, threads);
    }
    if (embeddingsUrl != null) {
      config.put(RemoteEmbedderSettings.URL, embeddingsUrl);
    }
    if (tokenizer != null) {
      config.put(RemoteEmbedderSettings.TOKENIZER, tokenizer);
    }
    // every key is checked before anything is loaded
    if (RemoteEmbedderSettings.fromConfig(config).isEmpty()) {
      EmbedderSettings.fromConfig(config);
    }
    Files.createDirectories(out);
    Path cacheDir =
        cache == null
            ? out.resolve("embedding-cache")
            : cache.equals("none") ? null : Path.of(cache);
    PrintWriter err = spec.commandLine().getErr();
    PrintWriter stdout = spec.commandLine().getOut();
    TerminalProgress progress = new TerminalProgress(err);
    Evaluation.Result result;
    Uncertainty.Result uncertainty;
    CachedEmbeddings source;
    try (Embedder embedder = Embedders.open(config)) {
      source = new CachedEmbeddings(embedder, cacheDir, 1024);
      result = Evaluation.run(benchmark, selected, source, progress);
      uncertainty = Uncertainty.run(benchmark, selected, source, progress);
      if (exportEmbeddings) {
        export(benchmark, source);
      }
    }
    progress.finish();
    List<SummaryRow> summary =
        EvaluationSummary.summarise(benchmark, result.scores(), result.orientations());
    EvaluationOutput.writeScores(out.resolve("scores.csv"), result.scores());
    EvaluationOutput.writeSummary(out.resolve("summary.csv"), summary);
    Uncertainty.writeFloors(out.resolve("noise_floors.csv"), uncertainty.floors());
    Uncertainty.writeIntervals(out.resolve("intervals.csv"), uncertainty);
    Uncertainty.writeSamples(out.resolve("samples.csv"), uncertainty.evidence());
    Duration took = Duration.between(started, Instant.now());
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("benchmark", benchmarkDir.toAbsolutePath().normalize().toString());
    facts.put("embedding model", source.modelId());
    facts.put(
        "cells",
        benchmark.cells().size()
            + " (group, seed, dataset) in "
            + benchmark.groups().size()
            + " group(s)");
    facts.put("run time", String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0));
    facts.put("generated", started.toString());
    if (!result.failures().isEmpty()) {
      facts.put("proxy failures", result.failures().size() + " (see the terminal output)");
    }
    HtmlReport.write(
        out.resolve("report.html"),
        new HtmlReport.Header("SynQuE evaluation: " + benchmarkDir.getFileName(), facts),
        benchmark,
        result.scores(),
        summary,
        Uncertainty.html(benchmark, uncertainty));
    source.rejected().forEach((file, why) -> err.println("synque: " + file + ": " + why));
    result
        .failures()
        .forEach(
            f ->
                err.printf(
                    "synque: %s could not be computed for %s/%s/%s: %s%n",
                    f.proxy(), f.cell().group(), f.cell().seed(), f.cell().dataset(), f.reason()));
    printSummary(stdout, summary);
    stdout.printf(
        "wrote %s, %s and %s in %.1f s (%d texts embedded, %d files from the cache)%n",
        out.resolve("scores.csv"),
        out.resolve("summary.csv"),
        out.resolve("report.html"),
        took.toMillis() / 1000.0,
        source.embeddedTexts(),
        source.cachedFiles());
    return 0;
  }

  private void export(Benchmark benchmark, CachedEmbeddings source) throws IOException {
    for (Benchmark.Group g : benchmark.groups().values()) {
      Path dir = out.resolve("embeddings").resolve(g.name());
      Files.createDirectories(dir);
      for (Map.Entry<String, Path> real : g.realSamples().entrySet()) {
        writeNpy(dir.resolve("real-" + real.getKey() + ".npy"), source.embeddings(real.getValue()));
      }
      for (Map.Entry<String, Path> d : g.datasets().entrySet()) {
        writeNpy(dir.resolve(d.getKey() + ".npy"), source.embeddings(d.getValue()));
      }
    }
  }

  private static void writeNpy(Path file, EmbeddingSet set) throws IOException {
    try (NpyWriter writer = NpyWriter.create(file, set.dimension())) {
      double[] data = set.rowMajor();
      float[] row = new float[set.dimension()];
      for (int i = 0; i < set.size(); i++) {
        for (int k = 0; k < row.length; k++) {
          row[k] = (float) data[i * row.length + k];
        }
        writer.write(row);
      }
    }
  }

  private static void printSummary(PrintWriter out, List<SummaryRow> summary) {
    out.printf(
        "%-14s %-7s %9s %9s %8s %8s %8s%n",
        "proxy", "better", "spearman", "pearson", "top3", "mean", "best3");
    for (SummaryRow r : summary) {
      if (r.group().equals(EvaluationSummary.ALL)) {
        out.printf(
            Locale.ROOT,
            "%-14s %-7s %9.3f %9.3f %8.4f %8.4f %8.4f%n",
            r.proxy(),
            r.higherIsBetter() ? "higher" : "lower",
            r.spearman(),
            r.pearson(),
            r.top3(),
            r.meanAll(),
            r.oracleTop3());
      }
    }
  }

  /** A one-line progress bar on the terminal (stderr), redrawn in place. */
  static final class TerminalProgress implements dev.synque.monitor.evaluate.Progress {
    private static final int WIDTH = 30;
    private final PrintWriter err;
    private final long started = System.nanoTime();
    private String lastLine = "";

    TerminalProgress(PrintWriter err) {
      this.err = err;
    }

    @Override
    public void update(String stage, int done, int total, String detail) {
      int filled = total == 0 ? WIDTH : (int) ((long) WIDTH * done / total);
      char[] bar = new char[WIDTH];
      Arrays.fill(bar, 0, filled, '#');
      Arrays.fill(bar, filled, WIDTH, '.');
      String line =
          String.format(
              Locale.ROOT,
              "%-9s [%s] %4d/%-4d %5.0fs %s",
              stage,
              new String(bar),
              done,
              total,
              (System.nanoTime() - started) / 1e9,
              detail.length() > 40 ? detail.substring(0, 40) : detail);
      if (!line.equals(lastLine)) {
        err.print("\r" + line + " ".repeat(Math.max(0, lastLine.length() - line.length())));
        err.flush();
        lastLine = line;
      }
      if (done == total && total > 0) {
        err.println();
        lastLine = "";
      }
    }

    void finish() {
      err.flush();
    }
  }
}
