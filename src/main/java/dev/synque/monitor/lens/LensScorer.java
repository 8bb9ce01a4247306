package dev.synque.monitor.lens;

import dev.synque.monitor.chat.ChatCompletion;
import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.core.LensJudgement;
import dev.synque.monitor.core.LensScore;
import dev.synque.monitor.lens.ExampleJudgement.Origin;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One LENS run: rubric (cached), judging of the synthetic and real examples, and the authors'
 * scores from {@link LensScore} (the same code that scores stored benchmark judgements).
 *
 * <p>At most {@link LlmSettings#rubricSampleSize()} examples of each set are shown to the rubric
 * writer and at most {@link LlmSettings#judgeSyntheticSize()} / {@link LlmSettings#judgeRealSize()}
 * are judged: the first ones, so a replay judges the same examples. Thread-safe.
 */
public final class LensScorer {

  private final ChatModel chat;
  private final LlmSettings settings;
  private final RubricCompiler rubrics;
  private final LensJudge judge;

  /**
   * @param chat the chat model; never null
   * @param settings sizes and models; never null
   * @param rubrics the rubric compiler (and its cache); never null
   * @param judge the judge (and its real-example cache); never null
   */
  public LensScorer(ChatModel chat, LlmSettings settings, RubricCompiler rubrics, LensJudge judge) {
    this.chat = Objects.requireNonNull(chat, "chat");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.rubrics = Objects.requireNonNull(rubrics, "rubrics");
    this.judge = Objects.requireNonNull(judge, "judge");
  }

  /** The settings in use. */
  public LlmSettings settings() {
    return settings;
  }

  /**
   * Most LLM calls a run over these examples can take without format re-asks: 3 for the rubric
   * unless cached, and 4 per judged example (cached real judgements are refunded afterwards).
   */
  public int plannedCalls(
      String generatorId,
      String referenceVersion,
      List<LensExample> synthetic,
      List<LensExample> real) {
    boolean cached =
        rubrics.isCached(
            generatorId,
            referenceVersion,
            texts(first(synthetic, settings.rubricSampleSize())),
            texts(first(real, settings.rubricSampleSize())));
    return (cached ? 0 : 3)
        + 4 * first(synthetic, settings.judgeSyntheticSize()).size()
        + 4 * first(real, settings.judgeRealSize()).size();
  }

  /**
   * Runs LENS.
   *
   * @param generatorId the generator
   * @param referenceVersion the reference version the real examples come from
   * @param synthetic synthetic examples, at least one
   * @param real real examples, at least one
   * @return the outcome; without a score (and with the reason) when no synthetic or no real example
   *     got four parseable answers
   * @throws LensRunException when the endpoint fails after retries ({@link LlmException}) or the
   *     rubric model's answers stay malformed ({@link RubricException}), with the calls made
   */
  public LensOutcome score(
      String generatorId,
      String referenceVersion,
      List<LensExample> synthetic,
      List<LensExample> real) {
    if (synthetic.isEmpty() || real.isEmpty()) {
      throw new IllegalArgumentException(
          "LENS needs at least one synthetic and one real example (got "
              + synthetic.size()
              + " and "
              + real.size()
              + ")");
    }
    Counting counting = new Counting(chat);
    try {
      return run(counting, generatorId, referenceVersion, synthetic, real);
    } catch (LlmException | RubricException e) {
      throw new LensRunException(e, counting.calls.get(), counting.tokens.get());
    }
  }

  private LensOutcome run(
      Counting counting,
      String generatorId,
      String referenceVersion,
      List<LensExample> synthetic,
      List<LensExample> real) {
    Rubric rubric =
        rubrics.compile(
            counting,
            generatorId,
            referenceVersion,
            texts(first(synthetic, settings.rubricSampleSize())),
            texts(first(real, settings.rubricSampleSize())));
    List<ExampleJudgement> syntheticJudgements =
        judge.judge(
            counting, rubric, first(synthetic, settings.judgeSyntheticSize()), Origin.SYNTHETIC);
    List<ExampleJudgement> realJudgements =
        judge.judge(counting, rubric, first(real, settings.judgeRealSize()), Origin.REAL);
    List<LensJudgement> s =
        syntheticJudgements.stream()
            .map(ExampleJudgement::judgement)
            .flatMap(Optional::stream)
            .toList();
    List<LensJudgement> r =
        realJudgements.stream().map(ExampleJudgement::judgement).flatMap(Optional::stream).toList();
    if (s.isEmpty() || r.isEmpty()) {
      return new LensOutcome(
          rubric,
          syntheticJudgements,
          realJudgements,
          Map.of(),
          null,
          null,
          "no "
              + (s.isEmpty() ? "synthetic" : "real")
              + " example got four parseable answers from "
              + settings.judgeModel(),
          counting.calls.get(),
          counting.tokens.get());
    }
    return new LensOutcome(
        rubric,
        syntheticJudgements,
        realJudgements,
        probabilityReal(syntheticJudgements, realJudgements),
        LensScore.debiased(s, r),
        LensScore.raw(s),
        null,
        counting.calls.get(),
        counting.tokens.get());
  }

  /**
   * Per example, the debiased probability that it is real, averaged over positions A and B: the
   * per-example term of {@link LensScore#debiased} (for a synthetic example exactly the term that
   * enters the score; for a real example the share of "real", i.e. one minus its term up to ε).
   * Normalisation factors come from the other group, as in {@link LensScore}.
   */
  static Map<String, Double> probabilityReal(
      List<ExampleJudgement> synthetic, List<ExampleJudgement> real) {
    List<ExampleJudgement> s = synthetic.stream().filter(j -> j.unparseableAnswers() == 0).toList();
    List<ExampleJudgement> r = real.stream().filter(j -> j.unparseableAnswers() == 0).toList();
    double[] realMeans = means(r);
    double[] syntheticMeans = means(s);
    double[] forSynthetic = new double[4];
    double[] forReal = new double[4];
    for (int q = 0; q < 4; q++) {
      forSynthetic[q] = Math.max(realMeans[q], LensScore.EPSILON);
      forReal[q] = syntheticMeans[q] == 0 ? 1 : syntheticMeans[q];
    }
    Map<String, Double> out = new HashMap<>();
    s.forEach(j -> out.put(j.sampleId(), shareReal(j, forSynthetic)));
    r.forEach(j -> out.put(j.sampleId(), shareReal(j, forReal)));
    return out;
  }

  private static double shareReal(ExampleJudgement j, double[] f) {
    double[] v = values(j);
    double realA = v[0] / f[0];
    double realB = v[1] / f[1];
    double synthA = v[2] / f[2];
    double synthB = v[3] / f[3];
    return (realA / (realA + synthA + LensScore.EPSILON)
            + realB / (realB + synthB + LensScore.EPSILON))
        / 2;
  }

  private static double[] values(ExampleJudgement j) {
    return new double[] {
      j.realGivenSyntheticAtA().score(),
      j.realGivenSyntheticAtB().score(),
      j.syntheticGivenSyntheticAtA().score(),
      j.syntheticGivenSyntheticAtB().score()
    };
  }

  private static double[] means(List<ExampleJudgement> js) {
    double[] m = new double[4];
    for (ExampleJudgement j : js) {
      double[] v = values(j);
      for (int q = 0; q < 4; q++) {
        m[q] += v[q] / js.size();
      }
    }
    return m;
  }

  private static <T> List<T> first(List<T> list, int n) {
    return list.size() <= n ? list : list.subList(0, n);
  }

  private static List<String> texts(List<LensExample> examples) {
    return examples.stream().map(LensExample::text).toList();
  }

  /** Counts the calls and tokens of one run. */
  private static final class Counting implements ChatModel {
    private final ChatModel delegate;
    final AtomicInteger calls = new AtomicInteger();
    final AtomicLong tokens = new AtomicLong();

    Counting(ChatModel delegate) {
      this.delegate = delegate;
    }

    @Override
    public ChatCompletion complete(String model, List<ChatMessage> messages) {
      calls.incrementAndGet();
      ChatCompletion c = delegate.complete(model, messages);
      tokens.addAndGet(c.totalTokens());
      return c;
    }
  }
}
