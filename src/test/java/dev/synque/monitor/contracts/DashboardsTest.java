package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.metrics.LensMetrics;
import dev.synque.monitor.metrics.MetricsServer;
import dev.synque.monitor.metrics.MonitorMeters;
import dev.synque.monitor.metrics.PrometheusMetrics;
import dev.synque.monitor.metrics.SampleMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Grafana dashboards are well formed, and every PromQL expression of every panel and annotation
 * is valid and returns series from a real Prometheus (Debian's {@code prometheus} package) that
 * scrapes a live {@code /metrics} endpoint: the monitor's and LENS' meters fed with sample events,
 * and a (never started) Kafka Streams client's own metrics. Skipped, saying so, without the {@code
 * prometheus} binary.
 */
class DashboardsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DASHBOARDS = Path.of("dashboards/grafana");

  /** Dashboard variables and Grafana's interval macros, as a query would see them. */
  private static final Map<String, String> VARIABLES =
      Map.of("$__rate_interval", "10s", "$__interval", "5s", "$generator", ".*", "$window", ".*");

  @TempDir Path temp;

  static List<JsonNode> dashboards() throws IOException {
    List<JsonNode> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(JSON.readTree(file.toFile()));
      }
    }
    return dashboards;
  }

  /** Every PromQL expression, keyed by "dashboard / panel / refId". */
  static Map<String, String> expressions() throws IOException {
    Map<String, String> exprs = new LinkedHashMap<>();
    for (JsonNode dashboard : dashboards()) {
      String title = dashboard.path("title").asText();
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          exprs.put(
              title + " / " + panel.path("title").asText() + " / " + target.path("refId").asText(),
              target.path("expr").asText());
        }
      }
      for (JsonNode annotation : dashboard.path("annotations").path("list")) {
        if (annotation.has("expr")) {
          exprs.put(
              title + " / annotation " + annotation.path("name").asText(),
              annotation.path("expr").asText());
        }
      }
    }
    return exprs;
  }

  @Test
  void shouldGiveEveryPanelATitleADescriptionAQueryAndAPlace() throws IOException {
    List<JsonNode> dashboards = dashboards();
    assertThat(dashboards)
        .extracting(d -> d.path("uid").asText())
        .containsExactlyInAnyOrder(
            "synque-leaderboard", "synque-generators", "synque-pipeline", "synque-lens");
    for (JsonNode dashboard : dashboards) {
      String title = dashboard.path("title").asText();
      assertThat(title).isNotBlank();
      Set<Integer> ids = new HashSet<>();
      for (JsonNode panel : dashboard.path("panels")) {
        String name = title + " / " + panel.path("title").asText();
        assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", name).isTrue();
        assertThat(panel.path("title").asText()).as(name).isNotBlank();
        assertThat(panel.path("description").asText()).as("description of %s", name).isNotBlank();
        assertThat(panel.path("datasource").path("uid").asText())
            .as(name)
            .isEqualTo("${datasource}");
        assertThat(panel.path("gridPos").path("w").asInt()).as(name).isBetween(1, 24);
        assertThat(panel.path("targets").size()).as("targets of %s", name).isPositive();
        for (JsonNode target : panel.path("targets")) {
          assertThat(target.path("expr").asText()).as(name).isNotBlank();
        }
      }
    }
    assertThat(expressions()).hasSizeGreaterThan(25);
  }

  @Test
  void shouldAnswerEveryPanelQueryFromARealPrometheus() throws Exception {
    Path prometheus = Path.of("/usr/bin/prometheus");
    assumeTrue(
        Files.isExecutable(prometheus),
        "prometheus not found at /usr/bin/prometheus: install Debian's prometheus package to"
            + " evaluate the dashboards' PromQL");

    ScheduledExecutorService events = Executors.newSingleThreadScheduledExecutor();
    Process process = null;
    try (PrometheusMetrics metrics = new PrometheusMetrics("synque-monitor");
        KafkaStreams streams = idleStreams()) {
      MonitorMeters meters = metrics.bind(new MonitorMeters(50, System::currentTimeMillis));
      LensMetrics lens = metrics.bind(new LensMetrics());
      metrics.bind(new KafkaStreamsMetrics(streams));
      events.scheduleAtFixedRate(
          () -> SampleMetrics.exercise(meters, lens), 0, 100, TimeUnit.MILLISECONDS);
      try (MetricsServer server = new MetricsServer(0, metrics::scrape, () -> true)) {
        int port = freePort();
        Path config = temp.resolve("prometheus.yml");
        Files.writeString(
            config,
            """
            global:
              scrape_interval: 1s
              evaluation_interval: 1s
            rule_files:
              - %s
            scrape_configs:
              - job_name: synque-monitor
                static_configs:
                  - targets: ['127.0.0.1:%d']
            """
                .formatted(AlertRulesTest.RULES.toAbsolutePath(), server.port()));
        process =
            new ProcessBuilder(
                    prometheus.toString(),
                    "--config.file=" + config,
                    "--storage.tsdb.path=" + temp.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true)
                .redirectOutput(temp.resolve("prometheus.log").toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + port;
        Awaitility.await("prometheus has scraped the endpoint a few times")
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(500))
            .ignoreExceptions()
            .until(
                () ->
                    query(http, base, "count_over_time(up{job=\"synque-monitor\"}[1m]) >= 6")
                            .path("data")
                            .path("result")
                            .size()
                        == 1);

        List<String> failures = new ArrayList<>();
        for (Map.Entry<String, String> e : expressions().entrySet()) {
          String expr = e.getValue();
          for (Map.Entry<String, String> v : VARIABLES.entrySet()) {
            expr = expr.replace(v.getKey(), v.getValue());
          }
          JsonNode answer = query(http, base, expr);
          if (!"success".equals(answer.path("status").asText())) {
            failures.add(e.getKey() + ": " + answer.path("error").asText() + " in " + expr);
          } else if (answer.path("data").path("result").isEmpty()) {
            failures.add(e.getKey() + ": no series for " + expr);
          }
        }
        assertThat(failures).as(Files.readString(temp.resolve("prometheus.log"))).isEmpty();

        List<JsonNode> rules =
            get(http, base + "/api/v1/rules").path("data").path("groups").findValues("rules");
        assertThat(rules.stream().mapToInt(JsonNode::size).sum()).isEqualTo(8);
      }
    } finally {
      events.shutdownNow();
      if (process != null) {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      }
    }
  }

  /** A Streams client that is never started: its consumer's metrics exist, with no broker. */
  private KafkaStreams idleStreams() {
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream("in").to("out");
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, "synque-dashboards-test");
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
    props.put(StreamsConfig.STATE_DIR_CONFIG, temp.resolve("streams").toString());
    return new KafkaStreams(builder.build(), props);
  }

  private static JsonNode query(HttpClient http, String base, String expr) throws Exception {
    return get(
        http, base + "/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  private static JsonNode get(HttpClient http, String url) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
