package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.avro.SyntheticSample;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Base64;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestSchemaRegistryClientTest {

  private static final Schema SCHEMA = SyntheticSample.getClassSchema();
  private static final ObjectMapper JSON = new ObjectMapper();

  private FakeRegistryServer server;

  @BeforeEach
  void start() throws IOException {
    server = FakeRegistryServer.http();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static RestSchemaRegistryClient client(Map<String, Object> config) {
    return new RestSchemaRegistryClient(SchemaRegistrySettings.fromConfig(config));
  }

  private RestSchemaRegistryClient client() {
    return client(Map.of(SchemaRegistrySettings.URL, server.url()));
  }

  private static String schemaAnswer(Schema schema) {
    return JSON.createObjectNode().put("schema", schema.toString()).toString();
  }

  @Test
  void shouldRegisterThroughTheConfluentRestApiAndCacheTheId() throws IOException {
    server.answer("POST", "/subjects/samples-value/versions", 200, "{\"id\":17}");
    RestSchemaRegistryClient client = client();

    int first = client.register("samples-value", SCHEMA);
    int second = client.register("samples-value", SCHEMA);

    assertThat(first).isEqualTo(17);
    assertThat(second).isEqualTo(17);
    assertThat(server.received()).hasSize(1);
    FakeRegistryServer.Received request = server.received().get(0);
    assertThat(request.contentType()).isEqualTo("application/vnd.schemaregistry.v1+json");
    assertThat(new Schema.Parser().parse(JSON.readTree(request.body()).get("schema").asText()))
        .isEqualTo(SCHEMA);
  }

  @Test
  void shouldEscapeSubjectsInThePath() {
    server.answer("POST", "/subjects/my%20topic%2Fv1-value/versions", 200, "{\"id\":3}");

    assertThat(client().register("my topic/v1-value", SCHEMA)).isEqualTo(3);
  }

  @Test
  void shouldLookUpWithoutRegisteringWhenAsked() {
    server.answer(
        "POST",
        "/subjects/samples-value",
        200,
        "{\"subject\":\"samples-value\",\"id\":5,\"version\":1}");

    assertThat(client().lookup("samples-value", SCHEMA)).isEqualTo(5);
    assertThat(server.received().get(0).path()).isEqualTo("/subjects/samples-value");
  }

  @Test
  void shouldFetchSchemasByIdOnce() {
    server.answer("GET", "/schemas/ids/7", 200, schemaAnswer(SCHEMA));
    RestSchemaRegistryClient client = client();

    assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
    assertThat(client.schemaById(7)).isEqualTo(SCHEMA);
    assertThat(server.received()).hasSize(1);
  }

  @Test
  void shouldReportAnUnknownIdAsNotFoundWithTheRegistrysMessage() {
    server.answer(
        "GET", "/schemas/ids/99", 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");

    assertThatThrownBy(() -> client().schemaById(99))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.NOT_FOUND);
              assertThat(e.httpStatus()).isEqualTo(404);
              assertThat(e.errorCode()).isEqualTo(40403);
            })
        .hasMessageContaining(server.url())
        .hasMessageContaining("schema id 99")
        .hasMessageContaining("Schema not found");
  }

  @Test
  void shouldReportAConflictAsIncompatible() {
    server.answer(
        "POST",
        "/subjects/samples-value/versions",
        409,
        "{\"error_code\":409,\"message\":\"Schema being registered is incompatible\"}");

    assertThatThrownBy(() -> client().register("samples-value", SCHEMA))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.INCOMPATIBLE))
        .hasMessageContaining("subject 'samples-value'")
        .hasMessageContaining("incompatible");
  }

  @Test
  void shouldReportRejectedCredentialsAsUnauthorized() {
    server.answer(
        "GET", "/schemas/ids/1", 401, "{\"error_code\":401,\"message\":\"Unauthorized\"}");

    assertThatThrownBy(() -> client().schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNAUTHORIZED));
  }

  @Test
  void shouldReportANonJsonServerErrorWithItsBody() {
    server.answer("GET", "/schemas/ids/1", 503, "upstream overloaded");

    assertThatThrownBy(() -> client().schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.REGISTRY_ERROR))
        .hasMessageContaining("HTTP 503")
        .hasMessageContaining("upstream overloaded");
  }

  @Test
  void shouldSendBasicAuthCredentials() {
    server.answer("GET", "/schemas/ids/7", 200, schemaAnswer(SCHEMA));

    client(
            Map.of(
                SchemaRegistrySettings.URL, server.url(),
                SchemaRegistrySettings.BASIC_AUTH_SOURCE, "USER_INFO",
                SchemaRegistrySettings.BASIC_AUTH_USER_INFO, "alice:s3cret"))
        .schemaById(7);

    assertThat(server.received().get(0).authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder()
                    .encodeToString("alice:s3cret".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldTakeBasicAuthFromTheUrlWhenTheSourceIsUrl() {
    server.answer("GET", "/schemas/ids/7", 200, schemaAnswer(SCHEMA));
    String url = server.url().replace("http://", "http://bob:pw@");

    client(Map.of(SchemaRegistrySettings.URL, url, SchemaRegistrySettings.BASIC_AUTH_SOURCE, "URL"))
        .schemaById(7);

    assertThat(server.received().get(0).authorization())
        .isEqualTo(
            "Basic "
                + Base64.getEncoder().encodeToString("bob:pw".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void shouldNameTheUrlWhenTheRegistryIsUnreachable() throws IOException {
    String deadUrl = "http://127.0.0.1:" + freePort();

    assertThatThrownBy(() -> client(Map.of(SchemaRegistrySettings.URL, deadUrl)).schemaById(1))
        .isInstanceOfSatisfying(
            SchemaRegistryException.class,
            e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE))
        .hasMessageContaining("unreachable")
        .hasMessageContaining(deadUrl)
        .hasMessageContaining("ConnectException");
  }

  @Test
  void shouldFailOverToTheNextUrlWhenOneIsDown() throws IOException {
    server.answer("GET", "/schemas/ids/7", 200, schemaAnswer(SCHEMA));
    String urls = "http://127.0.0.1:" + freePort() + "," + server.url();

    assertThat(client(Map.of(SchemaRegistrySettings.URL, urls)).schemaById(7)).isEqualTo(SCHEMA);
  }

  @Test
  void shouldTalkToAnHttpsRegistryWithTheConfiguredTruststore(@TempDir Path dir) throws Exception {
    Path keystore = dir.resolve("registry.p12");
    Path truststore = dir.resolve("trust.p12");
    keytool(
        "-genkeypair",
        "-alias",
        "registry",
        "-keyalg",
        "EC",
        "-groupname",
        "secp256r1",
        "-dname",
        "CN=localhost",
        "-ext",
        "SAN=ip:127.0.0.1,dns:localhost",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit");
    Path cert = dir.resolve("registry.crt");
    keytool(
        "-exportcert",
        "-alias",
        "registry",
        "-keystore",
        keystore.toString(),
        "-storepass",
        "changeit",
        "-rfc",
        "-file",
        cert.toString());
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        "registry-ca",
        "-file",
        cert.toString(),
        "-storetype",
        "PKCS12",
        "-keystore",
        truststore.toString(),
        "-storepass",
        "trustpw");
    try (FakeRegistryServer https = FakeRegistryServer.https(serverContext(keystore))) {
      https.answer("GET", "/schemas/ids/7", 200, schemaAnswer(SCHEMA));

      Schema fetched =
          client(
                  Map.of(
                      SchemaRegistrySettings.URL, https.url("https"),
                      SchemaRegistrySettings.TRUSTSTORE_LOCATION, truststore.toString(),
                      SchemaRegistrySettings.TRUSTSTORE_PASSWORD, "trustpw"))
              .schemaById(7);

      assertThat(fetched).isEqualTo(SCHEMA);
      assertThatThrownBy(
              () -> client(Map.of(SchemaRegistrySettings.URL, https.url("https"))).schemaById(7))
          .as("without the truststore the self-signed registry is not trusted")
          .isInstanceOfSatisfying(
              SchemaRegistryException.class,
              e -> assertThat(e.kind()).isEqualTo(SchemaRegistryException.Kind.UNREACHABLE))
          .hasMessageContaining("SSLHandshakeException");
    }
  }

  private static SSLContext serverContext(Path keystore) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, "changeit".toCharArray());
    }
    KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keys.init(store, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keys.getKeyManagers(), null, null);
    return context;
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    java.util.List<String> command = new java.util.ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(java.util.List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor()).as("keytool %s: %s", args[0], output).isZero();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
