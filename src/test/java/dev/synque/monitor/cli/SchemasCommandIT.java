package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.contracts.Contract;
import dev.synque.monitor.contracts.Contracts;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import picocli.CommandLine;

/** {@code synque schemas register} against a real Apicurio Registry. */
@ExtendWith(SharedInfrastructure.class)
class SchemasCommandIT {

  private static String register(String url) {
    StringWriter out = new StringWriter();
    CommandLine cli = SynqueCommand.commandLine();
    cli.setOut(new PrintWriter(out));
    int exitCode = cli.execute("schemas", "register", "--registry-url", url);
    assertThat(exitCode).as("exit code, output: %s", out).isZero();
    return out.toString();
  }

  @Test
  void shouldRegisterEveryContractOnceAndKeepItsIdsOnASecondRun() throws Exception {
    ApicurioRegistry registry = SharedInfrastructure.registry();

    String first = register(registry.confluentCompatUrl());
    String second = register(registry.confluentCompatUrl());

    assertThat(second).isEqualTo(first);
    String subjects =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(registry.confluentCompatUrl() + "/subjects"))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (Contract contract : Contracts.ALL) {
      assertThat(subjects).contains("\"" + contract.topic() + "-value\"");
    }
  }
}
