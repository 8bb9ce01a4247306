package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** The whole monitor topology in a {@link TopologyTestDriver}, with a fake embedder. */
final class MonitorDriver implements AutoCloseable {

  final MonitorSettings settings;
  final FakeEmbedder embedder;
  final InMemorySchemaRegistry registry = new InMemorySchemaRegistry();
  final TopologyTestDriver driver;
  final TestInputTopic<String, SyntheticSample> samples;
  final TestInputTopic<byte[], byte[]> rawSamples;
  final TestInputTopic<String, ReferenceSample> reference;
  final TestOutputTopic<String, QualityScores> scores;
  final TestOutputTopic<String, RankingUpdate> rankings;
  final TestOutputTopic<String, DriftAlert> alerts;
  final TestOutputTopic<byte[], DeadLetter> deadLetters;

  /** LENS topics; null unless {@code synque.lens.enabled}. */
  final TestOutputTopic<String, LensRequest> lensRequests;

  final TestInputTopic<String, LensResult> lensResults;
  final TestInputTopic<byte[], byte[]> rawLensResults;

  MonitorDriver(Map<String, ?> overrides, Path stateDir) {
    this(overrides, stateDir, new FakeEmbedder(4));
  }

  MonitorDriver(Map<String, ?> overrides, Path stateDir, FakeEmbedder embedder) {
    this(overrides, stateDir, embedder, MonitorMetrics.NONE);
  }

  MonitorDriver(
      Map<String, ?> overrides, Path stateDir, FakeEmbedder embedder, MonitorMetrics metrics) {
    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.EMBED_BATCH_SIZE, 1);
    config.put(MonitorSettings.SCORES_EVERY_MS, 0);
    // The test driver reads outputs right after each input: embed on the stream thread.
    config.put(MonitorSettings.EMBED_ASYNC, false);
    config.putAll(overrides);
    this.settings = MonitorSettings.fromConfig(config);
    this.embedder = embedder;
    AvroSerdeFactory factory =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, "http://unused:8081"), registry);
    MonitorSerdes serdes = MonitorSerdes.from(factory);
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    driver =
        new TopologyTestDriver(
            MonitorTopology.build(settings, () -> embedder, serdes, metrics), props);
    samples =
        driver.createInputTopic(
            settings.syntheticTopic(), new StringSerializer(), serdes.synthetic().serializer());
    rawSamples =
        driver.createInputTopic(
            settings.syntheticTopic(), new ByteArraySerializer(), new ByteArraySerializer());
    reference =
        driver.createInputTopic(
            settings.referenceTopic(), new StringSerializer(), serdes.reference().serializer());
    scores =
        driver.createOutputTopic(
            settings.scoresTopic(), new StringDeserializer(), serdes.scores().deserializer());
    rankings =
        driver.createOutputTopic(
            settings.rankingsTopic(), new StringDeserializer(), serdes.rankings().deserializer());
    alerts =
        driver.createOutputTopic(
            settings.alertsTopic(), new StringDeserializer(), serdes.alerts().deserializer());
    deadLetters =
        driver.createOutputTopic(
            settings.deadLetterTopic(),
            new ByteArrayDeserializer(),
            serdes.deadLetters().deserializer());
    boolean lens = settings.lens().enabled();
    lensRequests =
        lens
            ? driver.createOutputTopic(
                settings.lens().requestsTopic(),
                new StringDeserializer(),
                serdes.lensRequests().deserializer())
            : null;
    lensResults =
        lens
            ? driver.createInputTopic(
                settings.lens().resultsTopic(),
                new StringSerializer(),
                serdes.lensResults().serializer())
            : null;
    rawLensResults =
        lens
            ? driver.createInputTopic(
                settings.lens().resultsTopic(),
                new ByteArraySerializer(),
                new ByteArraySerializer())
            : null;
  }

  void sample(String generator, String sampleId, String text, long eventTime) {
    samples.pipeInput(
        generator,
        SyntheticSample.newBuilder()
            .setGeneratorId(generator)
            .setSampleId(sampleId)
            .setText(text)
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .build(),
        Instant.ofEpochMilli(eventTime));
  }

  void referenceSample(String version, String sampleId, String text, long eventTime) {
    reference.pipeInput(
        "set/" + sampleId,
        ReferenceSample.newBuilder()
            .setReferenceSetId("set")
            .setReferenceVersion(version)
            .setSampleId(sampleId)
            .setText(text)
            .setEventTime(Instant.ofEpochMilli(eventTime))
            .build(),
        Instant.ofEpochMilli(eventTime));
  }

  @Override
  public void close() {
    driver.close();
  }
}
