package dev.synque.monitor.query;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.stream.MonitorJson;
import dev.synque.monitor.stream.MonitorTopology;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive queries over HTTP (JDK {@code com.sun.net.httpserver}), JSON out:
 *
 * <ul>
 *   <li>{@code GET /ranking?window=ALL_TIME}: the latest ranking of that window kind;
 *   <li>{@code GET /generators/{id}/scores?window=ALL_TIME}: the generator's latest scores;
 *   <li>{@code GET /generators/{id}/evidence?window=ALL_TIME}: the evidence behind those scores
 *       (least real-looking samples, least covered reference samples, the {@code mmd2_poly}
 *       interval and the reference's noise floors; {@code MonitorJson#evidence});
 *   <li>{@code GET /generators/{id}/history}: its last {@value MonitorTopology#HISTORY_SIZE}
 *       scores, oldest first.
 * </ul>
 *
 * <p>Each key is looked up with {@link KafkaStreams#queryMetadataForKey}; when another instance
 * owns it the request is forwarded once to that instance's {@code application.server} (a forwarded
 * request is never forwarded again). 404 when the key is unknown, 503 while the store is not
 * queryable (rebalancing, restoring). {@code window} defaults to {@code ALL_TIME}.
 *
 * <p>Owns its HTTP server and thread; {@link #close()} stops them. The Streams client is the
 * caller's.
 */
public final class MonitorQueryServer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(MonitorQueryServer.class);
  private static final String FORWARDED = "X-Synque-Forwarded";

  private final KafkaStreams streams;
  private final HostInfo self;
  private final HttpServer server;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /**
   * Starts serving.
   *
   * @param self this instance's {@code application.server} (host and port the server listens on)
   */
  public MonitorQueryServer(KafkaStreams streams, HostInfo self) throws IOException {
    this.streams = streams;
    this.self = self;
    this.server = HttpServer.create(new InetSocketAddress(self.port()), 0);
    server.createContext("/", this::handle);
    server.start();
    LOG.info("Interactive queries on http://{}:{}/", self.host(), self.port());
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "{\"error\":\"only GET\"}");
        return;
      }
      URI uri = exchange.getRequestURI();
      String[] path = uri.getPath().split("/");
      String window = query(uri, "window", "ALL_TIME").toUpperCase(Locale.ROOT);
      try {
        WindowKind.valueOf(window);
      } catch (IllegalArgumentException e) {
        reply(exchange, 400, "{\"error\":\"window must be TUMBLING, HOPPING or ALL_TIME\"}");
        return;
      }
      boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED);
      if (path.length == 2 && path[1].equals("ranking")) {
        serve(exchange, MonitorTopology.LATEST_RANKING_STORE, window, forwarded, Kind.RANKING);
      } else if (path.length == 4 && path[1].equals("generators") && path[3].equals("scores")) {
        String generator = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        serve(
            exchange,
            MonitorTopology.LATEST_SCORES_STORE,
            window + "/" + generator,
            forwarded,
            Kind.SCORES);
      } else if (path.length == 4 && path[1].equals("generators") && path[3].equals("evidence")) {
        String generator = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        serve(
            exchange,
            MonitorTopology.LATEST_SCORES_STORE,
            window + "/" + generator,
            forwarded,
            Kind.EVIDENCE);
      } else if (path.length == 4 && path[1].equals("generators") && path[3].equals("final")) {
        // the final standing of a retired generator (docs/lifecycle.md)
        String generator = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        serve(exchange, MonitorTopology.RETIRED_STORE, generator, forwarded, Kind.RANKING);
      } else if (path.length == 4 && path[1].equals("generators") && path[3].equals("history")) {
        String generator = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        serve(exchange, MonitorTopology.SCORE_HISTORY_STORE, generator, forwarded, Kind.HISTORY);
      } else {
        reply(
            exchange,
            404,
            "{\"error\":\"try /ranking, /generators/{id}/scores, /generators/{id}/evidence,"
                + " /generators/{id}/history or /generators/{id}/final\"}");
      }
    } catch (RuntimeException e) {
      LOG.warn("Query {} failed", exchange.getRequestURI(), e);
      reply(exchange, 500, json("error", String.valueOf(e.getMessage())));
    }
  }

  private enum Kind {
    RANKING,
    SCORES,
    EVIDENCE,
    HISTORY
  }

  private void serve(HttpExchange exchange, String store, String key, boolean forwarded, Kind kind)
      throws IOException {
    KeyQueryMetadata meta = streams.queryMetadataForKey(store, key, new StringSerializer());
    if (meta == null || meta.equals(KeyQueryMetadata.NOT_AVAILABLE)) {
      reply(exchange, 503, json("error", "the store " + store + " is not available yet"));
      return;
    }
    HostInfo owner = meta.activeHost();
    if (!owner.equals(self)) {
      if (forwarded) {
        reply(exchange, 503, json("error", "ownership of " + key + " is moving; retry"));
        return;
      }
      forward(exchange, owner);
      return;
    }
    Object value;
    try {
      ReadOnlyKeyValueStore<String, Object> local =
          streams.store(
              StoreQueryParameters.fromNameAndType(
                  store, QueryableStoreTypes.<String, Object>keyValueStore()));
      value = local.get(key);
    } catch (org.apache.kafka.streams.errors.InvalidStateStoreException e) {
      reply(exchange, 503, json("error", "the store " + store + " is not queryable: " + e));
      return;
    }
    if (value == null) {
      reply(exchange, 404, json("error", "nothing known for " + key));
      return;
    }
    String body =
        switch (kind) {
          case RANKING -> MonitorJson.ranking((RankingUpdate) value).toString();
          case SCORES -> MonitorJson.scores((QualityScores) value).toString();
          case EVIDENCE -> MonitorJson.evidence((QualityScores) value).toString();
          case HISTORY -> (String) value;
        };
    reply(exchange, 200, body);
  }

  private void forward(HttpExchange exchange, HostInfo owner) throws IOException {
    URI target =
        URI.create(
            "http://"
                + owner.host()
                + ":"
                + owner.port()
                + exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + exchange.getRequestURI().getRawQuery()));
    try {
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(target)
                  .timeout(Duration.ofSeconds(10))
                  .header(FORWARDED, self.host() + ":" + self.port())
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      reply(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      reply(exchange, 503, json("error", "interrupted"));
    } catch (IOException e) {
      reply(exchange, 502, json("error", "owner " + owner + " unreachable: " + e.getMessage()));
    }
  }

  private static String query(URI uri, String name, String fallback) {
    String raw = uri.getRawQuery();
    if (raw != null) {
      for (String pair : raw.split("&")) {
        String[] kv = pair.split("=", 2);
        if (kv[0].equals(name) && kv.length == 2) {
          return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
        }
      }
    }
    return fallback;
  }

  private static String json(String field, String value) {
    return MonitorJson.MAPPER.createObjectNode().put(field, value).toString();
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
