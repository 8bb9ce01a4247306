package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistryClient;
import dev.synque.monitor.serde.SchemaRegistryException;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input the fault suite sends, at the topology level: each case in isolation. */
class BadInputTopologyTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  private static void reference(MonitorDriver m) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample("v1", "r" + i, BASIS[i], 0);
    }
  }

  @Test
  void shouldDeadLetterANonFiniteEmbeddingAndKeepTheWindowFinite() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(MonitorSettings.SCORES_EVERY_SAMPLES, 1, MonitorSettings.WINDOW_KIND, "NONE"),
            stateDir)) {
      reference(m);
      m.sample("gen-a", "s1", "v:1,1,0,0", 100);
      m.sample("gen-a", "s2", "v:NaN,0,0,0", 101);
      m.sample("gen-a", "s3", "v:0,1,1,0", 102);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters).extracting(DeadLetter::getReason).containsExactly("NON_FINITE_EMBEDDING");
      assertThat(letters.get(0).getMessage()).contains("s2", "component 0 = NaN", "finite");
      List<QualityScores> scores = m.scores.readValuesToList();
      assertThat(scores).hasSize(2);
      QualityScores last = scores.get(1);
      assertThat(last.getSampleCount()).isEqualTo(2);
      assertThat(last.getScores()).allMatch(p -> p.getStatus() == ProxyStatus.OK);
    }
  }

  @Test
  void shouldDeadLetterATooLongTextWithoutCopyingAValueOverTheLimit() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.MAX_TEXT_BYTES,
                10,
                MonitorSettings.DEAD_LETTER_MAX_VALUE_BYTES,
                40),
            stateDir)) {
      reference(m);
      m.sample("gen-a", "s1", "é".repeat(5), 100); // 10 bytes: at the limit
      m.sample("gen-a", "s2", "é".repeat(6), 101); // 12 bytes
      m.sample("gen-a", "s3", "x".repeat(500), 102);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters).extracting(DeadLetter::getReason).containsOnly("TEXT_TOO_LONG");
      assertThat(letters).hasSize(2);
      assertThat(letters.get(0).getMessage())
          .contains("s2", "12 UTF-8 bytes", "limit is 10", MonitorSettings.MAX_TEXT_BYTES);
      assertThat(letters.get(0).getValue()).as("small enough to copy").isNotNull();
      assertThat(letters.get(1).getValue()).isNull();
      assertThat(letters.get(1).getMessage())
          .contains("is not copied", MonitorSettings.DEAD_LETTER_MAX_VALUE_BYTES, "@2");
    }
  }

  @Test
  void shouldDeadLetterAKeyThatIsNotUtf8() {
    try (MonitorDriver m = new MonitorDriver(Map.of(), stateDir)) {
      reference(m);
      // The key is checked first: a key that is not UTF-8 cannot be a generator id.
      byte[] value = {0, 0, 0, 0, 1};
      m.rawSamples.pipeInput(new byte[] {'g', (byte) 0xc3, 0x28}, value);

      DeadLetter letter = m.deadLetters.readValue();
      assertThat(letter.getReason()).isEqualTo("INVALID_UTF8");
      assertThat(letter.getMessage()).contains("key is not valid UTF-8");
    }
  }

  @Test
  void shouldNotDeadLetterARecordWhileTheRegistryIsUnreachable() {
    UnreachableForReads registry = new UnreachableForReads();
    AvroSerdeFactory factory =
        new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, "http://down:8081"), registry);
    MonitorSerdes serdes = MonitorSerdes.from(factory);
    MonitorSettings settings =
        MonitorSettings.fromConfig(
            Map.of(MonitorSettings.EMBED_BATCH_SIZE, 1, MonitorSettings.REGISTRY_WAIT_MS, 300));
    byte[] value =
        serdes
            .synthetic()
            .serializer()
            .serialize(
                settings.syntheticTopic(),
                SyntheticSample.newBuilder()
                    .setGeneratorId("gen-a")
                    .setSampleId("s1")
                    .setText("text")
                    .setEventTime(Instant.ofEpochMilli(1))
                    .build());
    registry.forget();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            MonitorTopology.build(settings, () -> new FakeEmbedder(4), serdes), props())) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              settings.syntheticTopic(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> deadLetters =
          driver.createOutputTopic(
              settings.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

      assertThatThrownBy(() -> in.pipeInput("gen-a".getBytes(StandardCharsets.UTF_8), value))
          .hasStackTraceContaining("is not dead-lettered")
          .satisfies(e -> assertThat(SchemaRegistryException.transientCause(e)).isPresent());
      assertThat(registry.reads).as("asked again in place before failing").isGreaterThan(1);
      assertThat(deadLetters.isEmpty()).isTrue();
    }
  }

  @Test
  void shouldNotDeadLetterALensResultWhileTheRegistryIsUnreachable() {
    UnreachableForReads registry = new UnreachableForReads();
    MonitorSerdes serdes =
        MonitorSerdes.from(
            new AvroSerdeFactory(Map.of(SchemaRegistrySettings.URL, "http://down:8081"), registry));
    MonitorSettings settings =
        MonitorSettings.fromConfig(
            Map.of(MonitorSettings.LENS_ENABLED, true, MonitorSettings.REGISTRY_WAIT_MS, 300));
    byte[] value =
        serdes
            .lensResults()
            .serializer()
            .serialize(
                settings.lens().resultsTopic(),
                dev.synque.monitor.avro.LensResult.newBuilder()
                    .setRequestId("q1")
                    .setGeneratorId("gen-a")
                    .setReferenceVersion("v1")
                    .setStatus(dev.synque.monitor.avro.LensStatus.OK)
                    .setScore(0.5)
                    .setCompletedAt(Instant.ofEpochMilli(1))
                    .build());
    registry.forget();
    try (TopologyTestDriver driver =
        new TopologyTestDriver(
            MonitorTopology.build(settings, () -> new FakeEmbedder(4), serdes), props())) {
      TestInputTopic<byte[], byte[]> in =
          driver.createInputTopic(
              settings.lens().resultsTopic(), new ByteArraySerializer(), new ByteArraySerializer());
      TestOutputTopic<byte[], byte[]> deadLetters =
          driver.createOutputTopic(
              settings.deadLetterTopic(), new ByteArrayDeserializer(), new ByteArrayDeserializer());

      assertThatThrownBy(() -> in.pipeInput("gen-a".getBytes(StandardCharsets.UTF_8), value))
          .hasStackTraceContaining("is not dead-lettered")
          .satisfies(e -> assertThat(SchemaRegistryException.transientCause(e)).isPresent());
      assertThat(deadLetters.isEmpty()).isTrue();
    }
  }

  private Properties props() {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "monitor-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    return props;
  }

  /** Registers normally; after {@link #forget()}, every read by id is "unreachable". */
  private static final class UnreachableForReads implements SchemaRegistryClient {
    private final InMemorySchemaRegistry delegate = new InMemorySchemaRegistry();
    private volatile boolean down;
    volatile int reads;

    void forget() {
      down = true;
    }

    @Override
    public int register(String subject, Schema schema) {
      return delegate.register(subject, schema);
    }

    @Override
    public int lookup(String subject, Schema schema) {
      return delegate.lookup(subject, schema);
    }

    @Override
    public Schema schemaById(int id) {
      reads++;
      if (down) {
        throw new SchemaRegistryException(
            SchemaRegistryException.Kind.UNREACHABLE, -1, -1, "registry down", null);
      }
      return delegate.schemaById(id);
    }

    @Override
    public String describe() {
      return "test registry";
    }
  }
}
