package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ReferenceSample;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.serde.WireFormat;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Builders;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The monitor's guarantee as properties over arbitrary schema-valid input, driven through the whole
 * topology: arbitrary Unicode (control characters and lone surrogates included) in every string,
 * texts of up to 4 MB, any {@code long} event time, attribute maps of any size, keys that are not
 * the generator id, bytes that are not Avro, a compatible evolved writer schema, and reference
 * versions that arrive record by record, partly, edited, deleted and interleaved with samples.
 *
 * <ul>
 *   <li>Nothing throws (the processors themselves, without the last-line handlers).
 *   <li>Every sample contributes (is counted in its generator's all-time view) or yields exactly
 *       one dead letter, never both.
 *   <li>Every output is within the broker's limits: a timestamp in {@code [0, latest input
 *       timestamp + synque.sample.max.future.ms]} and a value under 1 MB.
 * </ul>
 *
 * <p>Each run draws at least 1,000 samples (40 tries of 25–40) and 1,000 reference records (40
 * tries of 25–40); jqwik prints the seed of every property, and a failure's shrunk counterexample
 * with it ({@code @Property(seed = ...)} replays it). Counterexamples found so far are named
 * regression tests in {@link NeverStopsTopologyTest}.
 */
class NeverStopsPropertyTest {

  private static final long NOW = 1_800_000_000_000L;

  /** Longer than any gap between two event times the draws make (a thousand years). */
  private static final long NEVER = 1_000L * 365 * 24 * 3_600_000L;

  private static final long MAX_VALUE_BYTES = 1_000_000;
  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  /** One input: the record's key and value bytes, its Kafka timestamp, and what it carried. */
  record Input(byte[] key, byte[] value, long timestamp, String generator) {}

  @Property(tries = 40)
  void everySampleContributesOrIsDeadLetteredOnceAndOutputsStayWithinLimits(
      @ForAll @Size(min = 25, max = 40) List<@From("samples") SampleDraw> draws)
      throws IOException {
    Path dir = Files.createTempDirectory("never-stops");
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.WINDOW_SIZE_MS, 60_000,
                MonitorSettings.WINDOW_ADVANCE_MS, 60_000,
                MonitorSettings.WINDOW_GRACE_MS, 0,
                MonitorSettings.RANKING_MIN_SAMPLES, 1,
                // Counting is the property here; retirement (a generator's state leaving the
                // stores after a gap in event time, which arbitrary times produce) is
                // LifecycleTest's.
                LifecycleSettings.IDLE_MS, NEVER,
                LifecycleSettings.RETIRE_MS, NEVER),
            dir)) {
      for (int i = 0; i < BASIS.length; i++) {
        m.referenceSample("v1", "r" + i, BASIS[i], 0);
      }
      Outputs outputs = new Outputs(m);
      Writers writers = new Writers(m);
      long latestInput = 0;
      List<Input> inputs = new ArrayList<>();
      for (SampleDraw draw : draws) {
        Input input = writers.encode(draw);
        inputs.add(input);
        latestInput = Math.max(latestInput, input.timestamp());
        m.rawSamples.pipeInput(
            new TestRecord<>(input.key(), input.value(), Instant.ofEpochMilli(input.timestamp())));
      }

      Map<Long, Integer> lettersByOffset = new HashMap<>();
      for (DeadLetter letter : outputs.deadLetters(latestInput)) {
        lettersByOffset.merge(letter.getSourceOffset(), 1, Integer::sum);
        assertThat(letter.getReason()).matches("[A-Z_]+");
        assertThat(letter.getMessage()).isNotBlank();
      }
      assertThat(lettersByOffset.values()).as("dead letters per input").allMatch(n -> n == 1);
      Map<String, Long> contributed = new HashMap<>();
      for (int offset = 0; offset < inputs.size(); offset++) {
        if (!lettersByOffset.containsKey((long) offset)) {
          contributed.merge(inputs.get(offset).generator(), 1L, Long::sum);
        }
      }
      Map<String, Long> counted = new HashMap<>();
      for (QualityScores s : outputs.scores(latestInput)) {
        if (s.getWindowKind() == WindowKind.ALL_TIME) {
          counted.put(s.getGeneratorId(), s.getSampleCount());
        }
      }
      assertThat(counted)
          .as("samples counted in the all-time view = samples not dead-lettered")
          .isEqualTo(contributed);
      outputs.checkRankingsAndAlerts(latestInput);
    } finally {
      deleteRecursively(dir);
    }
  }

  @Property(tries = 40)
  void referenceSequencesNeverStopTheMonitorAndTheLastCompleteVersionWins(
      @ForAll @Size(min = 25, max = 40) List<@From("references") ReferenceDraw> draws)
      throws IOException {
    Path dir = Files.createTempDirectory("never-stops");
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.WINDOW_KIND, "NONE",
                MonitorSettings.RANKING_MIN_SAMPLES, 1),
            dir)) {
      TestInputTopic<byte[], byte[]> rawReference =
          m.driver.createInputTopic(
              m.settings.referenceTopic(),
              new org.apache.kafka.common.serialization.ByteArraySerializer(),
              new org.apache.kafka.common.serialization.ByteArraySerializer());
      Serializer<ReferenceSample> serializer =
          MonitorSerdes.from(
                  new dev.synque.monitor.serde.AvroSerdeFactory(
                      Map.of(
                          dev.synque.monitor.serde.SchemaRegistrySettings.URL,
                          "http://unused:8081"),
                      m.registry))
              .reference()
              .serializer();
      long t = NOW;
      int sample = 0;
      for (ReferenceDraw draw : draws) {
        byte[] value =
            switch (draw.shape()) {
              case TOMBSTONE -> null;
              case GARBAGE ->
                  draw.sample().getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
              case RECORD -> serializer.serialize(m.settings.referenceTopic(), draw.sample());
            };
        rawReference.pipeInput(
            new TestRecord<>(
                draw.key() == null
                    ? null
                    : draw.key().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                value,
                Instant.ofEpochMilli(t)));
        if (draw.thenSample()) {
          String generator = "gen-" + (sample % 3);
          m.sample(generator, "s" + sample++, "v:1,1,0," + (sample % 2), ++t);
        }
      }
      for (int i = 0; i < BASIS.length; i++) {
        m.reference.pipeInput(
            "set/f" + i,
            ReferenceSample.newBuilder()
                .setReferenceSetId("set")
                .setReferenceVersion("~final")
                .setSampleId("f" + i)
                .setText(BASIS[i])
                .setEventTime(Instant.ofEpochMilli(Long.MAX_VALUE))
                .build(),
            Instant.ofEpochMilli(t));
      }
      for (int g = 0; g < 3; g++) {
        m.sample("gen-" + g, "last" + g, "v:0,1,1,0", ++t);
      }

      Outputs outputs = new Outputs(m);
      assertThat(outputs.deadLetters(t)).as("valid samples are never dead-lettered").isEmpty();
      Map<String, QualityScores> last = new LinkedHashMap<>();
      for (QualityScores s : outputs.scores(t)) {
        last.put(s.getGeneratorId(), s);
      }
      assertThat(last).containsOnlyKeys("gen-0", "gen-1", "gen-2");
      assertThat(last.values())
          .allSatisfy(
              s -> {
                assertThat(s.getReferenceVersion()).isEqualTo("~final");
                assertThat(s.getReferenceCount()).isEqualTo(4);
              });
      outputs.checkRankingsAndAlerts(t);
    } finally {
      deleteRecursively(dir);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Draws

  /** How a sample record is written. */
  enum Encoding {
    CURRENT_SCHEMA,
    EVOLVED_SCHEMA,
    NOT_AVRO
  }

  record SampleDraw(SyntheticSample sample, String key, long recordTime, Encoding encoding) {}

  enum ReferenceShape {
    RECORD,
    TOMBSTONE,
    GARBAGE
  }

  record ReferenceDraw(
      String key, ReferenceSample sample, ReferenceShape shape, boolean thenSample) {}

  /**
   * Any string: every char (control characters and lone surrogates included), up to {@code max}.
   */
  private static Arbitrary<String> anyString(int max) {
    return Arbitraries.strings().all().ofMaxLength(max);
  }

  /** Texts: mostly short and arbitrary, sometimes long, rarely megabytes; never the fake's "v:". */
  private static Arbitrary<String> texts() {
    return Arbitraries.frequencyOf(
            Tuple.of(80, anyString(200)),
            Tuple.of(12, Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30_000)),
            Tuple.of(3, Arbitraries.integers().between(1, 4_000_000).map("é"::repeat)),
            Tuple.of(5, Arbitraries.of(" ", "\t\n", "\u0000", "")))
        .map(t -> t.startsWith("v:") ? "x" + t : t);
  }

  private static Arbitrary<Long> eventTimes() {
    return Arbitraries.frequencyOf(
        Tuple.of(55, Arbitraries.longs().between(NOW - 600_000, NOW + 600_000)),
        Tuple.of(15, Arbitraries.longs()),
        Tuple.of(10, Arbitraries.longs().between(NOW, NOW + 3 * 3_600_000L)),
        Tuple.of(10, Arbitraries.longs().between(0, 1_000_000)),
        Tuple.of(10, Arbitraries.of(Long.MIN_VALUE, -1L, 0L, Long.MAX_VALUE, NOW * 1000)));
  }

  @Provide
  Arbitrary<SampleDraw> samples() {
    Arbitrary<String> generators =
        Arbitraries.frequencyOf(
            Tuple.of(75, Arbitraries.of("gen-a", "gen-b", "gen-c", "génératrice ☃")),
            Tuple.of(20, anyString(40).filter(s -> !s.isEmpty())),
            Tuple.of(5, Arbitraries.strings().alpha().ofMinLength(200).ofMaxLength(400)));
    Arbitrary<String> optional =
        Arbitraries.frequencyOf(
            Tuple.of(70, Arbitraries.just((String) null)),
            Tuple.of(25, anyString(100)),
            Tuple.of(5, Arbitraries.strings().ofMinLength(250).ofMaxLength(600)));
    Arbitrary<Map<String, String>> attributes =
        Arbitraries.frequencyOf(
            Tuple.of(60, Arbitraries.just(Map.<String, String>of())),
            Tuple.of(35, Arbitraries.maps(anyString(30), anyString(60)).ofMaxSize(40)),
            Tuple.of(
                5,
                Arbitraries.integers()
                    .between(1, 3_000)
                    .map(
                        n -> {
                          Map<String, String> map = new HashMap<>();
                          for (int i = 0; i < n; i++) {
                            map.put("k" + i, "value-" + i);
                          }
                          return map;
                        })));
    Arbitrary<SyntheticSample> sample =
        Builders.withBuilder(SyntheticSample::newBuilder)
            .use(generators)
            .in((b, g) -> b.setGeneratorId(g))
            .use(
                Arbitraries.frequencyOf(
                    Tuple.of(
                        90, Arbitraries.strings().alpha().numeric().ofMinLength(1).ofMaxLength(12)),
                    Tuple.of(10, anyString(300))))
            .in((b, id) -> b.setSampleId(id))
            .use(texts())
            .in((b, t) -> b.setText(t))
            .use(optional)
            .in((b, r) -> b.setRunId(r))
            .use(optional)
            .in((b, l) -> b.setLabel(l))
            .use(eventTimes())
            .in((b, t) -> b.setEventTime(Instant.ofEpochMilli(t)))
            .use(attributes)
            .in((b, a) -> b.setAttributes(a))
            .build(SyntheticSample.Builder::build);
    Arbitrary<Integer> keyChoice = Arbitraries.integers().between(0, 99);
    Arbitrary<Long> jitter = Arbitraries.longs().between(0, 120_000);
    Arbitrary<Encoding> encoding =
        Arbitraries.frequencyOf(
            Tuple.of(80, Arbitraries.just(Encoding.CURRENT_SCHEMA)),
            Tuple.of(15, Arbitraries.just(Encoding.EVOLVED_SCHEMA)),
            Tuple.of(5, Arbitraries.just(Encoding.NOT_AVRO)));
    return net.jqwik.api.Combinators.combine(sample, keyChoice, anyString(20), jitter, encoding)
        .as(
            (s, k, otherKey, j, e) ->
                new SampleDraw(
                    s, k < 5 ? otherKey : k < 6 ? null : s.getGeneratorId(), NOW + j, e));
  }

  @Provide
  Arbitrary<ReferenceDraw> references() {
    Arbitrary<ReferenceSample> sample =
        Builders.withBuilder(ReferenceSample::newBuilder)
            .use(
                Arbitraries.frequencyOf(
                    Tuple.of(85, Arbitraries.just("set")), Tuple.of(15, anyString(10))))
            .in((b, s) -> b.setReferenceSetId(s))
            .use(
                Arbitraries.frequencyOf(
                    Tuple.of(70, Arbitraries.of("v1", "v2", "v3")),
                    Tuple.of(30, Arbitraries.strings().alpha().ofMaxLength(8))))
            .in((b, v) -> b.setReferenceVersion(v))
            .use(
                Arbitraries.frequencyOf(
                    Tuple.of(70, Arbitraries.of("r0", "r1", "r2", "r3", "r4")),
                    Tuple.of(30, anyString(20))))
            .in((b, id) -> b.setSampleId(id))
            .use(texts())
            .in((b, t) -> b.setText(t))
            .use(eventTimes())
            .in((b, t) -> b.setEventTime(Instant.ofEpochMilli(t)))
            .use(Arbitraries.maps(anyString(10), anyString(20)).ofMaxSize(5))
            .in((b, a) -> b.setAttributes(a))
            .build(ReferenceSample.Builder::build);
    Arbitrary<ReferenceShape> shape =
        Arbitraries.frequencyOf(
            Tuple.of(85, Arbitraries.just(ReferenceShape.RECORD)),
            Tuple.of(10, Arbitraries.just(ReferenceShape.TOMBSTONE)),
            Tuple.of(5, Arbitraries.just(ReferenceShape.GARBAGE)));
    return net.jqwik.api.Combinators.combine(
            sample, shape, Arbitraries.integers().between(0, 99), Arbitraries.of(true, false))
        .as(
            (s, sh, k, then) ->
                new ReferenceDraw(
                    k < 3 ? null : k < 10 ? s.getSampleId() : "set/" + s.getSampleId(),
                    s,
                    sh,
                    then));
  }

  // ---------------------------------------------------------------------------------------------
  // Encoding and reading

  /** Writes draws as the bytes a producer would send. */
  private static final class Writers {

    private final Serializer<SyntheticSample> current;
    private final Schema evolved;
    private final int evolvedId;
    private final StringSerializer keys = new StringSerializer();
    private final String topic;

    Writers(MonitorDriver m) {
      topic = m.settings.syntheticTopic();
      current =
          MonitorSerdes.from(
                  new dev.synque.monitor.serde.AvroSerdeFactory(
                      Map.of(
                          dev.synque.monitor.serde.SchemaRegistrySettings.URL,
                          "http://unused:8081"),
                      m.registry))
              .synthetic()
              .serializer();
      // A compatible evolution: a new field with a default, and "label" dropped (the reader's
      // default fills it).
      Schema base = SyntheticSample.getClassSchema();
      List<Schema.Field> fields = new ArrayList<>();
      for (Schema.Field f : base.getFields()) {
        if (!f.name().equals("label")) {
          fields.add(new Schema.Field(f, f.schema()));
        }
      }
      fields.add(
          new Schema.Field("temperature", Schema.create(Schema.Type.DOUBLE), "new field", 0.7));
      Schema parsed =
          Schema.createRecord(base.getName(), base.getDoc(), base.getNamespace(), false, fields);
      evolved = parsed;
      evolvedId = m.registry.register(topic + "-value", evolved);
    }

    Input encode(SampleDraw draw) {
      SyntheticSample s = draw.sample();
      byte[] key = draw.key() == null ? null : keys.serialize(topic, draw.key());
      byte[] value =
          switch (draw.encoding()) {
            case CURRENT_SCHEMA -> current.serialize(topic, s);
            case EVOLVED_SCHEMA -> evolvedBytes(s);
            case NOT_AVRO -> s.getText().getBytes(java.nio.charset.StandardCharsets.UTF_8);
          };
      // As the monitor reads it back: UTF-8 turns a lone surrogate into '?'.
      String generator =
          new String(
              s.getGeneratorId().getBytes(java.nio.charset.StandardCharsets.UTF_8),
              java.nio.charset.StandardCharsets.UTF_8);
      return new Input(key, value, draw.recordTime(), generator);
    }

    private byte[] evolvedBytes(SyntheticSample s) {
      GenericRecord r = new GenericData.Record(evolved);
      r.put("generatorId", s.getGeneratorId());
      r.put("runId", s.getRunId());
      r.put("sampleId", s.getSampleId());
      r.put("text", s.getText());
      r.put("temperature", 0.3);
      r.put("eventTime", s.getEventTime().toEpochMilli());
      r.put("attributes", s.getAttributes());
      try {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        new GenericDatumWriter<GenericRecord>(evolved).write(r, encoder);
        encoder.flush();
        return WireFormat.frame(evolvedId, out.toByteArray());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The output topics read as bytes, so that sizes and timestamps are the broker's to judge. */
  private static final class Outputs {

    private final MonitorDriver m;
    private final MonitorSerdes serdes;

    Outputs(MonitorDriver m) {
      this.m = m;
      this.serdes =
          MonitorSerdes.from(
              new dev.synque.monitor.serde.AvroSerdeFactory(
                  Map.of(dev.synque.monitor.serde.SchemaRegistrySettings.URL, "http://unused:8081"),
                  m.registry));
    }

    private <T> List<T> read(String topic, Deserializer<T> deserializer, long latestInput) {
      TestOutputTopic<byte[], byte[]> out =
          m.driver.createOutputTopic(
              topic, new ByteArrayDeserializer(), new ByteArrayDeserializer());
      List<T> values = new ArrayList<>();
      long latest = latestInput + m.settings.limits().maxFuture().toMillis();
      for (TestRecord<byte[], byte[]> r : out.readRecordsToList()) {
        assertThat(r.timestamp()).as("timestamp of a record on " + topic).isBetween(0L, latest);
        assertThat((long) r.value().length)
            .as("bytes of a record on " + topic)
            .isLessThan(MAX_VALUE_BYTES);
        values.add(deserializer.deserialize(topic, r.value()));
      }
      return values;
    }

    List<DeadLetter> deadLetters(long latestInput) {
      return read(m.settings.deadLetterTopic(), serdes.deadLetters().deserializer(), latestInput);
    }

    List<QualityScores> scores(long latestInput) {
      return read(m.settings.scoresTopic(), serdes.scores().deserializer(), latestInput);
    }

    void checkRankingsAndAlerts(long latestInput) {
      read(m.settings.rankingsTopic(), serdes.rankings().deserializer(), latestInput);
      read(m.settings.alertsTopic(), serdes.alerts().deserializer(), latestInput);
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
