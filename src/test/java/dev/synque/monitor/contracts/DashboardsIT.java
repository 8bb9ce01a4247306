package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.contracts.DashboardsTest.PanelQuery;
import dev.synque.monitor.demo.DemoSettings;
import dev.synque.monitor.demo.LiveDemo;
import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.serde.AvroSerdeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every PromQL query of every Grafana dashboard (panels, annotations, template variables) is valid
 * and returns series from a real Prometheus (Debian's {@code prometheus} package) that scrapes the
 * running demo and a LENS worker, once the demo has run long enough for the drifting generator to
 * drift. The alert rules load, evaluate without errors, name only series that exist, and the drift
 * and budget alerts go pending or firing on what the demo and worker really report.
 *
 * <p>The demo is {@link LiveDemo} as {@code synque demo} runs it (in-process broker and registry,
 * the monitor with the real embedder, the five procedural generators; short windows). The LENS
 * worker is {@code synque lens-worker} in its own JVM, as deployed, judging with the loopback
 * {@link FakeChatServer}. This branch's monitor does not ask for LENS yet, so the test publishes
 * the requests the monitor would: one per generator with four of its texts and four reference
 * headlines, then a second one for two generators, which their hourly budget refuses (STALE).
 *
 * <p>Skipped, saying so, without the {@code prometheus} binary.
 */
class DashboardsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration SCRAPE = Duration.ofSeconds(1);

  /**
   * The namespace label the scrape gives every target, as Kubernetes service discovery does; the
   * dashboards' {@code $namespace} is set to it, so every query must match it.
   */
  private static final String NAMESPACE = "synque-it";

  /** Series the rules read from other exporters where they run (SynqueConsumerLag). */
  private static final Set<String> FROM_OTHER_EXPORTERS = Set.of("kafka_consumergroup_lag");

  /**
   * Queries of events the demo need not produce in its first minutes: a leader change fires only
   * when a new leader holds the top for {@code synque.ranking.leader.min.ms} (two demo windows),
   * and the demo's leader may well not change. Such a query must still be valid and answered; an
   * empty answer is accepted.
   */
  private static final List<String> RARE_EVENTS = List.of("kind=\"TOP_GENERATOR_CHANGED\"");

  /** Step of panels' range queries: Grafana's $__interval on a short time range. */
  private static final Duration STEP = Duration.ofSeconds(5);

  /** Generators whose second LENS request is over their budget. */
  private static final Set<String> OVER_BUDGET = Set.of("collapsed", "drifting");

  /** SynQuE's, Kafka's, the JVM's and Prometheus' own series names in an expression. */
  private static final Pattern SERIES_NAME =
      Pattern.compile("\\b(?:synque|kafka|jvm|process)_[a-z0-9_]+\\b|\\bup(?=\\{)");

  @TempDir Path temp;

  private final HttpClient http = HttpClient.newHttpClient();
  private String prometheusUrl;
  private Instant scrapingSince;

  @Test
  void shouldAnswerEveryDashboardQueryFromPrometheusScrapingTheDemoAndTheLensWorker()
      throws Exception {
    Path prometheus = Path.of("/usr/bin/prometheus");
    assumeTrue(
        Files.isExecutable(prometheus),
        "prometheus not found at /usr/bin/prometheus: install Debian's prometheus package to"
            + " evaluate the dashboards' PromQL against the running demo");
    DemoSettings fast =
        new DemoSettings(
            0,
            0,
            10,
            Duration.ofSeconds(4),
            20,
            20,
            200,
            7,
            List.of("mmd2_poly", "frechet"),
            null,
            0);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    long started = System.nanoTime();
    try (FakeChatServer llm = FakeChatServer.start();
        LiveDemo demo =
            LiveDemo.start(fast, new PrintStream(console, true, StandardCharsets.UTF_8))) {
      checkDashboards(prometheus, demo, llm.baseUrl());
      System.out.printf(
          "DashboardsIT: every query answered and checked %.0f s after the demo started%n",
          (System.nanoTime() - started) / 1e9);
    } catch (AssertionError | RuntimeException e) {
      throw new AssertionError(e.getMessage() + "\n" + logs(console), e);
    }
  }

  /** Starts the LENS worker and Prometheus beside the running demo, checks, stops them again. */
  private void checkDashboards(Path prometheus, LiveDemo demo, String llmBaseUrl) throws Exception {
    Process worker = null;
    Process server = null;
    try {
      assertThat(demo.metricsPort()).isPositive();
      Map<String, Object> client = demo.clientConfig();
      createLensTopics(client);
      int lensPort = freePort();
      worker = startLensWorker(client, llmBaseUrl, lensPort);
      server = startPrometheus(prometheus, demo.metricsPort(), lensPort);

      // Both targets scraped at least once: the LENS counters' zeros are in before the first call.
      waitFor(
          "Prometheus scraping the demo and the LENS worker",
          Duration.ofSeconds(90),
          () ->
              scalar("count(up{job=~\"synque-monitor|synque-lens\"} == 1)") == 2
                  ? List.of()
                  : List.of("up: " + query("up").path("data").path("result")));
      assertThat(health(demo.metricsPort())).isEqualTo(200);
      assertThat(health(lensPort)).isEqualTo(200);
      publishLensRequests(client);

      List<PanelQuery> queries = DashboardsTest.queries(STEP);
      Map<String, String> variables = DashboardsTest.variables();
      waitFor(
          "every dashboard query to return series, the generators ranked, LENS results in and"
              + " the drift and budget alerts raised",
          Duration.ofMinutes(5),
          () -> {
            List<String> missing = new ArrayList<>();
            missing.addAll(unanswered(queries));
            missing.addAll(unansweredVariables(variables));
            expect(
                missing,
                "generators ranked",
                "count(max by (generator) (synque_generator_rank{window=\"ALL_TIME\"}) >= 1)",
                5);
            expect(missing, "LENS scores", "count(synque_generator_lens_score >= 0)", 5);
            expect(
                missing,
                "generators over their LENS budget",
                "sum(synque_generator_lens_status{status=\"STALE\"})",
                OVER_BUDGET.size());
            Set<String> alerts = activeAlerts();
            for (String alert : List.of("SynqueQualityDrift/drifting", "SynqueLensOverBudget/")) {
              if (!alerts.contains(alert)) {
                missing.add("alert " + alert + " not pending or firing; active: " + alerts);
              }
            }
            return missing;
          });

      JsonNode groups = get("/api/v1/rules").path("data").path("groups");
      List<JsonNode> rules = new ArrayList<>();
      groups.forEach(g -> g.path("rules").forEach(rules::add));
      // 9 since SynqueMonitorAbsent joined SynqueMonitorDown.
      assertThat(rules).hasSize(9);
      for (JsonNode rule : rules) {
        assertThat(rule.path("health").asText())
            .as("%s: %s", rule.path("name").asText(), rule.path("lastError").asText())
            .isEqualTo("ok");
        for (String name : seriesNames(rule.path("query").asText())) {
          if (FROM_OTHER_EXPORTERS.contains(name)) {
            continue; // a Kafka Exporter's series, where one runs: not in this scrape
          }
          assertThat(scalar("count({__name__=\"" + name + "\"})"))
              .as("series %s of rule %s", name, rule.path("name").asText())
              .isPositive();
        }
      }
    } finally {
      // Before the demo's broker goes, so that the worker stops cleanly.
      stop(worker);
      stop(server);
    }
  }

  private String logs(ByteArrayOutputStream console) {
    StringBuilder out = new StringBuilder();
    for (String name : List.of("prometheus.log", "lens-worker.log")) {
      Path log = temp.resolve(name);
      try {
        String text = Files.isRegularFile(log) ? Files.readString(log) : "(none)";
        out.append("--- ").append(name).append(" (tail)\n").append(tail(text)).append('\n');
      } catch (IOException e) {
        out.append("--- ").append(name).append(": ").append(e).append('\n');
      }
    }
    out.append("--- demo console (tail)\n").append(tail(console.toString(StandardCharsets.UTF_8)));
    return out.toString();
  }

  private static String tail(String text) {
    return text.length() <= 6_000 ? text : text.substring(text.length() - 6_000);
  }

  /** Polls {@code check} (what is still missing) until it is empty; fails with the last list. */
  private static void waitFor(String what, Duration atMost, Check check) throws Exception {
    long deadline = System.nanoTime() + atMost.toNanos();
    List<String> missing;
    while (true) {
      try {
        missing = check.missing();
      } catch (IOException e) {
        missing = List.of("Prometheus did not answer: " + e);
      }
      if (missing.isEmpty() || System.nanoTime() > deadline) {
        break;
      }
      Thread.sleep(2_000);
    }
    assertThat(missing).as("still missing after %s waiting for %s", atMost, what).isEmpty();
  }

  @FunctionalInterface
  private interface Check {
    List<String> missing() throws Exception;
  }

  /** The queries that are invalid or return no series, with why. */
  private List<String> unanswered(List<PanelQuery> queries) throws Exception {
    List<String> failures = new ArrayList<>();
    for (PanelQuery q : queries) {
      long stepSeconds = q.step().toSeconds();
      // Grafana's $__rate_interval: the step plus one scrape, and at least four scrapes.
      long rateSeconds = Math.max(stepSeconds + SCRAPE.toSeconds(), 4 * SCRAPE.toSeconds());
      String expr =
          q.expr()
              .replace("$__rate_interval", rateSeconds + "s")
              .replace("$__interval", stepSeconds + "s")
              .replace("$namespace", NAMESPACE)
              .replace("$generator", ".*")
              .replace("$window", ".*");
      JsonNode answer = q.instant() ? query(expr) : queryRange(expr, q.step());
      if (!"success".equals(answer.path("status").asText())) {
        failures.add(q.where() + ": " + answer.path("error").asText() + " in " + expr);
      } else if (answer.path("data").path("result").isEmpty()
          && RARE_EVENTS.stream().noneMatch(expr::contains)) {
        failures.add(q.where() + ": no series for " + expr);
      }
    }
    return failures;
  }

  /** The template variables whose {@code label_values(metric, label)} finds no value. */
  private List<String> unansweredVariables(Map<String, String> variables) throws Exception {
    List<String> failures = new ArrayList<>();
    for (Map.Entry<String, String> v : variables.entrySet()) {
      Matcher m = DashboardsTest.LABEL_VALUES.matcher(v.getValue());
      assertThat(m.matches()).as(v.getKey()).isTrue();
      JsonNode values =
          get(
              "/api/v1/label/"
                  + m.group(2)
                  + "/values?match[]="
                  + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8));
      if (values.path("data").isEmpty()) {
        failures.add(v.getKey() + ": no values for " + v.getValue());
      }
    }
    return failures;
  }

  private void expect(List<String> missing, String what, String expr, double expected)
      throws Exception {
    double actual = scalar(expr);
    if (actual != expected) {
      missing.add(what + ": " + expr + " is " + actual + ", expected " + expected);
    }
  }

  /** "alertname/generator" of every pending or firing alert. */
  private Set<String> activeAlerts() throws Exception {
    Set<String> active = new TreeSet<>();
    for (JsonNode alert : get("/api/v1/alerts").path("data").path("alerts")) {
      active.add(
          alert.path("labels").path("alertname").asText()
              + "/"
              + alert.path("labels").path("generator").asText());
    }
    return active;
  }

  private static Set<String> seriesNames(String expr) {
    Set<String> names = new TreeSet<>();
    Matcher m = SERIES_NAME.matcher(expr);
    while (m.find()) {
      names.add(m.group());
    }
    return names;
  }

  private void createLensTopics(Map<String, Object> client) throws Exception {
    try (Admin admin = Admin.create(client)) {
      admin
          .createTopics(
              List.of(
                  new NewTopic(Contracts.LENS_REQUESTS.topic(), 1, (short) 1),
                  new NewTopic(Contracts.LENS_RESULTS.topic(), 1, (short) 1)))
          .all()
          .get(60, TimeUnit.SECONDS);
    }
  }

  /** {@code synque lens-worker --config FILE} in its own JVM, metrics on {@code port}. */
  private Process startLensWorker(Map<String, Object> client, String llmBaseUrl, int port)
      throws IOException {
    StringBuilder properties = new StringBuilder();
    client.forEach((k, v) -> properties.append(k).append('=').append(v).append('\n'));
    properties
        .append("synque.lens.llm.base.url=")
        .append(llmBaseUrl)
        .append('\n')
        .append("synque.lens.rubric.model=writer\n")
        .append("synque.lens.judge.model=judge\n")
        .append("synque.lens.rubric.size=3\n")
        // A first request plans 3 + 4 x 4 + 4 x 4 = 35 calls (and books fewer when the real
        // texts' judgements under the same rubric are reused), a repeat plans 32: one fits in 40.
        .append("synque.lens.budget.calls.per.hour.per.generator=40\n")
        .append("synque.lens.budget.tokens.per.hour=100000\n")
        .append("synque.lens.metrics.port=")
        .append(port)
        .append('\n');
    Path config = temp.resolve("lens-worker.properties");
    Files.writeString(config, properties);
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            "dev.synque.monitor.cli.SynqueCommand",
            "lens-worker",
            "--config",
            config.toString())
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("lens-worker.log").toFile())
        .start();
  }

  private Process startPrometheus(Path binary, int monitorPort, int lensPort) throws IOException {
    int port = freePort();
    Path config = temp.resolve("prometheus.yml");
    Files.writeString(
        config,
        """
        global:
          scrape_interval: %ds
          evaluation_interval: %ds
        rule_files:
          - %s
        scrape_configs:
          - job_name: synque-monitor
            static_configs:
              - targets: ['127.0.0.1:%d']
                labels: {namespace: %s}
          - job_name: synque-lens
            static_configs:
              - targets: ['127.0.0.1:%d']
                labels: {namespace: %s}
        """
            .formatted(
                SCRAPE.toSeconds(),
                SCRAPE.toSeconds(),
                AlertRulesTest.RULES.toAbsolutePath(),
                monitorPort,
                NAMESPACE,
                lensPort,
                NAMESPACE));
    prometheusUrl = "http://127.0.0.1:" + port;
    scrapingSince = Instant.now();
    return new ProcessBuilder(
            binary.toString(),
            "--config.file=" + config,
            "--storage.tsdb.path=" + temp.resolve("data"),
            "--web.listen-address=127.0.0.1:" + port)
        .redirectErrorStream(true)
        .redirectOutput(temp.resolve("prometheus.log").toFile())
        .start();
  }

  /**
   * The requests the monitor would send: one per demo generator, then a second for the generators
   * of {@link #OVER_BUDGET}, which their per-generator budget refuses.
   */
  private void publishLensRequests(Map<String, Object> client) throws Exception {
    AvroSerdeFactory serdes = new AvroSerdeFactory(client);
    List<TextItem> reference = new ArrayList<>();
    List<String> headlines = DemoGenerator.reference(4, 1);
    for (int i = 0; i < headlines.size(); i++) {
      reference.add(new TextItem("ref-" + i, headlines.get(i)));
    }
    try (KafkaProducer<String, LensRequest> producer =
        new KafkaProducer<>(
            client, new StringSerializer(), serdes.valueSerde(LensRequest.class).serializer())) {
      for (int round = 1; round <= 2; round++) {
        for (DemoGenerator g : DemoGenerator.all()) {
          if (round == 2 && !OVER_BUDGET.contains(g.id())) {
            continue;
          }
          List<TextItem> synthetic = new ArrayList<>();
          for (int i = 0; i < 4; i++) {
            synthetic.add(new TextItem(g.id() + "-" + i, g.text(i, 7)));
          }
          LensRequest request =
              LensRequest.newBuilder()
                  .setRequestId(g.id() + "-" + round)
                  .setGeneratorId(g.id())
                  .setReferenceVersion("v1")
                  .setSyntheticExamples(synthetic)
                  .setReferenceExamples(reference)
                  .setReason(LensReason.MANUAL)
                  .setSamplesSeen(4)
                  .setRequestedAt(Instant.now())
                  .build();
          producer
              .send(new ProducerRecord<>(Contracts.LENS_REQUESTS.topic(), g.id(), request))
              .get();
        }
      }
    }
  }

  private double scalar(String expr) throws Exception {
    JsonNode result = query(expr).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).path("value").get(1).asDouble();
  }

  private JsonNode query(String expr) throws Exception {
    return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
  }

  /** A range query from the first scrape to now, the last step at now (as Grafana aligns it). */
  private JsonNode queryRange(String expr, Duration step) throws Exception {
    long end = Instant.now().getEpochSecond();
    long span = end - scrapingSince.getEpochSecond();
    long start = end - span / step.toSeconds() * step.toSeconds();
    return get(
        "/api/v1/query_range?query="
            + URLEncoder.encode(expr, StandardCharsets.UTF_8)
            + "&start="
            + start
            + "&end="
            + end
            + "&step="
            + step.toSeconds());
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(prometheusUrl + path))
                .timeout(Duration.ofSeconds(10))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }

  private int health(int port) throws Exception {
    return http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static void stop(Process process) throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroy();
    if (!process.waitFor(40, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
