package dev.synque.monitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

/** The binders' meters, their descriptions, the generator cap, and the Prometheus scrape. */
public class MetricsTest {

  /**
   * Every documented Prometheus name of the monitor and LENS (docs/operations.md's metrics
   * reference).
   */
  public static final List<String> DOCUMENTED =
      List.of(
          "synque_generator_proxy_value",
          "synque_generator_proxy_rank",
          "synque_generator_rank",
          "synque_generator_combined_score",
          "synque_generator_eligible",
          "synque_generator_leader",
          "synque_generator_window_samples",
          "synque_generator_samples_total",
          "synque_generator_score_age_seconds",
          "synque_generator_drift",
          "synque_generator_interval_low",
          "synque_generator_interval_high",
          "synque_generator_tier",
          "synque_generator_beats_next",
          "synque_reference_noise_floor",
          "synque_alerts_total",
          "synque_metrics_generators",
          "synque_metrics_generators_folded_total",
          "synque_samples_consumed_total",
          "synque_dead_letters_total",
          "synque_embedding_batch_seconds_bucket",
          "synque_embedding_batch_seconds_count",
          "synque_embedding_batch_size_texts_count",
          "synque_embedding_texts_total",
          "synque_proxies_compute_seconds_bucket",
          "synque_scores_emitted_total",
          "synque_rankings_emitted_total",
          "synque_lens_calls_total",
          "synque_lens_llm_latency_seconds_bucket",
          "synque_lens_tokens_total",
          "synque_lens_budget_remaining",
          "synque_lens_results_total",
          "synque_generator_lens_score",
          "synque_generator_lens_staleness_seconds",
          "synque_generator_lens_status",
          "jvm_memory_used_bytes",
          "jvm_threads_live_threads",
          "process_cpu_usage");

  @Test
  void shouldGiveEveryMeterADescription() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorMeters meters = new MonitorMeters(10, () -> 1000);
    LensMetrics lens = new LensMetrics(10, () -> 1000);
    meters.bindTo(registry);
    lens.bindTo(registry);
    lens.watchBudget(SampleMetrics.budget());

    SampleMetrics.exercise(meters, lens);

    assertThat(registry.getMeters()).hasSizeGreaterThan(20);
    for (Meter meter : registry.getMeters()) {
      assertThat(meter.getId().getDescription()).as(meter.getId().getName()).isNotBlank();
      assertThat(meter.getId().getName()).matches("synque(\\.[a-z0-9]+)+");
    }
    assertThat(registry.get("synque.generator.drift").tag("generator", "gen-b").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("synque.generator.leader").tag("generator", "gen-a").gauge().value())
        .isEqualTo(1);
    assertThat(registry.get("synque.generator.leader").tag("generator", "gen-b").gauge().value())
        .isZero();
  }

  @Test
  void shouldFoldGeneratorsPastTheCapIntoOtherAndCountThem() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorMeters meters = new MonitorMeters(2, () -> 0);
    meters.bindTo(registry);

    for (String generator : List.of("g1", "g2", "g3", "g4", "g1")) {
      meters.sampleAccepted(generator);
    }

    assertThat(registry.get("synque.generator.samples").counters())
        .extracting(c -> c.getId().getTag("generator"))
        .containsExactlyInAnyOrder("g1", "g2", "other");
    assertThat(registry.get("synque.generator.samples").tag("generator", "other").counter().count())
        .isEqualTo(2);
    assertThat(registry.get("synque.metrics.generators.folded").counter().count()).isEqualTo(2);
    assertThat(registry.get("synque.metrics.generators").gauge().value()).isEqualTo(2);
  }

  @Test
  void shouldScrapeTheDocumentedNamesOverHttp() throws Exception {
    try (PrometheusMetrics metrics = new PrometheusMetrics("synque-test")) {
      MonitorMeters meters = metrics.bind(new MonitorMeters(10, () -> 1000));
      LensMetrics lens = metrics.bind(new LensMetrics(10, () -> 1000));
      lens.watchBudget(SampleMetrics.budget());
      SampleMetrics.exercise(meters, lens);
      AtomicBoolean healthy = new AtomicBoolean(true);
      try (MetricsServer server = new MetricsServer(0, metrics::scrape, healthy::get)) {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> scrape = get(http, server.port(), "/metrics");
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type"))
            .hasValue(MetricsServer.CONTENT_TYPE);
        for (String name : DOCUMENTED) {
          assertThat(scrape.body()).as(name).containsPattern("(?m)^" + name + "[{ ]");
          assertThat(scrape.body())
              .as("HELP of " + name)
              .containsPattern(
                  "(?m)^# HELP " + name.replaceAll("_(bucket|count|total)$", "") + "(_total)? \\S");
        }
        assertThat(scrape.body())
            .contains("synque_generator_proxy_value{application=\"synque-test\"");

        assertThat(get(http, server.port(), "/health").statusCode()).isEqualTo(200);
        healthy.set(false);
        assertThat(get(http, server.port(), "/health").statusCode()).isEqualTo(503);
      }
    }
  }

  @Test
  void shouldListEveryCheckedNameInTheMetricsReference() throws Exception {
    String operations = java.nio.file.Files.readString(java.nio.file.Path.of("docs/operations.md"));
    String reference =
        operations.substring(
            operations.indexOf("## Metrics reference"), operations.indexOf("## Alerts"));

    for (String name : DOCUMENTED) {
      if (name.startsWith("synque_")) {
        assertThat(reference)
            .as(name)
            .contains("`" + name.replaceAll("_(bucket|count)$", "") + "`");
      }
    }
  }

  @Test
  void shouldReadAndValidateSettings() {
    assertThat(MetricsSettings.fromConfig(java.util.Map.of()))
        .isEqualTo(new MetricsSettings(9404, 200));
    assertThat(
            MetricsSettings.fromConfig(
                java.util.Map.of(MetricsSettings.PORT, "-1", MetricsSettings.MAX_GENERATORS, "5")))
        .isEqualTo(new MetricsSettings(-1, 5));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MetricsSettings.fromConfig(java.util.Map.of(MetricsSettings.MAX_GENERATORS, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MetricsSettings.MAX_GENERATORS);
  }

  @Test
  void shouldReadTheLensWorkersOwnPortKey() {
    // One file may serve both (Kubernetes mounts the monitor's): the monitor's port key is not
    // read.
    assertThat(MetricsSettings.forLensWorker(java.util.Map.of(MetricsSettings.PORT, "9404")))
        .isEqualTo(new MetricsSettings(9405, 200));
    assertThat(
            MetricsSettings.forLensWorker(
                java.util.Map.of(
                    MetricsSettings.LENS_PORT, "0", MetricsSettings.MAX_GENERATORS, "7")))
        .isEqualTo(new MetricsSettings(0, 7));
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                MetricsSettings.forLensWorker(java.util.Map.of(MetricsSettings.LENS_PORT, "70000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MetricsSettings.LENS_PORT)
        .hasMessageContaining("70000")
        .hasMessageContaining("-1 (off), 0 (any free port) or 1..65535");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> MetricsSettings.forLensWorker(java.util.Map.of(MetricsSettings.LENS_PORT, "x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MetricsSettings.LENS_PORT)
        .hasMessageContaining("must be an integer");
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
