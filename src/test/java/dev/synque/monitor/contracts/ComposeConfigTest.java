package dev.synque.monitor.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docker-compose.yml} as a real compose implementation reads it: {@code docker-compose
 * config} (Debian's {@code docker-compose}, or {@code docker compose}) validates and interpolates
 * the file without a Docker daemon. Run with an empty environment, as a new user would: no variable
 * may be required, profiles included. Skipped, saying so, where no compose is installed ({@code
 * apt-get install docker-compose}).
 */
class ComposeConfigTest {

  private static List<String> compose;

  @BeforeAll
  static void findCompose() {
    for (List<String> candidate :
        List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      List<String> version = new ArrayList<>(candidate);
      version.add("version");
      try {
        if (run(version).exitCode == 0) {
          compose = candidate;
          return;
        }
      } catch (IOException e) {
        // not installed: try the next one
      }
    }
    Assumptions.abort(
        "no compose implementation on the PATH (docker-compose or docker compose): the compose"
            + " file is not checked; apt-get install docker-compose to check it");
  }

  private record Result(int exitCode, String output) {}

  private static Result run(List<String> command) throws IOException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().clear();
    builder.environment().put("PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"));
    builder.environment().put("HOME", System.getProperty("java.io.tmpdir"));
    Process process = builder.start();
    try {
      String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IOException(command + " did not finish within 60 s");
      }
      return new Result(process.exitValue(), output);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static Result config(String... extra) throws IOException {
    List<String> command = new ArrayList<>(compose);
    command.add("--file");
    command.add(Path.of("docker-compose.yml").toAbsolutePath().toString());
    command.addAll(List.of(extra));
    command.add("config");
    return run(command);
  }

  @Test
  void shouldPassComposeConfigWithNoVariableSet() throws IOException {
    assertThat(Files.exists(Path.of(".env")))
        .as("a .env file would hide missing variables")
        .isFalse();

    Result plain = config();
    Result withLens = config("--profile", "lens");

    assertThat(plain.exitCode()).as(plain.output()).isZero();
    assertThat(withLens.exitCode()).as(withLens.output()).isZero();
    assertThat(withLens.output()).contains("lens-worker", "SYNQUE_LLM_API_KEY");
  }

  @Test
  void shouldStartTheMonitorOnlyAfterTheTopicsExist() throws IOException {
    Result plain = config();

    assertThat(plain.output())
        .containsPattern(
            "(?s)monitor:.*depends_on:\\s+topics:\\s+condition: service_completed_successfully")
        .contains("synque topics create --config /etc/synque/monitor.properties");
  }
}
