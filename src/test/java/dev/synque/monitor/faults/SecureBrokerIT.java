package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.cli.LensWorkers;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.EffectiveConfig;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.LogCapture;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TestCertificates;
import dev.synque.monitor.testkit.TopicReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitor and the LENS worker against a broker that only speaks SASL_SSL with SCRAM-SHA-256
 * (its own broker, with a certificate made by {@code keytool} for this run): the security settings
 * of the properties file pass through to every client, and no secret (SCRAM password, store
 * password, registry credentials, LLM API key) ever appears in a log line, in the effective
 * configuration the monitor prints or in the Kafka clients' and the broker's own configuration
 * dumps, captured at INFO for the purpose.
 */
@ExtendWith(SharedInfrastructure.class)
class SecureBrokerIT {

  private static final String USER = "monitor";
  private static final String SCRAM_PASSWORD = "scram-" + UUID.randomUUID();
  private static final String REGISTRY_PASSWORD = "registry-" + UUID.randomUUID();
  private static final String API_KEY = "sk-" + UUID.randomUUID();

  private static Path dir;
  private static TestCertificates certificates;
  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() throws IOException {
    registry = SharedInfrastructure.registry();
    dir = Files.createTempDirectory("secure-broker");
    certificates = TestCertificates.create(dir);
    kafka =
        EmbeddedKafkaCluster.builder()
            .secureListener(
                new EmbeddedKafkaCluster.SecureListener(USER, SCRAM_PASSWORD, certificates))
            .build();
    kafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  /** What a deployment's properties file says to reach the secured broker. */
  private static Map<String, Object> secureClient(String password) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka.secureBootstrapServers());
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "SASL_SSL");
    config.put(SaslConfigs.SASL_MECHANISM, EmbeddedKafkaCluster.SCRAM_MECHANISM);
    config.put(
        SaslConfigs.SASL_JAAS_CONFIG,
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER
            + "\" password=\""
            + password
            + "\";");
    config.put(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, certificates.trustStore().toString());
    config.put(SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, certificates.password());
    config.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PKCS12");
    return config;
  }

  @Test
  void shouldRankOverSaslScramAndTlsAndNeverLogASecret() throws Exception {
    String wrongPassword = "wrong-" + UUID.randomUUID();
    try (LogCapture logs = LogCapture.start(Map.of("org.apache.kafka", Level.INFO));
        MonitorScenario s =
            MonitorScenario.on(kafka, registry.confluentCompatUrl(), secureClient(SCRAM_PASSWORD))
                .with(SchemaRegistrySettings.BASIC_AUTH_SOURCE, "USER_INFO")
                .with(SchemaRegistrySettings.BASIC_AUTH_USER_INFO, "svc:" + REGISTRY_PASSWORD)) {
      s.createTopics();
      s.publishReference();
      s.startMonitor("one", new FakeEmbedder(8));
      s.publishSamples(0, 20);
      s.awaitRanking(20);

      LensResult lens = judgeOnce(s);
      assertThat(lens.getStatus()).isEqualTo(LensStatus.OK);

      Map<String, Object> wrong = secureClient(wrongPassword);
      try (Admin admin = Admin.create(wrong)) {
        assertThatThrownBy(() -> admin.describeCluster().nodes().get(60, TimeUnit.SECONDS))
            .hasRootCauseInstanceOf(SaslAuthenticationException.class);
      }

      String text = logs.text();
      assertThat(text)
          .as("the captured logs include the clients' configuration dumps")
          .contains("StreamsConfig values", "ProducerConfig values", "ConsumerConfig values")
          .contains("Effective configuration (secrets hidden)")
          .contains("sasl.jaas.config = " + EffectiveConfig.HIDDEN)
          .contains("ssl.truststore.password = " + EffectiveConfig.HIDDEN)
          .contains(SchemaRegistrySettings.BASIC_AUTH_USER_INFO + " = " + EffectiveConfig.HIDDEN)
          .contains(
              MonitorSettings.SYNTHETIC_TOPIC + " = " + s.topic(MonitorSettings.SYNTHETIC_TOPIC));
      for (String secret :
          List.of(
              SCRAM_PASSWORD, wrongPassword, certificates.password(), REGISTRY_PASSWORD, API_KEY)) {
        assertThat(text).as("no secret in %d log lines", logs.size()).doesNotContain(secret);
      }
    }
  }

  /** One LENS request through a worker on the secured broker, with an API key; its result. */
  private static LensResult judgeOnce(MonitorScenario s) throws Exception {
    String requests = "lens-requests-" + s.applicationId();
    String results = "lens-results-" + s.applicationId();
    kafka.createTopic(requests, 1);
    kafka.createTopic(results, 1);
    Map<String, Object> config = new HashMap<>(s.clientConfig());
    config.put(SchemaRegistrySettings.URL, registry.confluentCompatUrl());
    config.put("group.id", "lens-" + s.applicationId());
    config.put(LensWorkers.REQUESTS_TOPIC, requests);
    config.put(LensWorkers.RESULTS_TOPIC, results);
    config.put(LensWorkers.DEAD_LETTERS_TOPIC, s.topic(MonitorSettings.DEAD_LETTER_TOPIC));
    config.put(LlmSettings.RUBRIC_MODEL, "writer");
    config.put(LlmSettings.JUDGE_MODEL, "judge");
    config.put(LlmSettings.RUBRIC_SIZE, "3");
    config.put(LlmSettings.MAX_RETRIES, "0");
    try (FakeChatServer llm = FakeChatServer.start()) {
      config.put(LlmSettings.BASE_URL, llm.baseUrl());
      try (LensWorkers worker =
              LensWorkers.start(
                  config, name -> LlmSettings.DEFAULT_API_KEY_ENV.equals(name) ? API_KEY : null);
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
        producer
            .send(
                new ProducerRecord<>(
                    requests,
                    "gen-a",
                    LensRequest.newBuilder()
                        .setRequestId("q1")
                        .setGeneratorId("gen-a")
                        .setReferenceVersion("v1")
                        .setSyntheticExamples(List.of(new TextItem("s1", "the robot said hi")))
                        .setReferenceExamples(List.of(new TextItem("r1", "my dog said hi")))
                        .setReason(LensReason.DRIFT)
                        .setSamplesSeen(20)
                        .setRequestedAt(Instant.now())
                        .build()))
            .get(60, TimeUnit.SECONDS);
        LensResult result = answers.await("the LENS result", l -> !l.isEmpty()).get(0);
        assertThat(llm.authorizations()).as("the key was sent").contains("Bearer " + API_KEY);
        return result;
      }
    }
  }
}
