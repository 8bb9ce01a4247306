package dev.synque.monitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class MetricsServerTest {

  private static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerReadinessApartFromLiveness() throws Exception {
    AtomicBoolean alive = new AtomicBoolean(true);
    AtomicBoolean ready = new AtomicBoolean(false);
    try (MetricsServer server = new MetricsServer(0, () -> "", alive::get, ready::get)) {
      HttpClient http = HttpClient.newHttpClient();

      HttpResponse<String> restoring = get(http, server.port(), "/ready");
      HttpResponse<String> liveWhileRestoring = get(http, server.port(), "/health");
      ready.set(true);
      HttpResponse<String> restored = get(http, server.port(), "/ready");
      alive.set(false);
      HttpResponse<String> dead = get(http, server.port(), "/health");

      assertThat(restoring.statusCode()).isEqualTo(503);
      assertThat(restoring.body()).isEqualTo("NOT READY\n");
      assertThat(liveWhileRestoring.statusCode()).isEqualTo(200);
      assertThat(restored.statusCode()).isEqualTo(200);
      assertThat(restored.body()).isEqualTo("READY\n");
      assertThat(dead.statusCode()).isEqualTo(503);
    }
  }

  @Test
  void shouldTakeReadinessFromHealthWhenNoneIsGiven() throws Exception {
    AtomicBoolean alive = new AtomicBoolean(false);
    try (MetricsServer server = new MetricsServer(0, () -> "", alive::get)) {
      HttpClient http = HttpClient.newHttpClient();

      int before = get(http, server.port(), "/ready").statusCode();
      alive.set(true);
      int after = get(http, server.port(), "/ready").statusCode();

      assertThat(before).isEqualTo(503);
      assertThat(after).isEqualTo(200);
    }
  }
}
