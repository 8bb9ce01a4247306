package dev.synque.monitor.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The HTTP endpoint for Prometheus and probes (JDK {@code HttpServer}, one thread): {@code GET
 * /metrics} answers the scrape in Prometheus' text format; {@code GET /health} answers 200 {@code
 * UP} while {@code healthy} says so, else 503 {@code DOWN}; {@code GET /ready} answers 200 {@code
 * READY} while {@code ready} says so, else 503 {@code NOT READY}. Liveness probes ask {@code
 * /health}, readiness probes {@code /ready}: the monitor is alive but not ready while it restores
 * its state. Started by the constructor; close it to stop.
 */
public final class MetricsServer implements AutoCloseable {

  /** Content type of Prometheus' text exposition format. */
  static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "synque-metrics-http");
            t.setDaemon(true);
            return t;
          });

  /**
   * Starts the server.
   *
   * @param port TCP port (0 for any free one)
   * @param scrape gives the scrape text, called per request
   * @param healthy whether the monitor is healthy, called per {@code /health} request
   * @throws IOException if the port cannot be bound
   */
  public MetricsServer(int port, Supplier<String> scrape, BooleanSupplier healthy)
      throws IOException {
    this(port, scrape, healthy, healthy);
  }

  /**
   * Starts the server with a readiness of its own.
   *
   * @param port TCP port (0 for any free one)
   * @param scrape gives the scrape text, called per request
   * @param healthy whether the process is alive and working, called per {@code /health} request
   * @param ready whether it should take traffic (for the monitor: every task restored and running),
   *     called per {@code /ready} request
   * @throws IOException if the port cannot be bound
   */
  public MetricsServer(
      int port, Supplier<String> scrape, BooleanSupplier healthy, BooleanSupplier ready)
      throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.createContext("/metrics", e -> answer(e, 200, CONTENT_TYPE, scrape.get()));
    server.createContext(
        "/health",
        e -> {
          boolean up = healthy.getAsBoolean();
          answer(e, up ? 200 : 503, "text/plain; charset=utf-8", up ? "UP\n" : "DOWN\n");
        });
    server.createContext(
        "/ready",
        e -> {
          boolean up = ready.getAsBoolean();
          answer(e, up ? 200 : 503, "text/plain; charset=utf-8", up ? "READY\n" : "NOT READY\n");
        });
    server.setExecutor(executor);
    server.start();
  }

  /** The bound port. */
  public int port() {
    return server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.sendResponseHeaders(405, -1);
        return;
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
