package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.demo.DemoSettings;
import dev.synque.monitor.demo.LiveDemo;
import dev.synque.monitor.lens.FakeChatServer;
import dev.synque.monitor.stream.MonitorJson;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code synque demo} with an LLM endpoint: the demo starts the LENS worker on its own broker, the
 * monitor asks for LENS, and the ranking gains a {@code lens} value (here judged by the loopback
 * chat-completions server).
 */
class DemoLensIT {

  @Test
  void shouldRankTheDemoGeneratorsByLensWhenAnEndpointIsConfigured() throws Exception {
    try (FakeChatServer llm = FakeChatServer.start()) {
      DemoSettings fast =
          new DemoSettings(
              0, 0, 10, Duration.ofSeconds(4), 10, 10, 50, 7, List.of("mmd2_poly"), llm.baseUrl());
      ByteArrayOutputStream console = new ByteArrayOutputStream();
      HttpClient http = HttpClient.newHttpClient();
      try (LiveDemo demo =
          LiveDemo.start(
              fast,
              new PrintStream(console, true, StandardCharsets.UTF_8),
              DemoCommand.lensWorker(llm.baseUrl(), "judge"))) {
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("LENS        on:");
        await("a lens value in the all-time ranking")
            .atMost(Duration.ofMinutes(4))
            .pollInterval(Duration.ofSeconds(2))
            .until(
                () -> {
                  String ranking =
                      http.send(
                              HttpRequest.newBuilder(
                                      URI.create(
                                          "http://localhost:"
                                              + demo.queryPort()
                                              + "/ranking?window=ALL_TIME"))
                                  .build(),
                              HttpResponse.BodyHandlers.ofString())
                          .body();
                  return hasLensValue(MonitorJson.MAPPER.readTree(ranking));
                });
      }
    }
  }

  /** Whether any node is {"proxy": "lens", "value": <number>, ...}. */
  private static boolean hasLensValue(JsonNode node) {
    if (node.isObject()
        && "lens".equals(node.path("proxy").asText())
        && node.path("value").isNumber()) {
      return true;
    }
    for (JsonNode child : node) {
      if (hasLensValue(child)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void shouldRefuseAnEndpointWithoutAModel() {
    assertThatThrownBy(() -> DemoCommand.lensWorker("http://localhost:1/v1", null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--llm-model")
        .hasMessageContaining("http://localhost:1/v1");
    assertThat(DemoCommand.lensWorker(null, "m")).isNull();
  }
}
