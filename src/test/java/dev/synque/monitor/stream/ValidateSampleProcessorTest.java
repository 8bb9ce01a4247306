package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ValidateSampleProcessorTest {

  private static final String TOPIC = "synque-synthetic-samples-v1";

  private final Serde<SyntheticSample> serde =
      MonitorSerdes.from(
              new AvroSerdeFactory(
                  Map.of(SchemaRegistrySettings.URL, "http://in-memory"),
                  new InMemorySchemaRegistry()))
          .synthetic();
  private MockProcessorContext<String, Outcome<ValidSample>> context;
  private ValidateSampleProcessor processor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setRecordMetadata(TOPIC, 3, 42);
    context.setCurrentSystemTimeMs(5_000);
    processor =
        new ValidateSampleProcessor(
            serde.deserializer(), SampleLimits.DEFAULTS, 1_000, new RegistryWait(Duration.ZERO));
    processor.init(context);
  }

  @Test
  void shouldPassAValidSampleOnAtItsEventTimeWithItsSourceCoordinates() {
    processor.process(record("gen-a", sample("gen-a", "s-1", 1_000), 2_000));

    assertThat(context.forwarded()).hasSize(1);
    Record<? extends String, ? extends Outcome<ValidSample>> out =
        context.forwarded().get(0).record();
    assertThat(out.key()).isEqualTo("gen-a");
    assertThat(out.timestamp()).isEqualTo(1_000);
    assertThat(out.value()).isInstanceOf(Outcome.Passed.class);
    ValidSample valid = ((Outcome.Passed<ValidSample>) out.value()).value();
    assertThat(valid.sample().getSampleId()).isEqualTo("s-1");
    assertThat(valid.source().partition()).isEqualTo(3);
    assertThat(valid.source().offset()).isEqualTo(42);
  }

  @Test
  void shouldRejectATombstoneAsMissingValue() {
    processor.process(new Record<>(bytes("gen-a"), null, 2_000));

    assertThat(onlyRejected().getReason()).isEqualTo("MISSING_VALUE");
  }

  @Test
  void shouldRejectASampleKeyedByAnotherGenerator() {
    processor.process(record("gen-b", sample("gen-a", "s-1", 1_000), 2_000));

    DeadLetter letter = onlyRejected();
    assertThat(letter.getReason()).isEqualTo("KEY_MISMATCH");
    assertThat(letter.getSourceOffset()).isEqualTo(42);
    assertThat(letter.getFailedAt()).isEqualTo(Instant.ofEpochMilli(5_000));
  }

  @Test
  void shouldRejectBytesThatAreNotASample() {
    processor.process(new Record<>(bytes("gen-a"), bytes("not avro"), 2_000));

    assertThat(onlyRejected().getReason()).isEqualTo("DESERIALIZATION_FAILED");
  }

  private DeadLetter onlyRejected() {
    assertThat(context.forwarded()).hasSize(1);
    Outcome<ValidSample> out = context.forwarded().get(0).record().value();
    assertThat(out).isInstanceOf(Outcome.Rejected.class);
    return ((Outcome.Rejected<ValidSample>) out).letter();
  }

  private Record<byte[], byte[]> record(String key, SyntheticSample sample, long timestamp) {
    return new Record<>(bytes(key), serde.serializer().serialize(TOPIC, sample), timestamp);
  }

  private static SyntheticSample sample(String generator, String id, long eventTime) {
    return SyntheticSample.newBuilder()
        .setGeneratorId(generator)
        .setSampleId(id)
        .setText("text " + id)
        .setEventTime(Instant.ofEpochMilli(eventTime))
        .build();
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
