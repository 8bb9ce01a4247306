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

/**
 * The deployment files name the same topics as the code, with the same compaction; compose and the
 * Kubernetes manifests hold together (ports, probes, volumes, secrets), and the generated k8s
 * monitoring files match the alert rules and dashboards they are made from.
 */
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

  /**
   * Changed with the one-shot {@code topics} service: a service that others wait for with {@code
   * service_completed_successfully} runs to completion, so it has no healthcheck; every other
   * service has one, and every service has a restart policy.
   */
  @Test
  void shouldGiveEveryComposeServiceAnImageARestartPolicyAndAHealthcheckUnlessOneShot()
      throws IOException {
    JsonNode compose = YAML.readTree(Files.readString(Path.of("docker-compose.yml")));

    ObjectNode services = (ObjectNode) compose.get("services");
    assertThat(services).isNotNull();
    List<String> oneShot = new ArrayList<>();
    services.forEach(
        service ->
            service
                .path("depends_on")
                .fields()
                .forEachRemaining(
                    dependency -> {
                      if ("service_completed_successfully"
                          .equals(dependency.getValue().path("condition").asText())) {
                        oneShot.add(dependency.getKey());
                      }
                    }));
    assertThat(oneShot).contains("topics");
    services
        .fields()
        .forEachRemaining(
            service -> {
              assertThat(service.getValue().has("image") || service.getValue().has("build"))
                  .as("service %s has an image or a build", service.getKey())
                  .isTrue();
              assertThat(service.getValue().path("restart").asText())
                  .as("restart policy of %s", service.getKey())
                  .isIn(
                      oneShot.contains(service.getKey())
                          ? List.of("on-failure")
                          : List.of("unless-stopped", "on-failure"));
              assertThat(service.getValue().at("/healthcheck/test").isMissingNode())
                  .as("service %s has a healthcheck", service.getKey())
                  .isEqualTo(oneShot.contains(service.getKey()));
            });
  }

  // Changed: the LENS worker moved to the opt-in components/lens (no Secret is shipped: the
  // synque-llm Secret is the user's), and the KafkaUsers joined.
  private static final List<String> MANIFESTS =
      List.of(
          "k8s/topics.yaml",
          "k8s/users.yaml",
          "k8s/monitor.yaml",
          "k8s/monitoring.yaml",
          "k8s/dashboards.yaml");

  private static final List<String> COMPONENT_MANIFESTS =
      List.of("k8s/components/lens/lens-worker.yaml", "k8s/components/topics-job/topics-job.yaml");

  private static JsonNode only(String kind, String name) throws IOException {
    List<JsonNode> found = new ArrayList<>();
    for (String file : concat(MANIFESTS, COMPONENT_MANIFESTS)) {
      for (JsonNode doc : documents(Path.of(file))) {
        if (doc.at("/kind").asText().equals(kind)
            && doc.at("/metadata/name").asText().equals(name)) {
          found.add(doc);
        }
      }
    }
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  @Test
  void shouldRunTheWholeStackInCompose() throws IOException {
    JsonNode services =
        YAML.readTree(Files.readString(Path.of("docker-compose.yml"))).get("services");

    assertThat(services.fieldNames())
        .toIterable()
        .contains(
            "kafka", "schema-registry", "monitor", "generators", "lens", "prometheus", "grafana");
    // The image is built once, by the first service that runs it (the one-shot topics service).
    assertThat(services.at("/topics/build").asText()).isEqualTo(".");
    assertThat(services.at("/monitor/image").asText())
        .isEqualTo(services.at("/topics/image").asText());
    assertThat(services.at("/monitor/ports").toString()).contains("9404:9404");
    assertThat(services.at("/prometheus/volumes").toString())
        .contains("./dashboards/alerts/synque-rules.yml:");
    assertThat(services.at("/grafana/volumes").toString())
        .contains("./dashboards/grafana/provisioning/dashboards:", "./dashboards/grafana:");
    for (JsonNode service : services) {
      for (JsonNode volume : service.path("volumes")) {
        String source = volume.asText().split(":")[0];
        if (source.startsWith("./")) {
          assertThat(Path.of(source)).as("mounted %s", source).exists();
        }
      }
    }
    String prometheus = Files.readString(Path.of("deploy/compose/prometheus.yml"));
    assertThat(prometheus).contains("job_name: synque-monitor", "monitor:9404", "synque-rules.yml");
    String dockerfile = Files.readString(Path.of("Dockerfile"));
    // Changed: no image-wide HEALTHCHECK (each role is probed on its own port by compose and
    // Kubernetes); OCI labels; a dependency layer (the pom alone) before the sources; the
    // production artifact.
    assertThat(dockerfile)
        .contains("EXPOSE 9404", "HEALTHCHECK NONE", "ENTRYPOINT", "-Pproduction", "bin/slim-lib")
        .contains("org.opencontainers.image.title", "org.opencontainers.image.version");
    assertThat(dockerfile.indexOf("dependency:go-offline"))
        .isPositive()
        .isLessThan(dockerfile.indexOf("COPY src/main"));
    assertThat(dockerfile.indexOf("COPY pom.xml"))
        .isLessThan(dockerfile.indexOf("dependency:go-offline"));
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  @Test
  void shouldGiveEveryManifestAKindANameAndTheSharedLabel() throws IOException {
    for (String file : concat(MANIFESTS, COMPONENT_MANIFESTS)) {
      List<JsonNode> docs = documents(Path.of(file));
      assertThat(docs).as(file).isNotEmpty();
      for (JsonNode doc : docs) {
        assertThat(doc.at("/apiVersion").asText()).as(file).isNotBlank();
        assertThat(doc.at("/kind").asText()).as(file).isNotBlank();
        assertThat(doc.at("/metadata/name").asText())
            .as(file)
            .matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
        assertThat(doc.at("/metadata/labels/app.kubernetes.io~1part-of").asText())
            .as("part-of label in %s", file)
            .isEqualTo("synque-monitor");
      }
    }
    JsonNode kustomization = YAML.readTree(Files.readString(Path.of("k8s/kustomization.yaml")));
    assertThat(kustomization.get("resources"))
        .extracting(JsonNode::asText)
        .containsExactlyInAnyOrderElementsOf(
            MANIFESTS.stream().map(m -> m.substring("k8s/".length())).toList());
  }

  @Test
  void shouldRunTheMonitorAsAStatefulSetWithStateProbesAndAScrapedPort() throws IOException {
    JsonNode set = only("StatefulSet", "synque-monitor");
    JsonNode service = only("Service", "synque-monitor");
    JsonNode pod = set.at("/spec/template");
    JsonNode container = pod.at("/spec/containers/0");

    assertThat(set.at("/spec/serviceName").asText()).isEqualTo("synque-monitor");
    assertThat(set.at("/spec/selector/matchLabels"))
        .isEqualTo(
            ((ObjectNode) pod.at("/metadata/labels").deepCopy())
                .without("app.kubernetes.io/part-of"));
    assertThat(set.at("/spec/volumeClaimTemplates/0/metadata/name").asText()).isEqualTo("state");
    assertThat(container.get("volumeMounts").toString())
        .contains("\"name\":\"state\"", "/var/lib/synque");
    assertThat(only("ConfigMap", "synque-monitor-config").at("/data/monitor.properties").asText())
        .contains("state.dir=/var/lib/synque/", "synque.metrics.port=9404");
    // Changed: readiness asks /ready (false while restoring), liveness and startup /health.
    for (String probe : List.of("startupProbe", "readinessProbe", "livenessProbe")) {
      assertThat(container.at("/" + probe + "/httpGet/path").asText())
          .as(probe)
          .isEqualTo(probe.equals("readinessProbe") ? "/ready" : "/health");
      assertThat(container.at("/" + probe + "/httpGet/port").asText())
          .as(probe)
          .isEqualTo("metrics");
    }
    assertThat(container.get("ports").toString()).contains("\"name\":\"metrics\"", "9404");
    assertThat(service.at("/spec/ports").toString()).contains("\"name\":\"metrics\"");
    assertThat(service.at("/spec/selector")).isEqualTo(set.at("/spec/selector/matchLabels"));
    JsonNode serviceMonitor = only("ServiceMonitor", "synque");
    assertThat(serviceMonitor.at("/spec/endpoints/0/port").asText()).isEqualTo("metrics");
    serviceMonitor
        .at("/spec/selector/matchLabels")
        .fields()
        .forEachRemaining(
            label ->
                assertThat(service.at("/metadata/labels").get(label.getKey()))
                    .as("service label %s", label.getKey())
                    .isEqualTo(label.getValue()));
  }

  @Test
  void shouldGiveTheLensWorkerTheLlmKeyFromTheUsersSecret() throws IOException {
    JsonNode env = only("Deployment", "synque-lens").at("/spec/template/spec/containers/0/env");

    // Changed: no Secret ships (apply -k would overwrite the user's real key); only a reference.
    for (String file : concat(MANIFESTS, COMPONENT_MANIFESTS)) {
      assertThat(documents(Path.of(file)))
          .as(file)
          .noneMatch(d -> d.at("/kind").asText().equals("Secret"));
    }
    assertThat(env.toString())
        .contains("\"secretKeyRef\":{\"name\":\"synque-llm\",\"key\":\"api-key\"}");
  }

  @Test
  void shouldShipTheSameRulesAndDashboardsToKubernetes() throws IOException {
    JsonNode rules = YAML.readTree(Files.readString(Path.of("dashboards/alerts/synque-rules.yml")));
    JsonNode dashboards = only("ConfigMap", "synque-dashboards");

    assertThat(only("PrometheusRule", "synque").at("/spec/groups"))
        .as("k8s/monitoring.yaml is out of date: run bin/sync-k8s-monitoring")
        .isEqualTo(rules.get("groups"));
    assertThat(dashboards.at("/metadata/labels/grafana_dashboard").asText()).isEqualTo("1");
    try (var files = Files.list(Path.of("dashboards/grafana"))) {
      List<Path> json = files.filter(f -> f.toString().endsWith(".json")).toList();
      assertThat(dashboards.get("data").size()).isEqualTo(json.size());
      for (Path file : json) {
        assertThat(dashboards.at("/data/" + file.getFileName()).asText())
            .as("k8s/dashboards.yaml is out of date: run bin/sync-k8s-monitoring")
            .isEqualTo(Files.readString(file));
      }
    }
  }
}
