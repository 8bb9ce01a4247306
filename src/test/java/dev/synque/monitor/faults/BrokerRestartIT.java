package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TopicReader;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker stops in the middle of the stream (twice) and comes back on the same port with its
 * data: the monitor recovers by itself (no restart, no thread replaced, never in ERROR), and counts
 * every sample exactly once. The broker is this test's own, not the shared one.
 */
@ExtendWith(SharedInfrastructure.class)
class BrokerRestartIT {

  private static final Logger LOG = LoggerFactory.getLogger(BrokerRestartIT.class);
  private static final int CHUNK = 30;
  private static final int CHUNKS = 3;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    registry = SharedInfrastructure.registry();
    kafka = EmbeddedKafkaCluster.create();
    kafka.start();
  }

  @AfterAll
  static void stopBroker() {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void shouldRecoverWithoutHelpAndCountEverySampleOnceWhenTheBrokerRestarts()
      throws InterruptedException {
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      s.createTopics();
      s.publishReference();
      MonitorApplication app = s.startMonitor("one", new FakeEmbedder(8));
      try (TopicReader<RankingUpdate> inFlight = s.uncommittedRankings()) {
        for (int chunk = 0; chunk < CHUNKS; chunk++) {
          int from = chunk * CHUNK;
          s.publishSamples(from, from + CHUNK);
          if (chunk < CHUNKS - 1) {
            inFlight.await("output of chunk " + chunk, l -> maxCount(l) > from);
            kafka.stopBroker();
            LOG.info("Broker stopped while the monitor was {}", app.streams().state());
            // An outage of a few seconds: requests in flight fail, connections are refused.
            Thread.sleep(3_000);
            kafka.startBroker();
            LOG.info("Broker back; the monitor is {}", app.streams().state());
          }
        }
      }
      int total = CHUNK * CHUNKS;
      s.awaitRanking(total);
      s.awaitInputConsumed();

      assertThat(app.streams().state()).isEqualTo(KafkaStreams.State.RUNNING);
      assertThat(app.exitCode()).isZero();
      assertThat(app.replacedThreads()).as("stream threads replaced").isZero();
      List<QualityScores> scores = s.scores().readToEnd();
      for (String g : MonitorScenario.GENERATORS) {
        assertThat(
                scores.stream()
                    .filter(q -> q.getGeneratorId().equals(g))
                    .map(QualityScores::getSampleCount))
            .as("%s: one score per sample, none missing, none twice", g)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, total).mapToObj(Long::valueOf).toList());
      }
      assertThat(s.deadLetters().readToEnd()).isEmpty();
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
