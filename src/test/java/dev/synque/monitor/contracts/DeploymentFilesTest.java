package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The deployment files name the same topics as the code, with the same compaction. */
class DeploymentFilesTest {

  private static final ObjectMapper YAML = new YAMLMapper();

  private static List<JsonNode> documents(Path file) throws IOException {
    List<JsonNode> documents = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(file.toFile())) {
      var iterator = YAML.readValues(parser, JsonNode.class);
      while (iterator.hasNext()) {
        JsonNode node = iterator.next();
        if (node != null && !node.isNull() && !node.isMissingNode()) {
          documents.add(node);
        }
      }
    }
    return documents;
  }

  @Test
  void shouldDeclareAStrimziTopicForEveryContract() throws IOException {
    List<JsonNode> topics = documents(Path.of("k8s/topics.yaml"));

    assertThat(topics)
        .extracting(t -> t.at("/spec/topicName").asText())
        .containsExactlyElementsOf(Contracts.ALL.stream().map(Contract::topic).toList());
    for (JsonNode topic : topics) {
      assertThat(topic.at("/kind").asText()).isEqualTo("KafkaTopic");
      assertThat(topic.at("/metadata/name").asText()).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
      assertThat(topic.at("/spec/partitions").asInt()).isPositive();
      Contract contract =
          Contracts.ALL.stream()
              .filter(c -> c.topic().equals(topic.at("/spec/topicName").asText()))
              .findFirst()
              .orElseThrow();
      assertThat("compact".equals(topic.at("/spec/config/cleanup.policy").asText()))
          .as("cleanup.policy of %s", contract.topic())
          .isEqualTo(contract.compacted());
    }
  }

  @Test
  void shouldGiveEveryComposeServiceAnImageAndAHealthcheck() throws IOException {
    JsonNode compose = YAML.readTree(Files.readString(Path.of("docker-compose.yml")));

    ObjectNode services = (ObjectNode) compose.get("services");
    assertThat(services).isNotNull();
    services
        .fields()
        .forEachRemaining(
            service -> {
              assertThat(service.getValue().has("image") || service.getValue().has("build"))
                  .as("service %s has an image or a build", service.getKey())
                  .isTrue();
              assertThat(service.getValue().at("/healthcheck/test").isMissingNode())
                  .as("service %s has a healthcheck", service.getKey())
                  .isFalse();
            });
  }
}
