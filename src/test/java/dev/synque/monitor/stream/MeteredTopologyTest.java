package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.metrics.MonitorMeters;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology reports to its {@link MonitorMetrics}, and adds no nodes without them. */
class MeteredTopologyTest {

  @TempDir Path stateDir;

  private static final String[] BASIS = {"v:1,0,0,0", "v:0,1,0,0", "v:0,0,1,0", "v:0,0,0,1"};

  @Test
  void shouldRecordSamplesScoresRanksAndDeadLetters() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorMeters meters = new MonitorMeters(10, () -> 5_000L);
    meters.bindTo(registry);
    try (MonitorDriver m =
        new MonitorDriver(
            Map.of(MonitorSettings.RANKING_MIN_SAMPLES, 1, MonitorSettings.SCORES_EVERY_SAMPLES, 4),
            stateDir,
            new FakeEmbedder(4),
            meters)) {
      for (int i = 0; i < BASIS.length; i++) {
        m.referenceSample("v1", "r" + i, BASIS[i], 0);
      }
      m.rawSamples.pipeInput(
          "gen-a".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8));
      for (int i = 0; i < 8; i++) {
        m.sample("gen-a", "a" + i, BASIS[i % 4], 100 + i);
        m.sample("gen-b", "b" + i, BASIS[(i * 3) % 4], 100 + i);
      }
      m.driver.advanceWallClockTime(Duration.ofSeconds(1));
      meters.alertState(CommittedAlertStateTest.read(m));

      assertThat(registry.get("synque.samples.consumed").counter().count()).isEqualTo(17);
      assertThat(
              registry
                  .get("synque.dead.letters")
                  .tag("reason", "DESERIALIZATION_FAILED")
                  .counter()
                  .count())
          .isEqualTo(1);
      assertThat(
              registry.get("synque.generator.samples").tag("generator", "gen-a").counter().count())
          .isEqualTo(8);
      assertThat(registry.get("synque.embedding.batch").timer().count()).isEqualTo(16);
      assertThat(registry.get("synque.embedding.texts").counter().count()).isEqualTo(16);
      assertThat(registry.get("synque.proxies.compute").timer().count()).isPositive();
      assertThat(
              registry
                  .get("synque.generator.proxy.value")
                  .tag("generator", "gen-b")
                  .tag("proxy", "mmd2_poly")
                  .gauge()
                  .value())
          .isFinite();
      assertThat(registry.get("synque.generator.rank").tag("generator", "gen-a").gauge().value())
          .isBetween(1.0, 2.0);
      // One leader per window kind ranked.
      var leaders = registry.get("synque.generator.leader").gauges();
      assertThat(leaders.stream().mapToDouble(g -> g.value()).sum() * 2).isEqualTo(leaders.size());
      assertThat(registry.get("synque.rankings.emitted").counter().count()).isPositive();
      assertThat(
              registry.get("synque.generator.score.age").tag("generator", "gen-a").gauge().value())
          .isZero();
    }
  }

  @Test
  void shouldAddNoNodesWithoutMetrics() {
    MonitorSettings settings = MonitorSettings.fromConfig(Map.of());
    String plain =
        MonitorTopology.build(settings, () -> new FakeEmbedder(4), serdes()).describe().toString();
    String metered =
        MonitorTopology.build(
                settings,
                () -> new FakeEmbedder(4),
                serdes(),
                new MonitorMeters(10, System::currentTimeMillis))
            .describe()
            .toString();

    assertThat(plain).doesNotContain("meter-");
    assertThat(metered)
        .contains(
            "meter-consumed",
            "meter-accepted",
            "meter-scores",
            "meter-rankings",
            "meter-alerts",
            "meter-dead-letters");
  }

  private static MonitorSerdes serdes() {
    return MonitorSerdes.from(
        new dev.synque.monitor.serde.AvroSerdeFactory(
            Map.of(dev.synque.monitor.serde.SchemaRegistrySettings.URL, "http://unused:8081"),
            new dev.synque.monitor.serde.InMemorySchemaRegistry()));
  }
}
