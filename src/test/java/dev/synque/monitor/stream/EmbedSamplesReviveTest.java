package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.SyntheticSample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;

/**
 * Kafka Streams revives a task closed dirty (a corrupted task under exactly-once) by initialising
 * the same processor objects again, with their stores rolled back to the last commit. The embed
 * buffer must then hold what the store holds, not what the processor had in memory.
 */
class EmbedSamplesReviveTest {

  private static ValidSample sample(String id) {
    SyntheticSample s =
        SyntheticSample.newBuilder()
            .setGeneratorId("gen-a")
            .setSampleId(id)
            .setText("text " + id)
            .setEventTime(Instant.ofEpochMilli(1_000))
            .build();
    return new ValidSample(s, new SourceRecord("samples", 0, 0, 1_000, null, new byte[0]));
  }

  @Test
  void shouldForgetUncommittedBufferedSamplesWhenReinitialisedAfterARollback() {
    MockProcessorContext<String, Outcome<EmbeddedSamples>> context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(1_000);
    KeyValueStore<Long, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(MonitorTopology.EMBED_BUFFER_STORE),
                Serdes.Long(),
                Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    FakeEmbedder embedder = new FakeEmbedder(4);
    EmbedSamplesProcessor processor =
        new EmbedSamplesProcessor(
            () -> embedder,
            (topic, bytes) -> {
              throw new AssertionError("nothing is restored from an empty store");
            },
            3,
            Duration.ofSeconds(10),
            1_000,
            MonitorMetrics.NONE,
            null);
    processor.init(context);
    processor.process(new Record<>("gen-a", sample("aborted-1"), 1_000));
    processor.process(new Record<>("gen-a", sample("aborted-2"), 1_000));

    // The transaction is aborted: the store is rolled back (here: to empty) and the task revived.
    List.of(0L, 1L).forEach(store::delete);
    processor.init(context);
    processor.process(new Record<>("gen-a", sample("s-1"), 1_000));
    processor.process(new Record<>("gen-a", sample("s-2"), 1_000));
    processor.process(new Record<>("gen-a", sample("s-3"), 1_000));

    List<String> embedded =
        context.forwarded().stream()
            .map(f -> ((Outcome.Passed<EmbeddedSamples>) f.record().value()).value())
            .flatMap(b -> b.samples().stream())
            .map(i -> i.sample().sample().getSampleId())
            .toList();
    assertThat(embedded).containsExactly("s-1", "s-2", "s-3");
  }
}
