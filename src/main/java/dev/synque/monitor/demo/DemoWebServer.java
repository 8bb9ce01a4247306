package dev.synque.monitor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The demo's web page: static files from {@code dev/synque/monitor/demo/web/} on the classpath (no
 * CDN, no network), and JSON under {@code /api/}:
 *
 * <ul>
 *   <li>{@code /api/demo}: what is running (generators with their descriptions and samples sent,
 *       windows, LENS status);
 *   <li>{@code /api/alerts}: recent drift alerts, newest first;
 *   <li>{@code /api/ranking?window=...} and {@code /api/generators/{id}/history} (and {@code
 *       /scores}, {@code /evidence}): passed through to the monitor's interactive-query server, so
 *       the page has one origin.
 * </ul>
 *
 * Owns its HTTP server; {@link #close()} stops it.
 */
final class DemoWebServer implements AutoCloseable {

  private static final String WEB = "/dev/synque/monitor/demo/web/";
  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "js", "text/javascript; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "svg", "image/svg+xml");

  private static final String JSON_TYPE = "application/json; charset=utf-8";

  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final String queryBase;
  private final Supplier<JsonNode> demo;
  private final Supplier<JsonNode> alerts;

  DemoWebServer(int port, String queryBase, Supplier<JsonNode> demo, Supplier<JsonNode> alerts)
      throws IOException {
    this.queryBase = queryBase;
    this.demo = demo;
    this.alerts = alerts;
    this.server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(
        Executors.newFixedThreadPool(
            4,
            r -> {
              Thread t = new Thread(r, "synque-demo-web");
              t.setDaemon(true);
              return t;
            }));
    server.createContext("/", this::handle);
    server.start();
  }

  /** The port bound. */
  int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/api/demo")) {
        reply(exchange, 200, JSON_TYPE, json(demo.get()));
      } else if (path.equals("/api/alerts")) {
        reply(exchange, 200, JSON_TYPE, json(alerts.get()));
      } else if (path.startsWith("/api/")) {
        forward(exchange, path.substring("/api".length()));
      } else {
        String name = path.equals("/") ? "index.html" : path.substring(1);
        if (!name.matches("[a-z0-9-]+\\.(html|js|css|svg)")) {
          reply(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
          return;
        }
        try (InputStream in = DemoWebServer.class.getResourceAsStream(WEB + name)) {
          if (in == null) {
            reply(exchange, 404, "text/plain", "not found".getBytes(StandardCharsets.UTF_8));
            return;
          }
          reply(
              exchange,
              200,
              TYPES.get(name.substring(name.lastIndexOf('.') + 1)),
              in.readAllBytes());
        }
      }
    } catch (RuntimeException e) {
      reply(exchange, 500, "text/plain", String.valueOf(e).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void forward(HttpExchange exchange, String path) throws IOException {
    String query = exchange.getRequestURI().getRawQuery();
    URI target = URI.create(queryBase + path + (query == null ? "" : "?" + query));
    try {
      HttpResponse<byte[]> answer =
          client.send(
              HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10)).GET().build(),
              HttpResponse.BodyHandlers.ofByteArray());
      reply(exchange, answer.statusCode(), "application/json; charset=utf-8", answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 503, "application/json", "{\"error\":\"interrupted\"}".getBytes());
    } catch (IOException e) {
      reply(
          exchange,
          503,
          "application/json",
          ("{\"error\":\"the monitor's query server is not answering yet\"}")
              .getBytes(StandardCharsets.UTF_8));
    }
  }

  private static byte[] json(JsonNode node) {
    return node.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void reply(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
