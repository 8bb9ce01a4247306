package dev.synque.monitor.cli;

import dev.synque.monitor.evaluate.Benchmark;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.generate.SamplePublisher;
import dev.synque.monitor.generate.TextFile;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code synque generate}: publish synthetic samples and reference sets to Kafka. */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = "Publish synthetic samples (and reference sets) to Kafka as Avro.",
    subcommands = {
      GenerateCommand.Demo.class,
      GenerateCommand.File.class,
      GenerateCommand.Reference.class,
      GenerateCommand.Replay.class,
      GenerateCommand.Llm.class
    })
final class GenerateCommand implements Runnable {

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** One generator's texts, published round-robin with the others at a fixed rate. */
  record Stream(String generatorId, List<String> texts) {}

  /**
   * Publishes the streams interleaved at {@code rate} samples per second per generator (0: as fast
   * as possible), event time = wall-clock time of sending. Sample ids are {@code <generator>-<i>}.
   */
  static long publish(
      SamplePublisher publisher, List<Stream> streams, double rate, PrintWriter out) {
    long sent = 0;
    int longest = streams.stream().mapToInt(s -> s.texts().size()).max().orElse(0);
    long start = System.nanoTime();
    for (int i = 0; i < longest; i++) {
      if (rate > 0) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      for (Stream s : streams) {
        if (i < s.texts().size()) {
          publisher.sample(
              s.generatorId(), s.generatorId() + "-" + i, s.texts().get(i), Instant.now());
          sent++;
        }
      }
      if ((i + 1) % 500 == 0) {
        out.printf("sent %d samples%n", sent);
        out.flush();
      }
    }
    publisher.flush();
    return sent;
  }

  static void publishReference(
      SamplePublisher publisher, String setId, String version, List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      publisher.referenceSample(setId, version, setId + "-" + i, texts.get(i), Instant.now());
    }
    publisher.flush();
  }

  @Command(
      name = "demo",
      mixinStandardHelpOptions = true,
      description =
          "The demo's procedural generators (no model, no download) and their reference set:"
              + " faithful, templated, collapsed, off-topic, drifting.")
  static final class Demo implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Option(names = "--count", defaultValue = "2000", description = "Samples per generator.")
    int count;

    @Option(
        names = "--rate",
        defaultValue = "20",
        description = "Samples/s per generator; 0 = max.")
    double rate;

    @Option(names = "--seed", defaultValue = "7", description = "Seed of the texts.")
    long seed;

    @Option(names = "--reference-size", defaultValue = "200", description = "Reference samples.")
    int referenceSize;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      try (SamplePublisher publisher = cluster.publisher()) {
        publishReference(publisher, "demo", "v1", DemoGenerator.reference(referenceSize, 1));
        out.printf("published reference set demo v1 (%d headlines)%n", referenceSize);
        List<Stream> streams = new ArrayList<>();
        for (DemoGenerator g : DemoGenerator.all()) {
          List<String> texts = new ArrayList<>(count);
          for (int i = 0; i < count; i++) {
            texts.add(g.text(i, seed));
          }
          streams.add(new Stream(g.id(), texts));
          out.printf("  %-10s %s%n", g.id(), g.description());
        }
        long sent = publish(publisher, streams, rate, out);
        out.printf("done: %d samples%n", sent);
      }
      return 0;
    }
  }

  @Command(
      name = "file",
      mixinStandardHelpOptions = true,
      description = "Publish the texts of a JSON Lines or CSV file as one generator.")
  static final class File implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Mixin InputOptions file;

    @Option(names = "--generator-id", required = true, description = "The generator's id.")
    String generatorId;

    @Option(
        names = "--rate",
        defaultValue = "0",
        description = "Samples/s; 0 = as fast as possible.")
    double rate;

    @Override
    public Integer call() {
      TextFile texts = file.read(spec);
      try (SamplePublisher publisher = cluster.publisher()) {
        long sent =
            publish(
                publisher,
                List.of(new Stream(generatorId, file.texts(texts))),
                rate,
                spec.commandLine().getOut());
        spec.commandLine().getOut().printf("published %d samples%n", sent);
      }
      return file.exitCode(spec, texts);
    }
  }

  @Command(
      name = "reference",
      mixinStandardHelpOptions = true,
      description =
          "Publish the texts of a JSON Lines or CSV file as a reference-set version (replacing"
              + " the previous version of that set).")
  static final class Reference implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Mixin InputOptions file;

    @Option(names = "--reference-set", required = true, description = "The reference set's id.")
    String setId;

    @Option(names = "--version", required = true, description = "The version being published.")
    String version;

    @Override
    public Integer call() {
      TextFile texts = file.read(spec);
      try (SamplePublisher publisher = cluster.publisher()) {
        publishReference(publisher, setId, version, file.texts(texts));
        spec.commandLine()
            .getOut()
            .printf(
                "published reference set %s version %s: %d samples%n",
                setId, version, texts.texts().size());
      }
      return file.exitCode(spec, texts);
    }
  }

  /** The input file of {@code file} and {@code reference}. */
  static final class InputOptions {
    @Option(names = "--input", required = true, description = "A .jsonl or .csv file, UTF-8.")
    Path input;

    @Option(names = "--field", defaultValue = "text", description = "JSON field or CSV column.")
    String field;

    /** Reads the file, reporting each skipped line on stderr. */
    TextFile read(picocli.CommandLine.Model.CommandSpec spec) {
      TextFile file = TextFile.read(input, field);
      file.problems().forEach(p -> spec.commandLine().getErr().println("synque: skipped " + p));
      if (file.texts().isEmpty()) {
        throw new IllegalArgumentException(input + ": no usable text (see the skipped lines)");
      }
      return file;
    }

    List<String> texts(TextFile file) {
      return file.texts().stream().map(TextFile.Line::text).toList();
    }

    /** 0 when every line was published, 1 when some were skipped. */
    int exitCode(picocli.CommandLine.Model.CommandSpec spec, TextFile file) {
      spec.commandLine().getOut().printf("%d lines skipped%n", file.problems().size());
      return file.problems().isEmpty() ? 0 : 1;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description =
          "Replay a benchmark directory: each synthetic dataset of the group as one generator,"
              + " the seed's real sample as reference set <group> version <seed>.")
  static final class Replay implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Option(names = "--benchmark", required = true, description = "The benchmark directory.")
    Path benchmarkDir;

    @Option(names = "--group", required = true, description = "The group to replay.")
    String group;

    @Option(names = "--seed", required = true, description = "The real sample to use as reference.")
    String seed;

    @Option(names = "--rate", defaultValue = "0", description = "Samples/s per generator; 0 = max.")
    double rate;

    @Override
    public Integer call() {
      Benchmark benchmark = Benchmark.open(benchmarkDir);
      Benchmark.Group g = benchmark.groupWithSeed(group, seed);
      Path real = g.realSamples().get(seed);
      PrintWriter out = spec.commandLine().getOut();
      try (SamplePublisher publisher = cluster.publisher()) {
        publishReference(publisher, group, seed, Benchmark.texts(real));
        List<Stream> streams = new ArrayList<>();
        g.datasets().forEach((name, file) -> streams.add(new Stream(name, Benchmark.texts(file))));
        long sent = publish(publisher, streams, rate, out);
        out.printf(
            "replayed %d datasets (%d samples) against reference %s/%s%n",
            streams.size(), sent, group, seed);
      }
      return 0;
    }
  }

  @Command(
      name = "llm",
      mixinStandardHelpOptions = true,
      description =
          "An LLM-backed generator: asks an OpenAI-compatible endpoint for texts from your prompt"
              + " (a JSON array per call) and publishes them as one generator. Timeouts,"
              + " retries, rate limits and the API key work as for LENS (synque.lens.llm.*).")
  static final class Llm implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;
    @Mixin ClusterOptions cluster;

    @Option(
        names = "--llm-base-url",
        required = true,
        description = "e.g. http://localhost:8000/v1")
    String baseUrl;

    @Option(names = "--model", required = true, description = "The model that writes the samples.")
    String model;

    @Option(names = "--prompt", required = true, description = "What to generate (task, style).")
    String prompt;

    @Option(names = "--generator-id", required = true, description = "The generator's id.")
    String generatorId;

    @Option(names = "--count", defaultValue = "100", description = "Samples to publish.")
    int count;

    @Option(names = "--per-call", defaultValue = "10", description = "Samples asked per call.")
    int perCall;

    @Option(
        names = "--llm-config",
        description = "Properties file with synque.lens.llm.* settings (timeouts, rate limit).")
    Path llmConfig;

    @Override
    public Integer call() throws java.io.IOException {
      java.util.Map<String, Object> config = new java.util.HashMap<>();
      if (llmConfig != null) {
        java.util.Properties p = new java.util.Properties();
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(llmConfig)) {
          p.load(in);
        }
        p.forEach((k, v) -> config.put(k.toString(), v));
      }
      config.put(dev.synque.monitor.chat.LlmSettings.BASE_URL, baseUrl);
      config.putIfAbsent(dev.synque.monitor.chat.LlmSettings.RUBRIC_MODEL, model);
      config.putIfAbsent(dev.synque.monitor.chat.LlmSettings.JUDGE_MODEL, model);
      dev.synque.monitor.chat.LlmSettings settings =
          dev.synque.monitor.chat.LlmSettings.fromConfig(config);
      PrintWriter out = spec.commandLine().getOut();
      dev.synque.monitor.generate.LlmGenerator generator =
          new dev.synque.monitor.generate.LlmGenerator(
              new dev.synque.monitor.chat.OpenAiChatModel(settings), model, prompt, perCall);
      int sent = 0;
      try (SamplePublisher publisher = cluster.publisher()) {
        while (sent < count) {
          List<String> texts;
          try {
            texts = generator.next();
          } catch (dev.synque.monitor.chat.LlmException e) {
            spec.commandLine()
                .getErr()
                .printf("synque: the LLM endpoint failed after retries: %s%n", e.getMessage());
            publisher.flush();
            out.printf("published %d samples before the failure%n", sent);
            return 1;
          }
          for (String text : texts) {
            if (sent < count) {
              publisher.sample(generatorId, generatorId + "-" + sent, text, Instant.now());
              sent++;
            }
          }
        }
        publisher.flush();
      }
      out.printf(
          "published %d samples in %d calls (%d malformed answers skipped)%n",
          sent, generator.calls(), generator.malformedAnswers());
      return 0;
    }
  }
}
