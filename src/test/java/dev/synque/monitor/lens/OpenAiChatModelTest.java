package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.chat.ChatCompletion;
import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpenAiChatModelTest {

  private final FakeChatServer server = FakeChatServer.start();
  private static final String OK_BODY =
      "{\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"hello\"}}]}";
  private static final List<ChatMessage> HI = List.of(ChatMessage.user("hi"));

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldPostModelMessagesAndBearerKeyAndRecordUsage() {
    OpenAiChatModel model =
        new OpenAiChatModel(TestSettings.of(server.baseUrl(), LlmSettings.API_KEY_ENV, "TEST_KEY"));

    ChatCompletion c =
        model.complete(
            "judge-model",
            LensPrompts.judge(
                List.of("short"), List.of("B mentions robots more often"), "a robot", "B"));

    assertThat(c.content()).isEqualTo("{\"judgement\": \"very likely\"}");
    assertThat(c.promptTokens()).isEqualTo(10);
    assertThat(c.completionTokens()).isEqualTo(2);
    assertThat(model.promptTokens()).isEqualTo(10);
    assertThat(server.requests().get(0).path("model").asText()).isEqualTo("judge-model");
    assertThat(server.requests().get(0).path("messages").size()).isEqualTo(2);
    assertThat(server.authorizations()).containsExactly("Bearer sk-secret");
  }

  @Test
  void shouldRetryA429HonouringRetryAfter() {
    server.enqueue(429, Map.of("Retry-After", "1"), "{\"error\":{\"message\":\"slow down\"}}", 0);
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(server.baseUrl()));

    long started = System.nanoTime();
    ChatCompletion c = model.complete("m", HI);

    assertThat(c.content()).isEqualTo("unknown prompt");
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(950);
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void shouldRetryAtOnceWhenRetryAfterIsNegativeOrNotANumber() {
    server.enqueue(429, Map.of("Retry-After", "-5"), "{\"error\":{\"message\":\"x\"}}", 0);
    server.enqueue(503, Map.of("Retry-After", "NaN"), "{\"error\":{\"message\":\"y\"}}", 0);
    server.enqueue(200, Map.of(), OK_BODY, 0);
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(server.baseUrl()));

    assertThat(model.complete("m", HI).content()).isEqualTo("hello");
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void shouldRetryServerErrorsWithBackoffThenSucceed() {
    server.enqueue(500, Map.of(), "boom", 0);
    server.enqueue(503, Map.of(), "busy", 0);
    server.enqueue(200, Map.of(), OK_BODY, 0);
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(server.baseUrl()));

    assertThat(model.complete("m", HI).content()).isEqualTo("hello");
    assertThat(model.requests()).isEqualTo(3);
  }

  @Test
  void shouldGiveUpAfterTheRetriesWithTheStatusAndTheServersMessage() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(502, Map.of(), "{\"error\":{\"message\":\"upstream gone\"}}", 0);
    }
    OpenAiChatModel model =
        new OpenAiChatModel(TestSettings.of(server.baseUrl(), LlmSettings.MAX_RETRIES, 2));

    assertThatThrownBy(() -> model.complete("m", HI))
        .isInstanceOfSatisfying(
            LlmException.class,
            e -> {
              assertThat(e.kind()).isEqualTo(LlmException.Kind.HTTP_STATUS);
              assertThat(e.status()).isEqualTo(502);
            })
        .hasMessageContaining("HTTP 502")
        .hasMessageContaining("upstream gone")
        .hasMessageContaining(server.baseUrl());
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void shouldNotRetryAClientError() {
    server.enqueue(404, Map.of(), "{\"error\":{\"message\":\"model 'x' not found\"}}", 0);
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(server.baseUrl()));

    assertThatThrownBy(() -> model.complete("x", HI))
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("model 'x' not found");
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void shouldTimeOutWhenTheServerStalls() {
    server.enqueue(200, Map.of(), OK_BODY, 3000);
    OpenAiChatModel model =
        new OpenAiChatModel(
            TestSettings.of(
                server.baseUrl(), LlmSettings.REQUEST_TIMEOUT_MS, 300, LlmSettings.MAX_RETRIES, 0));

    assertThatThrownBy(() -> model.complete("m", HI))
        .isInstanceOfSatisfying(
            LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.TIMEOUT))
        .hasMessageContaining("did not answer within 300 ms");
  }

  @Test
  void shouldRetryATimeoutAndThenSucceed() {
    server.enqueue(200, Map.of(), OK_BODY, 3000);
    OpenAiChatModel model =
        new OpenAiChatModel(TestSettings.of(server.baseUrl(), LlmSettings.REQUEST_TIMEOUT_MS, 300));

    assertThat(model.complete("m", HI).content()).isEqualTo("unknown prompt");
  }

  @Test
  void shouldKeepAtMostMaxConcurrencyRequestsInFlight() throws Exception {
    for (int i = 0; i < 6; i++) {
      server.enqueue(200, Map.of(), OK_BODY, 200);
    }
    OpenAiChatModel model =
        new OpenAiChatModel(TestSettings.of(server.baseUrl(), LlmSettings.MAX_CONCURRENCY, 2));
    java.util.concurrent.ExecutorService callers =
        java.util.concurrent.Executors.newFixedThreadPool(6);
    try {
      List<java.util.concurrent.Future<ChatCompletion>> calls = new java.util.ArrayList<>();
      for (int i = 0; i < 6; i++) {
        calls.add(callers.submit(() -> model.complete("m", HI)));
      }
      for (var c : calls) {
        assertThat(c.get().content()).isEqualTo("hello");
      }
    } finally {
      callers.shutdownNow();
    }
    assertThat(server.maxInFlight()).isEqualTo(2);
  }

  @Test
  void shouldStartAtMostRateLimitRequestsPerSecond() {
    OpenAiChatModel model =
        new OpenAiChatModel(
            TestSettings.of(server.baseUrl(), LlmSettings.RATE_LIMIT_PER_SECOND, 20));

    long started = System.nanoTime();
    for (int i = 0; i < 6; i++) {
      model.complete("m", HI);
    }

    // Six starts 50 ms apart: the last one at least 250 ms after the first.
    assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(245);
  }

  @Test
  void shouldReportAnUnreachableEndpoint() throws Exception {
    String dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(dead, LlmSettings.MAX_RETRIES, 1));

    assertThatThrownBy(() -> model.complete("m", HI))
        .isInstanceOfSatisfying(
            LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.UNREACHABLE))
        .hasMessageContaining("unreachable")
        .hasMessageContaining(dead);
  }

  @Test
  void shouldRejectAnAnswerThatIsNotAChatCompletion() {
    server.enqueue(200, Map.of(), "{\"choices\":[]}", 0);
    OpenAiChatModel model = new OpenAiChatModel(TestSettings.of(server.baseUrl()));

    assertThatThrownBy(() -> model.complete("m", HI))
        .isInstanceOfSatisfying(
            LlmException.class,
            e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.MALFORMED_RESPONSE))
        .hasMessageContaining("choices[0].message.content");
  }
}
