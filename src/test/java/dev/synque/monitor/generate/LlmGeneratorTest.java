package dev.synque.monitor.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import dev.synque.monitor.lens.FakeChatServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The LLM-backed generator against a real chat-completions server on loopback. */
class LlmGeneratorTest {

  private FakeChatServer server;
  private OpenAiChatModel chat;

  private static String completion(String content) {
    ObjectNode root = new ObjectMapper().createObjectNode();
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    return root.toString();
  }

  @BeforeEach
  void setUp() {
    server = FakeChatServer.start();
    Map<String, Object> config = new HashMap<>();
    config.put(LlmSettings.BASE_URL, server.baseUrl());
    config.put(LlmSettings.RUBRIC_MODEL, "gen-model");
    config.put(LlmSettings.JUDGE_MODEL, "gen-model");
    config.put(LlmSettings.MAX_RETRIES, "1");
    config.put(LlmSettings.RETRY_BACKOFF_MS, "10");
    chat = new OpenAiChatModel(LlmSettings.fromConfig(config));
  }

  @AfterEach
  void tearDown() {
    server.close();
  }

  @Test
  void shouldAskForExactlyNTextsWithTheUsersPrompt() {
    server.enqueue(200, Map.of(), completion("[\"Acme rises\", \"Globex falls\"]"), 0);
    LlmGenerator generator = new LlmGenerator(chat, "gen-model", "Write finance headlines.", 2);

    assertThat(generator.next()).containsExactly("Acme rises", "Globex falls");
    assertThat(server.requests()).hasSize(1);
    String body = server.requests().get(0).toString();
    assertThat(body).contains("gen-model").contains("Write finance headlines.");
    assertThat(body).contains("exactly 2 strings");
  }

  @Test
  void shouldReAskOnceThenCountAMalformedAnswerAndPublishNothing() {
    server.enqueue(200, Map.of(), completion("Sure! 1. Acme rises"), 0);
    server.enqueue(200, Map.of(), completion("```json\n[\"Acme rises\"]\n```"), 0);
    server.enqueue(200, Map.of(), completion("no"), 0);
    server.enqueue(200, Map.of(), completion("[\"only one\", \"\"]"), 0);
    LlmGenerator one = new LlmGenerator(chat, "gen-model", "Write.", 1);
    assertThat(one.next()).containsExactly("Acme rises");
    assertThat(server.requests().get(1).toString()).contains("That answer was not usable");
    LlmGenerator two = new LlmGenerator(chat, "gen-model", "Write.", 2);
    assertThat(two.next()).isEmpty();
    assertThat(two.malformedAnswers()).isEqualTo(1);
    assertThat(two.calls()).isEqualTo(2);
  }

  @Test
  void shouldRetryAServerErrorAndFailClearlyWhenItPersists() {
    server.enqueue(500, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}", 0);
    server.enqueue(200, Map.of(), completion("[\"ok\"]"), 0);
    LlmGenerator generator = new LlmGenerator(chat, "gen-model", "Write.", 1);
    assertThat(generator.next()).containsExactly("ok");

    server.enqueue(500, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}", 0);
    server.enqueue(500, Map.of(), "{\"error\":{\"message\":\"overloaded\"}}", 0);
    assertThatThrownBy(generator::next)
        .isInstanceOf(LlmException.class)
        .hasMessageContaining("overloaded");
  }

  @Test
  void shouldRejectBadSettings() {
    assertThatThrownBy(() -> new LlmGenerator(chat, "m", "Write.", 0))
        .hasMessageContaining("texts per call 0");
    assertThatThrownBy(() -> new LlmGenerator(chat, "m", " ", 1)).hasMessageContaining("prompt");
  }
}
