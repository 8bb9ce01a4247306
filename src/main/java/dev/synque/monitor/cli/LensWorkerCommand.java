package dev.synque.monitor.cli;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.lens.LensBudget;
import dev.synque.monitor.lens.LensJudge;
import dev.synque.monitor.lens.LensRequestHandler;
import dev.synque.monitor.lens.LensScorer;
import dev.synque.monitor.lens.LensWorker;
import dev.synque.monitor.lens.LensWorkerMetrics;
import dev.synque.monitor.lens.ReportingChatModel;
import dev.synque.monitor.lens.RubricCompiler;
import dev.synque.monitor.metrics.LensMetrics;
import dev.synque.monitor.metrics.MetricsServer;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.stream.LifecycleSettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code synque lens-worker}: the LENS worker, until interrupted, with Prometheus metrics ({@link
 * LensMetrics} and the JVM's) and a health probe on {@code synque.lens.metrics.port} (default 9405,
 * -1 turns them off; {@link MetricsSettings#forLensWorker}).
 */
@Command(
    name = "lens-worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run the LENS worker: consume LensRequests from synque-lens-requests-v1, judge them with an"
          + " OpenAI-compatible LLM within the configured budget, and produce LensResults to"
          + " synque-lens-results-v1. Stops on Ctrl-C.",
      "The config file holds Kafka client keys (bootstrap.servers, ...), schema.registry.url and"
          + " the synque.lens.* keys.",
      "Serves Prometheus metrics on http://0.0.0.0:9405/metrics and a probe on /health"
          + " (synque.lens.metrics.port; -1 turns them off)."
    })
final class LensWorkerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(LensWorkerCommand.class);

  /** Topic the worker reads; default {@code synque-lens-requests-v1}. */
  static final String REQUESTS_TOPIC = "synque.lens.requests.topic";

  /** Topic the worker writes; default {@code synque-lens-results-v1}. */
  static final String RESULTS_TOPIC = "synque.lens.results.topic";

  /** Topic for requests that cannot be read; default {@code synque-dead-letters-v1}. */
  static final String DEAD_LETTERS_TOPIC = "synque.lens.dead.letters.topic";

  /** Default consumer group id. */
  static final String DEFAULT_GROUP_ID = "synque-lens-worker";

  /**
   * The worker's own keys with their defaults, for the configuration reference; the LLM keys are
   * {@link LlmSettings#CONFIG}, the metrics port {@code MetricsSettings.CONFIG}.
   */
  static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              REQUESTS_TOPIC,
              Type.STRING,
              Contracts.LENS_REQUESTS.topic(),
              Importance.MEDIUM,
              "Topic the worker reads LensRequests from.")
          .define(
              RESULTS_TOPIC,
              Type.STRING,
              Contracts.LENS_RESULTS.topic(),
              Importance.MEDIUM,
              "Topic the worker writes LensResults to.")
          .define(
              DEAD_LETTERS_TOPIC,
              Type.STRING,
              Contracts.DEAD_LETTERS.topic(),
              Importance.MEDIUM,
              "Topic for requests that cannot be read.")
          .define(
              ConsumerConfig.GROUP_ID_CONFIG,
              Type.STRING,
              DEFAULT_GROUP_ID,
              Importance.MEDIUM,
              "Consumer group of the workers; also names the worker in metrics and dead letters.")
          .define(
              LifecycleSettings.RETIRE_MS,
              Type.LONG,
              LifecycleSettings.DEFAULTS.retire().toMillis(),
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "A generator without a LENS result for this long (the worker's wall clock) loses its"
                  + " metric series and frees its generator tag value; set it as the monitor's.");

  /**
   * How long a generator's metric series stay without a result ({@link
   * LifecycleSettings#RETIRE_MS}).
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the key and the rule
   */
  static Duration forgetAfter(Map<String, Object> config) {
    Map<String, Object> own = new java.util.HashMap<>();
    Object value = config.get(LifecycleSettings.RETIRE_MS);
    if (value != null) {
      own.put(LifecycleSettings.RETIRE_MS, value);
    }
    return Duration.ofMillis((Long) CONFIG.parse(own).get(LifecycleSettings.RETIRE_MS));
  }

  @Option(names = "--config", required = true, description = "Properties file.")
  Path config;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> map = LensCommand.readConfig(config);
    MetricsSettings metricsSettings = MetricsSettings.forLensWorker(map);
    ExecutorService pool = pool(map);
    PrometheusMetrics metrics = new PrometheusMetrics(groupId(map));
    LensWorker worker;
    MetricsServer server;
    try {
      worker =
          worker(
              map,
              pool,
              Clock.systemUTC(),
              metrics.bind(
                  new LensMetrics(
                      metricsSettings.maxGenerators(),
                      System::currentTimeMillis,
                      forgetAfter(map))));
    } catch (RuntimeException e) {
      pool.shutdownNow();
      metrics.close();
      throw e;
    }
    try {
      server = metricsServer(metricsSettings, metrics, worker);
    } catch (IOException e) {
      worker.close();
      pool.shutdownNow();
      metrics.close();
      throw e;
    }
    if (server != null) {
      LOG.info(
          "LENS worker metrics on http://0.0.0.0:{}/metrics, health on /health", server.port());
    }
    Thread main = Thread.currentThread();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  worker.close();
                  pool.shutdownNow();
                  if (server != null) {
                    server.close();
                  }
                  metrics.close();
                },
                "synque-lens-worker-shutdown"));
    worker.run();
    return main.isInterrupted() ? 1 : 0;
  }

  /** The worker's {@code /metrics} and {@code /health}, or null when turned off. */
  private static MetricsServer metricsServer(
      MetricsSettings settings, PrometheusMetrics metrics, LensWorker worker) throws IOException {
    if (!settings.enabled()) {
      return null;
    }
    try {
      return new MetricsServer(settings.port(), metrics::scrape, worker::isRunning);
    } catch (IOException e) {
      throw new IOException(
          MetricsSettings.LENS_PORT + "=" + settings.port() + ": " + e.getMessage(), e);
    }
  }

  /** The pool the judge runs its questions on, one thread per allowed in-flight request. */
  static ExecutorService pool(Map<String, Object> config) {
    return Executors.newFixedThreadPool(
        LlmSettings.fromConfig(config).maxConcurrency(), LensCommand.daemon());
  }

  /** The consumer group id, which also names the worker in metrics and dead letters. */
  static String groupId(Map<String, Object> config) {
    Object id = config.get(ConsumerConfig.GROUP_ID_CONFIG);
    return id == null || id.toString().isBlank() ? DEFAULT_GROUP_ID : id.toString().strip();
  }

  /** A worker wired from configuration (not started) that reports no metrics. */
  static LensWorker worker(Map<String, Object> config, ExecutorService pool, Clock clock) {
    return worker(config, pool, clock, System::getenv, LensWorkerMetrics.NONE);
  }

  /** A worker reading the API key's variable from {@code environment}, reporting nothing. */
  static LensWorker worker(
      Map<String, Object> config,
      ExecutorService pool,
      Clock clock,
      java.util.function.Function<String, String> environment) {
    return worker(config, pool, clock, environment, LensWorkerMetrics.NONE);
  }

  /** A worker reporting to {@code metrics}. */
  static LensWorker worker(
      Map<String, Object> config, ExecutorService pool, Clock clock, LensWorkerMetrics metrics) {
    return worker(config, pool, clock, System::getenv, metrics);
  }

  /**
   * A worker wired from configuration (not started).
   *
   * @param config Kafka client keys, {@code schema.registry.url} and {@code synque.lens.*} keys
   * @param pool runs the judge's questions; owned by the caller
   * @param clock stamps results and drives the budget window
   * @param environment reads the API key's environment variable
   * @param metrics where every LLM call, the budget and every result are reported
   * @throws ConfigException naming the key and rule for a bad value
   */
  static LensWorker worker(
      Map<String, Object> config,
      ExecutorService pool,
      Clock clock,
      java.util.function.Function<String, String> environment,
      LensWorkerMetrics metrics) {
    LlmSettings settings = LlmSettings.fromConfig(config, environment);
    if (config.get(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG) == null) {
      throw new ConfigException(
          ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
          null,
          "the Kafka bootstrap servers are required");
    }
    String requests = string(config, REQUESTS_TOPIC, Contracts.LENS_REQUESTS.topic());
    String results = string(config, RESULTS_TOPIC, Contracts.LENS_RESULTS.topic());
    String deadLetters = string(config, DEAD_LETTERS_TOPIC, Contracts.DEAD_LETTERS.topic());
    Map<String, Object> kafka = new HashMap<>();
    config.forEach(
        (k, v) -> {
          if (!k.startsWith("synque.lens.")) {
            kafka.put(k, v);
          }
        });
    AvroSerdeFactory serdes = new AvroSerdeFactory(kafka);
    Map<String, Object> consumerConfig = new HashMap<>(kafka);
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, groupId(config));
    consumerConfig.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.putIfAbsent(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10");
    // Offsets are committed once a request's result is acknowledged.
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    Map<String, Object> producerConfig = new HashMap<>(kafka);
    producerConfig.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerConfig, new ByteArraySerializer(), new ByteArraySerializer());
    LensScorer scorer =
        new LensScorer(
            new ReportingChatModel(new OpenAiChatModel(settings), metrics),
            settings,
            new RubricCompiler(settings),
            new LensJudge(settings, pool));
    LensBudget budget = LensBudget.of(settings, clock);
    metrics.watchBudget(budget);
    LensRequestHandler handler = new LensRequestHandler(scorer, budget, clock);
    return new LensWorker(
        consumer,
        producer,
        serdes.valueSerde(LensRequest.class).deserializer(),
        serdes.valueSerde(LensResult.class).serializer(),
        serdes.valueSerde(DeadLetter.class).serializer(),
        handler,
        metrics,
        new LensWorker.Topics(requests, results, deadLetters),
        consumerConfig.get(ConsumerConfig.GROUP_ID_CONFIG).toString(),
        clock);
  }

  private static String string(Map<String, Object> config, String key, String fallback) {
    Object v = config.get(key);
    return v == null || v.toString().isBlank() ? fallback : v.toString().strip();
  }
}
