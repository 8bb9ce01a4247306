package dev.synque.monitor.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.DeadLetter;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The same input through two deployments of the monitor, for the crash tests: one uninterrupted
 * (in-process), one {@code synque run} in a child JVM that is killed with SIGKILL in the middle of
 * every chunk of the input but the last and started again on the same state directory, as a pod
 * with a persistent volume is. The input comes in chunks from a {@link ChunkPublisher}; chunk
 * {@code c} must hold samples {@code c * chunkSize} to {@code (c + 1) * chunkSize - 1} of every
 * generator of {@link MonitorScenario#GENERATORS} (and may hold anything else), so that "output of
 * this chunk" can be told from the sample counts of the rankings.
 *
 * @param chunks how many chunks; the killed run is killed {@code chunks - 1} times
 * @param chunkSize good samples per generator in one chunk
 * @param publisher what a chunk holds
 */
public record CrashRestartRun(int chunks, int chunkSize, ChunkPublisher publisher) {

  private static final Logger LOG = LoggerFactory.getLogger(CrashRestartRun.class);

  public CrashRestartRun {
    if (chunks < 1 || chunkSize < 1) {
      throw new IllegalArgumentException(
          "chunks and chunkSize must be at least 1, not " + chunks + " and " + chunkSize);
    }
  }

  /** Publishes chunk {@code chunk} of the input through {@code scenario}. */
  @FunctionalInterface
  public interface ChunkPublisher {
    void publish(MonitorScenario scenario, int chunk);
  }

  /**
   * What a run wrote, read {@code read_committed} once the whole input was consumed.
   *
   * @param ranking the last ranking
   * @param scores every score in emission order
   * @param deadLetters every dead letter
   */
  public record Outcome(
      RankingUpdate ranking, List<QualityScores> scores, List<DeadLetter> deadLetters) {

    /** Asserts that every generator has one score per sample, none missing, none twice. */
    public void assertOneScorePerSample(long samplesPerGenerator) {
      for (String generator : MonitorScenario.GENERATORS) {
        assertThat(
                scores.stream()
                    .filter(q -> q.getGeneratorId().equals(generator))
                    .map(QualityScores::getSampleCount))
            .as("%s: one score per sample, none missing, none twice", generator)
            .containsExactlyElementsOf(
                IntStream.rangeClosed(1, Math.toIntExact(samplesPerGenerator))
                    .mapToObj(Long::valueOf)
                    .toList());
      }
    }
  }

  /** Good samples per generator in the whole input. */
  public long total() {
    return (long) chunks * chunkSize;
  }

  /**
   * The input through an in-process monitor that runs from start to end; asserts that it is still
   * RUNNING once the whole input is consumed.
   */
  public Outcome uninterrupted(EmbeddedKafkaCluster kafka, String registryUrl) {
    try (MonitorScenario calm = MonitorScenario.on(kafka, registryUrl)) {
      calm.createTopics();
      calm.publishReference();
      MonitorApplication app = calm.startMonitor("calm", new FakeEmbedder(8));
      for (int chunk = 0; chunk < chunks; chunk++) {
        publisher.publish(calm, chunk);
      }
      calm.awaitRanking(total());
      calm.awaitInputConsumed();
      assertThat(app.streams().state())
          .as("the monitor's state")
          .isEqualTo(KafkaStreams.State.RUNNING);
      return outcome(calm);
    }
  }

  /**
   * The input through {@code synque run}, killed with SIGKILL as soon as it has written output of
   * each chunk but the last (committed or not: mid-stream, most often with a transaction open that
   * the next instance must abort), then stopped with SIGTERM once the whole input is consumed.
   * Asserts that each instance was still running when it was killed and that the last one stopped
   * cleanly.
   */
  public Outcome killed(EmbeddedKafkaCluster kafka, String registryUrl) {
    try (MonitorScenario s = MonitorScenario.on(kafka, registryUrl)) {
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
      try (TopicReader<RankingUpdate> inFlight = s.uncommittedRankings()) {
        for (int chunk = 0; chunk < chunks - 1; chunk++) {
          try (MonitorProcess monitor = MonitorProcess.start(config, log)) {
            long before = (long) chunk * chunkSize;
            publisher.publish(s, chunk);
            inFlight.await("output of chunk " + chunk, l -> maxCount(l) > before);
            assertThat(monitor.isAlive())
                .as("synque run still running before kill %d (log: %s)", chunk + 1, log)
                .isTrue();
            monitor.kill();
            LOG.info(
                "Killed the monitor (pid {}): {} samples per generator written, {} committed, of {}",
                monitor.pid(),
                maxCount(inFlight.poll().stream().map(r -> r.value()).toList()),
                maxCount(s.rankings().poll().stream().map(r -> r.value()).toList()),
                before + chunkSize);
          }
        }
      }
      try (MonitorProcess monitor = MonitorProcess.start(config, log)) {
        publisher.publish(s, chunks - 1);
        s.awaitRanking(total());
        s.awaitInputConsumed();
        // SIGTERM: the JVM reports the signal (128 + 15) once the shutdown hook has closed the
        // monitor cleanly.
        assertThat(monitor.stop()).as("exit code after SIGTERM").isEqualTo(143);
        assertThat(monitor.output()).contains("Stopping the monitor");
      }
      return outcome(s);
    }
  }

  /** What {@code s} wrote, once its input is consumed. */
  private static Outcome outcome(MonitorScenario s) {
    List<RankingUpdate> rankings = s.rankings().readToEnd();
    return new Outcome(
        rankings.get(rankings.size() - 1), s.scores().readToEnd(), s.deadLetters().readToEnd());
  }

  private static long maxCount(List<RankingUpdate> rankings) {
    return rankings.stream()
        .flatMap(r -> r.getEntries().stream())
        .mapToLong(e -> e.getSampleCount())
        .max()
        .orElse(0);
  }
}
