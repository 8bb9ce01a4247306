package dev.synque.monitor.faults;

import static dev.synque.monitor.testkit.MonitorScenario.sample;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Poison pills on the real broker and registry: every kind of bad record lands in the dead-letter
 * topic with its reason, its coordinates and (when it fits) its original bytes; the monitor keeps
 * running; the number of dead letters and of samples counted match what was sent, exactly.
 */
@ExtendWith(SharedInfrastructure.class)
class PoisonPillIT {

  private static final int TEN_MB = 10 * 1024 * 1024;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  /** A bad record as sent, and what its dead letter must say. */
  private record Poison(RecordMetadata at, byte[] value, String reason, String says) {}

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldDeadLetterEveryPoisonRecordWithItsReasonAndCountEveryGoodSampleOnce() {
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      // The synthetic topic takes 16 MiB records, so the 10 MB text reaches the monitor.
      s.createTopics(4, Map.of("max.message.bytes", Integer.toString(16 * 1024 * 1024)));
      s.publishReference();
      MonitorApplication app = s.startMonitor("one", new FakeEmbedder(8));
      s.publishSamples(0, 20);

      List<Poison> poison = new ArrayList<>();
      byte[] random = new byte[64];
      new SplittableRandom(7).nextBytes(random);
      random[0] = 0x7f;
      poison.add(send(s, "gen-a", random, "DESERIALIZATION_FAILED", "expected magic byte"));
      byte[] unknownId = ByteBuffer.allocate(9).put((byte) 0).putInt(987_654_321).array();
      poison.add(send(s, "gen-b", unknownId, "DESERIALIZATION_FAILED", "987654321"));
      poison.add(
          send(
              s,
              "gen-c",
              anotherSchema(s),
              "DESERIALIZATION_FAILED",
              "cannot be read as dev.synque.monitor.avro.SyntheticSample"));
      byte[] whole = s.serialize(sample("gen-a", 1_000));
      poison.add(
          send(
              s,
              "gen-a",
              Arrays.copyOf(whole, whole.length - 12),
              "DESERIALIZATION_FAILED",
              "corrupt or truncated"));
      poison.add(send(s, "gen-b", s.serialize(sample("gen-b", 1_001, "")), "EMPTY_TEXT", "blank"));
      poison.add(
          send(s, "gen-c", s.serialize(sample("gen-c", 1_002, " \n\t ")), "EMPTY_TEXT", "blank"));
      poison.add(
          send(
              s,
              "gen-a",
              s.serialize(sample("gen-a", 1_003, "x".repeat(TEN_MB))),
              "TEXT_TOO_LONG",
              "is not copied into this dead letter"));
      poison.add(send(s, "gen-b", invalidUtf8Text(s, "gen-b"), "INVALID_UTF8", "field 'text'"));
      poison.add(
          new Poison(
              s.sendSample(
                  new byte[] {'g', 'e', 'n', (byte) 0xff, (byte) 0xfe},
                  s.serialize(sample("gen-c", 1_005))),
              null,
              "INVALID_UTF8",
              "the key is not valid UTF-8"));
      poison.add(
          send(
              s,
              "gen-c",
              s.serialize(sample("gen-c", 1_006, "v:NaN,0,0,0,0,0,0,0")),
              "NON_FINITE_EMBEDDING",
              "component 0 = NaN"));
      poison.add(
          send(
              s,
              "gen-a",
              s.serialize(sample("gen-a", 1_007, "v:Infinity,1,0,0,0,0,0,0")),
              "NON_FINITE_EMBEDDING",
              "component"));
      poison.add(new Poison(s.sendSample("gen-b", null), null, "MISSING_VALUE", "tombstone"));
      poison.add(
          send(s, "gen-b", s.serialize(sample("gen-c", 1_008)), "KEY_MISMATCH", "must equal"));
      s.publishSamples(20, 40);

      RankingUpdate ranking = s.awaitRanking(40);
      s.awaitInputConsumed();
      List<DeadLetter> letters = s.deadLetters().readToEnd();

      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(MonitorScenario.sampleCounts(ranking))
          .as("every good sample counted once, no poison record counted")
          .containsOnlyKeys(MonitorScenario.GENERATORS)
          .allSatisfy((g, n) -> assertThat(n).isEqualTo(40L));
      assertThat(letters).as("one dead letter per poison record").hasSize(poison.size());
      Map<String, DeadLetter> byCoordinates = new HashMap<>();
      letters.forEach(
          l -> byCoordinates.put(l.getSourcePartition() + "@" + l.getSourceOffset(), l));
      for (Poison p : poison) {
        DeadLetter letter = byCoordinates.get(p.at().partition() + "@" + p.at().offset());
        assertThat(letter).as("dead letter of %s", p.reason()).isNotNull();
        assertThat(letter.getReason()).isEqualTo(p.reason());
        assertThat(letter.getMessage()).contains(p.says());
        assertThat(letter.getSourceTopic()).isEqualTo(s.topic(MonitorSettings.SYNTHETIC_TOPIC));
        assertThat(letter.getApplicationId()).isEqualTo(s.applicationId());
        if (p.value() != null && p.value().length < 1_000_000) {
          assertThat(bytes(letter.getValue())).as("the original bytes").isEqualTo(p.value());
        }
      }
      DeadLetter huge =
          letters.stream()
              .filter(l -> l.getReason().equals("TEXT_TOO_LONG"))
              .findFirst()
              .orElseThrow();
      assertThat(huge.getValue()).as("a 10 MB value is left in the source topic").isNull();
      assertThat(huge.getMessage())
          .contains(
              MonitorSettings.MAX_TEXT_BYTES, "16384", MonitorSettings.DEAD_LETTER_MAX_VALUE_BYTES);
    }
  }

  /**
   * A topic with the broker's default limit (1 MB) refuses a 10 MB text, and the generator's
   * producer is told so: by its own {@code max.request.size} check, or by the broker when the
   * producer allows larger requests. Nothing reaches the monitor.
   */
  @Test
  void shouldFailClearlyOnTheProducerSideWhenTheTopicRefusesATenMegabyteText() {
    String topic = "default-limits-" + UUID.randomUUID();
    kafka.createTopic(topic, 1);
    byte[] huge =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl()))
            .valueSerde(SyntheticSample.class)
            .serializer()
            .serialize(topic, sample("gen-a", 0, "x".repeat(TEN_MB)));

    assertThatThrownBy(() -> sendWith(topic, huge, Map.of()))
        .hasRootCauseInstanceOf(RecordTooLargeException.class)
        .rootCause()
        .hasMessageContaining("max.request.size");
    assertThatThrownBy(
            () -> sendWith(topic, huge, Map.of(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 32 << 20)))
        .hasRootCauseInstanceOf(RecordTooLargeException.class)
        .rootCause()
        .hasMessageContaining("larger than the max message size the server will accept");
  }

  private static void sendWith(String topic, byte[] value, Map<String, Object> extra)
      throws InterruptedException, ExecutionException, java.util.concurrent.TimeoutException {
    Map<String, Object> config = kafka.clientProperties();
    config.putAll(extra);
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(topic, "gen-a".getBytes(StandardCharsets.UTF_8), value))
          .get(60, TimeUnit.SECONDS);
    }
  }

  private static Poison send(
      MonitorScenario s, String key, byte[] value, String reason, String says) {
    return new Poison(s.sendSample(key, value), value, reason, says);
  }

  /** A ReferenceSample, registered under another topic's subject, sent to the synthetic topic. */
  private static byte[] anotherSchema(MonitorScenario s) {
    String other = "other-topic-" + UUID.randomUUID();
    return s.serdes()
        .valueSerde(ReferenceSample.class)
        .serializer()
        .serialize(
            other,
            ReferenceSample.newBuilder()
                .setReferenceSetId("set")
                .setReferenceVersion("v1")
                .setSampleId("r1")
                .setText("a real headline")
                .setEventTime(Instant.ofEpochMilli(1))
                .build());
  }

  /** A well-framed sample whose text bytes are not UTF-8 (Avro alone would read U+FFFDs). */
  private static byte[] invalidUtf8Text(MonitorScenario s, String generator) {
    String marker = "@@BAD@@";
    byte[] bytes = s.serialize(sample(generator, 1_004, "before " + marker + " after"));
    byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
    byte[] broken = {(byte) 0xc3, 0x28, (byte) 0xa0, (byte) 0xa1, (byte) 0xe2, 0x28, (byte) 0xa1};
    for (int i = 0; i + needle.length <= bytes.length; i++) {
      if (Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
        System.arraycopy(broken, 0, bytes, i, broken.length);
        return bytes;
      }
    }
    throw new IllegalStateException("marker not found in the serialized sample");
  }

  private static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    byte[] b = new byte[buffer.remaining()];
    buffer.duplicate().get(b);
    return b;
  }
}
