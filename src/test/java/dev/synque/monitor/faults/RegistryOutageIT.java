package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.RestSchemaRegistryClient;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.serde.SubjectNames;
import dev.synque.monitor.serde.WireFormat;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.LogCapture;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TopicReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The schema registry is down when the monitor starts, and goes down while it runs. The registry is
 * this test's own Apicurio with its database in files, so it comes back on the same port knowing
 * every schema id, as a registry with durable storage does. Nothing is dead-lettered or lost for
 * the registry's absence; the errors say what is wrong and where; the monitor recovers by itself.
 */
@ExtendWith(SharedInfrastructure.class)
class RegistryOutageIT {

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() throws IOException {
    kafka = SharedInfrastructure.kafka();
    registry = ApicurioRegistry.startPersistent(Files.createTempDirectory("registry-outage"));
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void shouldWaitForTheRegistryAtStartThenCountEverySample() throws InterruptedException {
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl());
        LogCapture logs = LogCapture.start(Map.of())) {
      s.createTopics();
      s.publishReference();
      s.publishSamples(0, 20);
      registry.stop();

      MonitorApplication app = s.buildMonitor("one", new FakeEmbedder(8));
      Thread starter = new Thread(app::start, "monitor-start");
      starter.start();
      Awaitility.await("a warning that the monitor waits for the registry")
          .dontCatchUncaughtExceptions()
          .atMost(TopicReader.PATIENCE)
          .until(() -> logs.text().contains("Waiting for the schema registry before starting"));
      assertThat(logs.text())
          .contains("Schema registry unreachable at " + registry.confluentCompatUrl())
          .contains("ConnectException");
      assertThat(app.streams().state()).as("not started yet").isEqualTo(KafkaStreams.State.CREATED);

      registry.restart();
      starter.join(TopicReader.PATIENCE.toMillis());
      MonitorScenario.awaitRunning(app);
      s.awaitRanking(20);
      s.awaitInputConsumed();
      assertThat(s.deadLetters().readToEnd()).isEmpty();
      assertThat(logs.text()).contains("The schema registry answers again");
    }
  }

  /**
   * Both ways of waiting are exercised: the stream thread first asks again in place (here for at
   * most 3 s), then fails and is replaced (a short session, so the group does not hold the
   * rebalance for 45 s for the failed thread's member), again and again until the registry is back.
   */
  @Test
  void shouldRetryRecordsOfAnUnseenSchemaWhileTheRegistryIsDownAndDeadLetterNothing() {
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl());
        LogCapture logs = LogCapture.start(Map.of())) {
      s.with(MonitorSettings.REGISTRY_WAIT_MS, 3_000)
          .with(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
          .with(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000);
      s.createTopics();
      s.publishReference();
      MonitorApplication app = s.startMonitor("one", new FakeEmbedder(8));
      s.publishSamples(0, 20);
      s.awaitRanking(20);

      // Samples of a newer schema version (one optional field more), registered while the
      // registry is up but first read by the monitor while it is down.
      List<Map.Entry<String, byte[]>> newer = newerVersionSamples(s, 20, 30);
      registry.stop();
      newer.forEach(sample -> s.sendSample(sample.getKey(), sample.getValue()));
      Awaitility.await("a stream thread replaced because the registry is down")
          .dontCatchUncaughtExceptions()
          .atMost(TopicReader.PATIENCE)
          .until(() -> app.replacedThreads() >= 1);
      assertThat(logs.text())
          .contains("The schema registry is unavailable while reading the record at")
          .contains("A stream thread stopped because the schema registry is unavailable")
          .contains("Schema registry unreachable at " + registry.confluentCompatUrl())
          .contains("is not dead-lettered");
      assertThat(s.deadLetters().readToEnd())
          .as("nothing dead-lettered during the outage")
          .isEmpty();

      registry.restart();
      s.publishSamples(30, 40);
      s.awaitRanking(40);
      s.awaitInputConsumed();

      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(app.exitCode()).isZero();
      assertThat(s.deadLetters().readToEnd()).isEmpty();
      List<QualityScores> scores = s.scores().readToEnd();
      for (String g : MonitorScenario.GENERATORS) {
        assertThat(
                scores.stream()
                    .filter(q -> q.getGeneratorId().equals(g))
                    .map(QualityScores::getSampleCount))
            .as("%s: one score per sample, none missing, none twice", g)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, 40).mapToObj(Long::valueOf).toList());
      }
    }
  }

  /**
   * Samples {@code from..to} of every generator in a newer, compatible schema, framed, with their
   * keys.
   */
  private static List<Map.Entry<String, byte[]>> newerVersionSamples(
      MonitorScenario s, int from, int to) {
    String json = SyntheticSample.getClassSchema().toString();
    Schema newer =
        new Schema.Parser()
            .parse(
                json.replaceFirst(
                    "\"fields\":\\[",
                    "\"fields\":[{\"name\":\"promptVersion\",\"type\":[\"null\",\"string\"],"
                        + "\"default\":null},"));
    int id =
        new RestSchemaRegistryClient(
                SchemaRegistrySettings.fromConfig(
                    Map.of(SchemaRegistrySettings.URL, registry.confluentCompatUrl())))
            .register(
                SubjectNames.topicName(s.topic(MonitorSettings.SYNTHETIC_TOPIC), false), newer);
    GenericDatumWriter<GenericRecord> writer = new GenericDatumWriter<>(newer);
    return IntStream.range(from, to)
        .boxed()
        .flatMap(
            i ->
                MonitorScenario.GENERATORS.stream()
                    .map(
                        g -> {
                          SyntheticSample sample = MonitorScenario.sample(g, i);
                          GenericRecord record = new GenericData.Record(newer);
                          record.put("promptVersion", "p2");
                          record.put("generatorId", g);
                          record.put("sampleId", sample.getSampleId());
                          record.put("text", sample.getText());
                          record.put("eventTime", sample.getEventTime().toEpochMilli());
                          record.put("attributes", Map.of());
                          return Map.entry(g, WireFormat.frame(id, encode(writer, record)));
                        }))
        .toList();
  }

  private static byte[] encode(GenericDatumWriter<GenericRecord> writer, GenericRecord record) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      writer.write(record, encoder);
      encoder.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
