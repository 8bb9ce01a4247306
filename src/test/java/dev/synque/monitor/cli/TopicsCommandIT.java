package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.contracts.TopicDefinition;
import dev.synque.monitor.contracts.TopicDefinitions;
import dev.synque.monitor.stream.MonitorSettings;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code synque topics create|check} and the topic check of {@code synque run} against a real
 * broker. Each test names its topics with a suffix of its own ({@code synque.topic.*} keys), so
 * they share the broker without seeing each other's topics.
 */
@ExtendWith(SharedInfrastructure.class)
class TopicsCommandIT {

  @TempDir Path dir;

  private final String suffix = UUID.randomUUID().toString().substring(0, 8);

  private Path config(String... extra) throws Exception {
    StringBuilder text = new StringBuilder();
    text.append("bootstrap.servers=")
        .append(SharedInfrastructure.kafka().bootstrapServers())
        .append('\n');
    text.append("schema.registry.url=http://127.0.0.1:1\n");
    TopicsCommand.NAME_KEYS.forEach(
        (contract, key) ->
            text.append(key)
                .append('=')
                .append(contract.topic())
                .append('-')
                .append(suffix)
                .append('\n'));
    for (String line : extra) {
      text.append(line).append('\n');
    }
    Path file = dir.resolve("monitor-" + suffix + ".properties");
    Files.writeString(file, text);
    return file;
  }

  private String name(String key) {
    return TopicsCommand.NAME_KEYS.entrySet().stream()
            .filter(e -> e.getValue().equals(key))
            .findFirst()
            .orElseThrow()
            .getKey()
            .topic()
        + "-"
        + suffix;
  }

  @Test
  void shouldCreateEveryTopicAsDefinedAndFindThemOnASecondRun() throws Exception {
    Path config = config();

    CliRun first = CliRun.of("topics", "create", "--config", config.toString());
    CliRun second = CliRun.of("topics", "create", "--config", config.toString());
    CliRun check = CliRun.of("topics", "check", "--config", config.toString());

    assertThat(first.exitCode()).as(first.toString()).isZero();
    for (String key : TopicsCommand.NAME_KEYS.values()) {
      assertThat(first.out()).containsPattern("(?m)^created +" + name(key) + " ");
      assertThat(second.out()).containsPattern("(?m)^exists +" + name(key) + "$");
      assertThat(check.out()).containsPattern("(?m)^exists +" + name(key) + "$");
    }
    assertThat(second.exitCode()).as(second.toString()).isZero();
    assertThat(check.exitCode()).as(check.toString()).isZero();
    assertThat(second.out().lines()).hasSize(Contracts.ALL.size());
    try (Admin admin = SharedInfrastructure.kafka().admin()) {
      for (TopicDefinition definition : TopicDefinitions.defaults()) {
        String key = TopicsCommand.NAME_KEYS.get(definition.contract());
        if (key == null) {
          continue; // the embedded samples keep their name: shared with other runs
        }
        String topic = name(key);
        TopicDescription description =
            admin
                .describeTopics(List.of(topic))
                .allTopicNames()
                .get(30, TimeUnit.SECONDS)
                .get(topic);
        assertThat(description.partitions()).as(topic).hasSize(definition.partitions());
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        Config actual =
            admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource);
        definition
            .configs()
            .forEach(
                (name, value) ->
                    assertThat(actual.get(name).value())
                        .as("%s of %s", name, topic)
                        .isEqualTo(value));
      }
    }
  }

  @Test
  void shouldNameMissingTopicsAndATopicThatIsNotCompacted() throws Exception {
    Path config = config();
    EmbeddedKafkaCluster kafka = SharedInfrastructure.kafka();
    kafka.createTopic(name(MonitorSettings.REFERENCE_TOPIC), 1);
    kafka.createTopic(name(MonitorSettings.SYNTHETIC_TOPIC), 2);

    CliRun check = CliRun.of("topics", "check", "--config", config.toString());
    CliRun create = CliRun.of("topics", "create", "--config", config.toString());

    assertThat(check.exitCode()).isEqualTo(1);
    assertThat(check.out())
        .containsPattern(
            "(?m)^differs +"
                + name(MonitorSettings.REFERENCE_TOPIC)
                + " +cleanup.policy is delete, must be compact$")
        .containsPattern("(?m)^exists +" + name(MonitorSettings.SYNTHETIC_TOPIC) + "$")
        .containsPattern("(?m)^missing +" + name(MonitorSettings.RANKINGS_TOPIC) + " ");
    assertThat(create.exitCode()).as("a differing topic is reported, not altered").isEqualTo(1);
    assertThat(create.out())
        .containsPattern("(?m)^differs +" + name(MonitorSettings.REFERENCE_TOPIC) + " ")
        .containsPattern("(?m)^created +" + name(MonitorSettings.RANKINGS_TOPIC) + " ");
  }

  @Test
  void shouldStopRunBeforeTheModelNamingTheMissingTopicsInOneLine() throws Exception {
    Path config = config("synque.lens.enabled=true");
    SharedInfrastructure.kafka().createTopic(name(MonitorSettings.SYNTHETIC_TOPIC), 1);
    SharedInfrastructure.kafka()
        .createTopic(name(MonitorSettings.REFERENCE_TOPIC), 1, Map.of("cleanup.policy", "compact"));

    CliRun run = CliRun.of("run", "--config", config.toString());

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err().lines()).as(run.err()).hasSize(1);
    assertThat(run.err())
        .startsWith("synque: missing topics: " + name(MonitorSettings.SCORES_TOPIC) + ", ")
        .contains(
            name(MonitorSettings.LENS_REQUESTS_TOPIC), name(MonitorSettings.LENS_RESULTS_TOPIC))
        .doesNotContain(name(MonitorSettings.SYNTHETIC_TOPIC) + ",")
        .contains("synque topics create");
  }
}
