package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RunCommandTest {

  @TempDir Path dir;

  private String[] runWith(String properties) throws Exception {
    Path config = dir.resolve("monitor.properties");
    Files.writeString(config, properties);
    StringWriter err = new StringWriter();
    CommandLine cli = SynqueCommand.commandLine();
    cli.setErr(new PrintWriter(err));
    int code = cli.execute("run", "--config", config.toString());
    return new String[] {Integer.toString(code), err.toString()};
  }

  @Test
  void shouldExitWithTwoNamingTheKeyWhenAMonitorValueBreaksItsRule() throws Exception {
    String[] result = runWith("bootstrap.servers=localhost:9092\nsynque.window.size.ms=-5\n");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("synque.window.size.ms").contains("-5");
    assertThat(result[1].lines()).hasSize(1);
  }

  @Test
  void shouldExitWithTwoNamingAnUnknownProxy() throws Exception {
    String[] result =
        runWith("bootstrap.servers=localhost:9092\nsynque.proxies=mmd2_poly,nonsense\n");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("synque.proxies").contains("nonsense");
  }

  @Test
  void shouldExitWithTwoWhenBootstrapServersIsMissing() throws Exception {
    String[] result = runWith("schema.registry.url=http://localhost:8081\n");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("bootstrap.servers");
  }

  @Test
  void shouldExitWithTwoNamingABadStreamsValue() throws Exception {
    String[] result =
        runWith(
            "bootstrap.servers=localhost:9092\nschema.registry.url=http://localhost:8081\n"
                + "processing.guarantee=sometimes\n");

    assertThat(result[0]).isEqualTo("2");
    assertThat(result[1]).contains("processing.guarantee");
  }
}
