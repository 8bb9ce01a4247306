package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.chat.JsonAnswers;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.MalformedAnswerException;
import dev.synque.monitor.chat.OpenAiChatModel;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RubricCompilerTest {

  private final FakeChatServer server = FakeChatServer.start();
  private final LlmSettings settings = TestSettings.of(server.baseUrl());
  private final OpenAiChatModel chat = new OpenAiChatModel(settings);
  private static final List<String> SYNTHETIC = List.of("a robot wrote this", "robot news");
  private static final List<String> REAL = List.of("a person wrote this", "plain news");

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void shouldWriteThreeListsWithTheDatasetsSwappedForTheSecondDifference() {
    Rubric rubric = new RubricCompiler(settings).compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL);

    assertThat(rubric.similarities()).hasSize(3).allMatch(s -> s.startsWith("Both are short"));
    assertThat(rubric.syntheticDiffersFromReal())
        .containsExactly(
            "B mentions robots more often than A (1)",
            "B mentions robots more often than A (2)",
            "B mentions robots more often than A (3)");
    assertThat(rubric.realDiffersFromSynthetic()).allMatch(s -> s.contains("less often"));
    assertThat(rubric.model()).isEqualTo("rubric-model");
    List<JsonNode> requests = server.requests();
    assertThat(requests).hasSize(3);
    assertThat(requests).allMatch(r -> r.path("model").asText().equals("rubric-model"));
    String second = requests.get(1).path("messages").path(1).path("content").asText();
    String third = requests.get(2).path("messages").path(1).path("content").asText();
    assertThat(second.indexOf("a person wrote this"))
        .isLessThan(second.indexOf("a robot wrote this"));
    assertThat(third.indexOf("a robot wrote this"))
        .isLessThan(third.indexOf("a person wrote this"));
    assertThat(second).contains("Shared characteristics:\n- Both are short texts (1)");
  }

  @Test
  void shouldAcceptAFencedJsonBlock() {
    server.rubricStyle(FakeChatServer.RubricStyle.FENCED);

    Rubric rubric = new RubricCompiler(settings).compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL);

    assertThat(rubric.similarities()).hasSize(3);
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void shouldAskAgainWithAStricterInstructionAfterAMalformedAnswer() {
    server.rubricStyle(FakeChatServer.RubricStyle.MALFORMED_ONCE);

    Rubric rubric = new RubricCompiler(settings).compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL);

    assertThat(rubric.syntheticDiffersFromReal()).hasSize(3);
    List<JsonNode> requests = server.requests();
    assertThat(requests).hasSize(6);
    JsonNode reAsk = requests.get(1).path("messages");
    assertThat(reAsk.size()).isEqualTo(4);
    assertThat(reAsk.path(2).path("role").asText()).isEqualTo("assistant");
    assertThat(reAsk.path(3).path("content").asText())
        .contains("could not be used")
        .contains("a JSON array of exactly 3 strings");
  }

  @Test
  void shouldFailWithTheRawAnswerWhenTheAnswerStaysMalformed() {
    server.rubricStyle(FakeChatServer.RubricStyle.ALWAYS_MALFORMED);

    assertThatThrownBy(
            () -> new RubricCompiler(settings).compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL))
        .isInstanceOf(RubricException.class)
        .hasMessageContaining("\"similarities\"")
        .hasMessageContaining("after 2 answer(s)")
        .hasMessageContaining("I cannot produce a list, sorry.");
  }

  @Test
  void shouldServeARubricFromTheCacheForTheSameGeneratorReferenceAndSample() {
    RubricCompiler compiler = new RubricCompiler(settings);
    Rubric first = compiler.compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL);

    Rubric again = compiler.compile(chat, "gen-a", "ref-1", SYNTHETIC, REAL);
    compiler.compile(chat, "gen-a", "ref-2", SYNTHETIC, REAL);

    assertThat(again).isSameAs(first);
    assertThat(server.requests()).hasSize(6);
  }

  @Test
  void shouldRejectListsOfTheWrongSizeOrShape() {
    assertThatThrownBy(() -> JsonAnswers.stringList("[\"a\", \"b\"]", 3))
        .isInstanceOf(MalformedAnswerException.class)
        .hasMessageContaining("exactly 3");
    assertThatThrownBy(() -> JsonAnswers.stringList("[\"a\", 2, \"c\"]", 3))
        .isInstanceOf(MalformedAnswerException.class);
    assertThatThrownBy(() -> JsonAnswers.stringList("Here: [\"a\", \"b\", \"c\"]", 3))
        .isInstanceOf(MalformedAnswerException.class);
    assertThatThrownBy(() -> JsonAnswers.stringList("[\"a\",\"b\",\"c\"] [\"d\"]", 3))
        .isInstanceOf(MalformedAnswerException.class);
  }
}
