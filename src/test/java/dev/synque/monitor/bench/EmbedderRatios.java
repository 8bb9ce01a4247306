package dev.synque.monitor.bench;

import dev.synque.monitor.embed.DevicePreference;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Texts per second of several embedding models in one process and one run, as ratios against the
 * first: {@code bin/load embed-ratios [--models minilm,minilm-q] [--rounds 5] [--texts 1024]
 * [--batch 32] [--call BATCH] [--threads N] [--device cpu|gpu|auto]}: BATCH is the embedder's
 * micro-batch, CALL the texts per {@code embed} call (the monitor calls with up to its micro-batch,
 * 32 by default; {@code embed} and {@code evaluate} with 1,024, which the fp32 embedder sorts by
 * length before cutting micro-batches, so it pads less).
 *
 * <p>Every model is loaded first and warmed up on the whole corpus. Then each round embeds the same
 * TEXTS real headlines (the SynQuE benchmark's, {@code -Dsynque.bench.corpus=FILE} for others) with
 * every model in calls of CALL texts, the models' order reversed every other round, so that a
 * machine whose speed drifts (a shared one) slows both sides alike. The verdict is the median over
 * rounds of each round's ratio; each model's texts/s and texts/s per core (rate divided by the
 * processors the JVM sees) are printed beside it, with the load average before and after.
 */
public final class EmbedderRatios {

  private EmbedderRatios() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    List<String> models =
        Arrays.asList(options.getOrDefault("models", "minilm,minilm-q").split(","));
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "5"));
    int texts = Integer.parseInt(options.getOrDefault("texts", "1024"));
    int batch = Integer.parseInt(options.getOrDefault("batch", "32"));
    int call = Integer.parseInt(options.getOrDefault("call", String.valueOf(batch)));
    int cores = Runtime.getRuntime().availableProcessors();
    int threads = Integer.parseInt(options.getOrDefault("threads", String.valueOf(cores)));
    DevicePreference device = DevicePreference.parse(options.getOrDefault("device", "cpu"));
    List<String> corpus =
        EmbeddingBenchmark.readHeadlines(
            Path.of(System.getProperty("synque.bench.corpus", EmbeddingBenchmark.DEFAULT_CORPUS)));
    List<String> sample = new ArrayList<>(texts);
    for (int i = 0; i < texts; i++) {
      sample.add(corpus.get(i % corpus.size()));
    }
    System.out.printf(
        Locale.ROOT,
        "embed-ratios: models %s, %d rounds of %d texts in calls of %d, micro-batches of %d, %d"
            + " threads, device %s, %d processors, load average %s%n",
        models,
        rounds,
        texts,
        call,
        batch,
        threads,
        device,
        cores,
        loadAverage());
    List<DjlEmbedder> embedders = new ArrayList<>();
    try {
      for (String model : models) {
        DjlEmbedder embedder =
            DjlEmbedder.open(
                EmbedderSettings.defaults()
                    .withModel(model.strip())
                    .withThreads(threads)
                    .withBatchSize(batch)
                    .withDevice(device));
        embedders.add(embedder);
        System.out.printf("%s: %s on %s%n", model, embedder.model().id(), embedder.device());
        rate(embedder, sample, call); // warm-up
      }
      double[][] rates = new double[models.size()][rounds];
      for (int r = 0; r < rounds; r++) {
        StringBuilder line = new StringBuilder("round " + (r + 1) + ":");
        for (int k = 0; k < models.size(); k++) {
          int m = r % 2 == 0 ? k : models.size() - 1 - k;
          rates[m][r] = rate(embedders.get(m), sample, call);
        }
        for (int m = 0; m < models.size(); m++) {
          line.append(String.format(Locale.ROOT, " %s %.1f texts/s", models.get(m), rates[m][r]));
          if (m > 0) {
            line.append(String.format(Locale.ROOT, " (%.2fx)", rates[m][r] / rates[0][r]));
          }
          line.append(';');
        }
        System.out.println(line);
      }
      for (int m = 0; m < models.size(); m++) {
        double median = median(rates[m]);
        String ratio = "";
        if (m > 0) {
          double[] ratios = new double[rounds];
          for (int r = 0; r < rounds; r++) {
            ratios[r] = rates[m][r] / rates[0][r];
          }
          double[] sorted = ratios.clone();
          Arrays.sort(sorted);
          ratio =
              String.format(
                  Locale.ROOT,
                  "; median ratio to %s %.2fx (range %.2f-%.2f)",
                  models.get(0),
                  median(ratios),
                  sorted[0],
                  sorted[rounds - 1]);
        }
        System.out.printf(
            Locale.ROOT,
            "summary %s: median %.1f texts/s, %.1f texts/s per core%s%n",
            models.get(m),
            median,
            median / cores,
            ratio);
      }
      System.out.printf("load average after: %s%n", loadAverage());
    } finally {
      embedders.forEach(DjlEmbedder::close);
    }
    System.exit(0);
  }

  private static double rate(DjlEmbedder embedder, List<String> texts, int batch) {
    long started = System.nanoTime();
    for (int i = 0; i < texts.size(); i += batch) {
      embedder.embed(texts.subList(i, Math.min(texts.size(), i + batch)));
    }
    return texts.size() / ((System.nanoTime() - started) / 1e9);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String loadAverage() {
    try {
      String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return parts[0] + " " + parts[1] + " " + parts[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException(
            "usage: embed-ratios [--models a,b] [--rounds N] [--texts N] [--batch N] [--call N]"
                + " [--threads N] [--device cpu|gpu|auto]; got "
                + args[i]);
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
