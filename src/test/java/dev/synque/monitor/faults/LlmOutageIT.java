package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.cli.LensWorkers;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TopicReader;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The LLM endpoint of the LENS worker is down, then slow, then answers garbage, then recovers. The
 * monitor, which never calls the LLM, ranks on throughout; the worker answers every request (an
 * {@code UNAVAILABLE} result with the reason while the endpoint fails, never a crash or a silent
 * drop) and scores again as soon as the endpoint does.
 */
@ExtendWith(SharedInfrastructure.class)
class LlmOutageIT {

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldKeepRankingAndAnswerEveryRequestWhileTheLlmFailsThenScoreAgain() throws Exception {
    FakeChatServer llm = FakeChatServer.start();
    int port = llm.port();
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      s.createTopics();
      String requests = "lens-requests-" + s.applicationId();
      String results = "lens-results-" + s.applicationId();
      kafka.createTopic(requests, 1);
      kafka.createTopic(results, 1);
      s.publishReference();
      MonitorApplication app = s.startMonitor("one", new FakeEmbedder(8));
      Map<String, Object> config = new HashMap<>(s.clientConfig());
      config.put("schema.registry.url", registry.confluentCompatUrl());
      config.put("group.id", "lens-" + s.applicationId());
      config.put(LensWorkers.REQUESTS_TOPIC, requests);
      config.put(LensWorkers.RESULTS_TOPIC, results);
      config.put(LensWorkers.DEAD_LETTERS_TOPIC, s.topic("synque.topic.dead.letters"));
      config.put(LlmSettings.BASE_URL, llm.baseUrl());
      config.put(LlmSettings.RUBRIC_MODEL, "writer");
      config.put(LlmSettings.JUDGE_MODEL, "judge");
      config.put(LlmSettings.RUBRIC_SIZE, "3");
      config.put(LlmSettings.MAX_RETRIES, "1");
      config.put(LlmSettings.RETRY_BACKOFF_MS, "50");
      config.put(LlmSettings.CONNECT_TIMEOUT_MS, "1000");
      config.put(LlmSettings.REQUEST_TIMEOUT_MS, "1000");
      try (LensWorkers worker = LensWorkers.start(config, name -> null);
          TopicReader<LensResult> answers =
              new TopicReader<>(
                  s.clientConfig(),
                  results,
                  s.serdes().valueSerde(LensResult.class).deserializer());
          KafkaProducer<String, LensRequest> producer =
              new KafkaProducer<>(
                  s.clientConfig(),
                  new StringSerializer(),
                  s.serdes().valueSerde(LensRequest.class).serializer())) {

        llm.close(); // down: connections refused
        producer
            .send(new ProducerRecord<>(requests, "gen-a", request("down")))
            .get(60, TimeUnit.SECONDS);
        s.publishSamples(0, 20);
        s.awaitRanking(20);
        LensResult down = await(answers, 1);
        assertThat(down.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
        assertThat(down.getReason()).contains("unreachable");

        llm = FakeChatServer.start(port); // back, but slower than the request timeout
        llm.answerAlways(200, Map.of(), "{}", 3_000);
        producer
            .send(new ProducerRecord<>(requests, "gen-a", request("slow")))
            .get(60, TimeUnit.SECONDS);
        s.publishSamples(20, 30);
        s.awaitRanking(30);
        LensResult slow = await(answers, 2);
        assertThat(slow.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
        assertThat(slow.getReason()).contains("did not answer within 1000 ms");

        llm.answerAlways(
            200, Map.of("Content-Type", "text/html"), "<html>502 Bad Gateway</html>", 0);
        producer
            .send(new ProducerRecord<>(requests, "gen-a", request("garbage")))
            .get(60, TimeUnit.SECONDS);
        s.publishSamples(30, 40);
        s.awaitRanking(40);
        LensResult garbage = await(answers, 3);
        assertThat(garbage.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
        assertThat(garbage.getReason()).isNotBlank();

        llm.answerNormally();
        llm.rubricStyle(FakeChatServer.RubricStyle.ALWAYS_MALFORMED);
        producer
            .send(new ProducerRecord<>(requests, "gen-a", request("malformed")))
            .get(60, TimeUnit.SECONDS);
        LensResult malformed = await(answers, 4);
        assertThat(malformed.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
        assertThat(malformed.getReason()).contains("cannot produce a list");

        llm.rubricStyle(FakeChatServer.RubricStyle.PLAIN);
        producer
            .send(new ProducerRecord<>(requests, "gen-a", request("recovered")))
            .get(60, TimeUnit.SECONDS);
        LensResult recovered = await(answers, 5);
        assertThat(recovered.getStatus()).isEqualTo(LensStatus.OK);
        assertThat(recovered.getScore()).isBetween(0.0, 1.0);

        assertThat(answers.values())
            .extracting(LensResult::getRequestId)
            .containsExactly("down", "slow", "garbage", "malformed", "recovered");
        assertThat(worker.isRunning()).isTrue();
        assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      }
    } finally {
      llm.close();
    }
  }

  private static LensResult await(TopicReader<LensResult> answers, int count) {
    List<LensResult> all = answers.await(count + " LENS results", l -> l.size() >= count);
    return all.get(count - 1);
  }

  private static LensRequest request(String id) {
    return LensRequest.newBuilder()
        .setRequestId(id)
        .setGeneratorId("gen-a")
        .setReferenceVersion("v1")
        .setSyntheticExamples(
            List.of(new TextItem("s1", "the robot said hi"), new TextItem("s2", "the cat said hi")))
        .setReferenceExamples(
            List.of(new TextItem("r1", "my dog said hi"), new TextItem("r2", "the bird said hi")))
        .setReason(LensReason.DRIFT)
        .setSamplesSeen(42)
        .setRequestedAt(Instant.now())
        .build();
  }
}
