package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.SyntheticSample;
import dev.synque.monitor.avro.WindowKind;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Regression tests for single records and reference sequences that used to stop the monitor (each
 * failed before its fix): a record is processed or dead-lettered with a reason naming the field and
 * the rule, and every output has a timestamp the broker accepts.
 */
class NeverStopsTopologyTest {

  @TempDir Path stateDir;

  private static final long NOW = 1_800_000_000_000L;
  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  private static void reference(MonitorDriver m) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample("v1", "r" + i, BASIS[i], 0);
    }
  }

  private static SyntheticSample.Builder sample(String generator, String id, long eventTime) {
    return SyntheticSample.newBuilder()
        .setGeneratorId(generator)
        .setSampleId(id)
        .setText("v:1,1,0,0")
        .setEventTime(Instant.ofEpochMilli(eventTime));
  }

  /** Pipes a sample whose record (producer) timestamp is {@code recordTime}. */
  private static void send(MonitorDriver m, SyntheticSample sample, long recordTime) {
    m.samples.pipeInput(sample.getGeneratorId(), sample, Instant.ofEpochMilli(recordTime));
  }

  @Test
  void shouldDeadLetterASampleDatedTwoHoursAheadAndKeepCountingLaterSamples() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.WINDOW_SIZE_MS, 60_000,
                MonitorSettings.WINDOW_ADVANCE_MS, 60_000),
            stateDir)) {
      reference(m);
      send(m, sample("gen-a", "s1", NOW).build(), NOW);
      send(m, sample("gen-a", "s2", NOW + Duration.ofHours(2).toMillis()).build(), NOW + 10);
      send(m, sample("gen-a", "s3", NOW + 20).build(), NOW + 20);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters).extracting(DeadLetter::getReason).containsExactly("EVENT_TIME_IN_FUTURE");
      assertThat(letters.get(0).getMessage())
          .contains("s2", "eventTime", "7200000", "ahead", MonitorSettings.MAX_FUTURE_MS);
      List<QualityScores> scores = m.scores.readValuesToList();
      assertThat(scores)
          .filteredOn(s -> s.getWindowKind() == WindowKind.TUMBLING)
          .extracting(QualityScores::getSampleCount)
          .as("the later, correct sample is counted, not late")
          .containsExactly(1L, 2L);
    }
  }

  @Test
  void shouldDeadLetterANegativeEventTime() {
    try (MonitorDriver m = new MonitorDriver(Map.of(), stateDir)) {
      reference(m);
      send(m, sample("gen-a", "s1", -5).build(), NOW);
      send(m, sample("gen-a", "s2", Long.MIN_VALUE).build(), NOW);
      send(m, sample("gen-a", "s3", NOW).build(), NOW);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters)
          .extracting(DeadLetter::getReason)
          .containsExactly("EVENT_TIME_OUT_OF_RANGE", "EVENT_TIME_OUT_OF_RANGE");
      assertThat(letters.get(0).getMessage()).contains("s1", "-5", "at least 0");
    }
  }

  @Test
  void shouldDeadLetterAGeneratorIdWithControlCharactersAndKeepScoringOthers() {
    try (MonitorDriver m =
        new MonitorDriver(Map.of(MonitorSettings.SCORES_EVERY_SAMPLES, 1), stateDir)) {
      reference(m);
      send(m, sample("gen\u0000a", "s1", NOW).build(), NOW);
      send(m, sample("gen\nb", "s1", NOW).build(), NOW);
      send(m, sample("gen-c", "s1", NOW).build(), NOW);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters)
          .extracting(DeadLetter::getReason)
          .containsExactly("INVALID_GENERATOR_ID", "INVALID_GENERATOR_ID");
      assertThat(letters.get(0).getMessage()).contains("U+0000", "index 3", "control");
      assertThat(m.scores.readValuesToList())
          .extracting(QualityScores::getGeneratorId)
          .containsOnly("gen-c");
    }
  }

  @Test
  void shouldDeadLetterIdsAndAttributesOverTheirLimits() {
    try (MonitorDriver m = new MonitorDriver(Map.of(), stateDir)) {
      reference(m);
      String big = "x".repeat(257);
      send(m, sample(big, "s1", NOW).build(), NOW);
      send(m, sample("gen-a", big, NOW).build(), NOW);
      send(m, sample("gen-a", "s3", NOW).setRunId(big).build(), NOW);
      send(m, sample("gen-a", "s4", NOW).setLabel(big).build(), NOW);
      send(
          m, sample("gen-a", "s5", NOW).setAttributes(Map.of("k", "é".repeat(8_193))).build(), NOW);
      send(m, sample("gen-a", "s6", NOW).setRunId("x".repeat(256)).build(), NOW);

      List<DeadLetter> letters = m.deadLetters.readValuesToList();
      assertThat(letters)
          .extracting(DeadLetter::getReason)
          .containsExactly(
              "ID_TOO_LONG", "ID_TOO_LONG", "ID_TOO_LONG", "ID_TOO_LONG", "ATTRIBUTES_TOO_LARGE");
      assertThat(letters)
          .extracting(DeadLetter::getMessage)
          .anySatisfy(msg -> assertThat(msg).startsWith("generatorId has 257 UTF-8 bytes"))
          .anySatisfy(msg -> assertThat(msg).startsWith("sampleId has 257"))
          .anySatisfy(msg -> assertThat(msg).startsWith("runId has 257"))
          .anySatisfy(msg -> assertThat(msg).startsWith("label has 257"))
          .anySatisfy(msg -> assertThat(msg).contains(MonitorSettings.MAX_ATTRIBUTES_BYTES));
    }
  }

  @Test
  void shouldStampEveryOutputOfADayLongWindowNoLaterThanItsInput() {
    long day = Duration.ofDays(1).toMillis();
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.SCORES_EVERY_SAMPLES,
                1,
                MonitorSettings.WINDOW_SIZE_MS,
                day,
                MonitorSettings.WINDOW_ADVANCE_MS,
                day,
                MonitorSettings.RANKING_MIN_SAMPLES,
                1),
            stateDir)) {
      reference(m);
      long t = NOW - NOW % day + 1_000; // early in a window that ends a day later
      send(m, sample("gen-a", "s1", t).build(), t);
      send(m, sample("gen-b", "s1", t + 5).setText("v:0,1,1,0").build(), t + 5);

      List<TestRecord<String, QualityScores>> scores = m.scores.readRecordsToList();
      assertThat(scores).isNotEmpty();
      assertThat(scores).allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(t + 5));
      assertThat(m.rankings.readRecordsToList())
          .isNotEmpty()
          .allSatisfy(r -> assertThat(r.timestamp()).isLessThanOrEqualTo(t + 5));
    }
  }

  @Test
  void shouldRebuildWindowsWhenTheReferenceVersionArrivesRecordByRecordWhileSamplesFlow() {
    Map<String, Object> config =
        Map.of(MonitorSettings.SCORES_EVERY_SAMPLES, 1, MonitorSettings.WINDOW_KIND, "NONE");
    QualityScores growing;
    try (MonitorDriver m = new MonitorDriver(config, stateDir.resolve("growing"))) {
      m.referenceSample("v1", "r0", BASIS[0], 0);
      m.referenceSample("v1", "r1", BASIS[1], 0);
      m.sample("gen-a", "s1", "v:1,1,0,0", 100);
      m.referenceSample("v1", "r2", BASIS[2], 0);
      m.sample("gen-a", "s2", "v:0,1,1,0", 101);
      m.referenceSample("v1", "r3", BASIS[3], 0);
      m.sample("gen-a", "s3", "v:0,0,1,1", 102);
      assertThat(m.deadLetters.readValuesToList()).isEmpty();
      List<QualityScores> scores = m.scores.readValuesToList();
      assertThat(scores).hasSize(3);
      growing = scores.get(2);
    }
    QualityScores complete;
    try (MonitorDriver m = new MonitorDriver(config, stateDir.resolve("complete"))) {
      reference(m);
      m.sample("gen-a", "s1", "v:1,1,0,0", 100);
      m.sample("gen-a", "s2", "v:0,1,1,0", 101);
      m.sample("gen-a", "s3", "v:0,0,1,1", 102);
      List<QualityScores> scores = m.scores.readValuesToList();
      complete = scores.get(scores.size() - 1);
    }
    assertThat(growing.getReferenceCount()).isEqualTo(4);
    for (ProxyScore p : complete.getScores()) {
      ProxyScore g =
          growing.getScores().stream()
              .filter(s -> s.getProxy().equals(p.getProxy()))
              .findFirst()
              .orElseThrow();
      assertThat(g.getValue())
          .as(p.getProxy() + " against the whole set")
          .isCloseTo(p.getValue(), within(1e-9));
    }
  }

  @Test
  void shouldCloseAWindowBuiltBeforeTheReferenceVersionWasComplete() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(
                MonitorSettings.SCORES_EVERY_SAMPLES, 1,
                MonitorSettings.WINDOW_SIZE_MS, 1_000,
                MonitorSettings.WINDOW_ADVANCE_MS, 1_000,
                MonitorSettings.WINDOW_GRACE_MS, 0),
            stateDir)) {
      m.referenceSample("v1", "r0", BASIS[0], 0);
      m.referenceSample("v1", "r1", BASIS[1], 0);
      m.sample("gen-a", "s1", "v:1,1,0,0", 100);
      m.referenceSample("v1", "r2", BASIS[2], 0);
      m.referenceSample("v1", "r3", BASIS[3], 0);
      m.sample("gen-a", "s2", "v:0,1,1,0", 2_500); // closes [0, 1000)

      assertThat(m.deadLetters.readValuesToList()).isEmpty();
      assertThat(m.scores.readValuesToList())
          .filteredOn(
              s ->
                  s.getWindowKind() == WindowKind.TUMBLING
                      && s.getWindowStart().toEpochMilli() == 0)
          .extracting(QualityScores::getReferenceCount)
          .containsExactly(2, 4);
    }
  }

  @Test
  void shouldKeepScoringWhenASampleOfTheCurrentReferenceVersionIsEdited() {
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(MonitorSettings.SCORES_EVERY_SAMPLES, 1, MonitorSettings.WINDOW_KIND, "NONE"),
            stateDir)) {
      reference(m);
      m.sample("gen-a", "s1", "v:1,1,0,0", 100);
      m.referenceSample("v1", "r3", "v:0,0,1,1", 0);
      m.sample("gen-a", "s2", "v:0,1,1,0", 101);
      assertThat(m.scores.readValuesToList()).hasSize(2);
      assertThat(m.deadLetters.readValuesToList()).isEmpty();
    }
  }

  @Test
  void shouldRoundTripWindowKeysWhateverTheGeneratorId() {
    for (String id : new String[] {"a", "a\u0000b", "a\u0000TUMBLING\u00000", "a/b|c", "😀", ""}) {
      for (WindowKey key :
          List.of(
              new WindowKey(id, WindowKind.TUMBLING, -1),
              new WindowKey(id, WindowKind.HOPPING, Long.MAX_VALUE),
              WindowKey.allTime(id))) {
        assertThat(WindowKey.fromBytes(key.toBytes())).isEqualTo(key);
        byte[] prefix = WindowKey.GENERATOR_PREFIX.serialize("t", id);
        byte[] other = WindowKey.GENERATOR_PREFIX.serialize("t", id + "\u0000");
        assertThat(startsWith(key.toBytes(), prefix)).isTrue();
        assertThat(startsWith(key.toBytes(), other)).as("another id's prefix").isFalse();
      }
    }
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length
        && java.util.Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }
}
