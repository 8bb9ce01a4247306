package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.lens.LensWorker;
import dev.synque.monitor.metrics.LensMetrics;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.SwitchableRegistryProxy;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LENS worker as {@code synque lens-worker} wires it, on a real broker and a real Apicurio
 * registry, judging with the fake chat-completions server: a request in, a result out, and every
 * LLM call and result in its meters.
 */
@ExtendWith(SharedInfrastructure.class)
class LensWorkerIT {

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  private final FakeChatServer llm = FakeChatServer.start();
  private final String suffix = UUID.randomUUID().toString().substring(0, 8);
  private final String requests = "lens-requests-" + suffix;
  private final String results = "lens-results-" + suffix;
  private final String deadLetters = "lens-dead-letters-" + suffix;
  private ExecutorService pool;
  private LensWorker worker;
  private Thread thread;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (worker != null) {
      worker.close();
      thread.join(30_000);
    }
    if (pool != null) {
      pool.shutdownNow();
    }
    llm.close();
  }

  private Map<String, Object> config() {
    Map<String, Object> config = new HashMap<>();
    config.put("bootstrap.servers", kafka.bootstrapServers());
    config.put(SchemaRegistrySettings.URL, registry.confluentCompatUrl());
    config.put("group.id", "lens-worker-" + suffix);
    config.put(LensWorkerCommand.REQUESTS_TOPIC, requests);
    config.put(LensWorkerCommand.RESULTS_TOPIC, results);
    config.put(LensWorkerCommand.DEAD_LETTERS_TOPIC, deadLetters);
    config.put(LlmSettings.BASE_URL, llm.baseUrl());
    config.put(LlmSettings.RUBRIC_MODEL, "writer");
    config.put(LlmSettings.JUDGE_MODEL, "judge");
    config.put(LlmSettings.RUBRIC_SIZE, "3");
    config.put(LlmSettings.MAX_RETRIES, "0");
    return config;
  }

  private static LensRequest request(String id) {
    return LensRequest.newBuilder()
        .setRequestId(id)
        .setGeneratorId("gen-a")
        .setReferenceVersion("ref-1")
        .setSyntheticExamples(
            List.of(new TextItem("s1", "the robot said hi"), new TextItem("s2", "the cat said hi")))
        .setReferenceExamples(
            List.of(new TextItem("r1", "my dog said hi"), new TextItem("r2", "the bird said hi")))
        .setReason(LensReason.DRIFT)
        .setSamplesSeen(42)
        .setRequestedAt(Instant.now())
        .build();
  }

  @Test
  void shouldAnswerRequestsWithResultsAndKeepRunningWhenTheLlmFails() throws Exception {
    kafka.createTopic(requests, 1);
    kafka.createTopic(results, 1);
    kafka.createTopic(deadLetters, 1);
    Map<String, Object> config = config();
    pool = LensWorkerCommand.pool(config);
    SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();
    LensMetrics meters = new LensMetrics(10, System::currentTimeMillis);
    meters.bindTo(meterRegistry);
    worker = LensWorkerCommand.worker(config, pool, Clock.systemUTC(), meters);
    thread = new Thread(worker, "lens-worker-it");
    thread.start();
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()));
    // The first LLM call (the rubric's similarities) fails with HTTP 500 and is not retried.
    llm.enqueue(500, Map.of(), "{\"error\":{\"message\":\"model crashed\"}}", 0);

    try (KafkaProducer<String, String> plain =
        new KafkaProducer<>(
            kafka.clientProperties(), new StringSerializer(), new StringSerializer())) {
      plain.send(new ProducerRecord<>(requests, "gen-a", "{\"not\": \"avro\"}")).get();
    }
    try (KafkaProducer<String, LensRequest> producer =
        new KafkaProducer<>(
            kafka.clientProperties(),
            new StringSerializer(),
            serdes.valueSerde(LensRequest.class).serializer())) {
      producer.send(new ProducerRecord<>(requests, "gen-a", request("q1"))).get();
      producer.send(new ProducerRecord<>(requests, "gen-a", request("q2"))).get();
    }

    Map<String, Object> consumerProps = kafka.clientProperties();
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "lens-results-reader-" + suffix);
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, LensResult>> received = new ArrayList<>();
    try (KafkaConsumer<String, LensResult> consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            serdes.valueSerde(LensResult.class).deserializer())) {
      consumer.subscribe(List.of(results));
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(received::add);
                assertThat(received).hasSize(2);
              });
    }

    LensResult failed = received.get(0).value();
    assertThat(received.get(0).key()).isEqualTo("gen-a");
    assertThat(failed.getRequestId()).isEqualTo("q1");
    assertThat(failed.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
    assertThat(failed.getReason()).contains("HTTP 500").contains("model crashed");
    LensResult ok = received.get(1).value();
    assertThat(ok.getRequestId()).isEqualTo("q2");
    assertThat(ok.getStatus()).isEqualTo(LensStatus.OK);
    double s1 = (1.0 / 3) / (1.0 / 3 + 4.0);
    double r = (1 / 2.5) / (3 / 2.0 + 1 / 2.5);
    assertThat(ok.getScore())
        .isCloseTo((s1 + 0.5 + 2 * r) / 4, org.assertj.core.api.Assertions.within(1e-5));
    assertThat(ok.getJudgements()).hasSize(4);
    assertThat(ok.getLlmCalls()).isEqualTo(19);
    assertThat(thread.isAlive()).isTrue();
    assertThat(worker.isRunning()).isTrue();

    // Each LLM call once: the failed first one, then the 19 of the OK run, 10 + 2 tokens each.
    assertThat(meterRegistry.get(LensMetrics.CALLS).tag("outcome", "http_status").counter().count())
        .isEqualTo(1);
    assertThat(meterRegistry.get(LensMetrics.CALLS).tag("outcome", "success").counter().count())
        .isEqualTo(19);
    assertThat(meterRegistry.get(LensMetrics.LATENCY).timer().count()).isEqualTo(20);
    assertThat(meterRegistry.get(LensMetrics.TOKENS).tag("direction", "prompt").counter().count())
        .isEqualTo(190);
    // Reported once the broker acknowledged the result, which a reader may see a moment earlier.
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        meterRegistry
                            .get(LensMetrics.RESULTS)
                            .tag("status", "OK")
                            .counter()
                            .count())
                    .isEqualTo(1));
    assertThat(
            meterRegistry.get(LensMetrics.RESULTS).tag("status", "UNAVAILABLE").counter().count())
        .isEqualTo(1);
    // 2000 calls an hour by default; the failed run booked its 1 call, the OK run its 19.
    assertThat(meterRegistry.get(LensMetrics.BUDGET_REMAINING).tag("unit", "calls").gauge().value())
        .isEqualTo(1980);
    assertThat(
            meterRegistry
                .get(LensMetrics.GENERATOR_SCORE)
                .tag("generator", "gen-a")
                .gauge()
                .value())
        .isEqualTo(ok.getScore());
    assertThat(
            meterRegistry
                .get(LensMetrics.GENERATOR_STATUS)
                .tags("generator", "gen-a", "status", "OK")
                .gauge()
                .value())
        .isEqualTo(1);

    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "lens-dead-letters-reader-" + suffix);
    try (KafkaConsumer<String, DeadLetter> consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            serdes.valueSerde(DeadLetter.class).deserializer())) {
      consumer.subscribe(List.of(deadLetters));
      List<DeadLetter> letters = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                consumer
                    .poll(Duration.ofMillis(200))
                    .forEach(letter -> letters.add(letter.value()));
                assertThat(letters).hasSize(1);
              });
      DeadLetter letter = letters.get(0);
      assertThat(letter.getReason()).isEqualTo("DESERIALIZATION_FAILED");
      assertThat(letter.getSourceTopic()).isEqualTo(requests);
      assertThat(letter.getSourceOffset()).isZero();
      assertThat(StandardCharsets.UTF_8.decode(letter.getValue()).toString()).contains("avro");
    }
  }

  @Test
  void shouldDeadLetterAHugeRequestWithoutCopyingItAndKeepRunning() throws Exception {
    kafka.createTopic(requests, 1, Map.of("max.message.bytes", String.valueOf(4 << 20)));
    kafka.createTopic(results, 1);
    kafka.createTopic(deadLetters, 1);
    Map<String, Object> config = config();
    pool = LensWorkerCommand.pool(config);
    worker =
        LensWorkerCommand.worker(
            config, pool, Clock.systemUTC(), new LensMetrics(10, System::currentTimeMillis));
    thread = new Thread(worker, "lens-worker-it");
    thread.start();
    Map<String, Object> producerProps = kafka.clientProperties();
    producerProps.put("max.request.size", 8 << 20);
    try (KafkaProducer<String, String> plain =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      plain.send(new ProducerRecord<>(requests, "gen-a", "x".repeat(2 << 20))).get();
      plain.send(new ProducerRecord<>(requests, "gen-a", "small, not avro")).get();
    }

    List<DeadLetter> letters = readValues(deadLetters, DeadLetter.class, 2);
    assertThat(letters.get(0).getValue()).isNull();
    assertThat(letters.get(0).getMessage())
        .contains("not copied", "value of " + (2 << 20) + " bytes", "offset 0");
    assertThat(letters.get(1).getValue()).isNotNull();
    assertThat(thread.isAlive()).isTrue();
    assertThat(worker.isRunning()).isTrue();
  }

  @Test
  void shouldNeitherDeadLetterNorLoseARequestWhileTheRegistryIsDown() throws Exception {
    kafka.createTopic(requests, 1);
    kafka.createTopic(results, 1);
    kafka.createTopic(deadLetters, 1);
    try (SwitchableRegistryProxy proxy =
        SwitchableRegistryProxy.to(registry.confluentCompatUrl())) {
      Map<String, Object> config = config();
      config.put(SchemaRegistrySettings.URL, proxy.url());
      pool = LensWorkerCommand.pool(config);
      worker =
          LensWorkerCommand.worker(
              config, pool, Clock.systemUTC(), new LensMetrics(10, System::currentTimeMillis));
      AvroSerdeFactory serdes =
          new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()));
      proxy.down();
      thread = new Thread(worker, "lens-worker-it");
      thread.start();
      try (KafkaProducer<String, LensRequest> producer =
          new KafkaProducer<>(
              kafka.clientProperties(),
              new StringSerializer(),
              serdes.valueSerde(LensRequest.class).serializer())) {
        producer.send(new ProducerRecord<>(requests, "gen-a", request("q-outage"))).get();
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> proxy.refused() >= 2);
      assertThat(thread.isAlive()).as("the worker waits, it does not stop").isTrue();
      proxy.up();

      List<LensResult> received = readValues(results, LensResult.class, 1);
      assertThat(received).extracting(LensResult::getRequestId).containsExactly("q-outage");
      try (KafkaConsumer<byte[], byte[]> letters =
          new KafkaConsumer<>(
              kafka.clientProperties(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
              new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
        letters.assign(List.of(new org.apache.kafka.common.TopicPartition(deadLetters, 0)));
        assertThat(
                letters
                    .endOffsets(List.of(new org.apache.kafka.common.TopicPartition(deadLetters, 0)))
                    .values())
            .containsExactly(0L);
      }
      assertThat(worker.isRunning()).isTrue();
    }
  }

  /** The first {@code count} values of {@code topic}, read from its start by a new group. */
  private <T extends org.apache.avro.specific.SpecificRecord> List<T> readValues(
      String topic, Class<T> type, int count) {
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()));
    Map<String, Object> consumerProps = kafka.clientProperties();
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + UUID.randomUUID());
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer =
        new KafkaConsumer<>(
            consumerProps, new StringDeserializer(), serdes.valueSerde(type).deserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(90))
          .untilAsserted(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                assertThat(values).hasSizeGreaterThanOrEqualTo(count);
              });
    }
    return values;
  }
}
