package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.lens.LensWorker;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorMetrics;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The topology join of LENS, end to end on a real broker and a real Apicurio registry: the monitor
 * emits a LENS request on its sample cadence, the LENS worker judges it with the loopback
 * chat-completions server, and the result comes back into the monitor's scores and rankings.
 */
@ExtendWith(SharedInfrastructure.class)
class LensJoinIT {

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  private final FakeChatServer llm = FakeChatServer.start();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private ExecutorService pool;
  private LensWorker worker;
  private Thread thread;
  private MonitorApplication app;
  private KafkaStreams streams;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (app != null) {
      app.close();
    }
    if (worker != null) {
      worker.close();
      thread.join(30_000);
    }
    if (pool != null) {
      pool.shutdownNow();
    }
    llm.close();
  }

  @Test
  void shouldJoinTheWorkersLensScoreIntoScoresAndRankings() throws Exception {
    // given the monitor with LENS on and the worker, sharing the request and result topics
    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.SYNTHETIC_TOPIC, "samples-" + suffix);
    config.put(MonitorSettings.REFERENCE_TOPIC, "reference-" + suffix);
    config.put(MonitorSettings.SCORES_TOPIC, "scores-" + suffix);
    config.put(MonitorSettings.RANKINGS_TOPIC, "rankings-" + suffix);
    config.put(MonitorSettings.ALERTS_TOPIC, "alerts-" + suffix);
    config.put(MonitorSettings.DEAD_LETTER_TOPIC, "dead-letters-" + suffix);
    config.put(MonitorSettings.LENS_REQUESTS_TOPIC, "lens-requests-" + suffix);
    config.put(MonitorSettings.LENS_RESULTS_TOPIC, "lens-results-" + suffix);
    config.put(MonitorSettings.LENS_ENABLED, true);
    config.put(MonitorSettings.LENS_EVERY_SAMPLES, 8);
    config.put(MonitorSettings.LENS_EVERY_MS, 0);
    config.put(MonitorSettings.LENS_SYNTHETIC_EXAMPLES, 2);
    config.put(MonitorSettings.LENS_REFERENCE_EXAMPLES, 2);
    config.put(MonitorSettings.WINDOW_KIND, "NONE");
    config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 4);
    config.put(MonitorSettings.SCORES_EVERY_MS, 0);
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, 1);
    config.put(MonitorSettings.EMBED_BATCH_SIZE, 4);
    config.put(MonitorSettings.EMBED_MAX_WAIT_MS, 50);
    MonitorSettings settings = MonitorSettings.fromConfig(config);
    kafka.createTopic(settings.syntheticTopic(), 2);
    kafka.createTopic(settings.referenceTopic(), 1, Map.of("cleanup.policy", "compact"));
    for (String t :
        List.of(
            settings.scoresTopic(),
            settings.rankingsTopic(),
            settings.alertsTopic(),
            settings.deadLetterTopic(),
            settings.lens().requestsTopic(),
            settings.lens().resultsTopic())) {
      kafka.createTopic(t, 1);
    }
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()));

    Map<String, Object> workerConfig = new HashMap<>();
    workerConfig.put("bootstrap.servers", kafka.bootstrapServers());
    workerConfig.put(SchemaRegistrySettings.URL, registry.confluentCompatUrl());
    workerConfig.put("group.id", "lens-worker-" + suffix);
    workerConfig.put(LensWorkerCommand.REQUESTS_TOPIC, settings.lens().requestsTopic());
    workerConfig.put(LensWorkerCommand.RESULTS_TOPIC, settings.lens().resultsTopic());
    workerConfig.put(LensWorkerCommand.DEAD_LETTERS_TOPIC, settings.deadLetterTopic());
    workerConfig.put(LlmSettings.BASE_URL, llm.baseUrl());
    workerConfig.put(LlmSettings.RUBRIC_MODEL, "writer");
    workerConfig.put(LlmSettings.JUDGE_MODEL, "judge");
    workerConfig.put(LlmSettings.RUBRIC_SIZE, "3");
    workerConfig.put(LlmSettings.MAX_RETRIES, "0");
    pool = LensWorkerCommand.pool(workerConfig);
    worker = LensWorkerCommand.worker(workerConfig, pool, Clock.systemUTC());
    thread = new Thread(worker, "lens-worker-join-it");
    thread.start();

    Map<String, Object> all = new HashMap<>(config);
    all.put(StreamsConfig.APPLICATION_ID_CONFIG, "lens-join-it-" + suffix);
    all.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    all.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("lens-join-it").toString());
    all.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
    all.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
    all.put(SchemaRegistrySettings.URL, registry.confluentCompatUrl());
    // the monitor as synque run starts it
    app = MonitorApplication.configure(all);
    streams = app.build(new FakeEmbedder(8), MonitorMetrics.NONE);
    app.start();

    // when: a reference set and 12 samples of one generator
    try (KafkaProducer<String, ReferenceSample> producer =
        new KafkaProducer<>(
            kafka.clientProperties(),
            new StringSerializer(),
            serdes.valueSerde(ReferenceSample.class).serializer())) {
      for (int i = 0; i < 4; i++) {
        producer.send(
            new ProducerRecord<>(
                settings.referenceTopic(),
                "set/r" + i,
                ReferenceSample.newBuilder()
                    .setReferenceSetId("set")
                    .setReferenceVersion("v1")
                    .setSampleId("r" + i)
                    .setText("my dog said hi " + i)
                    .setEventTime(Instant.ofEpochMilli(1_000))
                    .build()));
      }
    }
    try (KafkaProducer<String, SyntheticSample> producer =
        new KafkaProducer<>(
            kafka.clientProperties(),
            new StringSerializer(),
            serdes.valueSerde(SyntheticSample.class).serializer())) {
      for (int i = 0; i < 12; i++) {
        producer.send(
            new ProducerRecord<>(
                settings.syntheticTopic(),
                "gen-a",
                SyntheticSample.newBuilder()
                    .setGeneratorId("gen-a")
                    .setSampleId("a" + i)
                    .setText("the robot said hi " + i)
                    .setEventTime(Instant.ofEpochMilli(2_000 + i))
                    .build()));
      }
    }

    // then: a request went out, a result came back, and the monitor joined it
    List<LensRequest> requests =
        read(settings.lens().requestsTopic(), LensRequest.class, serdes, 1);
    assertThat(requests.get(0).getGeneratorId()).isEqualTo("gen-a");
    assertThat(requests.get(0).getReferenceExamples()).hasSize(2);
    List<LensResult> results = read(settings.lens().resultsTopic(), LensResult.class, serdes, 1);
    LensResult result = results.get(0);
    assertThat(result.getStatus()).isEqualTo(LensStatus.OK);
    assertThat(result.getRequestId()).isEqualTo(requests.get(0).getRequestId());
    List<QualityScores> joined = new ArrayList<>();
    try (KafkaConsumer<String, QualityScores> consumer =
        consumer(settings.scoresTopic(), QualityScores.class, serdes)) {
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> joined.add(r.value()));
                assertThat(joined).anyMatch(s -> s.getTrigger() == ScoreTrigger.LENS_RESULT);
              });
    }
    QualityScores withLens =
        joined.stream().filter(s -> s.getTrigger() == ScoreTrigger.LENS_RESULT).findFirst().get();
    ProxyScore lens =
        withLens.getScores().stream()
            .filter(p -> p.getProxy().equals("lens"))
            .findFirst()
            .orElseThrow();
    assertThat(lens.getStatus()).isEqualTo(ProxyStatus.OK);
    assertThat(lens.getValue()).isEqualTo(result.getScore());
    List<RankingUpdate> rankings = new ArrayList<>();
    try (KafkaConsumer<String, RankingUpdate> consumer =
        consumer(settings.rankingsTopic(), RankingUpdate.class, serdes)) {
      await()
          .atMost(Duration.ofSeconds(60))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> rankings.add(r.value()));
                assertThat(rankings)
                    .anyMatch(
                        u ->
                            u.getEntries().get(0).getProxies().stream()
                                .anyMatch(
                                    p -> p.getProxy().equals("lens") && p.getValue() != null));
              });
    }
    ProxyRank ranked =
        rankings.stream()
            .flatMap(u -> u.getEntries().get(0).getProxies().stream())
            .filter(p -> p.getProxy().equals("lens") && p.getValue() != null)
            .findFirst()
            .orElseThrow();
    assertThat(ranked.getValue()).isEqualTo(result.getScore());
    assertThat(ranked.getRank()).isEqualTo(1);
    assertThat(streams.state()).isEqualTo(KafkaStreams.State.RUNNING);
  }

  private static <T extends org.apache.avro.specific.SpecificRecord> List<T> read(
      String topic, Class<T> type, AvroSerdeFactory serdes, int count) {
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer = consumer(topic, type, serdes)) {
      await()
          .atMost(Duration.ofSeconds(120))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                assertThat(values).hasSizeGreaterThanOrEqualTo(count);
              });
    }
    return values;
  }

  private static <T extends org.apache.avro.specific.SpecificRecord>
      KafkaConsumer<String, T> consumer(String topic, Class<T> type, AvroSerdeFactory serdes) {
    Map<String, Object> p = kafka.clientProperties();
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    KafkaConsumer<String, T> c =
        new KafkaConsumer<>(p, new StringDeserializer(), serdes.valueSerde(type).deserializer());
    List<TopicPartition> partitions =
        c.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    c.assign(partitions);
    c.seekToBeginning(partitions);
    return c;
  }
}
