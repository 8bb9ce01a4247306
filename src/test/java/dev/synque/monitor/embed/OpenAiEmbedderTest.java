package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** The embeddings client against a loopback server that wraps the local MiniLM. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpenAiEmbedderTest {

  private DjlEmbedder local;
  private FakeEmbeddingServer server;
  private List<String> texts;

  @BeforeAll
  void loadModel() {
    local = DjlEmbedder.open(EmbedderSettings.defaults().withThreads(2));
    texts = new ArrayList<>(EmbeddingReferenceTest.SENTENCES);
    texts.add("word ".repeat(300));
    texts.add(String.join(" ", EmbeddingReferenceTest.SENTENCES).repeat(3));
  }

  @AfterAll
  void closeModel() {
    local.close();
  }

  @BeforeEach
  void startServer() {
    server = FakeEmbeddingServer.start(local);
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  /** Short backoffs, so retry tests take milliseconds. */
  private RemoteEmbedderSettings settings() {
    return RemoteEmbedderSettings.of(URI.create(server.baseUrl()), "all-MiniLM-L6-v2")
        .withRetries(3, Duration.ofMillis(10), Duration.ofSeconds(2))
        .withBatching(5, 3);
  }

  @Test
  void shouldGiveTheLocalModelsVectorsBitForBitWithTheSameTruncation() {
    EmbeddingBatch expected = local.embed(texts);
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings().withTokenizer("minilm", 0))) {
      EmbeddingBatch batch = remote.embed(texts);

      assertThat(remote.model())
          .isEqualTo(new ModelInfo("all-MiniLM-L6-v2", 384, 256, Pooling.SERVER));
      assertThat(batch.modelId()).isEqualTo("all-MiniLM-L6-v2");
      for (int i = 0; i < texts.size(); i++) {
        EmbeddingOutcome.Embedded want = (EmbeddingOutcome.Embedded) expected.outcomes().get(i);
        EmbeddingOutcome.Embedded got = (EmbeddingOutcome.Embedded) batch.outcomes().get(i);
        assertThat(got.vector()).as("text %d", i).isEqualTo(want.vector());
        assertThat(got.truncated()).as("text %d", i).isEqualTo(want.truncated());
        assertThat(got.tokens()).as("text %d", i).isEqualTo(want.tokens());
      }
      assertThat(remote.truncatedCount()).isEqualTo(expected.truncatedCount()).isEqualTo(2);
      // 14 texts in requests of at most 5, after the one-text dimension probe
      assertThat(server.requests()).hasSize(4);
      assertThat(server.requests().get(1).path("input").size()).isLessThanOrEqualTo(5);
      assertThat(server.requests().get(1).path("model").asText()).isEqualTo("all-MiniLM-L6-v2");
    }
  }

  @Test
  void shouldLeaveTruncationToTheServerWithoutATokenizer() {
    EmbeddingBatch expected = local.embed(texts);
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      EmbeddingBatch batch = remote.embed(texts);

      for (int i = 0; i < texts.size(); i++) {
        assertThat(batch.vector(i)).as("text %d", i).isEqualTo(expected.vector(i));
      }
      assertThat(remote.model().maxTokens()).isEqualTo(Integer.MAX_VALUE);
      assertThat(remote.truncatedCount()).isZero();
      // the long texts went whole
      String longest = "word ".repeat(300);
      assertThat(server.requests())
          .anySatisfy(r -> assertThat(r.path("input")).anyMatch(t -> t.asText().equals(longest)));
    }
  }

  @Test
  void shouldRejectBadTextsWithoutSendingThem() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings().withTokenizer("minilm", 0))) {
      EmbeddingBatch batch =
          remote.embed(Arrays.asList("fine", null, " ", "bad \uD800", "\u0000\u0001"));

      assertThat(batch.outcomes().get(0)).isInstanceOf(EmbeddingOutcome.Embedded.class);
      assertThat(((EmbeddingOutcome.Rejected) batch.outcomes().get(1)).reason())
          .isEqualTo(RejectReason.MISSING_TEXT);
      assertThat(((EmbeddingOutcome.Rejected) batch.outcomes().get(2)).reason())
          .isEqualTo(RejectReason.EMPTY_TEXT);
      assertThat(((EmbeddingOutcome.Rejected) batch.outcomes().get(3)).reason())
          .isEqualTo(RejectReason.INVALID_UNICODE);
      assertThat(((EmbeddingOutcome.Rejected) batch.outcomes().get(4)).reason())
          .isEqualTo(RejectReason.NO_TOKENS);
      assertThat(remote.rejectedCount()).isEqualTo(4);
      assertThat(server.requests().get(1).path("input").size()).isEqualTo(1);
    }
  }

  @Test
  void shouldRetryA500ThenSucceed() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      server.enqueue(500, Map.of(), "{\"error\":{\"message\":\"model overloaded\"}}", 0);
      server.enqueue(503, Map.of(), "busy", 0);

      EmbeddingBatch batch = remote.embed(List.of("Stocks rallied"));

      assertThat(batch.vector(0)).isEqualTo(local.embed(List.of("Stocks rallied")).vector(0));
      assertThat(remote.requests()).isEqualTo(4); // probe, 500, 503, 200
    }
  }

  @Test
  void shouldGiveUpAfterTheRetriesNamingTheStatusAndTheServersMessage() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      for (int i = 0; i < 4; i++) {
        server.enqueue(502, Map.of(), "{\"error\":{\"message\":\"upstream gone\"}}", 0);
      }

      assertThatThrownBy(() -> remote.embed(List.of("Stocks rallied")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining(server.baseUrl() + "/embeddings")
          .hasMessageContaining("HTTP 502")
          .hasMessageContaining("upstream gone")
          .hasMessageContaining("after 3 retries");
      assertThat(remote.requests()).isEqualTo(5);
    }
  }

  @Test
  void shouldRetryAtOnceWhenRetryAfterIsNegativeOrNotANumber() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      server.enqueue(429, Map.of("Retry-After", "-5"), "{\"error\":\"slow down\"}", 0);
      server.enqueue(503, Map.of("Retry-After", "NaN"), "{\"error\":\"busy\"}", 0);

      EmbeddingBatch batch = remote.embed(List.of("Stocks rallied"));

      assertThat(batch.vector(0)).isEqualTo(local.embed(List.of("Stocks rallied")).vector(0));
      assertThat(remote.requests()).isEqualTo(4);
    }
  }

  @Test
  void shouldRetryA429AfterTheServersRetryAfter() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      server.enqueue(429, Map.of("Retry-After", "1"), "{\"error\":\"slow down\"}", 0);

      long started = System.nanoTime();
      EmbeddingBatch batch = remote.embed(List.of("Stocks rallied"));
      long waitedMillis = (System.nanoTime() - started) / 1_000_000;

      assertThat(batch.vector(0)).isEqualTo(local.embed(List.of("Stocks rallied")).vector(0));
      // the 10 ms backoff alone would retry at once; the header asked for a second
      assertThat(waitedMillis).isGreaterThanOrEqualTo(950);
      assertThat(remote.requests()).isEqualTo(3);
    }
  }

  @Test
  void shouldNotRetryAClientError() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings())) {
      server.enqueue(400, Map.of(), "{\"error\":{\"message\":\"unknown model\"}}", 0);

      assertThatThrownBy(() -> remote.embed(List.of("Stocks rallied")))
          .hasMessageContaining("HTTP 400")
          .hasMessageContaining("unknown model");
      assertThat(remote.requests()).isEqualTo(2);
    }
  }

  @Test
  void shouldRetryARequestThatTimesOut() {
    try (OpenAiEmbedder remote =
        OpenAiEmbedder.open(settings().withRequestTimeout(Duration.ofMillis(500)))) {
      server.enqueueDelay(3_000);

      EmbeddingBatch batch = remote.embed(List.of("Stocks rallied"));

      assertThat(batch.vector(0)).isEqualTo(local.embed(List.of("Stocks rallied")).vector(0));
      assertThat(remote.requests()).isEqualTo(3);
    }
  }

  @Test
  void shouldFailWithTheTimeoutWhenEveryTryTimesOut() {
    try (OpenAiEmbedder remote =
        OpenAiEmbedder.open(
            settings()
                .withRequestTimeout(Duration.ofMillis(300))
                .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10)))) {
      server.delayEveryAnswer(2_000);

      assertThatThrownBy(() -> remote.embed(List.of("Stocks rallied")))
          .hasMessageContaining("did not answer within 300 ms")
          .hasMessageContaining("after 1 retries");
    }
  }

  @Test
  void shouldRefuseAServerOfAnotherDimensionAtStart() {
    assertThatThrownBy(() -> OpenAiEmbedder.open(settings().withDimension(768)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RemoteEmbedderSettings.DIMENSION)
        .hasMessageContaining("768")
        .hasMessageContaining("384-dimensional");
  }

  @Test
  void shouldFailACallWhoseVectorsChangeDimension() {
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings().withDimension(384))) {
      server.cutVectorsTo(100);

      assertThatThrownBy(() -> remote.embed(List.of("Stocks rallied")))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("100-dimensional")
          .hasMessageContaining("384 dimensions");
    }
  }

  @Test
  void shouldNameAServerThatIsNotThere() {
    RemoteEmbedderSettings nowhere =
        RemoteEmbedderSettings.of(URI.create("http://127.0.0.1:9/v1"), "m")
            .withRetries(1, Duration.ofMillis(10), Duration.ofMillis(10));

    assertThatThrownBy(() -> OpenAiEmbedder.open(nowhere))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("http://127.0.0.1:9/v1/embeddings")
        .hasMessageContaining("unreachable");
  }

  @Test
  void shouldKeepAtMostMaxConcurrencyRequestsInFlight() throws Exception {
    server.delayEveryAnswer(50);
    List<String> many = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      many.add("headline number " + i);
    }
    EmbeddingBatch expected = local.embed(many);
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(settings().withBatching(2, 3))) {
      ExecutorService callers = Executors.newFixedThreadPool(4);
      try {
        List<Future<EmbeddingBatch>> futures = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
          futures.add(callers.submit(() -> remote.embed(many)));
        }
        for (Future<EmbeddingBatch> future : futures) {
          EmbeddingBatch batch = future.get();
          for (int i = 0; i < many.size(); i++) {
            assertThat(batch.vector(i)).isEqualTo(expected.vector(i));
          }
        }
      } finally {
        callers.shutdownNow();
      }
      assertThat(server.maxInFlight()).isBetween(2, 3);
    }
  }

  @Test
  void shouldSendTheApiKeyAsABearerToken() {
    RemoteEmbedderSettings withKey =
        RemoteEmbedderSettings.fromConfig(
                Map.of(
                    RemoteEmbedderSettings.URL,
                    server.baseUrl(),
                    EmbedderSettings.MODEL,
                    "m",
                    RemoteEmbedderSettings.API_KEY_ENV,
                    "MY_KEY"),
                name -> name.equals("MY_KEY") ? "sk-test" : null)
            .orElseThrow();
    try (OpenAiEmbedder remote = OpenAiEmbedder.open(withKey)) {
      assertThat(server.authorizations()).containsExactly("Bearer sk-test");
      assertThat(withKey.toString()).doesNotContain("sk-test");
    }
  }

  @Test
  void shouldValidateSettingsNamingTheKey() {
    assertThat(RemoteEmbedderSettings.fromConfig(Map.of(EmbedderSettings.MODEL, "m"))).isEmpty();
    assertThatThrownBy(
            () -> RemoteEmbedderSettings.fromConfig(Map.of(RemoteEmbedderSettings.URL, "ftp://x")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(RemoteEmbedderSettings.URL)
        .hasMessageContaining("ftp://x");
    assertThatThrownBy(
            () ->
                RemoteEmbedderSettings.fromConfig(
                    Map.of(RemoteEmbedderSettings.URL, "http://localhost:8080/v1")))
        .hasMessageContaining(EmbedderSettings.MODEL);
    assertThatThrownBy(
            () ->
                RemoteEmbedderSettings.fromConfig(
                    Map.of(
                        RemoteEmbedderSettings.URL,
                        "http://localhost:8080/v1",
                        EmbedderSettings.MODEL,
                        "m",
                        RemoteEmbedderSettings.MAX_CONCURRENCY,
                        "0")))
        .hasMessageContaining(RemoteEmbedderSettings.MAX_CONCURRENCY);
    assertThatThrownBy(
            () ->
                RemoteEmbedderSettings.fromConfig(
                    Map.of(
                        RemoteEmbedderSettings.URL,
                        "http://localhost:8080/v1",
                        EmbedderSettings.MODEL,
                        "m",
                        EmbedderSettings.MAX_LENGTH,
                        "128")))
        .hasMessageContaining(RemoteEmbedderSettings.TOKENIZER);
  }
}
