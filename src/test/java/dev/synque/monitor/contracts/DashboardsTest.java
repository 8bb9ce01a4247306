package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.metrics.MetricsTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards are well formed and read only metrics the scrape has. {@code DashboardsIT}
 * runs every query on a real Prometheus scraping the running demo.
 */
class DashboardsTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DASHBOARDS = Path.of("dashboards/grafana");

  /** SynQuE's own metric names in PromQL (label values never start with a lower-case prefix_). */
  private static final Pattern SYNQUE_NAME = Pattern.compile("\\bsynque_[a-z0-9_]+\\b");

  /** A Grafana query variable: {@code label_values(metric, label)}. */
  static final Pattern LABEL_VALUES =
      Pattern.compile("label_values\\(\\s*([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*,\\s*([a-zA-Z_]+)\\s*\\)");

  /**
   * One PromQL query as Grafana runs it: an instant query for targets marked {@code instant},
   * otherwise a range query at {@code step} (annotations carry their own step).
   *
   * @param where dashboard / panel / refId, or dashboard / annotation name
   * @param expr the expression, with Grafana's variables unreplaced
   * @param instant whether Grafana runs it as an instant query
   * @param step the step of a range query
   */
  record PanelQuery(String where, String expr, boolean instant, Duration step) {}

  static List<JsonNode> dashboards() throws IOException {
    List<JsonNode> dashboards = new ArrayList<>();
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
        dashboards.add(JSON.readTree(file.toFile()));
      }
    }
    return dashboards;
  }

  /** Every PromQL query of every panel and annotation. */
  static List<PanelQuery> queries(Duration defaultStep) throws IOException {
    List<PanelQuery> queries = new ArrayList<>();
    for (JsonNode dashboard : dashboards()) {
      String title = dashboard.path("title").asText();
      for (JsonNode panel : dashboard.path("panels")) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(
              new PanelQuery(
                  title + " / " + panel.path("title").asText() + " / " + target.path("refId"),
                  target.path("expr").asText(),
                  target.path("instant").asBoolean(false),
                  defaultStep));
        }
      }
      for (JsonNode annotation : dashboard.path("annotations").path("list")) {
        if (annotation.has("expr")) {
          queries.add(
              new PanelQuery(
                  title + " / annotation " + annotation.path("name").asText(),
                  annotation.path("expr").asText(),
                  false,
                  annotation.has("step")
                      ? Duration.parse("PT" + annotation.path("step").asText().toUpperCase())
                      : defaultStep));
        }
      }
    }
    return queries;
  }

  /** Every query variable's {@code label_values(...)} definition, keyed by "dashboard / $name". */
  static Map<String, String> variables() throws IOException {
    Map<String, String> variables = new LinkedHashMap<>();
    for (JsonNode dashboard : dashboards()) {
      for (JsonNode variable : dashboard.path("templating").path("list")) {
        if ("query".equals(variable.path("type").asText())) {
          variables.put(
              dashboard.path("title").asText() + " / $" + variable.path("name").asText(),
              variable.path("definition").asText());
        }
      }
    }
    return variables;
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
    assertThat(queries(Duration.ofSeconds(5))).hasSizeGreaterThan(30);
    assertThat(variables().values()).allSatisfy(d -> assertThat(d).matches(LABEL_VALUES));
  }

  @Test
  void shouldUseOnlyMetricNamesTheScrapeHas() throws IOException {
    Set<String> documented = new TreeSet<>();
    MetricsTest.DOCUMENTED.forEach(n -> documented.add(base(n)));
    List<String> sources = new ArrayList<>();
    queries(Duration.ofSeconds(5)).forEach(q -> sources.add(q.expr()));
    sources.addAll(variables().values());
    sources.add(Files.readString(AlertRulesTest.RULES));

    Set<String> used = new TreeSet<>();
    for (String source : sources) {
      Matcher m = SYNQUE_NAME.matcher(source);
      while (m.find()) {
        used.add(base(m.group()));
      }
    }

    assertThat(used).hasSizeGreaterThan(20);
    assertThat(documented).containsAll(used);
  }

  /** A series name without the suffixes Prometheus adds to histograms and summaries. */
  private static String base(String name) {
    return name.replaceAll("_(bucket|count|sum)$", "");
  }

  @Test
  void shouldFilterEveryQueryByTheNamespaceVariable() throws IOException {
    for (JsonNode dashboard : dashboards()) {
      List<String> names = new ArrayList<>();
      dashboard.path("templating").path("list").forEach(v -> names.add(v.path("name").asText()));
      assertThat(names).as(dashboard.path("title").asText()).contains("namespace");
    }
    Pattern metric = Pattern.compile("\\b((?:synque_|kafka_|jvm_)[a-z0-9_]+|up)\\b(\\{[^}]*\\})?");
    for (PanelQuery query : queries(Duration.ofSeconds(5))) {
      Matcher m = metric.matcher(query.expr());
      int selectors = 0;
      while (m.find()) {
        selectors++;
        assertThat(m.group(2))
            .as("%s: %s in %s", query.where(), m.group(1), query.expr())
            .startsWith("{namespace=~\"$namespace\"");
      }
      assertThat(selectors).as(query.where()).isPositive();
    }
  }
}
