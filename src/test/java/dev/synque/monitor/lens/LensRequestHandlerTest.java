package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.SampleOrigin;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LensRequestHandlerTest {

  private final FakeChatServer server = FakeChatServer.start();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @AfterEach
  void stop() {
    server.close();
    pool.shutdownNow();
  }

  static LensRequest request(String id, String generator) {
    return LensRequest.newBuilder()
        .setRequestId(id)
        .setGeneratorId(generator)
        .setReferenceVersion("ref-1")
        .setSyntheticExamples(
            List.of(new TextItem("s1", "the robot said hi"), new TextItem("s2", "the cat said hi")))
        .setReferenceExamples(
            List.of(new TextItem("r1", "my dog said hi"), new TextItem("r2", "the bird said hi")))
        .setReason(LensReason.MANUAL)
        .setSamplesSeen(100)
        .setRequestedAt(Instant.parse("2026-01-01T00:00:00Z"))
        .build();
  }

  private LensRequestHandler handler(LlmSettings settings) {
    LensScorer scorer =
        new LensScorer(
            new OpenAiChatModel(settings),
            settings,
            new RubricCompiler(settings),
            new LensJudge(settings, pool));
    return new LensRequestHandler(scorer, LensBudget.of(settings, clock), clock);
  }

  @Test
  void shouldAnswerOkWithTheScoreAndEveryJudgement() {
    LensResult result = handler(TestSettings.of(server.baseUrl())).handle(request("q1", "gen-a"));

    assertThat(result.getStatus()).isEqualTo(LensStatus.OK);
    assertThat(result.getReason()).isNull();
    assertThat(result.getScore()).isBetween(0.0, 1.0);
    assertThat(result.getSyntheticJudged()).isEqualTo(2);
    assertThat(result.getRealJudged()).isEqualTo(2);
    assertThat(result.getLlmCalls()).isEqualTo(19);
    assertThat(result.getJudgeModel()).isEqualTo("judge-model");
    assertThat(result.getRubricModel()).isEqualTo("rubric-model");
    assertThat(result.getCompletedAt()).isEqualTo(clock.instant());
    // the request's time and sample count travel back, so the join can order results
    assertThat(result.getRequestedAt()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(result.getSamplesSeen()).isEqualTo(100);
    assertThat(result.getJudgements()).hasSize(4);
    var robot = result.getJudgements().get(0);
    assertThat(robot.getSampleId()).isEqualTo("s1");
    assertThat(robot.getOrigin()).isEqualTo(SampleOrigin.SYNTHETIC);
    assertThat(robot.getRealGivenSynthA()).isEqualTo(1);
    assertThat(robot.getSynthGivenSynthB()).isEqualTo(4);
    assertThat(robot.getProbabilityReal()).isLessThan(0.1);
    assertThat(result.getJudgements().get(3).getOrigin()).isEqualTo(SampleOrigin.REFERENCE);
  }

  @Test
  void shouldMarkTheResultStaleRepeatingTheLastScoreWhenTheBudgetIsSpent() {
    LensRequestHandler handler =
        handler(
            TestSettings.of(server.baseUrl(), LlmSettings.BUDGET_CALLS_PER_HOUR_PER_GENERATOR, 30));
    LensResult first = handler.handle(request("q1", "gen-a"));
    int calls = server.requests().size();

    LensResult second = handler.handle(request("q2", "gen-a"));

    assertThat(second.getStatus()).isEqualTo(LensStatus.STALE);
    assertThat(second.getScore()).isEqualTo(first.getScore());
    assertThat(second.getRawScore()).isEqualTo(first.getRawScore());
    assertThat(second.getReason())
        .contains("budget spent")
        .contains("19 of 30")
        .contains("repeating the score of request q1");
    assertThat(server.requests()).hasSize(calls);

    clock.advance(java.time.Duration.ofHours(1));
    assertThat(handler.handle(request("q3", "gen-a")).getStatus()).isEqualTo(LensStatus.OK);
  }

  @Test
  void shouldMarkTheResultStaleWhenTheTokenBudgetIsSpent() {
    LensRequestHandler handler =
        handler(TestSettings.of(server.baseUrl(), LlmSettings.BUDGET_TOKENS_PER_HOUR, 100));
    assertThat(handler.handle(request("q1", "gen-a")).getStatus()).isEqualTo(LensStatus.OK);

    LensResult second = handler.handle(request("q2", "gen-b"));

    // The fake reports 12 tokens per call: 19 calls spent 228 tokens.
    assertThat(second.getStatus()).isEqualTo(LensStatus.STALE);
    assertThat(second.getReason()).contains("228 of 100 tokens");
  }

  @Test
  void shouldMarkTheResultStaleWithoutAScoreWhenThereIsNoEarlierOne() {
    LensResult result =
        handler(TestSettings.of(server.baseUrl(), LlmSettings.BUDGET_CALLS_PER_HOUR, 5))
            .handle(request("q1", "gen-a"));

    assertThat(result.getStatus()).isEqualTo(LensStatus.STALE);
    assertThat(result.getScore()).isNull();
    assertThat(result.getReason()).contains("no earlier score");
  }

  @Test
  void shouldMarkTheResultUnavailableWithTheReasonWhenTheEndpointIsDown() throws Exception {
    String dead;
    try (ServerSocket socket = new ServerSocket(0)) {
      dead = "http://127.0.0.1:" + socket.getLocalPort() + "/v1";
    }
    LensRequestHandler handler = handler(TestSettings.of(dead, LlmSettings.MAX_RETRIES, 1));

    LensResult result = handler.handle(request("q1", "gen-a"));

    assertThat(result.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
    assertThat(result.getScore()).isNull();
    assertThat(result.getReason()).contains("unreachable").contains(dead);
  }

  @Test
  void shouldMarkTheResultUnavailableWhenTheRubricStaysMalformed() {
    server.rubricStyle(FakeChatServer.RubricStyle.ALWAYS_MALFORMED);

    LensResult result = handler(TestSettings.of(server.baseUrl())).handle(request("q1", "gen-a"));

    assertThat(result.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
    assertThat(result.getReason()).contains("rubric").contains("I cannot produce a list");
    assertThat(result.getLlmCalls()).isEqualTo(2);
  }

  @Test
  void shouldMarkARequestWithoutExamplesUnavailable() {
    LensRequest empty = request("q1", "gen-a");
    empty.setReferenceExamples(List.of());

    LensResult result = handler(TestSettings.of(server.baseUrl())).handle(empty);

    assertThat(result.getStatus()).isEqualTo(LensStatus.UNAVAILABLE);
    assertThat(result.getReason()).contains("0 reference examples");
    assertThat(server.requests()).isEmpty();
  }
}
