package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alert rules pass {@code promtool check rules} and their unit tests ({@code promtool test
 * rules}). Skipped, saying so, where promtool is not installed (Debian: {@code apt-get install
 * prometheus}).
 */
class AlertRulesTest {

  static final Path RULES = Path.of("dashboards/alerts/synque-rules.yml");
  static final Path RULE_TESTS = Path.of("dashboards/alerts/synque-rules.test.yml");
  static final Path RUNBOOKS = Path.of("docs/runbooks.md");

  /** The promtool on the PATH (or in /usr/bin), or null. */
  static Path promtool() {
    for (String dir : (System.getenv().getOrDefault("PATH", "") + ":/usr/bin").split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "promtool"))) {
        return Path.of(dir, "promtool");
      }
    }
    return null;
  }

  private static String run(List<String> command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("%s finished", command).isTrue();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.exitValue()).as("%s:%n%s", command, output).isZero();
    return output;
  }

  @Test
  void shouldPassPromtoolCheckAndUnitTests() throws Exception {
    Path promtool = promtool();
    assumeTrue(
        promtool != null,
        "promtool not found: install Debian's prometheus package to check the alert rules");

    assertThat(run(List.of(promtool.toString(), "check", "rules", RULES.toString())))
        .contains("SUCCESS");
    assertThat(run(List.of(promtool.toString(), "test", "rules", RULE_TESTS.toString())))
        .contains("SUCCESS");
  }

  @Test
  void shouldTestEveryAlertFiringAndNotFiring() throws IOException {
    String rules = Files.readString(RULES);
    String tests = Files.readString(RULE_TESTS);

    List<String> alerts =
        rules
            .lines()
            .map(String::trim)
            .filter(l -> l.startsWith("- alert: "))
            .map(l -> l.substring("- alert: ".length()))
            .toList();
    assertThat(alerts).hasSizeGreaterThanOrEqualTo(8);
    for (String alert : alerts) {
      String[] cases = tests.split("alertname: " + alert + "\n", -1);
      assertThat(cases.length - 1).as("test cases of %s", alert).isGreaterThanOrEqualTo(2);
      boolean fires = false;
      boolean quiet = false;
      for (int i = 1; i < cases.length; i++) {
        String expectation = cases[i].lines().findFirst().orElse("").trim();
        quiet |= expectation.equals("exp_alerts: []");
        fires |= expectation.equals("exp_alerts:");
      }
      assertThat(fires).as("%s has a case that fires", alert).isTrue();
      assertThat(quiet).as("%s has a case that does not fire", alert).isTrue();
    }
  }

  private static List<String> alerts() throws IOException {
    return Files.readString(RULES)
        .lines()
        .map(String::trim)
        .filter(l -> l.startsWith("- alert: "))
        .map(l -> l.substring("- alert: ".length()))
        .toList();
  }

  @Test
  void shouldLinkEveryAlertToItsOwnRunbookSection() throws IOException {
    String rules = Files.readString(RULES);
    String runbooks = Files.readString(RUNBOOKS);

    for (String alert : alerts()) {
      String anchor = alert.toLowerCase(java.util.Locale.ROOT);
      String rule = rules.substring(rules.indexOf("- alert: " + alert + "\n"));
      int next = rule.indexOf("- alert: ", 1);
      rule = next < 0 ? rule : rule.substring(0, next);
      assertThat(rule)
          .as("runbook_url of %s", alert)
          .contains("runbook_url: docs/runbooks.md#" + anchor + "\n");
      assertThat(runbooks)
          .as("section of %s in %s", alert, RUNBOOKS)
          .containsPattern("(?m)^## " + alert + "$");
    }
  }

  @Test
  void shouldKeepNamespaceAndJobInEveryAggregation() throws IOException {
    String rules = Files.readString(RULES);
    java.util.regex.Matcher by =
        java.util.regex.Pattern.compile("\\b(?:sum|max|min|avg|count) by \\(([^)]*)\\)")
            .matcher(rules);
    int aggregations = 0;
    while (by.find()) {
      aggregations++;
      assertThat(List.of(by.group(1).split(",\\s*")))
          .as("aggregation %s", by.group())
          .contains("namespace", "job");
    }
    assertThat(aggregations).isGreaterThanOrEqualTo(10);
    assertThat(rules).doesNotContainPattern("\\b(?:sum|max|min|avg|count)\\s*\\(");
  }

  @Test
  void shouldTestTheAbsentMonitorAndTheRetiredGenerator() throws IOException {
    String rules = Files.readString(RULES);
    String tests = Files.readString(RULE_TESTS);

    assertThat(rules).contains("expr: absent(up{job=\"synque-monitor\"})");
    assertThat(tests)
        .contains("alertname: SynqueMonitorAbsent")
        .containsPattern("generator=\"gen-r\"}'\\s+values: '[^']* stale'")
        .containsPattern("instance=\"m1:9404\"}'\\s+values: '[^']* stale'");
  }
}
