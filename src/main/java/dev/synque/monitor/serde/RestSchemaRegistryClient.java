package dev.synque.monitor.serde;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.avro.Schema;
import org.apache.avro.SchemaParseException;
import org.apache.kafka.common.config.ConfigException;

/**
 * A {@link SchemaRegistryClient} over the Confluent Schema Registry REST API, using the JDK's HTTP
 * client. Works with Confluent Schema Registry, Apicurio Registry ({@code /apis/ccompat/v7}),
 * Karapace and Redpanda. Thread-safe; ids and schemas are cached, since the registry never changes
 * them once assigned.
 */
public final class RestSchemaRegistryClient implements SchemaRegistryClient {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final String ACCEPT =
      "application/vnd.schemaregistry.v1+json, application/vnd.schemaregistry+json; qs=0.9,"
          + " application/json; qs=0.5";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistrySettings settings;
  private final HttpClient http;
  private final String authorization;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<SubjectSchema, Integer> idsBySubjectSchema = new ConcurrentHashMap<>();

  /** A client for the given settings; builds its HTTP client (and TLS context) once. */
  public RestSchemaRegistryClient(SchemaRegistrySettings settings) {
    this.settings = settings;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .connectTimeout(settings.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL);
    if (settings.tls() != null) {
      builder.sslContext(sslContext(settings.tls()));
    }
    this.http = builder.build();
    this.authorization =
        settings.basicAuthUserInfo() == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString(settings.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public int register(String subject, Schema schema) {
    return idOf(subject, schema, "/versions", "register a schema under subject '");
  }

  @Override
  public int lookup(String subject, Schema schema) {
    return idOf(subject, schema, "", "look up a schema under subject '");
  }

  /** Registration and lookup differ only in the path and the words used in errors. */
  private int idOf(String subject, Schema schema, String pathSuffix, String action) {
    SubjectSchema key = new SubjectSchema(subject, schema);
    Integer cached = idsBySubjectSchema.get(key);
    if (cached != null) {
      return cached;
    }
    String what = action + subject + "'";
    JsonNode answer = post("/subjects/" + encode(subject) + pathSuffix, schemaBody(schema), what);
    int id = requiredInt(answer, "id", what);
    remember(key, id, schema);
    return id;
  }

  @Override
  public Schema schemaById(int id) {
    Schema cached = schemasById.get(id);
    if (cached != null) {
      return cached;
    }
    String what = "fetch schema id " + id;
    JsonNode answer = get("/schemas/ids/" + id, what);
    JsonNode type = answer.get("schemaType");
    if (type != null && !type.isNull() && !"AVRO".equalsIgnoreCase(type.asText())) {
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.INVALID_SCHEMA,
          200,
          -1,
          "Schema id " + id + " at " + describe() + " is a " + type.asText() + " schema, not Avro",
          null);
    }
    JsonNode text = answer.get("schema");
    if (text == null || !text.isTextual()) {
      throw malformed(what, "no 'schema' string in the answer");
    }
    Schema schema;
    try {
      schema = new Schema.Parser().parse(text.asText());
    } catch (SchemaParseException e) {
      throw new SchemaRegistryException(
          SchemaRegistryException.Kind.INVALID_SCHEMA,
          200,
          -1,
          "Schema id " + id + " at " + describe() + " is not valid Avro: " + e.getMessage(),
          e);
    }
    if (schemasById.size() >= settings.cacheCapacity()) {
      schemasById.clear();
    }
    schemasById.put(id, schema);
    return schema;
  }

  @Override
  public String describe() {
    return settings.urls().size() == 1
        ? settings.urls().get(0).toString()
        : settings.urls().toString();
  }

  private void remember(SubjectSchema key, int id, Schema schema) {
    if (idsBySubjectSchema.size() >= settings.cacheCapacity()) {
      idsBySubjectSchema.clear();
    }
    idsBySubjectSchema.put(key, id);
    if (schemasById.size() < settings.cacheCapacity()) {
      schemasById.putIfAbsent(id, schema);
    }
  }

  private JsonNode get(String path, String what) {
    return send(path, null, what);
  }

  private JsonNode post(String path, String jsonBody, String what) {
    return send(path, jsonBody, what);
  }

  /** Sends the request to each registry URL in turn until one answers. */
  private JsonNode send(String path, String jsonBody, String what) {
    IOException lastFailure = null;
    URI lastUrl = null;
    for (URI base : settings.urls()) {
      HttpResponse<String> response;
      try {
        response =
            http.send(
                request(base, path, jsonBody),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      } catch (IOException e) {
        // Connection refused, timeout, TLS failure: try the next URL before giving up.
        lastFailure = e;
        lastUrl = base;
        continue;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException(
            SchemaRegistryException.Kind.UNREACHABLE,
            -1,
            -1,
            "Interrupted while trying to " + what + " at " + base,
            e);
      }
      return parse(response, what, base);
    }
    throw new SchemaRegistryException(
        SchemaRegistryException.Kind.UNREACHABLE,
        -1,
        -1,
        "Schema registry unreachable at "
            + describe()
            + " (tried to "
            + what
            + "; last error from "
            + lastUrl
            + ": "
            + describeFailure(lastFailure)
            + ")",
        lastFailure);
  }

  private HttpRequest request(URI base, String path, String jsonBody) {
    String root = base.toString().replaceAll("/+$", "");
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(root + path))
            .timeout(settings.requestTimeout())
            .header("Accept", ACCEPT);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    if (jsonBody == null) {
      return builder.GET().build();
    }
    return builder
        .header("Content-Type", CONTENT_TYPE)
        .POST(HttpRequest.BodyPublishers.ofString(jsonBody, StandardCharsets.UTF_8))
        .build();
  }

  private JsonNode parse(HttpResponse<String> response, String what, URI base) {
    int status = response.statusCode();
    JsonNode body;
    try {
      body =
          response.body() == null || response.body().isBlank()
              ? null
              : JSON.readTree(response.body());
    } catch (IOException e) {
      body = null;
    }
    if (status >= 200 && status < 300) {
      if (body == null) {
        throw malformed(what, "HTTP " + status + " with a body that is not JSON");
      }
      return body;
    }
    int errorCode = body != null && body.has("error_code") ? body.get("error_code").asInt(-1) : -1;
    String registryMessage =
        body != null && body.has("message")
            ? body.get("message").asText()
            : abbreviate(response.body());
    SchemaRegistryException.Kind kind =
        switch (status) {
          case 401, 403 -> SchemaRegistryException.Kind.UNAUTHORIZED;
          case 404 -> SchemaRegistryException.Kind.NOT_FOUND;
          case 409 -> SchemaRegistryException.Kind.INCOMPATIBLE;
          case 422 ->
              errorCode == 42201
                  ? SchemaRegistryException.Kind.INVALID_SCHEMA
                  : SchemaRegistryException.Kind.REGISTRY_ERROR;
          default -> SchemaRegistryException.Kind.REGISTRY_ERROR;
        };
    String summary =
        switch (kind) {
          case NOT_FOUND -> "not found";
          case INCOMPATIBLE ->
              "the schema is incompatible with the subject's earlier versions under its"
                  + " compatibility rule";
          case INVALID_SCHEMA -> "the registry considers the schema invalid";
          case UNAUTHORIZED ->
              "the credentials were refused (check "
                  + SchemaRegistrySettings.BASIC_AUTH_USER_INFO
                  + ")";
          default -> "the registry answered with an error";
        };
    throw new SchemaRegistryException(
        kind,
        status,
        errorCode,
        "Schema registry at "
            + base
            + " refused to "
            + what
            + ": "
            + summary
            + " (HTTP "
            + status
            + (errorCode >= 0 ? ", error " + errorCode : "")
            + ": "
            + registryMessage
            + ")",
        null);
  }

  private SchemaRegistryException malformed(String what, String detail) {
    return new SchemaRegistryException(
        SchemaRegistryException.Kind.REGISTRY_ERROR,
        200,
        -1,
        "Schema registry at "
            + describe()
            + " gave an unreadable answer to "
            + what
            + ": "
            + detail,
        null);
  }

  private int requiredInt(JsonNode answer, String field, String what) {
    JsonNode value = answer.get(field);
    if (value == null || !value.canConvertToInt()) {
      throw malformed(what, "no integer '" + field + "' in " + abbreviate(answer.toString()));
    }
    return value.asInt();
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private static String describeFailure(Throwable failure) {
    if (failure == null) {
      return "no URL configured";
    }
    String message = failure.getMessage();
    Throwable cause = failure.getCause();
    if ((message == null || message.isBlank()) && cause != null) {
      message = cause.getMessage();
    }
    return failure.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static String abbreviate(String text) {
    if (text == null) {
      return "(empty body)";
    }
    return text.length() <= 300 ? text : text.substring(0, 300) + "...";
  }

  private static SSLContext sslContext(SchemaRegistrySettings.TlsSettings tls) {
    try {
      TrustManagerFactory trust = null;
      if (tls.truststore() != null) {
        trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(tls.truststore(), tls.truststoreType(), tls.truststorePassword()));
      }
      KeyManagerFactory keys = null;
      if (tls.keystore() != null) {
        keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(
            load(tls.keystore(), tls.keystoreType(), tls.keystorePassword()), tls.keyPassword());
      }
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          keys == null ? null : keys.getKeyManagers(),
          trust == null ? null : trust.getTrustManagers(),
          null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException(
          "Cannot set up TLS for the schema registry (truststore "
              + tls.truststore()
              + ", keystore "
              + tls.keystore()
              + "): "
              + e.getMessage());
    }
  }

  private static KeyStore load(java.nio.file.Path file, String type, char[] password)
      throws GeneralSecurityException, IOException {
    KeyStore store = KeyStore.getInstance(type);
    try (InputStream in = Files.newInputStream(file)) {
      store.load(in, password);
    }
    return store;
  }

  private record SubjectSchema(String subject, Schema schema) {}
}
