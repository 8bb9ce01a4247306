package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.synque.monitor.stream.BoundedRocksDbConfig;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a platform team checks, on what {@code kubectl kustomize} builds from {@code k8s/} (and the
 * overlays in {@code deploy/kubernetes/}): bounded memory, probes, disruption budget, static
 * membership, the {@code restricted} Pod Security Standard, Strimzi's current API with the topic
 * definitions of the code, exact ACLs, no shipped Secret, the LENS worker opt-in, the monitoring
 * labels in one place, resources everywhere. Skipped, saying so, where kubectl is not installed
 * ({@code apt-get install kubectl}, or any kubectl with kustomize).
 */
class KubernetesManifestsTest {

  private static final ObjectMapper YAML = new YAMLMapper();
  private static final long GIB = 1024L * 1024 * 1024;
  private static final long MIB = 1024L * 1024;

  private static List<JsonNode> base;
  private static List<JsonNode> withLens;
  private static List<JsonNode> withoutStrimzi;

  @BeforeAll
  static void build() throws Exception {
    Path kubectl = null;
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "kubectl"))) {
        kubectl = Path.of(dir, "kubectl");
        break;
      }
    }
    Assumptions.assumeTrue(
        kubectl != null,
        "kubectl not found: the kustomize output of k8s/ is not checked; install kubectl");
    base = kustomize(kubectl, "k8s");
    withLens = kustomize(kubectl, "deploy/kubernetes/with-lens");
    withoutStrimzi = kustomize(kubectl, "deploy/kubernetes/without-strimzi");
  }

  private static List<JsonNode> kustomize(Path kubectl, String dir) throws Exception {
    Process process =
        new ProcessBuilder(kubectl.toString(), "kustomize", dir).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as("kubectl kustomize %s:%n%s", dir, output).isZero();
    List<JsonNode> docs = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(output)) {
      var values = YAML.readValues(parser, JsonNode.class);
      while (values.hasNext()) {
        JsonNode doc = values.next();
        if (doc != null && !doc.isNull()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static List<JsonNode> kind(List<JsonNode> docs, String kind) {
    return docs.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  private static JsonNode one(List<JsonNode> docs, String kind, String name) {
    List<JsonNode> found =
        kind(docs, kind).stream()
            .filter(d -> d.at("/metadata/name").asText().equals(name))
            .toList();
    assertThat(found).as("%s %s", kind, name).hasSize(1);
    return found.get(0);
  }

  /** Every pod template: StatefulSets, Deployments, Jobs. */
  private static List<JsonNode> podTemplates(List<JsonNode> docs) {
    List<JsonNode> pods = new ArrayList<>();
    for (JsonNode doc : docs) {
      if (Set.of("StatefulSet", "Deployment", "Job", "DaemonSet", "CronJob")
          .contains(doc.path("kind").asText())) {
        pods.add(doc.at("/spec/template"));
      }
    }
    return pods;
  }

  private static Properties monitorProperties(List<JsonNode> docs) throws IOException {
    Properties properties = new Properties();
    properties.load(
        new StringReader(
            one(docs, "ConfigMap", "synque-monitor-config")
                .at("/data/monitor.properties")
                .asText()));
    return properties;
  }

  private static long bytes(String quantity) {
    Matcher m = Pattern.compile("(\\d+)(Gi|Mi)").matcher(quantity);
    assertThat(m.matches()).as("memory quantity %s", quantity).isTrue();
    return Long.parseLong(m.group(1)) * (m.group(2).equals("Gi") ? GIB : MIB);
  }

  @Test
  void shouldBoundRocksDbAndLeaveRoomBesideTheHeap() throws IOException {
    JsonNode container =
        one(base, "StatefulSet", "synque-monitor").at("/spec/template/spec/containers/0");
    Properties properties = monitorProperties(base);
    long limit = bytes(container.at("/resources/limits/memory").asText());
    Matcher percent =
        Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(container.at("/env").toString());
    assertThat(percent.find()).as("heap share in SYNQUE_JAVA_OPTS").isTrue();
    long heap = limit * Long.parseLong(percent.group(1)) / 100;
    BoundedRocksDbConfig.Sizes rocksdb =
        BoundedRocksDbConfig.Sizes.fromConfig(new HashMap<>(properties));

    // docs/deployment.md: RocksDB is its block cache plus a quarter not charged to it; ONNX
    // Runtime and the JVM's own memory (metaspace, code cache, threads, GC) get 1 GiB together.
    long rest = limit - heap - rocksdb.blockCacheBytes() * 5 / 4;
    assertThat(properties.getProperty(BoundedRocksDbConfig.BLOCK_CACHE_BYTES)).isNotNull();
    assertThat(properties.getProperty(BoundedRocksDbConfig.WRITE_BUFFER_BYTES)).isNotNull();
    assertThat(rest)
        .as("memory left for ONNX Runtime and the JVM's own")
        .isGreaterThanOrEqualTo(GIB);
    assertThat(bytes(container.at("/resources/requests/memory").asText())).isEqualTo(limit);
  }

  @Test
  void shouldBeReadyOnlyWhenRestoredAndAliveIndependently() {
    JsonNode container =
        one(base, "StatefulSet", "synque-monitor").at("/spec/template/spec/containers/0");

    assertThat(container.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/ready");
    assertThat(container.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/health");
    assertThat(container.at("/startupProbe/httpGet/path").asText()).isEqualTo("/health");
  }

  @Test
  void shouldBudgetDisruptionsAndJoinWithThePodName() {
    JsonNode set = one(base, "StatefulSet", "synque-monitor");
    JsonNode budget = one(base, "PodDisruptionBudget", "synque-monitor");

    assertThat(budget.at("/spec/maxUnavailable").asInt()).isEqualTo(1);
    assertThat(budget.at("/spec/selector/matchLabels"))
        .isEqualTo(set.at("/spec/selector/matchLabels"));
    assertThat(set.at("/spec/template/spec/containers/0/args/0").asText())
        .contains("echo \"group.instance.id=${HOSTNAME}\" >> /tmp/monitor.properties")
        .contains("exec synque run --config /tmp/monitor.properties");
  }

  @Test
  void shouldMeetTheRestrictedPodSecurityStandardEverywhere() {
    for (List<JsonNode> docs : List.of(base, withLens, withoutStrimzi)) {
      List<JsonNode> pods = podTemplates(docs);
      assertThat(pods).isNotEmpty();
      for (JsonNode pod : pods) {
        JsonNode spec = pod.path("spec");
        String name = pod.at("/metadata/labels/app.kubernetes.io~1name").asText();
        assertThat(spec.at("/securityContext/runAsNonRoot").asBoolean()).as(name).isTrue();
        assertThat(spec.at("/securityContext/runAsUser").asInt()).as(name).isPositive();
        assertThat(spec.at("/securityContext/seccompProfile/type").asText())
            .as(name)
            .isEqualTo("RuntimeDefault");
        assertThat(spec.path("hostNetwork").asBoolean(false)).isFalse();
        Set<String> writable = new TreeSet<>();
        spec.path("volumes")
            .forEach(
                v -> {
                  assertThat(v.has("hostPath")).as("hostPath in %s", name).isFalse();
                });
        for (JsonNode container : spec.path("containers")) {
          JsonNode security = container.path("securityContext");
          assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
          assertThat(security.path("privileged").asBoolean(false)).as(name).isFalse();
          assertThat(security.path("readOnlyRootFilesystem").asBoolean(false)).as(name).isTrue();
          assertThat(security.at("/capabilities/drop").toString()).as(name).isEqualTo("[\"ALL\"]");
          assertThat(security.at("/capabilities/add").isMissingNode()).as(name).isTrue();
          container
              .path("volumeMounts")
              .forEach(
                  m -> {
                    if (!m.path("readOnly").asBoolean(false)) {
                      writable.add(m.path("mountPath").asText());
                    }
                  });
        }
        // The JVM, RocksDB and ONNX Runtime unpack native libraries into the temporary directory.
        assertThat(writable).as("writable mounts of %s", name).contains("/tmp");
      }
    }
    JsonNode monitor =
        one(base, "StatefulSet", "synque-monitor").at("/spec/template/spec/containers/0");
    assertThat(monitor.get("volumeMounts").toString())
        .contains("\"mountPath\":\"/var/lib/synque\"");
  }

  @Test
  void shouldDeclareTheTopicsOfTheCodeWithStrimzisCurrentApi() {
    List<JsonNode> topics = kind(base, "KafkaTopic");

    assertThat(topics)
        .extracting(t -> t.at("/spec/topicName").asText())
        .containsExactlyInAnyOrderElementsOf(
            TopicDefinitions.defaults().stream().map(TopicDefinition::name).toList());
    for (TopicDefinition definition : TopicDefinitions.defaults()) {
      JsonNode topic = one(base, "KafkaTopic", definition.name());
      assertThat(topic.at("/apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
      assertThat(topic.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotBlank();
      assertThat(topic.at("/spec/partitions").asInt())
          .as(definition.name())
          .isEqualTo(definition.partitions());
      Map<String, String> config = new HashMap<>();
      topic
          .at("/spec/config")
          .fields()
          .forEachRemaining(e -> config.put(e.getKey(), e.getValue().asText()));
      config.remove("min.insync.replicas"); // the cluster's business, as the replicas
      assertThat(config).as(definition.name()).isEqualTo(definition.configs());
    }
    for (JsonNode user : kind(withLens, "KafkaUser")) {
      assertThat(user.at("/apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1");
      assertThat(user.at("/metadata/labels/strimzi.io~1cluster").asText()).isNotBlank();
    }
  }

  @Test
  void shouldCreateTheTopicsWithAJobWhereThereIsNoStrimzi() {
    assertThat(kind(withoutStrimzi, "KafkaTopic")).isEmpty();
    assertThat(kind(withoutStrimzi, "KafkaUser")).isEmpty();
    JsonNode job = one(withoutStrimzi, "Job", "synque-topics");

    assertThat(job.at("/spec/template/spec/containers/0/args").toString())
        .isEqualTo(
            "[\"topics\",\"create\",\"--config\",\"/etc/synque/monitor.properties\",\"--replication-factor\",\"3\"]");
    assertThat(job.at("/spec/template/spec/volumes/0/configMap/name").asText())
        .isEqualTo("synque-monitor-config");
    assertThat(kind(base, "Job")).isEmpty();
  }

  private static Set<String> acls(JsonNode user) {
    Set<String> acls = new TreeSet<>();
    for (JsonNode acl : user.at("/spec/authorization/acls")) {
      for (JsonNode operation : acl.path("operations")) {
        acls.add(
            acl.at("/resource/type").asText()
                + ":"
                + acl.at("/resource/name").asText()
                + ":"
                + acl.at("/resource/patternType").asText()
                + ":"
                + operation.asText());
      }
    }
    return acls;
  }

  private static void grant(Set<String> acls, String resource, String... operations) {
    for (String operation : operations) {
      acls.add(resource + ":" + operation);
    }
  }

  @Test
  void shouldGrantEachUserExactlyWhatItNeeds() {
    String app = "synque-monitor";
    Set<String> monitor = new TreeSet<>();
    for (Contract input : List.of(Contracts.SYNTHETIC_SAMPLES, Contracts.REFERENCE_SAMPLES)) {
      grant(monitor, "topic:" + input.topic() + ":literal", "Describe", "Read");
    }
    for (Contract output :
        List.of(
            Contracts.QUALITY_SCORES,
            Contracts.RANKINGS,
            Contracts.DRIFT_ALERTS,
            Contracts.DEAD_LETTERS)) {
      grant(monitor, "topic:" + output.topic() + ":literal", "Describe", "Write");
    }
    grant(
        monitor,
        "topic:" + app + "-:prefix",
        "Create",
        "Delete",
        "Describe",
        "DescribeConfigs",
        "Read",
        "Write");
    grant(monitor, "group:" + app + ":literal", "Describe", "Read");
    grant(monitor, "transactionalId:" + app + "-:prefix", "Describe", "Write");
    Set<String> monitorWithLens = new TreeSet<>(monitor);
    grant(
        monitorWithLens,
        "topic:" + Contracts.LENS_REQUESTS.topic() + ":literal",
        "Describe",
        "Write");
    grant(
        monitorWithLens,
        "topic:" + Contracts.LENS_RESULTS.topic() + ":literal",
        "Describe",
        "Read");
    Set<String> lens = new TreeSet<>();
    grant(lens, "topic:" + Contracts.LENS_REQUESTS.topic() + ":literal", "Describe", "Read");
    grant(lens, "topic:" + Contracts.LENS_RESULTS.topic() + ":literal", "Describe", "Write");
    grant(lens, "topic:" + Contracts.DEAD_LETTERS.topic() + ":literal", "Describe", "Write");
    grant(lens, "group:synque-lens-worker:literal", "Describe", "Read");
    Set<String> generators = new TreeSet<>();
    grant(
        generators,
        "topic:" + Contracts.SYNTHETIC_SAMPLES.topic() + ":literal",
        "Describe",
        "Write");
    grant(
        generators,
        "topic:" + Contracts.REFERENCE_SAMPLES.topic() + ":literal",
        "Describe",
        "Write");

    assertThat(acls(one(base, "KafkaUser", "synque-monitor"))).isEqualTo(monitor);
    assertThat(acls(one(withLens, "KafkaUser", "synque-monitor"))).isEqualTo(monitorWithLens);
    assertThat(acls(one(withLens, "KafkaUser", "synque-lens"))).isEqualTo(lens);
    assertThat(acls(one(base, "KafkaUser", "synque-generators"))).isEqualTo(generators);
    assertThat(kind(base, "KafkaUser")).hasSize(2);
  }

  @Test
  void shouldShipNoSecretAndKeepTheLensWorkerOffUntilConfigured() throws IOException {
    for (List<JsonNode> docs : List.of(base, withLens, withoutStrimzi)) {
      assertThat(kind(docs, "Secret")).as("a Secret that apply -k would overwrite").isEmpty();
    }
    assertThat(kind(base, "Deployment")).isEmpty();
    assertThat(monitorProperties(base).getProperty("synque.lens.enabled")).isEqualTo("false");

    JsonNode worker = one(withLens, "Deployment", "synque-lens");
    assertThat(worker.at("/spec/template/spec/containers/0/env").toString())
        .contains("\"secretKeyRef\":{\"key\":\"api-key\",\"name\":\"synque-llm\"}");
    String workerConfigMap = worker.at("/spec/template/spec/volumes/0/configMap/name").asText();
    JsonNode workerConfig =
        kind(withLens, "ConfigMap").stream()
            .filter(c -> c.at("/metadata/name").asText().equals(workerConfigMap))
            .findFirst()
            .orElseThrow();
    assertThat(workerConfig.at("/data/lens-worker.properties").asText())
        .containsPattern("(?m)^synque\\.lens\\.llm\\.base\\.url=https?://\\S+$");
    JsonNode monitorPod = one(withLens, "StatefulSet", "synque-monitor").at("/spec/template/spec");
    String extra = null;
    for (JsonNode volume : monitorPod.path("volumes")) {
      if (volume.path("name").asText().equals("extra")) {
        extra = volume.at("/configMap/name").asText();
      }
    }
    String extraName = extra;
    assertThat(
            kind(withLens, "ConfigMap").stream()
                .filter(c -> c.at("/metadata/name").asText().equals(extraName))
                .findFirst()
                .orElseThrow()
                .at("/data/lens.properties")
                .asText())
        .isEqualTo("synque.lens.enabled=true");
  }

  @Test
  void shouldLabelTheMonitoringResourcesFromOnePlace() throws IOException {
    JsonNode transformer = YAML.readTree(Path.of("k8s/monitoring-labels.yaml").toFile());
    assertThat(transformer.path("labels").size()).isPositive();

    for (String kind : List.of("ServiceMonitor", "PrometheusRule")) {
      for (JsonNode doc : kind(base, kind)) {
        transformer
            .path("labels")
            .fields()
            .forEachRemaining(
                label ->
                    assertThat(doc.at("/metadata/labels").get(label.getKey()))
                        .as("%s label %s", kind, label.getKey())
                        .isEqualTo(label.getValue()));
      }
      assertThat(kind(base, kind)).as(kind).isNotEmpty();
    }
  }

  @Test
  void shouldSetResourcesOnEveryContainer() {
    for (List<JsonNode> docs : List.of(base, withLens, withoutStrimzi)) {
      for (JsonNode pod : podTemplates(docs)) {
        List<JsonNode> containers = new ArrayList<>();
        pod.at("/spec/containers").forEach(containers::add);
        pod.at("/spec/initContainers").forEach(containers::add);
        for (JsonNode container : containers) {
          String name = container.path("name").asText();
          assertThat(container.at("/resources/requests/cpu").asText()).as(name).isNotBlank();
          assertThat(container.at("/resources/requests/memory").asText()).as(name).isNotBlank();
          assertThat(container.at("/resources/limits/memory").asText()).as(name).isNotBlank();
        }
      }
    }
  }
}
