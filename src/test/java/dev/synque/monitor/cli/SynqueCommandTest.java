package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.contracts.Contract;
import dev.synque.monitor.contracts.Contracts;
import org.junit.jupiter.api.Test;

class SynqueCommandTest {

  @Test
  void shouldListItsCommandsInHelp() {
    CliRun run = CliRun.of("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("schemas")
        .contains("embed")
        .contains("devices")
        .contains("help");
  }

  @Test
  void shouldListEveryTopicWithItsSubjectAndRecord() {
    CliRun run = CliRun.of("schemas", "list");

    assertThat(run.exitCode()).isZero();
    for (Contract contract : Contracts.ALL) {
      assertThat(run.out())
          .contains(contract.topic() + "-value")
          .contains(contract.valueType().getSimpleName());
    }
  }

  @Test
  void shouldFailClearlyWhenTheRegistryIsUnreachable() {
    CliRun run = CliRun.of("schemas", "register", "--registry-url", "http://127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("unreachable").contains("http://127.0.0.1:1");
  }

  @Test
  void shouldRejectABadRegistryUrlNamingIt() {
    CliRun run = CliRun.of("schemas", "register", "--registry-url", "localhost:8081");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("synque: ")
        .contains("localhost:8081")
        .contains("http://")
        .doesNotContain("\tat ");
  }
}
