package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.avro.SyntheticSample;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The wire-format round trip against a real broker and a real registry: produce with this project's
 * serde, read the raw bytes back, and decode them with plain Avro and the schema fetched by id
 * straight from the registry's REST API (not through this project's client).
 */
final class WireRoundTrip {

  private static final ObjectMapper JSON = new ObjectMapper();

  private WireRoundTrip() {}

  static List<SyntheticSample> samples(int count) {
    List<SyntheticSample> samples = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      samples.add(
          SyntheticSample.newBuilder()
              .setGeneratorId("gen-" + (i % 2))
              .setSampleId("s-" + i)
              .setRunId(i == 0 ? null : "run-1")
              .setText("Headline number " + i + ": shares ✓ rise")
              .setEventTime(Instant.ofEpochMilli(1_700_000_000_000L + i))
              .setAttributes(Map.of("i", Integer.toString(i)))
              .build());
    }
    return samples;
  }

  /** Produces, reads raw bytes, decodes independently and checks every field. */
  static void check(String bootstrapServers, String registryUrl, String topic) throws Exception {
    List<SyntheticSample> sent = samples(5);
    Serde<SyntheticSample> serde =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registryUrl))
            .valueSerde(SyntheticSample.class);
    Properties producerProps = new Properties();
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, SyntheticSample> producer =
        new KafkaProducer<>(producerProps, new StringSerializer(), serde.serializer())) {
      for (SyntheticSample sample : sent) {
        producer.send(new ProducerRecord<>(topic, sample.getGeneratorId(), sample)).get();
      }
    }

    List<byte[]> raw = readRaw(bootstrapServers, topic, sent.size());

    HttpClient http = HttpClient.newHttpClient();
    for (byte[] bytes : raw) {
      assertThat(bytes[0]).as("magic byte").isZero();
      int schemaId = ByteBuffer.wrap(bytes, 1, 4).getInt();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(registryUrl + "/schemas/ids/" + schemaId)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET /schemas/ids/%d", schemaId).isEqualTo(200);
      JsonNode answer = JSON.readTree(response.body());
      Schema writer = new Schema.Parser().parse(answer.get("schema").asText());
      GenericRecord decoded =
          new GenericDatumReader<GenericRecord>(writer)
              .read(null, DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null));
      String sampleId = decoded.get("sampleId").toString();
      SyntheticSample expected =
          sent.stream().filter(x -> x.getSampleId().equals(sampleId)).findFirst().orElseThrow();
      assertThat(decoded.get("generatorId").toString()).isEqualTo(expected.getGeneratorId());
      assertThat(decoded.get("text").toString()).isEqualTo(expected.getText());
      assertThat(decoded.get("runId") == null ? null : decoded.get("runId").toString())
          .isEqualTo(expected.getRunId());
      assertThat(decoded.get("eventTime")).isEqualTo(expected.getEventTime().toEpochMilli());
      assertThat(((Map<?, ?>) decoded.get("attributes")).toString())
          .isEqualTo("{i=" + sampleId.substring(2) + "}");
      // And our own deserializer reads the same bytes back into the generated class.
      assertThat(serde.deserializer().deserialize(topic, bytes)).isEqualTo(expected);
    }

    HttpResponse<String> subjects =
        http.send(
            HttpRequest.newBuilder(URI.create(registryUrl + "/subjects")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(subjects.body()).contains("\"" + topic + "-value\"");
  }

  static List<byte[]> readRaw(String bootstrapServers, String topic, int expected) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (records.size() < expected && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      assertThat(records).as("records read back from %s", topic).hasSize(expected);
      // One partition per generator key would reorder them; order by sample id suffix instead.
      records.sort(java.util.Comparator.comparingLong(ConsumerRecord::timestamp));
      return records.stream().map(ConsumerRecord::value).toList();
    }
  }
}
