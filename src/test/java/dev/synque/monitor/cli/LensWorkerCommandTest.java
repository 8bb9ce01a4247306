package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LensWorkerCommandTest {

  @TempDir Path dir;

  private CliRun worker(String properties) throws IOException {
    Path config = dir.resolve("worker.properties");
    Files.writeString(config, properties);
    return CliRun.of("lens-worker", "--config", config.toString());
  }

  @Test
  void shouldNameTheMissingLlmKey() throws IOException {
    CliRun run = worker("bootstrap.servers=localhost:9092\n");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("synque.lens.llm.base.url");
  }

  @Test
  void shouldNameTheMissingBootstrapServers() throws IOException {
    CliRun run =
        worker(
            "synque.lens.llm.base.url=http://localhost:8000/v1\n"
                + "synque.lens.rubric.model=m\nsynque.lens.judge.model=m\n");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("bootstrap.servers");
  }

  private static final String VALID =
      "bootstrap.servers=127.0.0.1:9\nschema.registry.url=http://127.0.0.1:9\n"
          + "synque.lens.llm.base.url=http://127.0.0.1:9/v1\n"
          + "synque.lens.rubric.model=m\nsynque.lens.judge.model=m\n";

  @Test
  void shouldNameABadMetricsPortBeforeConnectingAnywhere() throws IOException {
    CliRun run = worker(VALID + "synque.lens.metrics.port=99999\n");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.err()).contains("synque.lens.metrics.port").contains("99999");
  }

  @Test
  void shouldNameTheMetricsPortWhenItIsTaken() throws IOException {
    try (ServerSocket taken = new ServerSocket(0)) {
      CliRun run = worker(VALID + "synque.lens.metrics.port=" + taken.getLocalPort() + "\n");

      assertThat(run.exitCode()).as(run.err()).isEqualTo(1);
      assertThat(run.err()).contains("synque.lens.metrics.port=" + taken.getLocalPort());
    }
  }

  @Test
  void shouldListBothLensCommandsInTheHelp() {
    CliRun run = CliRun.of("--help");

    assertThat(run.out()).contains("lens ").contains("lens-worker");
  }
}
