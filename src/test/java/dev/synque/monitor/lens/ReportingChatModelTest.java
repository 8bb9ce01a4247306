package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Every call through {@link ReportingChatModel} is reported once, with its outcome and tokens. */
class ReportingChatModelTest {

  private static final List<ChatMessage> HI = List.of(ChatMessage.user("hi"));

  private final FakeChatServer server = FakeChatServer.start();
  private final List<String> calls = new ArrayList<>();
  private final LensWorkerMetrics recorder =
      new LensWorkerMetrics() {
        @Override
        public synchronized void llmCall(
            String outcome, long nanos, long promptTokens, long completionTokens) {
          assertThat(nanos).isPositive();
          calls.add(outcome + " " + promptTokens + "/" + completionTokens);
        }
      };

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldReportAnAnswerWithItsTokens() {
    ChatModel model =
        new ReportingChatModel(new OpenAiChatModel(TestSettings.of(server.baseUrl())), recorder);

    assertThat(model.complete("m", HI).content()).isEqualTo("unknown prompt");

    assertThat(calls).containsExactly("success 10/2");
  }

  @Test
  void shouldReportOneCallForRetriesThatEndInAnAnswer() {
    server.enqueue(503, Map.of(), "busy", 0);
    ChatModel model =
        new ReportingChatModel(new OpenAiChatModel(TestSettings.of(server.baseUrl())), recorder);

    model.complete("m", HI);

    assertThat(server.requests()).hasSize(2);
    assertThat(calls).containsExactly("success 10/2");
  }

  @Test
  void shouldReportAFailureByItsKindAndRethrowIt() throws Exception {
    server.enqueue(400, Map.of(), "{\"error\":{\"message\":\"bad model\"}}", 0);
    ChatModel failing =
        new ReportingChatModel(new OpenAiChatModel(TestSettings.of(server.baseUrl())), recorder);
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    ChatModel unreachable =
        new ReportingChatModel(
            new OpenAiChatModel(
                TestSettings.of(
                    "http://127.0.0.1:" + closedPort + "/v1", LlmSettings.MAX_RETRIES, "0")),
            recorder);

    assertThatThrownBy(() -> failing.complete("m", HI))
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("bad model");
    assertThatThrownBy(() -> unreachable.complete("m", HI)).isInstanceOf(LlmException.class);

    assertThat(calls).containsExactly("http_status 0/0", "unreachable 0/0");
  }

  @Test
  void shouldReportOtherExceptionsAsError() {
    ChatModel broken =
        new ReportingChatModel(
            (model, messages) -> {
              throw new IllegalStateException("no connection pool");
            },
            recorder);

    assertThatThrownBy(() -> broken.complete("m", HI))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("no connection pool");
    assertThat(calls).containsExactly("error 0/0");
  }
}
