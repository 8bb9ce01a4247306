package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorProcess;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TopicReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Crash and restart: {@code synque run} (a child JVM with the test embedder) is killed with SIGKILL
 * three times in the middle of the stream and started again on the same state directory, as a pod
 * with a persistent volume is. Exactly once: every generator's scores are emitted once per sample
 * with no count missing or repeated, and the final ranking and every score equal those of an
 * uninterrupted run on the same input.
 */
@ExtendWith(SharedInfrastructure.class)
class CrashRestartIT {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRestartIT.class);
  private static final int CHUNK = 40;
  private static final int CHUNKS = 4;
  private static final int TOTAL = CHUNK * CHUNKS;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldCountEverySampleOnceAndRankAsAnUninterruptedRunAfterRepeatedKills() {
    RankingUpdate expectedRanking;
    Map<String, List<String>> expectedScores;
    try (MonitorScenario calm = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      calm.createTopics();
      calm.publishReference();
      calm.startMonitor("calm", new FakeEmbedder(8));
      calm.publishSamples(0, TOTAL);
      expectedRanking = calm.awaitRanking(TOTAL);
      calm.awaitInputConsumed();
      expectedScores = MonitorScenario.scoresByGenerator(calm.scores().readToEnd());
    }

    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      // The monitor's own commit interval (1 s), so a kill loses real uncommitted work; a short
      // session, so the group does not wait 45 s for the killed member before rebalancing.
      s.with(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1_000)
          .with(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 6_000)
          .with(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1_000)
          .with(MetricsSettings.PORT, -1);
      s.createTopics();
      s.publishReference();
      Path config = s.writeConfigFile("pod-0");
      Path log = Path.of("target", "crash-restart-" + s.applicationId() + ".log");
      TopicReader<RankingUpdate> inFlight = s.uncommittedRankings();
      for (int chunk = 0; chunk < CHUNKS; chunk++) {
        MonitorProcess monitor = MonitorProcess.start(config, log);
        int from = chunk * CHUNK;
        s.publishSamples(from, from + CHUNK);
        if (chunk < CHUNKS - 1) {
          // Killed as soon as it has written output of this chunk, committed or not: mid-stream,
          // most often with a transaction open that the next instance must abort.
          inFlight.await("output of chunk " + chunk, l -> maxCount(l) > from);
          monitor.kill();
          LOG.info(
              "Killed the monitor (pid {}): {} samples per generator written, {} committed, of {}",
              monitor.pid(),
              maxCount(inFlight.poll().stream().map(r -> r.value()).toList()),
              maxCount(s.rankings().poll().stream().map(r -> r.value()).toList()),
              from + CHUNK);
        } else {
          s.awaitRanking(TOTAL);
          s.awaitInputConsumed();
          // SIGTERM: the JVM reports the signal (128 + 15) once the shutdown hook has closed
          // the monitor cleanly.
          assertThat(monitor.stop()).as("exit code after SIGTERM").isEqualTo(143);
          assertThat(monitor.output()).contains("Stopping the monitor");
        }
      }

      List<QualityScores> scores = s.scores().readToEnd();
      Map<String, List<String>> byGenerator = MonitorScenario.scoresByGenerator(scores);
      for (String generator : MonitorScenario.GENERATORS) {
        assertThat(
                scores.stream()
                    .filter(q -> q.getGeneratorId().equals(generator))
                    .map(QualityScores::getSampleCount))
            .as("%s: one score per sample, none missing, none twice", generator)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, TOTAL).mapToObj(Long::valueOf).toList());
      }
      assertThat(byGenerator).isEqualTo(expectedScores);
      List<RankingUpdate> rankings = s.rankings().readToEnd();
      RankingUpdate last = rankings.get(rankings.size() - 1);
      assertThat(last.getEntries()).isEqualTo(expectedRanking.getEntries());
      assertThat(s.deadLetters().readToEnd()).isEmpty();
      inFlight.close();
    }
  }

  private static long maxCount(List<RankingUpdate> rankings) {
    return rankings.stream()
        .flatMap(r -> r.getEntries().stream())
        .mapToLong(e -> e.getSampleCount())
        .max()
        .orElse(0);
  }
}
