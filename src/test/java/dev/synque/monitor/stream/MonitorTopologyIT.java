package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.query.MonitorQueryServer;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitor on a real in-process KRaft broker and a real Apicurio Registry, exactly once, with
 * the fake embedder injected: rankings come out; a run stopped mid-stream and restarted with an
 * empty state directory (so it restores from its changelogs) ends with the ranking and the
 * per-generator scores of an uninterrupted run; two instances with one application id give the same
 * as one.
 */
@ExtendWith(SharedInfrastructure.class)
class MonitorTopologyIT {

  private static final List<String> GENERATORS = List.of("gen-a", "gen-b", "gen-c");
  private static final int SAMPLES = 60;
  private static final int PARTITIONS = 4;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;
  private static Path stateRoot;
  private static Result uninterrupted;
  private static final List<MonitorApplication> running = new ArrayList<>();
  private static final List<MonitorQueryServer> servers = new ArrayList<>();

  /** The last ranking and every generator's scores (values only) of one run. */
  private record Result(List<RankingEntry> finalRanking, Map<String, List<String>> scores) {}

  @BeforeAll
  static void uninterruptedRun() throws Exception {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
    stateRoot = Files.createTempDirectory("monitor-it");
    Scenario s = new Scenario();
    KafkaStreams streams = s.start("one");
    s.produce(0, SAMPLES);
    uninterrupted = s.finish();
    streams.close(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopAll() {
    servers.forEach(MonitorQueryServer::close);
    running.forEach(MonitorApplication::close);
  }

  @Test
  void shouldRankEveryGeneratorFromTheBroker() {
    assertThat(uninterrupted.finalRanking())
        .extracting(RankingEntry::getGeneratorId)
        .containsExactlyInAnyOrderElementsOf(GENERATORS);
    assertThat(uninterrupted.finalRanking()).allMatch(RankingEntry::getEligible);
    assertThat(uninterrupted.finalRanking())
        .extracting(RankingEntry::getSampleCount)
        .containsOnly(60L);
    assertThat(uninterrupted.scores().get("gen-a")).hasSize(SAMPLES / 10);
  }

  @Test
  void shouldResumeFromItsChangelogsAndEndAsAnUninterruptedRun() throws Exception {
    Scenario s = new Scenario();
    KafkaStreams first = s.start("before-restart");
    s.produce(0, SAMPLES / 2);
    await().atMost(Duration.ofSeconds(120)).until(() -> s.rankingsWhereAllHave(SAMPLES / 2));
    first.close(Duration.ofSeconds(30));

    s.start("after-restart"); // a new, empty state directory: state comes from the changelogs
    s.produce(SAMPLES / 2, SAMPLES);
    Result resumed = s.finish();

    assertThat(resumed.finalRanking()).isEqualTo(uninterrupted.finalRanking());
    assertThat(resumed.scores()).isEqualTo(uninterrupted.scores());
  }

  @Test
  void shouldRankTheSameWithTwoInstancesAsWithOneAndAnswerQueriesOnBoth() throws Exception {
    Scenario s = new Scenario();
    int port1 = freePort();
    int port2 = freePort();
    s.start("instance-1", port1);
    s.start("instance-2", port2);
    s.produce(0, SAMPLES);
    Result shared = s.finish();

    assertThat(shared.finalRanking()).isEqualTo(uninterrupted.finalRanking());
    assertThat(shared.scores()).isEqualTo(uninterrupted.scores());

    // Each key is owned by one instance; the other forwards, so both answer the same.
    for (String path :
        List.of(
            "/ranking",
            "/generators/gen-a/history",
            "/generators/gen-c/scores?window=ALL_TIME",
            "/generators/gen-b/evidence?window=ALL_TIME")) {
      HttpResponse<String> one = get(port1, path);
      HttpResponse<String> two = get(port2, path);
      assertThat(one.statusCode()).as(path).isEqualTo(200);
      assertThat(two.statusCode()).as(path).isEqualTo(200);
      assertThat(one.body()).as(path).isEqualTo(two.body());
    }
    JsonNode ranking = MonitorJson.MAPPER.readTree(get(port1, "/ranking").body());
    assertThat(ranking.get("entries")).hasSize(GENERATORS.size());
    JsonNode history = MonitorJson.MAPPER.readTree(get(port2, "/generators/gen-a/history").body());
    assertThat(history).hasSize(SAMPLES / 10);
    assertThat(history.get(SAMPLES / 10 - 1).get("sampleCount").asLong()).isEqualTo(SAMPLES);
    assertThat(get(port1, "/generators/nobody/history").statusCode()).isEqualTo(404);
    JsonNode evidence =
        MonitorJson.MAPPER.readTree(get(port2, "/generators/gen-b/evidence").body());
    assertThat(evidence.get("generatorId").asText()).isEqualTo("gen-b");
    assertThat(evidence.get("leastReal")).hasSize(5);
    assertThat(evidence.get("underCovered")).hasSize(5);
    assertThat(evidence.get("intervals").get(0).get("proxy").asText()).isEqualTo("mmd2_poly");
    assertThat(ranking.get("tierLevel").asDouble()).isEqualTo(0.95);
    assertThat(get(port1, "/generators/nobody/evidence").statusCode()).isEqualTo(404);
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).GET().build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /** One set of topics and one application id. */
  private static final class Scenario {
    final String suffix = UUID.randomUUID().toString().substring(0, 8);
    final Map<String, Object> config = new HashMap<>();
    final MonitorSettings settings;
    final AvroSerdeFactory serdes =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()));
    final List<RankingUpdate> rankings = new ArrayList<>();
    final List<QualityScores> scores = new ArrayList<>();
    KafkaConsumer<String, RankingUpdate> rankingConsumer;
    KafkaConsumer<String, QualityScores> scoresConsumer;

    Scenario() {
      config.put(MonitorSettings.SYNTHETIC_TOPIC, "samples-" + suffix);
      config.put(MonitorSettings.REFERENCE_TOPIC, "reference-" + suffix);
      config.put(MonitorSettings.SCORES_TOPIC, "scores-" + suffix);
      config.put(MonitorSettings.RANKINGS_TOPIC, "rankings-" + suffix);
      config.put(MonitorSettings.ALERTS_TOPIC, "alerts-" + suffix);
      config.put(MonitorSettings.DEAD_LETTER_TOPIC, "dead-letters-" + suffix);
      config.put(MonitorSettings.WINDOW_KIND, "NONE");
      config.put(MonitorSettings.SCORES_EVERY_SAMPLES, 10);
      config.put(MonitorSettings.SCORES_EVERY_MS, 0);
      config.put(MonitorSettings.RANKING_MIN_SAMPLES, 10);
      config.put(MonitorSettings.EMBED_BATCH_SIZE, 8);
      config.put(MonitorSettings.EMBED_MAX_WAIT_MS, 50);
      settings = MonitorSettings.fromConfig(config);
      kafka.createTopic(settings.syntheticTopic(), PARTITIONS);
      kafka.createTopic(settings.referenceTopic(), 1, Map.of("cleanup.policy", "compact"));
      for (String t :
          List.of(
              settings.scoresTopic(),
              settings.rankingsTopic(),
              settings.alertsTopic(),
              settings.deadLetterTopic())) {
        kafka.createTopic(t, 1);
      }
      try (KafkaProducer<String, ReferenceSample> producer =
          new KafkaProducer<>(
              producerProps(),
              new StringSerializer(),
              serdes.valueSerde(ReferenceSample.class).serializer())) {
        for (int i = 0; i < 20; i++) {
          producer.send(
              new ProducerRecord<>(
                  settings.referenceTopic(),
                  "set/r" + i,
                  ReferenceSample.newBuilder()
                      .setReferenceSetId("set")
                      .setReferenceVersion("v1")
                      .setSampleId(String.format("r%02d", i))
                      .setText("a real headline number " + i)
                      .setEventTime(Instant.ofEpochMilli(1_000))
                      .build()));
        }
      }
      rankingConsumer = consumer(settings.rankingsTopic(), RankingUpdate.class);
      scoresConsumer = consumer(settings.scoresTopic(), QualityScores.class);
    }

    Map<String, Object> producerProps() {
      Map<String, Object> p = kafka.clientProperties();
      p.put(ProducerConfig.ACKS_CONFIG, "all");
      return p;
    }

    <T extends org.apache.avro.specific.SpecificRecord> KafkaConsumer<String, T> consumer(
        String topic, Class<T> type) {
      Map<String, Object> p = kafka.clientProperties();
      p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
      p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      Deserializer<T> values = serdes.valueSerde(type).deserializer();
      KafkaConsumer<String, T> c = new KafkaConsumer<>(p, new StringDeserializer(), values);
      // Assigned, not subscribed: no group rebalance to wait for on a loaded machine, and every
      // record from the start (the output topics are created up front by this scenario).
      List<org.apache.kafka.common.TopicPartition> partitions =
          c.partitionsFor(topic).stream()
              .map(info -> new org.apache.kafka.common.TopicPartition(topic, info.partition()))
              .toList();
      c.assign(partitions);
      c.seekToBeginning(partitions);
      return c;
    }

    KafkaStreams start(String instance) throws Exception {
      return start(instance, 0);
    }

    /** Starts an instance; with a port above 0 it also serves interactive queries there. */
    KafkaStreams start(String instance, int queryPort) throws Exception {
      Map<String, Object> all = new HashMap<>(config);
      all.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-it-" + suffix);
      all.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
      all.put(
          StreamsConfig.STATE_DIR_CONFIG,
          Files.createDirectories(stateRoot.resolve(suffix + "-" + instance)).toString());
      all.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
      all.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, 1);
      all.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
      if (queryPort > 0) {
        all.put(StreamsConfig.APPLICATION_SERVER_CONFIG, "localhost:" + queryPort);
      }
      all.put(SchemaRegistrySettings.URL, registry.confluentCompatUrl());
      // the monitor as synque run starts it
      MonitorApplication app = MonitorApplication.configure(all);
      KafkaStreams streams = app.build(new FakeEmbedder(8), MonitorMetrics.NONE);
      running.add(app);
      if (queryPort > 0) {
        servers.add(new MonitorQueryServer(streams, new HostInfo("localhost", queryPort)));
      }
      app.start();
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> streams.state() == KafkaStreams.State.RUNNING);
      return streams;
    }

    void produce(int from, int to) throws Exception {
      try (KafkaProducer<String, SyntheticSample> producer =
          new KafkaProducer<>(
              producerProps(),
              new StringSerializer(),
              serdes.valueSerde(SyntheticSample.class).serializer())) {
        for (int i = from; i < to; i++) {
          for (String g : GENERATORS) {
            // gen-a writes like the reference, gen-c least like it.
            String text =
                switch (g) {
                  case "gen-a" -> "a real headline number " + (i % 20);
                  case "gen-b" -> (i % 2 == 0 ? "a real headline number " + (i % 20) : g + i);
                  default -> g + " sample " + i;
                };
            producer.send(
                new ProducerRecord<>(
                    settings.syntheticTopic(),
                    g,
                    SyntheticSample.newBuilder()
                        .setGeneratorId(g)
                        .setSampleId(g + "-" + i)
                        .setText(text)
                        .setEventTime(Instant.ofEpochMilli(10_000 + i))
                        .build()));
          }
        }
        producer.flush();
      }
    }

    boolean rankingsWhereAllHave(int count) {
      for (ConsumerRecord<String, RankingUpdate> r : rankingConsumer.poll(Duration.ofMillis(200))) {
        rankings.add(r.value());
      }
      return !rankings.isEmpty()
          && rankings.get(rankings.size() - 1).getEntries().size() == GENERATORS.size()
          && rankings.get(rankings.size() - 1).getEntries().stream()
              .allMatch(e -> e.getSampleCount() == count);
    }

    Result finish() {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(180))
          .until(() -> rankingsWhereAllHave(SAMPLES));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () -> {
                for (ConsumerRecord<String, QualityScores> r :
                    scoresConsumer.poll(Duration.ofMillis(200))) {
                  scores.add(r.value());
                }
                return scores.size() >= GENERATORS.size() * SAMPLES / 10;
              });
      assertThat(scores)
          .as("every generator's scores, exactly once")
          .extracting(q -> q.getGeneratorId() + "@" + q.getSampleCount())
          .hasSize(GENERATORS.size() * SAMPLES / 10)
          .doesNotHaveDuplicates();
      rankingConsumer.close();
      scoresConsumer.close();
      Map<String, List<String>> byGenerator =
          scores.stream()
              .collect(
                  Collectors.groupingBy(
                      QualityScores::getGeneratorId,
                      java.util.TreeMap::new,
                      Collectors.mapping(
                          q -> q.getSampleCount() + " " + q.getScores(), Collectors.toList())));
      return new Result(rankings.get(rankings.size() - 1).getEntries(), byGenerator);
    }
  }
}
