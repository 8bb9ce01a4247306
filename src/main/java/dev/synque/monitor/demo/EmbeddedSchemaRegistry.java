package dev.synque.monitor.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaParseException;

/**
 * An in-memory schema registry on loopback HTTP that speaks the subset of the Confluent Schema
 * Registry REST API our serde uses ({@code dev.synque.monitor.serde.RestSchemaRegistryClient}):
 *
 * <ul>
 *   <li>{@code POST /subjects/{subject}/versions} registers an Avro schema (global ids from 1; the
 *       same schema under the same subject keeps its id; BACKWARD compatibility with every earlier
 *       version of the subject is enforced, 409 otherwise);
 *   <li>{@code POST /subjects/{subject}} looks a schema up (404, error code 40403, when absent);
 *   <li>{@code GET /schemas/ids/{id}} fetches a schema by id (404, 40403);
 *   <li>{@code GET /subjects} lists the subjects.
 * </ul>
 *
 * <p>For {@code synque demo} only: nothing is persisted, and there is no authentication. A real
 * deployment uses Confluent Schema Registry, Apicurio, Karapace or Redpanda (Apicurio, which the
 * integration tests run, takes a separate JVM, ~140 MB and ~15 s to start: too heavy for a demo).
 * Thread-safe.
 */
public final class EmbeddedSchemaRegistry implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final HttpServer server;
  private final List<Schema> byId = new ArrayList<>();
  private final Map<String, List<Schema>> bySubject = new HashMap<>();

  private EmbeddedSchemaRegistry(HttpServer server) {
    this.server = server;
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts on a loopback port ({@code 0}: any free port). */
  public static EmbeddedSchemaRegistry start(int port) throws IOException {
    return new EmbeddedSchemaRegistry(
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0));
  }

  /** The base URL for {@code schema.registry.url}. */
  public String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String[] path = exchange.getRequestURI().getRawPath().replaceAll("/+$", "").split("/");
      if ("GET".equals(method) && path.length == 4 && path[1].equals("schemas")) {
        int id;
        try {
          id = Integer.parseInt(path[3]);
        } catch (NumberFormatException e) {
          error(exchange, 404, 40403, "Schema " + path[3] + " not found");
          return;
        }
        Schema schema = schema(id);
        if (schema == null) {
          error(exchange, 404, 40403, "Schema " + id + " not found");
          return;
        }
        ObjectNode answer = JSON.createObjectNode().put("schema", schema.toString());
        reply(exchange, 200, answer);
      } else if ("GET".equals(method) && path.length == 2 && path[1].equals("subjects")) {
        reply(exchange, 200, JSON.valueToTree(subjects()));
      } else if ("POST".equals(method) && path.length >= 3 && path[1].equals("subjects")) {
        String subject = URLDecoder.decode(path[2], StandardCharsets.UTF_8);
        Schema schema;
        try {
          JsonNode body = JSON.readTree(exchange.getRequestBody());
          String type = body.path("schemaType").asText("AVRO");
          if (!"AVRO".equalsIgnoreCase(type)) {
            error(exchange, 422, 42201, "only AVRO schemas are supported, not " + type);
            return;
          }
          schema = new Schema.Parser().parse(body.path("schema").asText());
        } catch (IOException | SchemaParseException e) {
          error(exchange, 422, 42201, "Invalid schema: " + e.getMessage());
          return;
        }
        if (path.length == 4 && path[3].equals("versions")) {
          register(exchange, subject, schema);
        } else if (path.length == 3) {
          lookup(exchange, subject, schema);
        } else {
          error(exchange, 404, 404, "HTTP 404 Not Found");
        }
      } else {
        error(exchange, 404, 404, "HTTP 404 Not Found");
      }
    }
  }

  private void register(HttpExchange exchange, String subject, Schema schema) throws IOException {
    int id;
    synchronized (this) {
      List<Schema> versions = bySubject.computeIfAbsent(subject, s -> new ArrayList<>());
      int known = versions.indexOf(schema);
      if (known >= 0) {
        id = byId.indexOf(schema) + 1;
      } else {
        for (Schema earlier : versions) {
          if (SchemaCompatibility.checkReaderWriterCompatibility(schema, earlier).getType()
              != SchemaCompatibility.SchemaCompatibilityType.COMPATIBLE) {
            error(
                exchange,
                409,
                409,
                "Schema being registered is incompatible with an earlier schema for subject '"
                    + subject
                    + "'");
            return;
          }
        }
        int existing = byId.indexOf(schema);
        if (existing < 0) {
          byId.add(schema);
          id = byId.size();
        } else {
          id = existing + 1;
        }
        versions.add(schema);
      }
    }
    reply(exchange, 200, JSON.createObjectNode().put("id", id));
  }

  private void lookup(HttpExchange exchange, String subject, Schema schema) throws IOException {
    int id;
    int version;
    synchronized (this) {
      List<Schema> versions = bySubject.getOrDefault(subject, List.of());
      version = versions.indexOf(schema) + 1;
      id = byId.indexOf(schema) + 1;
    }
    if (version == 0) {
      error(exchange, 404, 40403, "Schema not found under subject '" + subject + "'");
      return;
    }
    reply(
        exchange,
        200,
        JSON.createObjectNode()
            .put("subject", subject)
            .put("version", version)
            .put("id", id)
            .put("schema", schema.toString()));
  }

  private synchronized Schema schema(int id) {
    return id >= 1 && id <= byId.size() ? byId.get(id - 1) : null;
  }

  private synchronized List<String> subjects() {
    return bySubject.keySet().stream().sorted().toList();
  }

  private static void error(HttpExchange exchange, int status, int code, String message)
      throws IOException {
    reply(
        exchange, status, JSON.createObjectNode().put("error_code", code).put("message", message));
  }

  private static void reply(HttpExchange exchange, int status, JsonNode body) throws IOException {
    byte[] bytes = JSON.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
