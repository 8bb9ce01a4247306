package dev.synque.monitor.testkit;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.embed.Embedder;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorMetrics;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.stream.MonitorTopology;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.awaitility.Awaitility;

/**
 * One monitor deployment for an integration test: its own topics (random suffix) on a given broker,
 * a registry, the monitor's configuration, instances started in-process ({@link MonitorApplication}
 * with a test embedder) or handed to a child process ({@link #monitorConfig}), producers for
 * samples, reference sets and raw bytes, and {@link TopicReader}s of its outputs. Shared by the
 * fault tests so that none of them copies this set-up.
 *
 * <p>Defaults: three generators ({@link #GENERATORS}, where {@code gen-a} writes like the
 * reference, {@code gen-b} half like it and {@code gen-c} unlike it), the all-time view only,
 * scores every 10 samples, ranking from 10 samples, embedding batches of 8, exactly once with a
 * commit every 100 ms.
 */
public final class MonitorScenario implements AutoCloseable {

  public static final List<String> GENERATORS = List.of("gen-a", "gen-b", "gen-c");

  private final EmbeddedKafkaCluster kafka;
  private final Map<String, Object> clientConfig;
  private final Map<String, Object> config = new LinkedHashMap<>();
  private final AvroSerdeFactory serdes;
  private final Path stateRoot;
  private final List<MonitorApplication> apps = new ArrayList<>();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> referenceKeys = new java.util.concurrent.CopyOnWriteArrayList<>();
  private KafkaProducer<byte[], byte[]> producer;
  private TopicReader<RankingUpdate> rankings;
  private TopicReader<QualityScores> scores;
  private TopicReader<DeadLetter> deadLetters;

  private MonitorScenario(
      EmbeddedKafkaCluster kafka, String registryUrl, Map<String, Object> clientConfig) {
    this.kafka = kafka;
    this.clientConfig = new HashMap<>(clientConfig);
    this.serdes = new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registryUrl));
    try {
      this.stateRoot = Files.createTempDirectory("monitor-scenario-" + suffix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    config.put(MonitorSettings.SYNTHETIC_TOPIC, "samples-" + suffix);
    config.put(MonitorSettings.REFERENCE_TOPIC, "reference-" + suffix);
    config.put(MonitorSettings.SCORES_TOPIC, "scores-" + suffix);
    config.put(MonitorSettings.RANKINGS_TOPIC, "rankings-" + suffix);
    config.put(MonitorSettings.ALERTS_TOPIC, "alerts-" + suffix);
    config.put(MonitorSettings.DEAD_LETTER_TOPIC, "dead-letters-" + suffix);
    config.put(MonitorSettings.WINDOW_KIND, "NONE");
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 1);
    config.put(MonitorSettings.SCORES_EVERY_MS, 0);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 10);
    config.put(MonitorSettings.EMBED_BATCH_SIZE, 8);
    config.put(MonitorSettings.EMBED_MAX_WAIT_MS, 50);
    config.put(MonitorSettings.RESTART_BACKOFF_MS, 500);
    config.put(SchemaRegistrySettings.URL, registryUrl);
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-faults-" + suffix);
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    config.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    config.putAll(clientConfig);
  }

  /** A scenario on {@code kafka}'s plain listener and the registry at {@code registryUrl}. */
  public static MonitorScenario on(EmbeddedKafkaCluster kafka, String registryUrl) {
    return new MonitorScenario(kafka, registryUrl, kafka.clientProperties());
  }

  /**
   * A scenario whose clients (the monitor's and the test's own) use {@code clientConfig}: bootstrap
   * servers and security settings; topics are still created through {@code kafka}'s plain listener.
   */
  public static MonitorScenario on(
      EmbeddedKafkaCluster kafka, String registryUrl, Map<String, Object> clientConfig) {
    return new MonitorScenario(kafka, registryUrl, clientConfig);
  }

  /** Sets a monitor (or Kafka Streams) key for every instance started afterwards. */
  public MonitorScenario with(String key, Object value) {
    config.put(key, value);
    return this;
  }

  /**
   * Creates the topics (the synthetic one with {@code partitions} partitions and {@code
   * syntheticTopicConfig}) and the output readers.
   */
  public MonitorScenario createTopics(int partitions, Map<String, String> syntheticTopicConfig) {
    kafka.createTopic(topic(MonitorSettings.SYNTHETIC_TOPIC), partitions, syntheticTopicConfig);
    kafka.createTopic(
        topic(MonitorSettings.REFERENCE_TOPIC), 1, Map.of("cleanup.policy", "compact"));
    for (String key :
        List.of(
            MonitorSettings.SCORES_TOPIC,
            MonitorSettings.RANKINGS_TOPIC,
            MonitorSettings.ALERTS_TOPIC,
            MonitorSettings.DEAD_LETTER_TOPIC)) {
      kafka.createTopic(topic(key), 1);
    }
    rankings = reader(MonitorSettings.RANKINGS_TOPIC, RankingUpdate.class);
    scores = reader(MonitorSettings.SCORES_TOPIC, QualityScores.class);
    deadLetters = reader(MonitorSettings.DEAD_LETTER_TOPIC, DeadLetter.class);
    return this;
  }

  /** {@link #createTopics(int, Map)} with 4 partitions and default topic settings. */
  public MonitorScenario createTopics() {
    return createTopics(4, Map.of());
  }

  /** The topic configured under a {@code synque.topic.*} key. */
  public String topic(String key) {
    return config.get(key).toString();
  }

  public String applicationId() {
    return config.get(StreamsConfig.APPLICATION_ID_CONFIG).toString();
  }

  public AvroSerdeFactory serdes() {
    return serdes;
  }

  /** Bootstrap servers and security settings of the test's clients. */
  public Map<String, Object> clientConfig() {
    return new HashMap<>(clientConfig);
  }

  /**
   * The full configuration of one instance, as a {@code synque run} properties file would hold it:
   * the scenario's keys plus a state directory of its own under the scenario's temporary directory
   * (the same instance name gets the same directory, as a restarted pod keeps its volume).
   */
  public Map<String, Object> monitorConfig(String instance) {
    Map<String, Object> all = new LinkedHashMap<>(config);
    try {
      all.put(
          StreamsConfig.STATE_DIR_CONFIG,
          Files.createDirectories(stateRoot.resolve(instance)).toString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return all;
  }

  /** Writes {@link #monitorConfig} as a properties file for {@code synque run --config}. */
  public Path writeConfigFile(String instance) {
    StringBuilder text = new StringBuilder();
    monitorConfig(instance).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
    Path file = stateRoot.resolve(instance + ".properties");
    try {
      Files.writeString(file, text.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  /** An instance configured and built, not started (its registry wait blocks in {@code start}). */
  public MonitorApplication buildMonitor(String instance, Embedder embedder) {
    MonitorApplication app = MonitorApplication.configure(monitorConfig(instance));
    app.build(embedder, MonitorMetrics.NONE);
    apps.add(app);
    return app;
  }

  /**
   * An instance started in-process, once it is RUNNING and its global store holds every reference
   * sample published so far (so that no sample is scored before the reference is there).
   */
  public MonitorApplication startMonitor(String instance, Embedder embedder) {
    MonitorApplication app = buildMonitor(instance, embedder);
    app.start();
    awaitRunning(app);
    awaitReferenceStored(app);
    return app;
  }

  /** Waits until the instance's global reference store holds every reference key published. */
  public void awaitReferenceStored(MonitorApplication app) {
    List<String> keys = List.copyOf(referenceKeys);
    Awaitility.await("the published reference samples in the global store")
        .dontCatchUncaughtExceptions()
        .atMost(TopicReader.PATIENCE)
        .ignoreExceptions()
        .until(
            () -> {
              ReadOnlyKeyValueStore<String, byte[]> store =
                  app.streams()
                      .store(
                          StoreQueryParameters.fromNameAndType(
                              MonitorTopology.REFERENCE_STORE,
                              QueryableStoreTypes.<String, byte[]>keyValueStore()));
              return keys.stream().allMatch(k -> store.get(k) != null);
            });
  }

  /** Waits until the instance's Streams client is RUNNING. */
  public static void awaitRunning(MonitorApplication app) {
    Awaitility.await("the monitor to be RUNNING")
        .dontCatchUncaughtExceptions()
        .atMost(TopicReader.PATIENCE)
        .until(() -> app.streams().state() == KafkaStreams.State.RUNNING);
  }

  /** The standard text of sample {@code i} of a generator (see the class comment). */
  public static String text(String generator, int i) {
    return switch (generator) {
      case "gen-a" -> "a real headline number " + (i % 20);
      case "gen-b" -> i % 2 == 0 ? "a real headline number " + (i % 20) : generator + " " + i;
      default -> generator + " sample " + i;
    };
  }

  /** Sample {@code i} of a generator, with the standard text. */
  public static SyntheticSample sample(String generator, int i) {
    return sample(generator, i, text(generator, i));
  }

  /** Sample {@code i} of a generator with the given text; event time 10 s + i ms. */
  public static SyntheticSample sample(String generator, int i, String text) {
    return SyntheticSample.newBuilder()
        .setGeneratorId(generator)
        .setSampleId(generator + "-" + i)
        .setText(text)
        .setEventTime(Instant.ofEpochMilli(10_000 + i))
        .build();
  }

  /** Publishes a reference version: {@code count} samples with texts {@code text(i)}. */
  public void publishReference(
      String version, long eventTime, int count, IntFunction<String> text) {
    Serializer<ReferenceSample> values = serdes.valueSerde(ReferenceSample.class).serializer();
    String topic = topic(MonitorSettings.REFERENCE_TOPIC);
    for (int i = 0; i < count; i++) {
      ReferenceSample sample =
          ReferenceSample.newBuilder()
              .setReferenceSetId("set")
              .setReferenceVersion(version)
              .setSampleId(String.format("%s-r%02d", version, i))
              .setText(text.apply(i))
              .setEventTime(Instant.ofEpochMilli(eventTime))
              .build();
      send(topic, "set/" + sample.getSampleId(), values.serialize(topic, sample));
      referenceKeys.add("set/" + sample.getSampleId());
    }
  }

  /** The standard reference: version v1, 20 headlines. */
  public void publishReference() {
    publishReference("v1", 1_000, 20, i -> "a real headline number " + i);
  }

  /** Publishes samples {@code from} (inclusive) to {@code to} of every generator, interleaved. */
  public void publishSamples(int from, int to) {
    for (int i = from; i < to; i++) {
      for (String g : GENERATORS) {
        publish(sample(g, i));
      }
    }
  }

  /** Publishes one sample keyed by its generator id; returns where it landed. */
  public RecordMetadata publish(SyntheticSample sample) {
    return sendSample(sample.getGeneratorId(), serialize(sample));
  }

  /** The wire bytes of a sample (registering its schema under the synthetic topic's subject). */
  public byte[] serialize(SyntheticSample sample) {
    String topic = topic(MonitorSettings.SYNTHETIC_TOPIC);
    return serdes.valueSerde(SyntheticSample.class).serializer().serialize(topic, sample);
  }

  /** Sends raw bytes to the synthetic topic (key as UTF-8, may be null); returns where. */
  public RecordMetadata sendSample(String key, byte[] value) {
    return send(
        topic(MonitorSettings.SYNTHETIC_TOPIC),
        key == null ? null : key.getBytes(StandardCharsets.UTF_8),
        value);
  }

  /** Sends raw key and value bytes to the synthetic topic; returns where. */
  public RecordMetadata sendSample(byte[] key, byte[] value) {
    return send(topic(MonitorSettings.SYNTHETIC_TOPIC), key, value);
  }

  private RecordMetadata send(String topic, String key, byte[] value) {
    return send(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private synchronized RecordMetadata send(String topic, byte[] key, byte[] value) {
    if (producer == null) {
      Map<String, Object> p = new HashMap<>(clientConfig);
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 * 1024 * 1024);
      producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }
    try {
      return producer.send(new ProducerRecord<>(topic, key, value)).get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("Could not send to " + topic, e);
    }
  }

  /**
   * Waits until the monitor has committed the end of every partition of the synthetic topic: every
   * input record has been processed and its outputs committed, so the output topics are complete.
   */
  public void awaitInputConsumed() {
    String topic = topic(MonitorSettings.SYNTHETIC_TOPIC);
    try (Admin admin = Admin.create(clientConfig)) {
      Awaitility.await("the monitor to commit the end of " + topic)
          .dontCatchUncaughtExceptions()
          .atMost(TopicReader.PATIENCE)
          .pollInterval(Duration.ofMillis(200))
          .ignoreExceptions()
          .until(
              () -> {
                Map<TopicPartition, OffsetAndMetadata> committed =
                    admin
                        .listConsumerGroupOffsets(applicationId())
                        .partitionsToOffsetAndMetadata()
                        .get(30, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
                admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get(30, TimeUnit.SECONDS)
                    .get(topic)
                    .partitions()
                    .forEach(
                        p ->
                            ends.put(
                                new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                var latest = admin.listOffsets(ends).all().get(30, TimeUnit.SECONDS);
                return latest.entrySet().stream()
                    .allMatch(
                        e ->
                            e.getValue().offset() == 0
                                || (committed.get(e.getKey()) != null
                                    && committed.get(e.getKey()).offset()
                                        >= e.getValue().offset()));
              });
    }
  }

  public TopicReader<RankingUpdate> rankings() {
    return rankings;
  }

  public TopicReader<QualityScores> scores() {
    return scores;
  }

  public TopicReader<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /**
   * Waits for a ranking in which every generator of {@code counts} is listed with exactly that
   * sample count, and returns it.
   */
  public RankingUpdate awaitRanking(Map<String, Long> counts) {
    List<RankingUpdate> all =
        rankings.await(
            "a ranking with sample counts " + counts,
            list -> !list.isEmpty() && counts.equals(sampleCounts(list.get(list.size() - 1))));
    return all.get(all.size() - 1);
  }

  /** {@link #awaitRanking(Map)} with {@code count} samples for every generator. */
  public RankingUpdate awaitRanking(long count) {
    Map<String, Long> counts = new TreeMap<>();
    GENERATORS.forEach(g -> counts.put(g, count));
    return awaitRanking(counts);
  }

  /** Generator id to sample count, sorted. */
  public static Map<String, Long> sampleCounts(RankingUpdate ranking) {
    return ranking.getEntries().stream()
        .collect(
            Collectors.toMap(
                RankingEntry::getGeneratorId,
                RankingEntry::getSampleCount,
                (a, b) -> a,
                TreeMap::new));
  }

  /**
   * Every generator's scores in emission order, as "count scores" strings: equal lists mean equal
   * values, emitted once each.
   */
  public static Map<String, List<String>> scoresByGenerator(List<QualityScores> all) {
    return all.stream()
        .collect(
            Collectors.groupingBy(
                QualityScores::getGeneratorId,
                TreeMap::new,
                Collectors.mapping(
                    q -> q.getReferenceVersion() + " " + q.getSampleCount() + " " + q.getScores(),
                    Collectors.toList())));
  }

  private <T extends org.apache.avro.specific.SpecificRecord> TopicReader<T> reader(
      String key, Class<T> type) {
    return new TopicReader<>(clientConfig, topic(key), serdes.valueSerde(type).deserializer());
  }

  /**
   * A reader of the rankings that also sees uncommitted records (the caller closes it): output of a
   * transaction still open shows up here first.
   */
  public TopicReader<RankingUpdate> uncommittedRankings() {
    return new TopicReader<>(
        clientConfig,
        topic(MonitorSettings.RANKINGS_TOPIC),
        serdes.valueSerde(RankingUpdate.class).deserializer(),
        false);
  }

  /** Closes every instance started here (cleanly), the producer and the readers. */
  @Override
  public void close() {
    apps.forEach(MonitorApplication::close);
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
    }
    for (TopicReader<?> r : new TopicReader<?>[] {rankings, scores, deadLetters}) {
      if (r != null) {
        r.close();
      }
    }
  }
}
