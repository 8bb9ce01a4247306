package dev.synque.monitor.embed;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback server speaking the OpenAI embeddings API ({@code POST /v1/embeddings}) over a real
 * {@link Embedder}: each request's {@code input} is embedded in one call and written back with
 * {@code index}, as TEI and vLLM answer. Faults are scripted: the next responses can be replaced by
 * a status with headers and a body, delayed, or answered with vectors cut to another dimension.
 */
public final class FakeEmbeddingServer implements AutoCloseable {

  /** A scripted response: a status and body, or with {@code body} null the real vectors cut. */
  record Scripted(
      int status, Map<String, String> headers, String body, long delayMillis, int dimension) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Embedder embedder;
  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private final java.util.Set<HttpExchange> answered =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private volatile int dimensionAlways;
  private volatile long delayAlways;

  private FakeEmbeddingServer(Embedder embedder) throws IOException {
    this.embedder = embedder;
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/v1/embeddings", this::handle);
    server.setExecutor(executor);
  }

  /** A started server on a free port over {@code embedder} (not closed by the server). */
  public static FakeEmbeddingServer start(Embedder embedder) {
    try {
      FakeEmbeddingServer s = new FakeEmbeddingServer(embedder);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The base URL to configure ({@code http://127.0.0.1:PORT/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Scripts the next response: a status, headers and body after a delay. */
  public synchronized void enqueue(
      int status, Map<String, String> headers, String body, long delayMillis) {
    script.addLast(new Scripted(status, headers, body, delayMillis, 0));
  }

  /** Scripts the next response: the real vectors after a delay. */
  public synchronized void enqueueDelay(long delayMillis) {
    script.addLast(new Scripted(200, Map.of(), null, delayMillis, 0));
  }

  /** From now on, vectors are cut to {@code dimension} values (0: whole). */
  public void cutVectorsTo(int dimension) {
    dimensionAlways = dimension;
  }

  /** From now on, every answer is delayed by this much. */
  public void delayEveryAnswer(long millis) {
    delayAlways = millis;
  }

  /** Request bodies received so far. */
  public synchronized List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  /** Authorization headers received so far. */
  public synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** Most requests the server was handling at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    try {
      JsonNode body = JSON.readTree(exchange.getRequestBody());
      Scripted scripted;
      synchronized (this) {
        requests.add(body);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        scripted = script.pollFirst();
      }
      long delay = scripted != null ? scripted.delayMillis() : delayAlways;
      if (delay > 0) {
        Thread.sleep(delay);
      }
      if (scripted != null && scripted.body() != null) {
        scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        respond(exchange, scripted.status(), scripted.body().getBytes(StandardCharsets.UTF_8));
        return;
      }
      List<String> texts = new ArrayList<>();
      JsonNode input = body.path("input");
      if (input.isTextual()) {
        texts.add(input.asText());
      } else {
        input.forEach(t -> texts.add(t.asText()));
      }
      EmbeddingBatch batch = embedder.embed(texts);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (JsonGenerator json = JSON.getFactory().createGenerator(out)) {
        json.writeStartObject();
        json.writeStringField("object", "list");
        json.writeStringField("model", body.path("model").asText());
        json.writeArrayFieldStart("data");
        // newest first, as some servers do: the client must place vectors by index
        for (int i = batch.size() - 1; i >= 0; i--) {
          float[] vector = batch.vector(i);
          int length = dimensionAlways > 0 ? dimensionAlways : vector.length;
          json.writeStartObject();
          json.writeStringField("object", "embedding");
          json.writeNumberField("index", i);
          json.writeArrayFieldStart("embedding");
          for (int k = 0; k < length; k++) {
            json.writeNumber(vector[k]);
          }
          json.writeEndArray();
          json.writeEndObject();
        }
        json.writeEndArray();
        json.writeObjectFieldStart("usage");
        json.writeNumberField("prompt_tokens", 0);
        json.writeNumberField("total_tokens", 0);
        json.writeEndObject();
        json.writeEndObject();
      }
      respond(exchange, 200, out.toByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      respond(
          exchange,
          500,
          ("{\"error\":{\"message\":\"" + e.getMessage().replace('"', '\'') + "\"}}")
              .getBytes(StandardCharsets.UTF_8));
    } finally {
      if (answered.add(exchange)) {
        inFlight.decrementAndGet();
      }
      answered.remove(exchange);
    }
  }

  private void respond(HttpExchange exchange, int status, byte[] bytes) throws IOException {
    // A request stops counting as in flight once its answer is ready, before the client can see
    // it: the client then starts its next request, which would otherwise overlap this one's
    // bookkeeping and count one more than the client ever had in flight.
    if (answered.add(exchange)) {
      inFlight.decrementAndGet();
    }
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(bytes);
      }
    } catch (IOException e) {
      // the client gave up (a timeout under test): nothing to answer
    } finally {
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
