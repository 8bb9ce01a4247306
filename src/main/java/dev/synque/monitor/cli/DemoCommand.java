package dev.synque.monitor.cli;

import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.demo.DemoSettings;
import dev.synque.monitor.demo.LiveDemo;
import dev.synque.monitor.demo.ReplayRun;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.Embedders;
import dev.synque.monitor.embed.RemoteEmbedderSettings;
import dev.synque.monitor.lens.LensWorker;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code synque demo}: everything on one machine, nothing to install or download: an in-process
 * Kafka broker and schema registry, the streaming monitor, procedural generators and a live page.
 * With {@code --replay} it replays a benchmark directory instead and writes the final ranking.
 */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the live demo on this machine: an in-process Kafka broker (KRaft) and schema registry,"
          + " the streaming monitor, five procedural generators (one drifts) and a web page with"
          + " the live leaderboard, score charts and drift alerts. Ctrl-C stops it.",
      "With --replay DIR --group G --seed S: replay a benchmark group through the same broker"
          + " and topology instead, and write the final ranking as JSON (--out).",
      "Exit codes: 0 stopped cleanly, 1 failed, 2 bad arguments."
    })
final class DemoCommand implements Callable<Integer> {

  /** A class of the demo broker's jars, absent from the production artifact (-Pproduction). */
  static final String BROKER_CLASS = "org.apache.kafka.common.test.KafkaClusterTestKit";

  static boolean brokerAvailable() {
    try {
      Class.forName(BROKER_CLASS, false, DemoCommand.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(
      names = "--port",
      defaultValue = "8080",
      description = "Port of the web page and its /api JSON (default: ${DEFAULT-VALUE}; 0: any).")
  int port;

  @Option(
      names = "--query-port",
      defaultValue = "8081",
      description =
          "Port of the monitor's interactive queries /ranking, /generators/{id}/... (default:"
              + " ${DEFAULT-VALUE}; 0: any).")
  int queryPort;

  @Option(
      names = "--metrics-port",
      defaultValue = "9404",
      description =
          "Port of the monitor's Prometheus /metrics and /health (default: ${DEFAULT-VALUE}; 0:"
              + " any; -1: off).")
  int metricsPort;

  @Option(
      names = "--rate",
      defaultValue = "10",
      description = "Samples per second per generator (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--window-ms",
      defaultValue = "6000",
      description =
          "Tumbling window length in ms of event time; drift is judged per window (default:"
              + " ${DEFAULT-VALUE}).")
  long windowMs;

  @Option(
      names = "--every-samples",
      defaultValue = "40",
      description =
          "Scores are recomputed after this many new samples (default: ${DEFAULT-VALUE}).")
  int everySamples;

  @Option(
      names = "--min-samples",
      defaultValue = "30",
      description = "Samples a generator needs to be ranked (default: ${DEFAULT-VALUE}).")
  int minSamples;

  @Option(
      names = "--proxies",
      defaultValue = "mmd2_poly,frechet",
      split = ",",
      description = "Proxies to compute (default: ${DEFAULT-VALUE}).")
  List<String> proxies;

  @Option(
      names = "--llm-base-url",
      description =
          "OpenAI-compatible endpoint for LENS (default: $SYNQUE_LLM_BASE_URL; unset: LENS off).")
  String llmBaseUrl;

  @Option(
      names = "--llm-model",
      description =
          "With an LLM endpoint: the model that writes rubrics and judges (default:"
              + " $SYNQUE_LLM_MODEL).")
  String llmModel;

  @Option(
      names = "--replay",
      description = "A benchmark directory to replay instead of the procedural generators.")
  Path replay;

  @Option(
      names = "--embeddings-url",
      description =
          "Base URL of an OpenAI-compatible embeddings API (for example http://localhost:8080/v1)"
              + " to embed with instead of the local MiniLM; needs --model.")
  String embeddingsUrl;

  @Option(
      names = "--model",
      description =
          "The embedding model: with --embeddings-url the server's model name, else minilm"
              + " (default), minilm-q or bge-small.")
  String model;

  @Option(names = "--group", description = "With --replay: the group to replay.")
  String group;

  @Option(names = "--seed", description = "With --replay: the real sample used as reference.")
  String seed;

  @Option(
      names = "--out",
      description = "With --replay: where the final ranking goes (default: replay-ranking.json).")
  Path out;

  @Option(
      names = "--exit-when-done",
      description =
          "With --replay: exit once the ranking is written (default: serve until Ctrl-C).")
  boolean exitWhenDone;

  @Option(
      names = "--timeout-s",
      defaultValue = "1800",
      description =
          "With --replay: longest wait for every sample to be scored (default: ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  /** Counted down once a replay has closed its broker (the Ctrl-C hook waits for it). */
  private final CountDownLatch replayClosed = new CountDownLatch(1);

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (!brokerAvailable()) {
      throw new IllegalArgumentException(
          "the demo's in-process broker is not in this build (the production artifact leaves it"
              + " out); run bin/synque demo from a source checkout, or docker compose up");
    }
    PrintWriter writer = spec.commandLine().getOut();
    PrintStream console =
        new PrintStream(
            new java.io.OutputStream() {
              @Override
              public void write(int b) {
                writer.write(b);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                writer.write(new String(b, off, len, StandardCharsets.UTF_8));
              }

              @Override
              public void flush() {
                writer.flush();
              }
            },
            true,
            StandardCharsets.UTF_8);
    if (replay != null) {
      return replay(console);
    }
    if (group != null || seed != null || this.out != null || exitWhenDone) {
      throw new IllegalArgumentException(
          "--group, --seed, --out and --exit-when-done need --replay");
    }
    String llm = llmBaseUrl != null ? llmBaseUrl : System.getenv("SYNQUE_LLM_BASE_URL");
    DemoSettings settings =
        new DemoSettings(
            port,
            queryPort,
            rate,
            Duration.ofMillis(windowMs),
            everySamples,
            minSamples,
            200,
            7,
            proxies,
            llm,
            metricsPort);
    CountDownLatch stopped = new CountDownLatch(1);
    LiveDemo demo =
        LiveDemo.start(
            settings,
            console,
            lensWorker(llm, llmModel != null ? llmModel : System.getenv("SYNQUE_LLM_MODEL")),
            embedders());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  console.println(
                      "stopping the demo (generators, page, monitor, registry, broker) ...");
                  try {
                    demo.close();
                    console.println("stopped cleanly");
                  } finally {
                    stopped.countDown();
                  }
                },
                "synque-demo-shutdown"));
    stopped.await();
    return 0;
  }

  private int replay(PrintStream console) throws IOException, InterruptedException {
    if (group == null || seed == null) {
      throw new IllegalArgumentException("--replay needs --group and --seed");
    }
    Path target = this.out == null ? Path.of("replay-ranking.json") : this.out;
    try {
      runReplay(console, target);
    } finally {
      replayClosed.countDown();
    }
    return 0;
  }

  private void runReplay(PrintStream console, Path target)
      throws IOException, InterruptedException {
    ReplayRun.run(
        replay,
        group,
        seed,
        proxies,
        embedders(),
        target,
        Duration.ofSeconds(timeoutSeconds),
        console,
        exitWhenDone ? null : queryPort -> serveUntilStopped(console, queryPort));
  }

  /** Opens the embedder the options name; every key is checked before the demo starts. */
  private Supplier<Embedder> embedders() {
    Map<String, Object> config = new HashMap<>();
    config.put(
        EmbedderSettings.MODEL,
        model != null || embeddingsUrl != null ? model : EmbedderSettings.DEFAULT_MODEL);
    if (embeddingsUrl != null) {
      config.put(RemoteEmbedderSettings.URL, embeddingsUrl);
    }
    if (RemoteEmbedderSettings.fromConfig(config).isEmpty()) {
      EmbedderSettings.fromConfig(config);
    }
    return () -> Embedders.open(config);
  }

  /**
   * Keeps the replay's monitor answering queries until Ctrl-C; the hook waits until the replay has
   * closed its broker, so its temporary directories go too.
   */
  private void serveUntilStopped(PrintStream console, int queryPort) {
    console.printf(
        "serving the monitor's queries on http://localhost:%d/ranking until Ctrl-C%n", queryPort);
    CountDownLatch stop = new CountDownLatch(1);
    Thread hook =
        new Thread(
            () -> {
              stop.countDown();
              try {
                replayClosed.await(60, java.util.concurrent.TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "synque-replay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      stop.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Returning lets ReplayRun close the stack; replay() then releases the hook.
  }

  /**
   * Starts {@code synque lens-worker}'s worker on the demo's stack, or null without an endpoint.
   *
   * @throws IllegalArgumentException when an endpoint is set but no model is named
   */
  static LiveDemo.LensWorkerStarter lensWorker(String baseUrl, String model) {
    if (baseUrl == null || baseUrl.isBlank()) {
      return null;
    }
    if (model == null || model.isBlank()) {
      throw new IllegalArgumentException(
          "an LLM endpoint is set ("
              + baseUrl
              + ") but no model: pass --llm-model or set SYNQUE_LLM_MODEL (e.g."
              + " qwen2.5:7b-instruct for Ollama)");
    }
    return (client, requests, results, deadLetters) -> {
      Map<String, Object> config = new HashMap<>(client);
      config.put(LensWorkerCommand.REQUESTS_TOPIC, requests);
      config.put(LensWorkerCommand.RESULTS_TOPIC, results);
      config.put(LensWorkerCommand.DEAD_LETTERS_TOPIC, deadLetters);
      config.put(ConsumerConfig.GROUP_ID_CONFIG, "synque-demo-lens-worker");
      config.put(LlmSettings.BASE_URL, baseUrl);
      config.put(LlmSettings.RUBRIC_MODEL, model);
      config.put(LlmSettings.JUDGE_MODEL, model);
      ExecutorService pool = LensWorkerCommand.pool(config);
      LensWorker worker = LensWorkerCommand.worker(config, pool, Clock.systemUTC());
      Thread thread = new Thread(worker, "synque-demo-lens-worker");
      thread.setDaemon(true);
      thread.start();
      return () -> {
        worker.close();
        thread.join(30_000);
        pool.shutdownNow();
      };
    };
  }
}
