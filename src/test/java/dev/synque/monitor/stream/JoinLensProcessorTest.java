package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.InMemorySchemaRegistry;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JoinLensProcessorTest {

  private MockProcessorContext<String, QualityScores> context;
  private KeyValueStore<String, QualityScores> latest;
  private JoinLensProcessor processor;

  @BeforeEach
  void setUp() {
    context = new MockProcessorContext<>();
    context.setCurrentSystemTimeMs(9_000);
    // The mock gives every store the same changelog topic, so each store's serde has a registry.
    latest = store(MonitorTopology.LATEST_SCORES_STORE, serdes().scores());
    store(MonitorTopology.LATEST_LENS_STORE, serdes().lensResults());
    processor = new JoinLensProcessor();
    processor.init(context);
  }

  @Test
  void shouldJoinNoLensScoreIntoScoresBeforeAnyResult() {
    processor.process(new Record<>("all-generators", scoresInput("gen-a", "v1"), 1_000));

    QualityScores joined = onlyForwarded();
    assertThat(lens(joined).getStatus()).isEqualTo(ProxyStatus.INSUFFICIENT_DATA);
    assertThat(lens(joined).getValue()).isNull();
    assertThat(joined.getScores()).hasSize(2);
  }

  @Test
  void shouldReemitTheLatestScoresOfEveryKindWhenAResultArrives() {
    // given: the ranking holds all-time scores of gen-a (the join reads the ranking's store)
    latest.put(
        RankGeneratorsProcessor.latestKey(WindowKind.ALL_TIME, "gen-a"), scores("gen-a", "v1"));

    // when
    processor.process(new Record<>("all-generators", lens("gen-a", "v1", 0.7), 2_000));

    // then: the scores again, with the LENS score and trigger LENS_RESULT, at the result's time
    QualityScores joined = onlyForwarded();
    assertThat(joined.getTrigger()).isEqualTo(ScoreTrigger.LENS_RESULT);
    assertThat(joined.getComputedAt()).isEqualTo(Instant.ofEpochMilli(9_000));
    assertThat(lens(joined).getValue()).isEqualTo(0.7);
    assertThat(context.forwarded().get(0).record().timestamp()).isEqualTo(2_000);

    // and: later scores carry the result too
    context.resetForwards();
    processor.process(new Record<>("all-generators", scoresInput("gen-a", "v1"), 3_000));
    assertThat(lens(onlyForwarded()).getValue()).isEqualTo(0.7);
  }

  @Test
  void shouldIgnoreAResultOfAnOlderRequest() {
    processor.process(new Record<>("all-generators", lens("gen-a", "v1", 0.7, 2_000), 1));
    processor.process(new Record<>("all-generators", lens("gen-a", "v1", 0.1, 1_000), 2));
    processor.process(new Record<>("all-generators", scoresInput("gen-a", "v1"), 3));

    assertThat(lens(onlyForwarded()).getValue()).isEqualTo(0.7);
  }

  @Test
  void shouldNotMixInAResultOfAnotherReferenceVersion() {
    processor.process(new Record<>("all-generators", lens("gen-a", "v0", 0.7), 1));
    processor.process(new Record<>("all-generators", scoresInput("gen-a", "v1"), 2));

    assertThat(lens(onlyForwarded()).getStatus()).isEqualTo(ProxyStatus.INSUFFICIENT_DATA);
  }

  private QualityScores onlyForwarded() {
    assertThat(context.forwarded()).hasSize(1);
    return context.forwarded().get(0).record().value();
  }

  private static ProxyScore lens(QualityScores scores) {
    return scores.getScores().stream()
        .filter(p -> p.getProxy().equals(LensLink.PROXY))
        .findFirst()
        .orElseThrow();
  }

  private static RankingInput scoresInput(String generator, String version) {
    return new RankingInput.Scores(scores(generator, version));
  }

  private static QualityScores scores(String generator, String version) {
    return QualityScores.newBuilder()
        .setGeneratorId(generator)
        .setWindowKind(WindowKind.ALL_TIME)
        .setWindowStart(Instant.ofEpochMilli(0))
        .setWindowEnd(Instant.ofEpochMilli(1_000))
        .setReferenceVersion(version)
        .setModelId("test")
        .setSampleCount(10)
        .setReservoirSize(10)
        .setReferenceCount(5)
        .setScores(
            List.of(
                ProxyScore.newBuilder()
                    .setProxy("mmd2_poly")
                    .setValue(0.01)
                    .setHigherIsBetter(false)
                    .setStatus(ProxyStatus.OK)
                    .setDetail(null)
                    .build()))
        .setTrigger(ScoreTrigger.SAMPLE_COUNT)
        .setComputedAt(Instant.ofEpochMilli(500))
        .build();
  }

  private static RankingInput lens(String generator, String version, double score) {
    return lens(generator, version, score, 1_000);
  }

  private static RankingInput lens(
      String generator, String version, double score, long requestedAtMs) {
    return new RankingInput.Lens(
        LensResult.newBuilder()
            .setRequestId(generator + "/" + requestedAtMs)
            .setGeneratorId(generator)
            .setReferenceVersion(version)
            .setStatus(LensStatus.OK)
            .setScore(score)
            .setRawScore(score)
            .setSyntheticJudged(2)
            .setRealJudged(3)
            .setUnparseable(0)
            .setLlmCalls(23)
            .setRubricModel(null)
            .setJudgeModel(null)
            .setReason(null)
            .setJudgements(List.of())
            .setRequestedAt(Instant.ofEpochMilli(requestedAtMs))
            .setSamplesSeen(10)
            .setCompletedAt(Instant.ofEpochMilli(5_000))
            .build());
  }

  private static MonitorSerdes serdes() {
    return MonitorSerdes.from(
        new AvroSerdeFactory(
            Map.of(SchemaRegistrySettings.URL, "http://in-memory"), new InMemorySchemaRegistry()));
  }

  private <V> KeyValueStore<String, V> store(String name, Serde<V> values) {
    KeyValueStore<String, V> store =
        Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore(name), Serdes.String(), values)
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }
}
