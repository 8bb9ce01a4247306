package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistryException;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler.SerializationExceptionOrigin;
import org.apache.kafka.streams.errors.internals.DefaultErrorHandlerContext;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The last-line exception handlers: which failures a record bears, and its dead letter. */
class FailedRecordsTest {

  private static final String DEAD_LETTERS = "synque-dead-letters-v1";
  private final List<String> counted = new ArrayList<>();
  private FailedRecords.DeadLetterProcessingHandler processing;
  private FailedRecords.DeadLetterProductionHandler production;
  private Deserializer<DeadLetter> reader;

  private final ErrorHandlerContext context =
      new DefaultErrorHandlerContext(
          null,
          "synque-synthetic-samples-v1",
          2,
          41,
          new RecordHeaders(),
          "score-windows",
          new TaskId(0, 2),
          1_000L,
          "gen-a".getBytes(StandardCharsets.UTF_8),
          new byte[] {1, 2, 3});

  @BeforeEach
  void setUp() {
    AvroSerdeFactory serdes =
        new AvroSerdeFactory(
            Map.of(SchemaRegistrySettings.URL, "http://unused:8081"), new InMemorySchemaRegistry());
    MonitorSerdes monitorSerdes = MonitorSerdes.from(serdes);
    reader = monitorSerdes.deadLetters().deserializer();
    MonitorMetrics metrics =
        new MonitorMetrics() {
          @Override
          public void deadLettered(String reason) {
            counted.add(reason);
          }
        };
    Map<String, Object> configs =
        Map.of(
            FailedRecords.CONFIG_KEY,
            new FailedRecords(
                DEAD_LETTERS, monitorSerdes.deadLetters().serializer(), "app", 1_000, metrics));
    processing = new FailedRecords.DeadLetterProcessingHandler();
    processing.configure(configs);
    production = new FailedRecords.DeadLetterProductionHandler();
    production.configure(configs);
  }

  private DeadLetter letter(List<ProducerRecord<byte[], byte[]>> records) {
    assertThat(records).hasSize(1);
    assertThat(records.get(0).topic()).isEqualTo(DEAD_LETTERS);
    assertThat(records.get(0).timestamp()).isEqualTo(1_000L);
    return reader.deserialize(DEAD_LETTERS, records.get(0).value());
  }

  @Test
  void shouldDeadLetterARecordAProcessorFailedOnAndResume() {
    ProcessingExceptionHandler.Response response =
        processing.handleError(
            context,
            new Record<>("gen-a", "v", 1_000L),
            new IllegalArgumentException("window state bytes are truncated"));

    assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    DeadLetter letter = letter(response.deadLetterQueueRecords());
    assertThat(letter.getReason()).isEqualTo("PROCESSING_FAILED");
    assertThat(letter.getMessage()).contains("score-windows", "window state bytes are truncated");
    assertThat(letter.getSourcePartition()).isEqualTo(2);
    assertThat(letter.getSourceOffset()).isEqualTo(41);
    assertThat(letter.getValue().array()).containsExactly(1, 2, 3);
    assertThat(counted).containsExactly("PROCESSING_FAILED");
  }

  @Test
  void shouldFailWhenTheFailureIsNotTheRecords() {
    Record<String, String> record = new Record<>("gen-a", "v", 1_000L);
    for (Exception e :
        List.of(
            new IllegalStateException(
                "registry",
                new SchemaRegistryException(
                    SchemaRegistryException.Kind.UNREACHABLE, -1, -1, "down", null)),
            new ProducerFencedException("fenced"))) {
      assertThat(processing.handleError(context, record, e).result())
          .as(e.toString())
          .isEqualTo(ProcessingExceptionHandler.Result.FAIL);
    }
    assertThat(counted).isEmpty();
  }

  @Test
  void shouldDeadLetterAnOutputTheBrokerRefused() {
    for (Exception e :
        List.of(
            new RecordTooLargeException("too large"),
            new InvalidTimestampException("timestamp out of range"))) {
      ProductionExceptionHandler.Response response =
          production.handleError(
              context, new ProducerRecord<>("synque-quality-scores-v1", new byte[0]), e);
      assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
      DeadLetter letter = letter(response.deadLetterQueueRecords());
      assertThat(letter.getReason()).isEqualTo("PRODUCTION_FAILED");
      assertThat(letter.getMessage()).contains("synque-quality-scores-v1", e.getMessage());
    }
    assertThat(counted).containsExactly("PRODUCTION_FAILED", "PRODUCTION_FAILED");
  }

  @Test
  void shouldRetryARetriableSendError() {
    assertThat(
            production
                .handleError(
                    context,
                    new ProducerRecord<>("synque-quality-scores-v1", new byte[0]),
                    new TimeoutException("slow"))
                .result())
        .isEqualTo(ProductionExceptionHandler.Result.RETRY);
  }

  @Test
  void shouldNotLoopOnADeadLetterTheBrokerRefused() {
    ProductionExceptionHandler.Response response =
        production.handleError(
            context,
            new ProducerRecord<>(DEAD_LETTERS, new byte[0]),
            new RecordTooLargeException("too large"));
    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(response.deadLetterQueueRecords()).isEmpty();
    assertThat(counted).containsExactly("PRODUCTION_FAILED");
  }

  @Test
  void shouldDeadLetterAnOutputThatCannotBeSerialised() {
    ProductionExceptionHandler.Response response =
        production.handleSerializationError(
            context,
            new ProducerRecord<>("synque-rankings-v1", "x"),
            new IllegalArgumentException("bad value"),
            SerializationExceptionOrigin.VALUE);
    assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
    assertThat(letter(response.deadLetterQueueRecords()).getMessage())
        .contains("synque-rankings-v1", "value could not be serialised");
  }

  @Test
  void shouldRefuseToStartWithoutItsSink() {
    assertThatThrownBy(
            () -> new FailedRecords.DeadLetterProcessingHandler().configure(Map.of("a", "b")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(FailedRecords.CONFIG_KEY);
  }
}
