package dev.synque.monitor.serde;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP server on loopback that answers Confluent Schema Registry requests from a script: a
 * test double at the protocol level, so the client's HTTP, headers and error mapping are real.
 */
final class FakeRegistryServer implements AutoCloseable {

  /** One request as received. */
  record Received(
      String method, String path, String authorization, String contentType, String body) {}

  private record Answer(int status, String body) {}

  private final HttpServer server;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final List<Received> received = java.util.Collections.synchronizedList(new ArrayList<>());

  private FakeRegistryServer(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  static FakeRegistryServer http() throws IOException {
    return new FakeRegistryServer(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
  }

  static FakeRegistryServer https(SSLContext context) throws IOException {
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    return new FakeRegistryServer(server);
  }

  /** Answers {@code method path} with a status and a JSON body. */
  FakeRegistryServer answer(String method, String path, int status, String body) {
    answers.put(method + " " + path, new Answer(status, body));
    return this;
  }

  String url(String scheme) {
    return scheme + "://127.0.0.1:" + server.getAddress().getPort();
  }

  String url() {
    return url("http");
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String path = exchange.getRequestURI().getRawPath();
    received.add(
        new Received(
            exchange.getRequestMethod(),
            path,
            exchange.getRequestHeaders().getFirst("Authorization"),
            exchange.getRequestHeaders().getFirst("Content-Type"),
            body));
    Answer answer =
        answers.getOrDefault(
            exchange.getRequestMethod() + " " + path,
            new Answer(404, "{\"error_code\":404,\"message\":\"HTTP 404 Not Found\"}"));
    byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/vnd.schemaregistry.v1+json");
    exchange.sendResponseHeaders(answer.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
