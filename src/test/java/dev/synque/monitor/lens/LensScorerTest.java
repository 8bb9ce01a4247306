package dev.synque.monitor.lens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.OpenAiChatModel;
import dev.synque.monitor.core.LensJudgement;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import dev.synque.monitor.core.LensScore;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Rubric, the four questions and the score, against the fake server's fixed rules. */
class LensScorerTest {

  private final FakeChatServer server = FakeChatServer.start();
  private final ExecutorService pool = Executors.newFixedThreadPool(4);
  private final LlmSettings settings = TestSettings.of(server.baseUrl());
  private final LensJudge judge = new LensJudge(settings, pool);
  private final LensScorer scorer =
      new LensScorer(new OpenAiChatModel(settings), settings, new RubricCompiler(settings), judge);

  private static final List<LensExample> SYNTHETIC =
      List.of(new LensExample("s1", "the robot said hi"), new LensExample("s2", "the cat said hi"));
  private static final List<LensExample> REAL =
      List.of(new LensExample("r1", "my dog said hi"), new LensExample("r2", "the bird said hi"));

  @AfterEach
  void stop() {
    server.close();
    pool.shutdownNow();
  }

  @Test
  void shouldScoreExactlyAsAHandComputationFromTheServedAnswers() {
    LensOutcome outcome = scorer.score("gen-a", "ref-1", SYNTHETIC, REAL);

    // Served: robot example real?=unlikely(1) synthetic?=very likely(4); others real?=likely(3),
    // synthetic?=unlikely(1); the same at both positions.
    // Synthetic examples, factors = real means (3, 3, 1, 1):
    double s1 = (1.0 / 3) / (1.0 / 3 + 4.0);
    double s2 = 1.0 / (1.0 + 1.0);
    // Real examples, factors = synthetic means (real? 2, synthetic? 2.5): share taken for
    // synthetic.
    double r = (1 / 2.5) / (3 / 2.0 + 1 / 2.5);
    double expected = (s1 + s2 + 2 * r) / 4;
    double expectedRaw = (1.0 / 5 + 3.0 / 4) / 2;
    assertThat(outcome.score()).isCloseTo(expected, within(1e-5));
    assertThat(outcome.rawScore()).isCloseTo(expectedRaw, within(1e-9));
    assertThat(outcome.synthetic().get(0))
        .isEqualTo(
            new ExampleJudgement(
                "s1",
                ExampleJudgement.Origin.SYNTHETIC,
                Likelihood.UNLIKELY,
                Likelihood.UNLIKELY,
                Likelihood.VERY_LIKELY,
                Likelihood.VERY_LIKELY));
    assertThat(outcome.probabilityReal().get("s1")).isCloseTo(s1, within(1e-5));
    assertThat(outcome.probabilityReal().get("r1")).isCloseTo(1 - r, within(1e-5));
    assertThat(outcome.llmCalls()).isEqualTo(3 + 4 * 4);
    assertThat(outcome.tokens()).isEqualTo(12L * (3 + 4 * 4));
    assertThat(outcome.unparseable()).isZero();
  }

  @Test
  void shouldUseTheSharedScoreCode() {
    LensOutcome outcome = scorer.score("gen-a", "ref-1", SYNTHETIC, REAL);

    List<LensJudgement> s =
        outcome.synthetic().stream()
            .map(ExampleJudgement::judgement)
            .flatMap(Optional::stream)
            .toList();
    List<LensJudgement> r =
        outcome.real().stream().map(ExampleJudgement::judgement).flatMap(Optional::stream).toList();
    assertThat(outcome.score()).isEqualTo(LensScore.debiased(s, r));
    assertThat(outcome.rawScore()).isEqualTo(LensScore.raw(s));
  }

  @Test
  void shouldKeepPerExampleProbabilitiesWhoseMistakesAverageToTheScore() {
    LensOutcome outcome = scorer.score("gen-a", "ref-1", SYNTHETIC, REAL);

    double mistakes = 0;
    for (ExampleJudgement j : outcome.synthetic()) {
      mistakes += outcome.probabilityReal().get(j.sampleId());
    }
    for (ExampleJudgement j : outcome.real()) {
      mistakes += 1 - outcome.probabilityReal().get(j.sampleId());
    }
    assertThat(mistakes / 4).isCloseTo(outcome.score(), within(1e-5));
  }

  @Test
  void shouldAskFourQuestionsPerExampleWithTheSyntheticSetAtBothPositions() {
    scorer.score("gen-a", "ref-1", List.of(SYNTHETIC.get(0)), List.of(REAL.get(0)));

    List<String> aboutRobot =
        server.judgeQuestions().stream().filter(q -> q.contains("the robot said hi")).toList();
    assertThat(aboutRobot).hasSize(4);
    // Synthetic at B: differences "B mentions robots more often"; at A: "B mentions robots less".
    assertThat(aboutRobot.stream().filter(q -> q.contains("more often than A")))
        .hasSize(2)
        .anyMatch(q -> q.endsWith("dataset A?"))
        .anyMatch(q -> q.endsWith("dataset B?"));
    assertThat(aboutRobot.stream().filter(q -> q.contains("less often than A")))
        .hasSize(2)
        .anyMatch(q -> q.endsWith("dataset A?"))
        .anyMatch(q -> q.endsWith("dataset B?"));
    assertThat(server.requests())
        .filteredOn(
            r ->
                r.path("messages")
                    .path(0)
                    .path("content")
                    .asText()
                    .startsWith(LensPrompts.JUDGE_TASK))
        .allMatch(r -> r.path("model").asText().equals("judge-model"));
  }

  @Test
  void shouldJudgeRealExamplesOncePerRubricAndReuseThem() {
    scorer.score("gen-a", "ref-1", SYNTHETIC, REAL);
    int before = server.requests().size();

    LensOutcome again = scorer.score("gen-a", "ref-1", SYNTHETIC, REAL);

    // Same rubric (cached): only the synthetic examples are judged again.
    assertThat(server.requests().size() - before).isEqualTo(4 * SYNTHETIC.size());
    assertThat(again.realJudged()).isEqualTo(2);
    assertThat(judge.realReused()).isEqualTo(2);
    assertThat(again.llmCalls()).isEqualTo(8);
  }

  @Test
  void shouldAskAgainAfterAMalformedJudgementAndCountWhatStaysUnparseable() {
    List<LensExample> synthetic =
        List.of(
            new LensExample("s1", "the robot said hi"),
            new LensExample("s2", "garbled-once robot"),
            new LensExample("s3", "garbled-always"));

    LensOutcome outcome = scorer.score("gen-a", "ref-1", synthetic, REAL);

    assertThat(outcome.synthetic()).hasSize(3);
    assertThat(outcome.synthetic().get(1).unparseableAnswers()).isZero();
    assertThat(outcome.synthetic().get(2).unparseableAnswers()).isEqualTo(4);
    assertThat(outcome.synthetic().get(2).judgement()).isEmpty();
    assertThat(outcome.unparseable()).isEqualTo(4);
    assertThat(outcome.syntheticJudged()).isEqualTo(2);
    // s2: 4 malformed + 4 re-asks; s3: 4 + 4 re-asks, still malformed.
    assertThat(outcome.llmCalls()).isEqualTo(3 + 4 + 8 + 8 + 4 * 2);
    assertThat(outcome.score()).isNotNull();
    assertThat(server.judgeQuestions().stream().filter(q -> q.contains("garbled-always")))
        .hasSize(8);
  }

  @Test
  void shouldHaveNoScoreWhenNoSyntheticExampleIsParseable() {
    LensOutcome outcome =
        scorer.score("gen-a", "ref-1", List.of(new LensExample("s", "garbled-always")), REAL);

    assertThat(outcome.score()).isNull();
    assertThat(outcome.reason()).contains("no synthetic example got four parseable answers");
  }
}
