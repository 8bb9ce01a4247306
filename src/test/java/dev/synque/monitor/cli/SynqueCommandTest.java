package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.contracts.Contract;
import dev.synque.monitor.contracts.Contracts;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SynqueCommandTest {

  private record Run(int exitCode, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = SynqueCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }

  @Test
  void shouldListItsCommandsInHelp() {
    Run run = run("--help");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .contains("schemas")
        .contains("embed")
        .contains("devices")
        .contains("help");
  }

  @Test
  void shouldListEveryTopicWithItsSubjectAndRecord() {
    Run run = run("schemas", "list");

    assertThat(run.exitCode()).isZero();
    for (Contract contract : Contracts.ALL) {
      assertThat(run.out())
          .contains(contract.topic() + "-value")
          .contains(contract.valueType().getSimpleName());
    }
  }

  @Test
  void shouldFailClearlyWhenTheRegistryIsUnreachable() {
    Run run = run("schemas", "register", "--registry-url", "http://127.0.0.1:1");

    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.err()).contains("unreachable").contains("http://127.0.0.1:1");
  }

  @Test
  void shouldRejectABadRegistryUrlNamingIt() {
    Run run = run("schemas", "register", "--registry-url", "localhost:8081");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err())
        .startsWith("synque: ")
        .contains("localhost:8081")
        .contains("http://")
        .doesNotContain("\tat ");
  }
}
