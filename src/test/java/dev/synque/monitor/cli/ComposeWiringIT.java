package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorProcess;
import dev.synque.monitor.testkit.SharedInfrastructure;
import dev.synque.monitor.testkit.TopicReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wiring of {@code docker-compose.yml} without Docker: every service that runs the SynQuE image
 * is started natively, in the order its {@code depends_on} gives, with the command and the mounted
 * properties files of the compose file; only the addresses change (the service names {@code
 * kafka:19092} and {@code schema-registry:8081} become an in-process broker and a real Apicurio
 * registry, the monitor's ports become free ports, its state a temporary directory). A one-shot
 * service runs in-process and must exit 0 before its dependents start; a long-running one runs in a
 * child JVM ({@code run} with the test embedder), and a dependent waits for its health check's URL.
 * The test ends when rankings of every demo generator arrive. The infrastructure images (broker,
 * registry, Prometheus, Grafana) and the opt-in {@code lens} profile are not started: the broker
 * and registry are replaced, the others are not on the path of a sample.
 */
@ExtendWith(SharedInfrastructure.class)
class ComposeWiringIT {

  private static final Logger LOG = LoggerFactory.getLogger(ComposeWiringIT.class);
  private static final String IMAGE = "synque-monitor:dev";
  private static final Pattern HEALTH_URL = Pattern.compile("http://localhost:(\\d+)(/\\S*)");

  @TempDir Path dir;

  private final List<AutoCloseable> toClose = new ArrayList<>();

  @AfterEach
  void stopEverything() throws Exception {
    for (int i = toClose.size() - 1; i >= 0; i--) {
      toClose.get(i).close();
    }
  }

  @Test
  void shouldRankTheDemoGeneratorsWithTheComposeServicesStartedInComposeOrder() throws Exception {
    JsonNode services =
        new YAMLMapper().readTree(Path.of("docker-compose.yml").toFile()).get("services");
    EmbeddedKafkaCluster kafka = EmbeddedKafkaCluster.create();
    toClose.add(kafka);
    kafka.start();
    String registryUrl = SharedInfrastructure.registry().confluentCompatUrl();
    Map<String, String> addresses = new LinkedHashMap<>();
    addresses.put("kafka:19092", kafka.bootstrapServers());
    addresses.put("http://schema-registry:8081", registryUrl);
    Map<Integer, Integer> ports = new HashMap<>();
    List<String> started = new ArrayList<>();

    for (String name : composeOrder(services)) {
      JsonNode service = services.get(name);
      if (!IMAGE.equals(service.path("image").asText()) || service.has("profiles")) {
        LOG.info(
            "compose service {}: not started natively ({})", name, service.path("image").asText());
        continue;
      }
      Map<String, Path> mounts = mounts(service, addresses, ports);
      List<List<String>> commands = commands(service, addresses, mounts);
      boolean oneShot = isOneShot(services, name);
      for (List<String> command : commands) {
        if (oneShot) {
          CliRun run = CliRun.of(command.toArray(String[]::new));
          assertThat(run.exitCode())
              .as("%s: synque %s\n%s%s", name, command, run.out(), run.err())
              .isZero();
        } else {
          MonitorProcess process = MonitorProcess.start(command, dir.resolve(name + ".log"));
          toClose.add(process);
          awaitHealthy(name, service, ports, process);
        }
      }
      started.add(name);
    }

    assertThat(started).containsExactly("topics", "monitor", "generators");
    Map<String, Object> client = new HashMap<>(kafka.clientProperties());
    client.put(SchemaRegistrySettings.URL, registryUrl);
    try (TopicReader<RankingUpdate> rankings =
        new TopicReader<>(
            client,
            Contracts.RANKINGS.topic(),
            new AvroSerdeFactory(client).valueSerde(RankingUpdate.class).deserializer())) {
      Set<String> generators = new LinkedHashSet<>();
      DemoGenerator.all().forEach(g -> generators.add(g.id()));
      rankings.await(
          "a ranking of every demo generator",
          all ->
              all.stream()
                  .anyMatch(
                      r ->
                          r.getEntries().stream()
                              .map(e -> e.getGeneratorId())
                              .toList()
                              .containsAll(generators)));
    }
  }

  /** Service names in start order: each after everything it depends on, else in file order. */
  static List<String> composeOrder(JsonNode services) {
    List<String> order = new ArrayList<>();
    ArrayDeque<String> pending = new ArrayDeque<>();
    services.fieldNames().forEachRemaining(pending::add);
    int unchanged = 0;
    while (!pending.isEmpty()) {
      String name = pending.poll();
      List<String> dependencies = new ArrayList<>();
      services.get(name).path("depends_on").fieldNames().forEachRemaining(dependencies::add);
      if (order.containsAll(dependencies)) {
        order.add(name);
        unchanged = 0;
      } else {
        pending.add(name);
        if (++unchanged > pending.size()) {
          throw new IllegalStateException("depends_on has a cycle among " + pending);
        }
      }
    }
    return order;
  }

  /** Whether another service waits for {@code name} to complete. */
  private static boolean isOneShot(JsonNode services, String name) {
    for (JsonNode service : services) {
      if ("service_completed_successfully"
          .equals(service.path("depends_on").path(name).path("condition").asText())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The service's bind-mounted properties files, copied with the compose addresses replaced; by
   * container path. Ports a file binds ({@code synque.metrics.port}, {@code application.server})
   * become free ones, remembered in {@code ports} (compose port to local port).
   */
  private Map<String, Path> mounts(
      JsonNode service, Map<String, String> addresses, Map<Integer, Integer> ports)
      throws IOException {
    Map<String, Path> mounts = new HashMap<>();
    for (JsonNode volume : service.path("volumes")) {
      String[] parts = volume.asText().split(":");
      if (!parts[0].startsWith("./") || !parts[0].endsWith(".properties")) {
        continue;
      }
      Properties properties = new Properties();
      try (Reader reader = Files.newBufferedReader(Path.of(parts[0]), StandardCharsets.UTF_8)) {
        properties.load(reader);
      }
      Map<String, String> rewritten = new LinkedHashMap<>();
      for (String key : properties.stringPropertyNames()) {
        rewritten.put(key, replace(properties.getProperty(key), addresses));
      }
      if (rewritten.containsKey("state.dir")) {
        rewritten.put("state.dir", Files.createDirectories(dir.resolve("state")).toString());
      }
      if (rewritten.containsKey("synque.metrics.port")) {
        int port = freePort();
        ports.put(Integer.parseInt(rewritten.get("synque.metrics.port")), port);
        rewritten.put("synque.metrics.port", Integer.toString(port));
      }
      if (rewritten.containsKey("application.server")) {
        String[] endpoint = rewritten.get("application.server").split(":");
        int port = freePort();
        ports.put(Integer.parseInt(endpoint[1]), port);
        rewritten.put("application.server", "127.0.0.1:" + port);
      }
      StringWriter text = new StringWriter();
      rewritten.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      Path copy = Files.createTempFile(dir, "mount", ".properties");
      Files.writeString(copy, text.toString());
      mounts.put(parts[1], copy);
    }
    return mounts;
  }

  /**
   * The {@code synque} commands a service runs: its {@code command} list, or, with the entrypoint
   * {@code sh -c}, each {@code synque ...} of the {@code &&} chain; addresses and mounted paths
   * replaced.
   */
  private static List<List<String>> commands(
      JsonNode service, Map<String, String> addresses, Map<String, Path> mounts) {
    List<String> command = new ArrayList<>();
    service.path("command").forEach(c -> command.add(c.asText()));
    List<List<String>> chain = new ArrayList<>();
    if (service.path("entrypoint").toString().equals("[\"sh\",\"-c\"]")) {
      for (String step : String.join(" ", command).split("&&")) {
        List<String> words = new ArrayList<>(Arrays.asList(step.trim().split("\\s+")));
        if (words.get(0).equals("exec")) {
          words.remove(0);
        }
        assertThat(words.get(0)).as("a step of %s", command).isEqualTo("synque");
        chain.add(words.subList(1, words.size()));
      }
    } else {
      chain.add(command);
    }
    return chain.stream()
        .map(
            words ->
                words.stream()
                    .map(w -> replace(w, addresses))
                    .map(w -> mounts.containsKey(w) ? mounts.get(w).toString() : w)
                    .toList())
        .toList();
  }

  private static String replace(String value, Map<String, String> addresses) {
    String replaced = value;
    for (Map.Entry<String, String> e : addresses.entrySet()) {
      replaced = replaced.replace(e.getKey(), e.getValue());
    }
    return replaced;
  }

  /** Waits until the service's health check URL answers 200 (when it has one). */
  private static void awaitHealthy(
      String name, JsonNode service, Map<Integer, Integer> ports, MonitorProcess process) {
    Matcher url = HEALTH_URL.matcher(service.path("healthcheck").path("test").toString());
    if (!url.find()) {
      return;
    }
    int port = ports.getOrDefault(Integer.parseInt(url.group(1)), -1);
    assertThat(port).as("a local port for %s's health check %s", name, url.group()).isPositive();
    URI uri = URI.create("http://127.0.0.1:" + port + url.group(2));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    Awaitility.await(name + " healthy at " + uri)
        .atMost(TopicReader.PATIENCE)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () -> {
              assertThat(process.isAlive())
                  .as("%s is running:\n%s", name, process.output())
                  .isTrue();
              try {
                return http.send(
                            HttpRequest.newBuilder(uri).build(),
                            HttpResponse.BodyHandlers.discarding())
                        .statusCode()
                    == 200;
              } catch (IOException e) {
                return false;
              }
            });
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
