package dev.synque.monitor.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.server.common.MetadataVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Proves the real test infrastructure works: the embedded broker serves consumer groups and
 * transactions, and Apicurio's Confluent-compatible API registers, serves and rejects schemas the
 * way the Confluent clients expect. Also pins the registry's error responses, which the application
 * maps to clear messages.
 */
@ExtendWith(SharedInfrastructure.class)
class InfrastructureSmokeIT {

  private static final Duration TIMEOUT = Duration.ofSeconds(60);
  private static final String SCHEMA_REGISTRY_JSON = "application/vnd.schemaregistry.v1+json";

  /** What the Confluent serializers' REST client sends. */
  private static final String CONFLUENT_CLIENT_ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
          + " application/json; qs=0.5";

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static final String USER_V1 =
      """
      {"type": "record", "name": "User", "namespace": "dev.synque.smoke",
       "fields": [{"name": "name", "type": "string"}]}""";

  /** Adds a field without a default: readers of v2 cannot read v1 data, so not BACKWARD. */
  private static final String USER_V2_INCOMPATIBLE =
      """
      {"type": "record", "name": "User", "namespace": "dev.synque.smoke",
       "fields": [{"name": "name", "type": "string"}, {"name": "age", "type": "int"}]}""";

  @Test
  void shouldDeliverRecordToConsumerGroupAndCommitItsOffset() throws Exception {
    // given
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    String topic = unique("smoke-plain");
    String group = unique("smoke-group");
    kafka.createTopic(topic, 3);

    // when
    RecordMetadata sent;
    try (KafkaProducer<String, String> producer = producer(kafka, Map.of())) {
      sent =
          producer
              .send(new ProducerRecord<>(topic, "key-1", "hello"))
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    List<ConsumerRecord<String, String>> received;
    try (KafkaConsumer<String, String> consumer = consumer(kafka, group, "read_uncommitted")) {
      consumer.subscribe(List.of(topic));
      received = pollUntil(consumer, 1);
      consumer.commitSync();
    }

    // then
    assertThat(received)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.key()).isEqualTo("key-1");
              assertThat(record.value()).isEqualTo("hello");
            });
    try (Admin admin = kafka.admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(group)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      assertThat(committed.get(new TopicPartition(topic, sent.partition())))
          .extracting(OffsetAndMetadata::offset)
          .isEqualTo(sent.offset() + 1);
    }
  }

  /**
   * Tests publish samples with fixed event times near 1970, and outputs inherit them: a topic with
   * a time limit would lose them at the broker's first retention check, mid-suite.
   */
  @Test
  void shouldKeepRecordsOfAnyAgeOnItsTopics() throws Exception {
    // given
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    String topic = unique("smoke-retention");
    kafka.createTopic(topic, 1);

    // when
    org.apache.kafka.clients.admin.Config config;
    try (Admin admin = kafka.admin()) {
      org.apache.kafka.common.config.ConfigResource resource =
          new org.apache.kafka.common.config.ConfigResource(
              org.apache.kafka.common.config.ConfigResource.Type.TOPIC, topic);
      config =
          admin
              .describeConfigs(List.of(resource))
              .all()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .get(resource);
    }

    // then
    assertThat(config.get("retention.ms").value()).isEqualTo("-1");
  }

  @Test
  void shouldRunReleasedMetadataVersionWithItsDefaultFeatureLevels() throws Exception {
    // given
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();

    // when
    Map<String, FinalizedVersionRange> features;
    try (Admin admin = kafka.admin()) {
      features =
          admin
              .describeFeatures()
              .featureMetadata()
              .get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)
              .finalizedFeatures();
    }

    // then: like a cluster formatted by kafka-storage of this release, not the test kit's defaults
    assertThat(features.get("metadata.version").maxVersionLevel())
        .isEqualTo(MetadataVersion.latestProduction().featureLevel());
    assertThat(features.get("group.version").maxVersionLevel()).isEqualTo((short) 1);
    assertThat(features.get("transaction.version").maxVersionLevel()).isEqualTo((short) 2);
    assertThat(features.get("streams.version").maxVersionLevel()).isEqualTo((short) 1);
  }

  @Test
  void shouldShowOnlyCommittedTransactionalRecordsToReadCommittedConsumer() throws Exception {
    // given
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    String topic = unique("smoke-tx");
    kafka.createTopic(topic, 1);

    // when
    try (KafkaProducer<String, String> producer =
        producer(kafka, Map.of(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("smoke-tx-id")))) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "aborted"));
      producer.flush();
      producer.abortTransaction();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed"));
      producer.commitTransaction();
    }

    // then
    try (KafkaConsumer<String, String> consumer =
        consumer(kafka, unique("smoke-rc"), "read_committed")) {
      consumer.subscribe(List.of(topic));
      assertThat(pollUntil(consumer, 1))
          .extracting(ConsumerRecord::value)
          .containsExactly("committed");
    }
    try (KafkaConsumer<String, String> consumer =
        consumer(kafka, unique("smoke-ru"), "read_uncommitted")) {
      consumer.subscribe(List.of(topic));
      assertThat(pollUntil(consumer, 2))
          .extracting(ConsumerRecord::value)
          .containsExactly("aborted", "committed");
    }
  }

  @Test
  void shouldServeRegisteredAvroSchemaByItsId() throws Exception {
    // given
    String ccompat = SharedInfrastructure.registry().confluentCompatUrl();
    String subject = unique("smoke-register") + "-value";

    // when
    HttpResponse<String> registered =
        post(ccompat + "/subjects/" + subject + "/versions", schemaBody(USER_V1));

    // then
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);
    int id = JSON.readTree(registered.body()).path("id").asInt(-1);
    assertThat(id).isPositive();
    HttpResponse<String> fetched = get(ccompat + "/schemas/ids/" + id);
    assertThat(fetched.statusCode()).as(fetched.body()).isEqualTo(200);
    JsonNode schema = JSON.readTree(JSON.readTree(fetched.body()).path("schema").asText());
    assertThat(schema).isEqualTo(JSON.readTree(USER_V1));
  }

  /**
   * Apicurio 2.6.13 answers {@code 409 {"error_code":409,"message":"io.apicurio.registry.rules.
   * RuleViolationException: Incompatible artifact: <subject> [AVRO], num of incompatible diffs:
   * {1}, list of diff types: [age at /fields/1] Causes: age at /fields/1"}}.
   */
  @Test
  void shouldRejectIncompatibleSchemaWith409WhenSubjectIsBackwardCompatible() throws Exception {
    // given
    String ccompat = SharedInfrastructure.registry().confluentCompatUrl();
    String subject = unique("smoke-compat") + "-value";
    assertThat(
            post(ccompat + "/subjects/" + subject + "/versions", schemaBody(USER_V1)).statusCode())
        .isEqualTo(200);
    HttpResponse<String> config =
        put(ccompat + "/config/" + subject, "{\"compatibility\":\"BACKWARD\"}");
    assertThat(config.statusCode()).as(config.body()).isEqualTo(200);

    // when
    HttpResponse<String> rejected =
        post(ccompat + "/subjects/" + subject + "/versions", schemaBody(USER_V2_INCOMPATIBLE));

    // then
    assertThat(rejected.statusCode()).as(rejected.body()).isEqualTo(409);
    JsonNode error = JSON.readTree(rejected.body());
    assertThat(error.path("error_code").asInt()).isEqualTo(409);
    assertThat(error.path("message").asText()).contains("Incompatible artifact", subject);
  }

  /**
   * Apicurio 2.6.13: {@code 404 {"error_code":40403,"message":"No content with id/hash
   * 'contentId-999999' was found."}}.
   */
  @Test
  void shouldAnswer404With40403ForUnknownSchemaId() throws Exception {
    // given
    String ccompat = SharedInfrastructure.registry().confluentCompatUrl();

    // when
    HttpResponse<String> response = get(ccompat + "/schemas/ids/999999");

    // then
    assertError(response, 404, 40403, "999999");
  }

  /**
   * Apicurio 2.6.13: {@code 404 {"error_code":40401,"message":"No artifact with ID '<subject>' in
   * group 'null' was found."}}.
   */
  @Test
  void shouldAnswer404With40401ForUnknownSubject() throws Exception {
    // given
    String ccompat = SharedInfrastructure.registry().confluentCompatUrl();
    String subject = unique("smoke-missing") + "-value";

    // when
    HttpResponse<String> versions = get(ccompat + "/subjects/" + subject + "/versions");
    HttpResponse<String> lookup = post(ccompat + "/subjects/" + subject, schemaBody(USER_V1));

    // then
    assertError(versions, 404, 40401, subject);
    assertError(lookup, 404, 40401, subject);
  }

  /**
   * Looking up ({@code POST /subjects/{subject}}) a schema the subject does not hold. Apicurio
   * 2.6.13: {@code 404 {"error_code":40403,"message":"The given schema does not match any schema
   * under the subject <subject>"}}.
   */
  @Test
  void shouldAnswer404With40403WhenLookingUpSchemaNotRegisteredUnderSubject() throws Exception {
    // given
    String ccompat = SharedInfrastructure.registry().confluentCompatUrl();
    String subject = unique("smoke-lookup") + "-value";
    HttpResponse<String> registered =
        post(ccompat + "/subjects/" + subject + "/versions", schemaBody(USER_V1));
    assertThat(registered.statusCode()).as(registered.body()).isEqualTo(200);

    // when
    HttpResponse<String> unknown =
        post(ccompat + "/subjects/" + subject, schemaBody(USER_V2_INCOMPATIBLE));
    HttpResponse<String> known = post(ccompat + "/subjects/" + subject, schemaBody(USER_V1));

    // then
    assertError(unknown, 404, 40403, subject);
    assertThat(known.statusCode()).as(known.body()).isEqualTo(200);
    JsonNode found = JSON.readTree(known.body());
    assertThat(found.path("id").asInt())
        .isEqualTo(JSON.readTree(registered.body()).path("id").asInt());
    assertThat(found.path("subject").asText()).isEqualTo(subject);
    assertThat(found.path("version").asInt()).isEqualTo(1);
  }

  private static void assertError(
      HttpResponse<String> response, int status, int errorCode, String messagePart)
      throws IOException {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = JSON.readTree(response.body());
    assertThat(error.path("error_code").asInt()).as(response.body()).isEqualTo(errorCode);
    assertThat(error.path("message").asText()).contains(messagePart);
  }

  private static List<ConsumerRecord<String, String>> pollUntil(
      KafkaConsumer<String, String> consumer, int count) {
    List<ConsumerRecord<String, String>> received = new ArrayList<>();
    await("at least " + count + " record(s)")
        .atMost(TIMEOUT)
        .pollDelay(Duration.ZERO)
        .pollInterval(Duration.ofMillis(10))
        .until(
            () -> {
              consumer.poll(Duration.ofMillis(200)).forEach(received::add);
              return received.size() >= count;
            });
    return received;
  }

  private static KafkaProducer<String, String> producer(
      EmbeddedKafkaCluster kafka, Map<String, Object> extra) {
    Map<String, Object> config = kafka.clientProperties();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.putAll(extra);
    return new KafkaProducer<>(config, new StringSerializer(), new StringSerializer());
  }

  private static KafkaConsumer<String, String> consumer(
      EmbeddedKafkaCluster kafka, String groupId, String isolationLevel) {
    Map<String, Object> config = kafka.clientProperties();
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolationLevel);
    return new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }

  private static String schemaBody(String avroSchema) throws IOException {
    return JSON.writeValueAsString(Map.of("schema", avroSchema));
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(URI.create(url)).GET());
  }

  private static HttpResponse<String> post(String url, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", SCHEMA_REGISTRY_JSON)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> put(String url, String body)
      throws IOException, InterruptedException {
    return send(
        HttpRequest.newBuilder(URI.create(url))
            .header("Content-Type", SCHEMA_REGISTRY_JSON)
            .PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(
        request.header("Accept", CONFLUENT_CLIENT_ACCEPT).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID();
  }
}
