package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The serde against a real KRaft broker and a real Apicurio Registry (Confluent-compatible API):
 * the wire round trip, and each error a user can meet, with the topic and cause named.
 */
@ExtendWith(SharedInfrastructure.class)
class RegistryRoundTripIT {

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static Serde<SyntheticSample> serde(String registryUrl) {
    return new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registryUrl))
        .valueSerde(SyntheticSample.class);
  }

  @Test
  void shouldRoundTripThroughTheBrokerAndDecodeWithTheSchemaFetchedById() throws Exception {
    String topic = unique("roundtrip-samples");
    kafka.createTopic(topic, 3);

    WireRoundTrip.check(kafka.bootstrapServers(), registry.confluentCompatUrl(), topic);
  }

  @Test
  void shouldNameTopicAndIdWhenTheRegistryDoesNotKnowTheSchemaId() {
    byte[] unknownId = WireFormat.frame(987_654, new byte[] {2, 'x'});

    assertThatThrownBy(
            () ->
                serde(registry.confluentCompatUrl())
                    .deserializer()
                    .deserialize("samples-unknown-id", unknownId))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'samples-unknown-id'")
        .hasMessageContaining("schema id 987654")
        .hasMessageContaining("HTTP 404")
        .cause()
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND));
  }

  @Test
  void shouldNameTopicWhenTheRegistryRejectsAnIncompatibleSchema() throws Exception {
    String topic = unique("incompatible-samples");
    String subject = topic + "-value";
    HttpResponse<String> config =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create(registry.confluentCompatUrl() + "/config/" + subject))
                    .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                    .PUT(HttpRequest.BodyPublishers.ofString("{\"compatibility\":\"BACKWARD\"}"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(config.statusCode()).isEqualTo(200);
    // An earlier version whose generatorId was an int: a string reader cannot read that data.
    Schema earlier =
        SchemaBuilder.record("SyntheticSample")
            .namespace("dev.synque.monitor.avro")
            .fields()
            .requiredInt("generatorId")
            .endRecord();
    new RestSchemaRegistryClient(SchemaRegistrySettings.of(registry.confluentCompatUrl()))
        .register(subject, earlier);

    assertThatThrownBy(
            () ->
                serde(registry.confluentCompatUrl())
                    .serializer()
                    .serialize(topic, WireRoundTrip.samples(1).get(0)))
        .isInstanceOf(SerializationException.class)
        .hasMessageContaining("'" + topic + "'")
        .hasMessageContaining("HTTP 409")
        .hasMessageContaining("ncompatible")
        .cause()
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE));
  }

  @Test
  void shouldRejectARecordNotWrittenInTheWireFormatWithItsCoordinates() throws Exception {
    String topic = unique("json-samples");
    kafka.createTopic(topic, 1);
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), new StringSerializer())) {
      producer.send(new ProducerRecord<>(topic, "gen-a", "{\"text\":\"not avro\"}")).get();
    }
    Properties consumerProps = new Properties();
    consumerProps.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, unique("json-readers"));
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");

    try (KafkaConsumer<String, SyntheticSample> consumer =
        new KafkaConsumer<>(
            consumerProps,
            new StringDeserializer(),
            serde(registry.confluentCompatUrl()).deserializer())) {
      consumer.subscribe(java.util.List.of(topic));
      assertThatThrownBy(
              () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (System.nanoTime() < deadline) {
                  consumer.poll(Duration.ofMillis(200));
                }
              })
          .isInstanceOfSatisfying(
              RecordDeserializationException.class,
              e -> {
                assertThat(e.topicPartition().topic()).isEqualTo(topic);
                assertThat(e.offset()).isZero();
              })
          .cause()
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("'" + topic + "'")
          .hasMessageContaining("magic byte");
    }
  }

  @Test
  void shouldNameTopicAndUrlWhenTheRegistryIsUnreachable() throws Exception {
    String deadUrl;
    try (ServerSocket socket = new ServerSocket(0)) {
      deadUrl = "http://127.0.0.1:" + socket.getLocalPort();
    }
    String topic = unique("unreachable-samples");
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());

    try (KafkaProducer<String, SyntheticSample> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serde(deadUrl).serializer())) {
      SyntheticSample sample = WireRoundTrip.samples(1).get(0);
      assertThatThrownBy(() -> producer.send(new ProducerRecord<>(topic, "gen-0", sample)))
          .isInstanceOf(SerializationException.class)
          .hasMessageContaining("'" + topic + "'")
          .hasMessageContaining("unreachable")
          .hasMessageContaining(deadUrl);
    }
  }
}
