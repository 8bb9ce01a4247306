package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code synque reset} against a real broker and a monitor that has run. */
@ExtendWith(SharedInfrastructure.class)
class ResetCommandIT {

  private static Set<String> topics(Admin admin) throws Exception {
    return admin.listTopics().names().get(30, TimeUnit.SECONDS);
  }

  @Test
  void shouldRefuseWhileRunningThenResetOffsetsInternalTopicsAndLocalState() throws Exception {
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    try (MonitorScenario scenario =
            MonitorScenario.on(kafka, SharedInfrastructure.registry().confluentCompatUrl());
        Admin admin = kafka.admin()) {
      // Kafka Streams does not leave its group on close: the member goes at the session timeout.
      scenario
          .with("main.consumer.session.timeout.ms", 6000)
          .with("main.consumer.heartbeat.interval.ms", 1000)
          .createTopics();
      scenario.publishReference();
      MonitorApplication app = scenario.startMonitor("m1", new FakeEmbedder(8));
      scenario.publishSamples(0, 20);
      scenario.awaitRanking(20);
      Path config = scenario.writeConfigFile("m1");
      String applicationId = scenario.applicationId();
      Path state =
          Path.of(scenario.monitorConfig("m1").get(StreamsConfig.STATE_DIR_CONFIG).toString())
              .resolve(applicationId);
      List<String> internalBefore =
          topics(admin).stream().filter(t -> ResetCommand.isInternal(applicationId, t)).toList();

      CliRun whileRunning = CliRun.of("reset", "--config", config.toString());
      app.close();
      CliRun dryRun =
          org.awaitility.Awaitility.await("the stopped instance gone from the group")
              .atMost(java.time.Duration.ofSeconds(60))
              .pollInterval(java.time.Duration.ofSeconds(2))
              .until(
                  () -> CliRun.of("reset", "--config", config.toString(), "--dry-run"),
                  run -> run.exitCode() == 0);
      assertThat(Files.exists(state)).as("a dry run deletes nothing").isTrue();
      CliRun reset = CliRun.of("reset", "--config", config.toString());
      CliRun again = CliRun.of("reset", "--config", config.toString());

      assertThat(internalBefore).as("changelogs of a monitor that ran").isNotEmpty();
      assertThat(whileRunning.exitCode()).isEqualTo(1);
      assertThat(whileRunning.err())
          .contains("application " + applicationId + " has 1 active member(s)");
      assertThat(dryRun.exitCode()).as(dryRun.toString()).isZero();
      assertThat(dryRun.out()).contains("would delete internal topic " + internalBefore.get(0));
      assertThat(reset.exitCode()).as(reset.toString()).isZero();
      assertThat(reset.out())
          .contains("deleted the committed offsets of consumer group " + applicationId)
          .contains("deleted local state " + state);
      for (String topic : internalBefore) {
        assertThat(reset.out()).contains("deleted internal topic " + topic);
      }
      assertThat(Files.exists(state)).isFalse();
      assertThat(
              admin.listConsumerGroups().all().get(30, TimeUnit.SECONDS).stream()
                  .map(g -> g.groupId())
                  .toList())
          .doesNotContain(applicationId);
      org.awaitility.Awaitility.await("internal topics deleted")
          .atMost(java.time.Duration.ofSeconds(60))
          .until(
              () ->
                  topics(admin).stream().noneMatch(t -> ResetCommand.isInternal(applicationId, t)));
      assertThat(topics(admin)).contains(scenario.topic("synque.topic.synthetic"));
      assertThat(again.exitCode()).as(again.toString()).isZero();
      assertThat(again.out()).contains("no local state at " + state);
    }
  }

  @Test
  void shouldTellInternalTopicsApart() {
    assertThat(
            ResetCommand.isInternal(
                "synque-monitor", "synque-monitor-window-state-store-changelog"))
        .isTrue();
    assertThat(ResetCommand.isInternal("synque-monitor", "synque-monitor-rank-input-repartition"))
        .isTrue();
    assertThat(ResetCommand.isInternal("synque-monitor", "synque-monitor-2-x-changelog")).isTrue();
    assertThat(ResetCommand.isInternal("synque-monitor", "synque-rankings-v1")).isFalse();
    assertThat(ResetCommand.isInternal("synque-monitor", "other-app-x-changelog")).isFalse();
  }
}
