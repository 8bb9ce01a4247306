package dev.synque.monitor.faults;

import static dev.synque.monitor.testkit.MonitorScenario.sample;
import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.CrashRestartRun;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The monitor never stops, on the real broker: a real producer writes good samples of every
 * generator mixed with every kind of bad record the validation knows (not Avro, tombstone, key
 * mismatch, control characters in the generator id, ids, attributes and texts over their limits,
 * negative, hours-ahead and microseconds-as-milliseconds event times, blank text), while {@code
 * synque run} is killed with SIGKILL three times mid-stream and restarted on the same state
 * directory. Every instance is still running when it is killed; every bad record yields exactly one
 * dead letter (matched by its partition and offset: none lost, none repeated by a replay after a
 * kill) with the reason for its kind; no good sample is dead-lettered or counted twice; and the
 * final ranking and every score equal those of an uninterrupted run on the same input.
 */
@ExtendWith(SharedInfrastructure.class)
class MixedStreamCrashRestartIT {

  private static final int CHUNK = 40;
  private static final int CHUNKS = 4;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  /**
   * A kind of bad record: what its dead letter must say, and how to send one.
   *
   * @param reason the dead letter's reason code
   * @param says a part of the dead letter's message (the field or the rule)
   * @param send sends one such record through the scenario (the second argument makes its ids
   *     unique), returns where it landed
   */
  private record BadKind(String reason, String says, Sender send) {}

  @FunctionalInterface
  private interface Sender {
    RecordMetadata send(MonitorScenario s, String id);
  }

  /** A bad record as sent. */
  private record Bad(RecordMetadata at, BadKind kind) {
    String coordinates() {
      return coordinates(at.partition(), at.offset());
    }

    static String coordinates(int partition, long offset) {
      return partition + "@" + offset;
    }
  }

  private static final List<BadKind> KINDS =
      List.of(
          new BadKind("DESERIALIZATION_FAILED", "magic byte", (s, id) -> notAvro(s, id)),
          new BadKind("MISSING_VALUE", "tombstone", (s, id) -> s.sendSample("gen-b", null)),
          new BadKind(
              "KEY_MISMATCH",
              "must equal generatorId",
              (s, id) -> s.sendSample("gen-b", s.serialize(bad("gen-c", id, "text " + id)))),
          new BadKind(
              "INVALID_GENERATOR_ID",
              "U+0000",
              (s, id) -> s.publish(withGenerator("gen-\u0000a", id))),
          new BadKind(
              "INVALID_GENERATOR_ID",
              "U+001B",
              (s, id) -> s.publish(withGenerator("gen-\u001b[31mc", id))),
          new BadKind(
              "ID_TOO_LONG",
              "sampleId has 258 UTF-8 bytes",
              (s, id) ->
                  s.publish(
                      edit(bad("gen-c", id, "text"), b -> b.setSampleId("\u00e9".repeat(129))))),
          new BadKind(
              "ATTRIBUTES_TOO_LARGE",
              MonitorSettings.MAX_ATTRIBUTES_BYTES,
              (s, id) ->
                  s.publish(
                      edit(
                          bad("gen-a", id, "text"),
                          b -> b.setAttributes(Map.of("prompt", "p".repeat(16_385)))))),
          new BadKind(
              "TEXT_TOO_LONG",
              MonitorSettings.MAX_TEXT_BYTES,
              (s, id) -> s.publish(bad("gen-b", id, "x".repeat(16_385)))),
          new BadKind(
              "EVENT_TIME_OUT_OF_RANGE",
              "eventTime -1,",
              (s, id) -> s.publish(at(bad("gen-c", id, "text"), -1))),
          new BadKind(
              "EVENT_TIME_IN_FUTURE",
              MonitorSettings.MAX_FUTURE_MS,
              (s, id) ->
                  s.publish(
                      at(
                          bad("gen-a", id, "text"),
                          System.currentTimeMillis() + Duration.ofHours(2).toMillis()))),
          new BadKind(
              "EVENT_TIME_IN_FUTURE",
              MonitorSettings.MAX_FUTURE_MS,
              (s, id) ->
                  s.publish(at(bad("gen-b", id, "text"), System.currentTimeMillis() * 1_000))),
          new BadKind(
              "EVENT_TIME_OUT_OF_RANGE",
              "before 1970",
              (s, id) ->
                  s.publish(at(bad("gen-c", id, "text"), -System.currentTimeMillis() * 1_000))),
          new BadKind(
              "EVENT_TIME_IN_FUTURE",
              "eventTime " + Long.MAX_VALUE,
              (s, id) -> s.publish(at(bad("gen-a", id, "text"), Long.MAX_VALUE))),
          new BadKind("EMPTY_TEXT", "blank", (s, id) -> s.publish(bad("gen-b", id, " \t\n "))));

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldDeadLetterEveryBadRecordOnceAndRankAsAnUninterruptedRunAfterRepeatedKills() {
    List<Bad> calmBad = new ArrayList<>();
    List<Bad> killedBad = new ArrayList<>();

    CrashRestartRun.Outcome calm =
        new CrashRestartRun(CHUNKS, CHUNK, (s, chunk) -> publishChunk(s, chunk, calmBad))
            .uninterrupted(kafka, registry.confluentCompatUrl());
    CrashRestartRun run =
        new CrashRestartRun(CHUNKS, CHUNK, (s, chunk) -> publishChunk(s, chunk, killedBad));
    CrashRestartRun.Outcome killed = run.killed(kafka, registry.confluentCompatUrl());

    assertThat(killedBad).hasSize(CHUNKS * KINDS.size());
    assertDeadLettersMatch(calm.deadLetters(), calmBad);
    assertDeadLettersMatch(killed.deadLetters(), killedBad);
    killed.assertOneScorePerSample(run.total());
    assertThat(MonitorScenario.scoresByGenerator(killed.scores()))
        .isEqualTo(MonitorScenario.scoresByGenerator(calm.scores()));
    assertThat(killed.ranking().getEntries()).isEqualTo(calm.ranking().getEntries());
    assertThat(MonitorScenario.sampleCounts(killed.ranking()))
        .as("only good samples counted")
        .containsOnlyKeys(MonitorScenario.GENERATORS)
        .allSatisfy((g, n) -> assertThat(n).isEqualTo(run.total()));
  }

  /**
   * Good samples {@code chunk * CHUNK} to {@code (chunk + 1) * CHUNK - 1} of every generator, with
   * one bad record of every kind spread among them.
   */
  private static void publishChunk(MonitorScenario s, int chunk, List<Bad> bad) {
    int every = CHUNK / KINDS.size();
    for (int i = 0; i < CHUNK; i++) {
      int n = chunk * CHUNK + i;
      for (String g : MonitorScenario.GENERATORS) {
        s.publish(sample(g, n));
      }
      if (i % every == 0 && i / every < KINDS.size()) {
        BadKind kind = KINDS.get(i / every);
        bad.add(new Bad(kind.send().send(s, "bad-" + chunk + "-" + i / every), kind));
      }
    }
  }

  /**
   * Every bad record has exactly one dead letter, at its coordinates, with its kind's reason and
   * message; there is no other dead letter (no good sample's, no duplicate).
   */
  private static void assertDeadLettersMatch(List<DeadLetter> letters, List<Bad> bad) {
    Map<String, List<DeadLetter>> byCoordinates =
        letters.stream()
            .collect(
                Collectors.groupingBy(
                    l -> Bad.coordinates(l.getSourcePartition(), l.getSourceOffset()),
                    TreeMap::new,
                    Collectors.toList()));
    Map<String, BadKind> expected =
        bad.stream()
            .collect(Collectors.toMap(Bad::coordinates, Bad::kind, (a, b) -> a, TreeMap::new));
    assertThat(byCoordinates.keySet())
        .as("dead-lettered records: exactly the bad ones")
        .containsExactlyInAnyOrderElementsOf(expected.keySet());
    expected.forEach(
        (at, kind) -> {
          assertThat(byCoordinates.get(at)).as("dead letters of the record at %s", at).hasSize(1);
          DeadLetter letter = byCoordinates.get(at).get(0);
          assertThat(letter.getReason()).as("reason at %s", at).isEqualTo(kind.reason());
          assertThat(letter.getMessage()).as("message at %s", at).contains(kind.says());
        });
    assertThat(letters).hasSameSizeAs(bad);
  }

  /** A sample of {@code generator} with sample id {@code id}. */
  private static SyntheticSample bad(String generator, String id, String text) {
    return edit(sample(generator, 0, text), b -> b.setSampleId(id));
  }

  private static SyntheticSample withGenerator(String generator, String id) {
    return edit(bad("gen-a", id, "text " + id), b -> b.setGeneratorId(generator));
  }

  private static SyntheticSample at(SyntheticSample sample, long eventTime) {
    return edit(sample, b -> b.setEventTime(Instant.ofEpochMilli(eventTime)));
  }

  private static SyntheticSample edit(
      SyntheticSample sample, Function<SyntheticSample.Builder, SyntheticSample.Builder> change) {
    return change.apply(SyntheticSample.newBuilder(sample)).build();
  }

  /** 64 random bytes that do not start with the wire format's magic byte 0. */
  private static RecordMetadata notAvro(MonitorScenario s, String id) {
    byte[] random = new byte[64];
    new SplittableRandom(id.hashCode()).nextBytes(random);
    random[0] = 0x7f;
    return s.sendSample("gen-a", random);
  }
}
