package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistryException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running monitor: one Kafka Streams client with the monitor topology, and what keeps it
 * running through faults. {@code synque run} wraps it with the model, metrics and HTTP; tests run
 * it directly with a test embedder.
 *
 * <ul>
 *   <li>{@link #configure} validates everything (settings, Streams properties, registry settings)
 *       before anything slow happens; a bad value is a {@link ConfigException} naming the key.
 *   <li>{@link #start} logs the effective configuration with every secret hidden ({@link
 *       EffectiveConfig}), then registers the output schemas before the Streams client starts. A
 *       registry that does not answer is waited for, with a warning per attempt, so the monitor
 *       started before its registry (or during an outage) starts when the registry does; a registry
 *       that refuses (credentials, an incompatible schema) stops the start with its message.
 *   <li>A stream thread that fails because the schema registry became unreachable mid-run is
 *       replaced after {@code synque.stream.restart.backoff.ms}: under exactly-once its transaction
 *       is aborted and the records are read again from the last commit, so nothing is
 *       dead-lettered, lost or counted twice. Any other failure shuts the client down, exit code 1.
 * </ul>
 */
public final class MonitorApplication implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorApplication.class);

  private final Map<String, Object> config;
  private final MonitorSettings settings;
  private final Properties streamsProps;
  private final AvroSerdeFactory serdes;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final CountDownLatch closing = new CountDownLatch(1);
  private final AtomicInteger replacedThreads = new AtomicInteger();
  private volatile KafkaStreams streams;

  /** Runs the embedder off the stream threads (with {@code synque.embed.async}); closed last. */
  private volatile EmbeddingExecutor embeddingExecutor;

  private volatile int exitCode;

  private MonitorApplication(
      Map<String, Object> config,
      MonitorSettings settings,
      Properties streamsProps,
      AvroSerdeFactory serdes) {
    this.config = config;
    this.settings = settings;
    this.streamsProps = streamsProps;
    this.serdes = serdes;
  }

  /**
   * Validates a configuration ({@code synque.*} keys, registry keys, Kafka Streams keys).
   *
   * @throws ConfigException naming the key and the rule
   */
  public static MonitorApplication configure(Map<String, ?> config) {
    Map<String, Object> copy = new HashMap<>(config);
    MonitorSettings settings = MonitorSettings.fromConfig(copy);
    Properties streamsProps = MonitorStreamsConfig.from(copy);
    long maxPollInterval = maxPollIntervalMs(streamsProps);
    if (settings.recovery().registryWait().toMillis() >= maxPollInterval) {
      throw new ConfigException(
          MonitorSettings.REGISTRY_WAIT_MS,
          settings.recovery().registryWait().toMillis(),
          "must be below max.poll.interval.ms ("
              + maxPollInterval
              + "): a stream thread does not poll while it waits for the registry");
    }
    AvroSerdeFactory serdes = new AvroSerdeFactory(copy);
    return new MonitorApplication(copy, settings, streamsProps, serdes);
  }

  /** The main consumer's {@code max.poll.interval.ms}, with its Streams prefixes. */
  private static long maxPollIntervalMs(Properties streamsProps) {
    for (String key :
        new String[] {
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
          StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG),
          ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG
        }) {
      Object value = streamsProps.get(key);
      if (value != null) {
        return Long.parseLong(value.toString().trim());
      }
    }
    return 300_000L;
  }

  public MonitorSettings settings() {
    return settings;
  }

  /** The Kafka Streams properties, monitor defaults included. */
  public Properties streamsProperties() {
    return streamsProps;
  }

  public String applicationId() {
    return streamsProps.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
  }

  /**
   * Builds the Streams client (not started) with the exception handler and state listener.
   *
   * @param embedder shared by every stream thread; owned by the caller
   * @param metrics where the topology reports; {@link MonitorMetrics#NONE} for none
   */
  public KafkaStreams build(Embedder embedder, MonitorMetrics metrics) {
    if (streams != null) {
      throw new IllegalStateException("the monitor's Streams client is already built");
    }
    MonitorSerdes monitorSerdes = MonitorSerdes.from(serdes);
    EmbeddingExecutor executor = settings.embedding().async() ? new EmbeddingExecutor() : null;
    embeddingExecutor = executor;
    StreamsBuilder builder = new StreamsBuilder();
    MonitorTopology.build(builder, settings, () -> embedder, monitorSerdes, metrics, executor);
    Topology topology = builder.build();
    LOG.debug("Topology:\n{}", topology.describe());
    KafkaStreams built =
        new KafkaStreams(topology, withFailedRecordHandlers(monitorSerdes, metrics));
    built.setUncaughtExceptionHandler(this::onStreamThreadFailure);
    built.setStateListener(
        (now, before) -> {
          if (now == KafkaStreams.State.NOT_RUNNING || now == KafkaStreams.State.ERROR) {
            stopped.countDown();
          }
        });
    streams = built;
    return built;
  }

  /**
   * The Streams properties with the last-line exception handlers ({@link FailedRecords}) unless the
   * configuration names its own.
   */
  private Properties withFailedRecordHandlers(MonitorSerdes monitorSerdes, MonitorMetrics metrics) {
    Properties props = new Properties();
    props.putAll(streamsProps);
    props.putIfAbsent(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
        FailedRecords.DeadLetterProcessingHandler.class.getName());
    props.putIfAbsent(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG,
        FailedRecords.DeadLetterProductionHandler.class.getName());
    props.put(
        FailedRecords.CONFIG_KEY,
        new FailedRecords(
            settings.topics().deadLetters(),
            monitorSerdes.deadLetters().serializer(),
            applicationId(),
            settings.recovery().deadLetterMaxValueBytes(),
            metrics));
    return props;
  }

  /**
   * Logs the effective configuration, waits until the schema registry takes the output schemas, and
   * starts the Streams client.
   *
   * @return false when {@link #close} was called while waiting (nothing was started)
   * @throws ConfigException when the registry refuses a schema or the credentials
   */
  public boolean start() {
    if (streams == null) {
      throw new IllegalStateException("build() the Streams client first");
    }
    Map<String, Object> effective = new HashMap<>(config);
    effective.putAll(MonitorSettings.CONFIG.parse(monitorKeys()));
    streamsProps.forEach((k, v) -> effective.put(k.toString(), v));
    LOG.info("Effective configuration (secrets hidden):\n{}", EffectiveConfig.describe(effective));
    if (!awaitRegistry()) {
      return false;
    }
    streams.start();
    LOG.info(
        "Monitor {} started: {} -> {}, {}, {}",
        applicationId(),
        settings.topics().synthetic(),
        settings.topics().scores(),
        settings.topics().rankings(),
        settings.topics().alerts());
    return true;
  }

  /** Blocks until the client stops; 0 after a clean stop, 1 after a failure. */
  public int awaitTermination() throws InterruptedException {
    stopped.await();
    return exitCode;
  }

  /** The Streams client; null before {@link #build}. */
  public KafkaStreams streams() {
    return streams;
  }

  /** Stream threads replaced so far after a transient failure (the registry unreachable). */
  public int replacedThreads() {
    return replacedThreads.get();
  }

  /** The exit code so far: 1 once the client failed. */
  public int exitCode() {
    return exitCode;
  }

  /**
   * Stops waiting for the registry, then closes the Streams client (committing) and the embedding
   * thread. Idempotent.
   */
  @Override
  public void close() {
    closing.countDown();
    KafkaStreams s = streams;
    if (s != null) {
      s.close(Duration.ofSeconds(60));
    }
    EmbeddingExecutor executor = embeddingExecutor;
    if (executor != null) {
      executor.close();
    }
    stopped.countDown();
  }

  private Map<String, Object> monitorKeys() {
    Map<String, Object> keys = new HashMap<>();
    MonitorSettings.CONFIG.names().stream()
        .filter(config::containsKey)
        .forEach(k -> keys.put(k, config.get(k)));
    return keys;
  }

  /** Registers the output schemas, retrying while the registry does not answer. */
  private boolean awaitRegistry() {
    Duration pause = registryPause();
    for (int attempt = 1; ; attempt++) {
      try {
        serdes.prepareValueSchema(settings.topics().scores(), QualityScores.class);
        serdes.prepareValueSchema(settings.topics().rankings(), RankingUpdate.class);
        serdes.prepareValueSchema(settings.topics().alerts(), DriftAlert.class);
        serdes.prepareValueSchema(settings.topics().deadLetters(), DeadLetter.class);
        if (attempt > 1) {
          LOG.info("The schema registry answers again after {} attempts; starting", attempt);
        }
        return true;
      } catch (SchemaRegistryException e) {
        if (!e.isTransient()) {
          throw new ConfigException(
              "The schema registry refused the monitor's output schemas: " + e.getMessage());
        }
        LOG.warn(
            "Waiting for the schema registry before starting (attempt {}, next in {} ms): {}",
            attempt,
            pause.toMillis(),
            e.getMessage());
      }
      try {
        if (closing.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
          return false;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
  }

  private Duration registryPause() {
    Duration backoff = settings.recovery().restartBackoff();
    return backoff.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : backoff;
  }

  private StreamThreadExceptionResponse onStreamThreadFailure(Throwable error) {
    Optional<SchemaRegistryException> registry = SchemaRegistryException.transientCause(error);
    if (registry.isPresent() && closing.getCount() > 0) {
      LOG.error(
          "A stream thread stopped because the schema registry is unavailable ({}). It is"
              + " replaced in {} ms and reads again from its last commit; nothing is dead-lettered,"
              + " lost or counted twice.",
          registry.get().getMessage(),
          settings.recovery().restartBackoff().toMillis());
      try {
        closing.await(settings.recovery().restartBackoff().toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      replacedThreads.incrementAndGet();
      return StreamThreadExceptionResponse.REPLACE_THREAD;
    }
    LOG.error("The monitor failed; shutting the client down", error);
    exitCode = 1;
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }
}
