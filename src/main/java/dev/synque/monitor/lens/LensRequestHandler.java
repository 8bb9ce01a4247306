package dev.synque.monitor.lens;

import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.LensStatus;
import dev.synque.monitor.avro.SampleOrigin;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns one {@link LensRequest} into one {@link LensResult}; never throws for an LLM failure:
 *
 * <ul>
 *   <li>{@code OK}: fresh score, per-example judgements;
 *   <li>{@code STALE}: the budget is spent; the generator's last OK score is repeated (null when it
 *       has none yet) and the reason says which limit;
 *   <li>{@code UNAVAILABLE}: the endpoint failed (unreachable, timeout, HTTP status), the rubric
 *       stayed malformed, the request had no examples, or no example got four parseable answers;
 *       the reason says which.
 * </ul>
 *
 * <p>Thread-safe (the last scores are kept in a concurrent map, in memory: after a restart the
 * first STALE result of a generator carries no score).
 */
public final class LensRequestHandler {

  private static final Logger LOG = LoggerFactory.getLogger(LensRequestHandler.class);

  private final LensScorer scorer;
  private final LensBudget budget;
  private final Clock clock;
  private final Map<String, LensResult> lastOk = new ConcurrentHashMap<>();

  /**
   * @param scorer runs LENS; never null
   * @param budget the call budget; never null
   * @param clock stamps {@code completedAt}; never null
   */
  public LensRequestHandler(LensScorer scorer, LensBudget budget, Clock clock) {
    this.scorer = Objects.requireNonNull(scorer, "scorer");
    this.budget = Objects.requireNonNull(budget, "budget");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The result for a request; never null. */
  public LensResult handle(LensRequest request) {
    String generator = request.getGeneratorId();
    List<LensExample> synthetic = examples(request.getSyntheticExamples());
    List<LensExample> real = examples(request.getReferenceExamples());
    if (synthetic.isEmpty() || real.isEmpty()) {
      return unavailable(
          request,
          "the request has "
              + synthetic.size()
              + " synthetic and "
              + real.size()
              + " reference examples; LENS needs at least one of each",
          0);
    }
    int planned = scorer.plannedCalls(generator, request.getReferenceVersion(), synthetic, real);
    Optional<String> refused = budget.tryReserve(generator, planned);
    if (refused.isPresent()) {
      LOG.info(
          "LENS request {} for {} is stale: {}", request.getRequestId(), generator, refused.get());
      return stale(request, refused.get());
    }
    LensOutcome outcome;
    try {
      outcome = scorer.score(generator, request.getReferenceVersion(), synthetic, real);
    } catch (LensRunException e) {
      budget.settle(generator, planned, e.llmCalls(), e.tokens());
      LOG.warn(
          "LENS request {} for {} is unavailable: {}",
          request.getRequestId(),
          generator,
          e.getMessage());
      return unavailable(request, e.getMessage(), e.llmCalls());
    }
    budget.settle(generator, planned, outcome.llmCalls(), outcome.tokens());
    LensResult result = fromOutcome(request, outcome);
    if (result.getStatus() == LensStatus.OK) {
      lastOk.put(generator, result);
    }
    return result;
  }

  private LensResult fromOutcome(LensRequest request, LensOutcome outcome) {
    List<dev.synque.monitor.avro.LensJudgement> judgements = new ArrayList<>();
    for (ExampleJudgement j : outcome.synthetic()) {
      judgements.add(judgement(j, outcome.probabilityReal()));
    }
    for (ExampleJudgement j : outcome.real()) {
      judgements.add(judgement(j, outcome.probabilityReal()));
    }
    return base(request)
        .setStatus(outcome.score() == null ? LensStatus.UNAVAILABLE : LensStatus.OK)
        .setScore(outcome.score())
        .setRawScore(outcome.rawScore())
        .setReason(outcome.reason())
        .setSyntheticJudged(outcome.syntheticJudged())
        .setRealJudged(outcome.realJudged())
        .setUnparseable(outcome.unparseable())
        .setLlmCalls(outcome.llmCalls())
        .setJudgements(judgements)
        .build();
  }

  private static dev.synque.monitor.avro.LensJudgement judgement(
      ExampleJudgement j, Map<String, Double> probabilityReal) {
    return dev.synque.monitor.avro.LensJudgement.newBuilder()
        .setSampleId(j.sampleId())
        .setOrigin(
            j.origin() == ExampleJudgement.Origin.SYNTHETIC
                ? SampleOrigin.SYNTHETIC
                : SampleOrigin.REFERENCE)
        .setRealGivenSynthA(score(j.realGivenSyntheticAtA()))
        .setRealGivenSynthB(score(j.realGivenSyntheticAtB()))
        .setSynthGivenSynthA(score(j.syntheticGivenSyntheticAtA()))
        .setSynthGivenSynthB(score(j.syntheticGivenSyntheticAtB()))
        .setProbabilityReal(j.unparseableAnswers() == 0 ? probabilityReal.get(j.sampleId()) : null)
        .build();
  }

  private static Integer score(Likelihood l) {
    return l == null ? null : l.score();
  }

  private LensResult stale(LensRequest request, String reason) {
    LensResult previous = lastOk.get(request.getGeneratorId());
    return base(request)
        .setStatus(LensStatus.STALE)
        .setScore(previous == null ? null : previous.getScore())
        .setRawScore(previous == null ? null : previous.getRawScore())
        .setReason(
            previous == null
                ? reason + "; no earlier score to repeat"
                : reason + "; repeating the score of request " + previous.getRequestId())
        .build();
  }

  private LensResult unavailable(LensRequest request, String reason, int calls) {
    return base(request)
        .setStatus(LensStatus.UNAVAILABLE)
        .setReason(reason)
        .setLlmCalls(calls)
        .build();
  }

  private LensResult.Builder base(LensRequest request) {
    return LensResult.newBuilder()
        .setRequestId(request.getRequestId())
        .setGeneratorId(request.getGeneratorId())
        .setReferenceVersion(request.getReferenceVersion())
        .setRubricModel(scorer.settings().rubricModel())
        .setJudgeModel(scorer.settings().judgeModel())
        .setScore(null)
        .setRawScore(null)
        .setReason(null)
        .setSyntheticJudged(0)
        .setRealJudged(0)
        .setUnparseable(0)
        .setLlmCalls(0)
        .setJudgements(List.of())
        .setCompletedAt(clock.instant())
        .setRequestedAt(request.getRequestedAt())
        .setSamplesSeen(request.getSamplesSeen());
  }

  private static List<LensExample> examples(List<TextItem> items) {
    return items.stream().map(t -> new LensExample(t.getSampleId(), t.getText())).toList();
  }
}
