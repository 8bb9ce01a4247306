package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.CrashRestartRun;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Crash and restart: {@code synque run} (a child JVM with the test embedder) is killed with SIGKILL
 * three times in the middle of the stream and started again on the same state directory, as a pod
 * with a persistent volume is. Exactly once: every generator's scores are emitted once per sample
 * with no count missing or repeated, and the final ranking and every score equal those of an
 * uninterrupted run on the same input.
 */
@ExtendWith(SharedInfrastructure.class)
class CrashRestartIT {

  private static final int CHUNK = 40;
  private static final int CHUNKS = 4;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldCountEverySampleOnceAndRankAsAnUninterruptedRunAfterRepeatedKills() {
    CrashRestartRun run =
        new CrashRestartRun(
            CHUNKS, CHUNK, (s, chunk) -> s.publishSamples(chunk * CHUNK, (chunk + 1) * CHUNK));

    CrashRestartRun.Outcome calm = run.uninterrupted(kafka, registry.confluentCompatUrl());
    CrashRestartRun.Outcome killed = run.killed(kafka, registry.confluentCompatUrl());

    killed.assertOneScorePerSample(run.total());
    assertThat(MonitorScenario.scoresByGenerator(killed.scores()))
        .isEqualTo(MonitorScenario.scoresByGenerator(calm.scores()));
    assertThat(killed.ranking().getEntries()).isEqualTo(calm.ranking().getEntries());
    assertThat(killed.deadLetters()).isEmpty();
  }
}
