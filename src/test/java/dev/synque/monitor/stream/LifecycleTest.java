package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.metrics.MonitorMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Generators come and go: idle windows close by stream time, retired generators leave. */
class LifecycleTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  private static Map<String, Object> config() {
    Map<String, Object> c = new HashMap<>();
    c.put(MonitorSettings.WINDOW_SIZE_MS, 1000);
    c.put(MonitorSettings.WINDOW_GRACE_MS, 0);
    c.put(MonitorSettings.SCORES_EVERY_SAMPLES, 2);
    c.put(MonitorSettings.RANKING_MIN_SAMPLES, 2);
    c.put(MonitorSettings.PROXIES, "mmd2_poly");
    c.put(LifecycleSettings.IDLE_MS, 2000);
    c.put(LifecycleSettings.RETIRE_MS, 5000);
    c.put(LifecycleSettings.LEADER_MIN_MS, 0);
    return c;
  }

  private static void reference(MonitorDriver m) {
    for (int i = 0; i < BASIS.length; i++) {
      m.referenceSample("v1", "r" + i, BASIS[i], 0);
    }
  }

  /** Generator ids holding an entry in {@code store}, read through {@code id}. */
  private static <K, V> Set<String> generators(
      KeyValueStore<K, V> store, java.util.function.BiFunction<K, V, String> id) {
    Set<String> ids = new TreeSet<>();
    try (KeyValueIterator<K, V> it = store.all()) {
      while (it.hasNext()) {
        var kv = it.next();
        ids.add(id.apply(kv.key, kv.value));
      }
    }
    return ids;
  }

  /** Every generator id any per-generator store of the monitor holds. */
  private static Set<String> everyStore(MonitorDriver m) {
    Set<String> ids = new TreeSet<>();
    KeyValueStore<WindowKey, byte[]> windows =
        m.driver.getKeyValueStore(MonitorTopology.WINDOW_STATE_STORE);
    ids.addAll(generators(windows, (k, v) -> k.generator()));
    KeyValueStore<String, Long> clocks =
        m.driver.getKeyValueStore(MonitorTopology.GENERATOR_CLOCK_STORE);
    ids.addAll(generators(clocks, (k, v) -> k));
    KeyValueStore<String, byte[]> drift = m.driver.getKeyValueStore(MonitorTopology.DRIFT_STORE);
    ids.addAll(generators(drift, (k, v) -> k.substring(0, k.lastIndexOf('/'))));
    KeyValueStore<String, String> history =
        m.driver.getKeyValueStore(MonitorTopology.SCORE_HISTORY_STORE);
    ids.addAll(generators(history, (k, v) -> k));
    KeyValueStore<String, QualityScores> latest =
        m.driver.getKeyValueStore(MonitorTopology.LATEST_SCORES_STORE);
    ids.addAll(generators(latest, (k, v) -> v.getGeneratorId()));
    KeyValueStore<String, QualityScores> windowScores =
        m.driver.getKeyValueStore(MonitorTopology.WINDOW_SCORES_STORE);
    ids.addAll(generators(windowScores, (k, v) -> v.getGeneratorId()));
    return ids;
  }

  private static List<String> ranked(RankingUpdate r) {
    return r.getEntries().stream().map(RankingEntry::getGeneratorId).toList();
  }

  @Test
  void shouldCloseAnIdleGeneratorsWindowByStreamTimeThenRetireIt() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    // as PrometheusMetrics configures it: every id carries the application tag
    registry.config().commonTags("application", "synque");
    MonitorMeters meters = new MonitorMeters(10, () -> 0L);
    meters.bindTo(registry);
    try (MonitorDriver m = new MonitorDriver(config(), stateDir, new FakeEmbedder(4), meters)) {
      reference(m);
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], i * 200L);
        m.sample("gen-b", "b" + i, BASIS[(i + 1) % 4], i * 200L);
      }
      // gen-b stops at 600; gen-a goes on
      for (long t = 1000; t <= 3000; t += 250) {
        m.sample("gen-a", "a" + t, BASIS[(int) (t / 250) % 4], t);
      }

      // then: gen-b's last window [0, 1000) got its final scores once it was idle (2 s without
      // samples) and stream time had passed the window's end
      List<QualityScores> b =
          m.scores.readValuesToList().stream()
              .filter(s -> s.getGeneratorId().equals("gen-b"))
              .filter(s -> s.getTrigger() == ScoreTrigger.WINDOW_CLOSE)
              .toList();
      assertThat(b).singleElement();
      assertThat(b.get(0).getWindowStart().toEpochMilli()).isZero();
      assertThat(b.get(0).getSampleCount()).isEqualTo(4);
      assertThat(registry.find("synque.generator.samples").tag("generator", "gen-b").counter())
          .isNotNull();

      // when: 5 s without samples
      for (long t = 3250; t <= 8000; t += 250) {
        m.sample("gen-a", "a" + t, BASIS[(int) (t / 250) % 4], t);
      }

      // then: gen-b is in no store, no ranking and no metric; its final standing is kept
      assertThat(everyStore(m)).containsExactly("gen-a");
      List<RankingUpdate> rankings = m.rankings.readValuesToList();
      RankingUpdate last = rankings.get(rankings.size() - 1);
      assertThat(ranked(last)).containsExactly("gen-a");
      KeyValueStore<String, RankingUpdate> retired =
          m.driver.getKeyValueStore(MonitorTopology.RETIRED_STORE);
      RankingUpdate standing = retired.get("gen-b");
      assertThat(standing).isNotNull();
      assertThat(ranked(standing)).containsExactly("gen-b");
      assertThat(standing.getWindowStart().toEpochMilli()).isEqualTo(600);
      assertThat(registry.find("synque.generator.samples").tag("generator", "gen-b").counter())
          .isNull();
      // and no series at all, also once the alert gauges are refreshed from the stores
      meters.alertState(
          CommittedAlertState.read(
              m.driver.getKeyValueStore(MonitorTopology.DRIFT_STORE),
              m.driver.getKeyValueStore(MonitorTopology.LEADER_STORE),
              m.driver.getKeyValueStore(MonitorTopology.LATEST_RANKING_STORE),
              MonitorSettings.fromConfig(config()).drift()));
      assertThat(generatorTags(registry)).containsExactly("gen-a");
    }
  }

  /** The values of the generator tag on every meter. */
  private static Set<String> generatorTags(SimpleMeterRegistry registry) {
    Set<String> ids = new TreeSet<>();
    for (io.micrometer.core.instrument.Meter meter : registry.getMeters()) {
      String generator = meter.getId().getTag("generator");
      if (generator != null) {
        ids.add(generator);
      }
    }
    return ids;
  }

  @Test
  void shouldRetireAGeneratorAtOnceByAControlRecord() {
    Map<String, Object> c = config();
    c.put(LifecycleSettings.CONTROL_TOPIC, "synque-generator-control-v1");
    try (MonitorDriver m = new MonitorDriver(c, stateDir)) {
      reference(m);
      TestInputTopic<String, byte[]> control =
          m.driver.createInputTopic(
              m.settings.lifecycle().controlTopic(),
              new StringSerializer(),
              new ByteArraySerializer());
      for (int i = 0; i < 4; i++) {
        m.sample("gen-a", "a" + i, BASIS[i], i * 200L);
        m.sample("gen-b", "b" + i, BASIS[(i + 1) % 4], i * 200L);
      }

      control.pipeInput("gen-b", LifecycleSettings.retireCommand(700));
      // stream time moves on (less than the idle time) with gen-a's samples
      for (long t = 800; t <= 2400; t += 200) {
        m.sample("gen-a", "a" + t, BASIS[(int) (t / 200) % 4], t);
      }

      assertThat(everyStore(m)).containsExactly("gen-a");
      List<RankingUpdate> rankings = m.rankings.readValuesToList();
      assertThat(ranked(rankings.get(rankings.size() - 1))).containsExactly("gen-a");

      // a generator that sends again after its retirement starts afresh
      m.sample("gen-b", "b-again", BASIS[0], 2500);
      assertThat(everyStore(m)).containsExactly("gen-a", "gen-b");
    }
  }

  @Test
  void shouldKeepStateBoundedByTheActiveGenerators() {
    Map<String, Object> c = config();
    c.put(LifecycleSettings.IDLE_MS, 1000);
    c.put(LifecycleSettings.RETIRE_MS, 2000);
    try (MonitorDriver m = new MonitorDriver(c, stateDir)) {
      reference(m);
      int maxHeld = 0;
      // 8 cohorts of 5 generators, each sending for 2 s of event time, one after the other
      for (int cohort = 0; cohort < 8; cohort++) {
        for (long t = cohort * 2000L; t < (cohort + 1) * 2000L; t += 250) {
          for (int g = 0; g < 5; g++) {
            m.sample("gen-" + cohort + "-" + g, "s" + t, BASIS[(int) (t / 250 + g) % 4], t);
          }
          maxHeld = Math.max(maxHeld, everyStore(m).size());
        }
      }
      // then: at most the live cohort and the one before it (not yet retired) are held
      assertThat(maxHeld).isLessThanOrEqualTo(10);
      assertThat(everyStore(m))
          .hasSizeLessThanOrEqualTo(10)
          .allMatch(id -> id.startsWith("gen-6-") || id.startsWith("gen-7-"));
      KeyValueStore<String, RankingUpdate> rankings =
          m.driver.getKeyValueStore(MonitorTopology.LATEST_RANKING_STORE);
      assertThat(ranked(rankings.get(WindowKind.ALL_TIME.name())))
          .allMatch(id -> id.startsWith("gen-6-") || id.startsWith("gen-7-"));
    }
  }
}
