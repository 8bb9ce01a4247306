package dev.synque.monitor.lens;

import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.MalformedAnswerException;
import dev.synque.monitor.chat.OpenAiChatModel;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import dev.synque.monitor.lens.ExampleJudgement.Origin;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the judge model LENS's four questions about each example (see {@link LensPrompts}): "is it
 * real?" and "is it synthetic?", with the synthetic set described at position A and at position B.
 * Each answer must be {@code {"judgement": "<label>"}}; a malformed one is asked again with a
 * stricter instruction up to {@link LlmSettings#formatRetries()} times and then recorded as
 * unparseable (null), never dropped.
 *
 * <p>Real examples are judged once per rubric: their fully parsed judgements are cached by (rubric
 * fingerprint, text), most recent {@value #REAL_CACHE_CAPACITY} kept, and reused by later requests
 * under the same rubric.
 *
 * <p>Questions run on the given executor (its size, and the chat model's own limit, bound the
 * concurrency). Thread-safe.
 */
public final class LensJudge {

  private static final Logger LOG = LoggerFactory.getLogger(LensJudge.class);

  /** Real-example judgements kept for reuse. */
  public static final int REAL_CACHE_CAPACITY = 4096;

  /** The four questions: which difference list is shown and which dataset is asked about. */
  enum Question {
    /** Synthetic at A (so B = real): "from B?" means "real?". */
    REAL_GIVEN_SYNTHETIC_AT_A(true, "B"),
    /** Synthetic at B (A = real): "from A?" means "real?". */
    REAL_GIVEN_SYNTHETIC_AT_B(false, "A"),
    SYNTHETIC_GIVEN_SYNTHETIC_AT_A(true, "A"),
    SYNTHETIC_GIVEN_SYNTHETIC_AT_B(false, "B");

    final boolean syntheticAtA;
    final String dataset;

    Question(boolean syntheticAtA, String dataset) {
      this.syntheticAtA = syntheticAtA;
      this.dataset = dataset;
    }
  }

  private final LlmSettings settings;
  private final Executor executor;
  private final AtomicInteger realReused = new AtomicInteger();
  private final Map<String, ExampleJudgement> realCache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ExampleJudgement> eldest) {
          return size() > REAL_CACHE_CAPACITY;
        }
      };

  /**
   * @param settings judge model and format retries; never null
   * @param executor runs the questions; owned by the caller
   */
  public LensJudge(LlmSettings settings, Executor executor) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Judges examples under a rubric.
   *
   * @param chat the model to call (the caller may wrap it to count calls); never null
   * @param rubric the rubric; never null
   * @param examples the examples, all of the same origin
   * @param origin their origin
   * @return one judgement per example, in order
   * @throws LlmException when the endpoint fails (after its retries)
   */
  public List<ExampleJudgement> judge(
      ChatModel chat, Rubric rubric, List<LensExample> examples, Origin origin) {
    String fingerprint = rubric.fingerprint();
    List<CompletableFuture<ExampleJudgement>> futures = new ArrayList<>(examples.size());
    for (LensExample example : examples) {
      String cacheKey = fingerprint + "\u0000" + Rubric.sha256(example.text());
      if (origin == Origin.REAL) {
        ExampleJudgement cached;
        synchronized (realCache) {
          cached = realCache.get(cacheKey);
        }
        if (cached != null) {
          realReused.incrementAndGet();
          futures.add(CompletableFuture.completedFuture(cached.withSampleId(example.sampleId())));
          continue;
        }
      }
      List<CompletableFuture<Likelihood>> answers = new ArrayList<>(4);
      for (Question q : Question.values()) {
        answers.add(CompletableFuture.supplyAsync(() -> ask(chat, rubric, example, q), executor));
      }
      futures.add(
          CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new))
              .thenApply(
                  ignored -> {
                    ExampleJudgement j =
                        new ExampleJudgement(
                            example.sampleId(),
                            origin,
                            answers.get(0).join(),
                            answers.get(1).join(),
                            answers.get(2).join(),
                            answers.get(3).join());
                    if (origin == Origin.REAL && j.unparseableAnswers() == 0) {
                      synchronized (realCache) {
                        realCache.put(cacheKey, j);
                      }
                    }
                    return j;
                  }));
    }
    List<ExampleJudgement> out = new ArrayList<>(futures.size());
    for (CompletableFuture<ExampleJudgement> f : futures) {
      try {
        out.add(f.join());
      } catch (CompletionException e) {
        if (e.getCause() instanceof RuntimeException r) {
          throw r;
        }
        throw e;
      }
    }
    return out;
  }

  /** Real-example judgements served from the cache so far. */
  public int realReused() {
    return realReused.get();
  }

  private Likelihood ask(ChatModel chat, Rubric rubric, LensExample example, Question q) {
    List<String> differences =
        q.syntheticAtA ? rubric.realDiffersFromSynthetic() : rubric.syntheticDiffersFromReal();
    List<ChatMessage> messages =
        LensPrompts.judge(rubric.similarities(), differences, example.text(), q.dataset);
    List<ChatMessage> conversation = messages;
    String answer = null;
    String why = null;
    for (int attempt = 0; attempt <= settings.formatRetries(); attempt++) {
      if (attempt > 0) {
        conversation = LensPrompts.stricter(messages, answer, why, LensPrompts.JUDGE_FORMAT_SHORT);
      }
      answer = chat.complete(settings.judgeModel(), conversation).content();
      try {
        return LensAnswers.judgement(answer);
      } catch (MalformedAnswerException e) {
        why = e.getMessage();
      }
    }
    LOG.warn(
        "LENS judge: answer for sample {} ({}) unparseable after {} attempt(s): {}; last answer: {}",
        example.sampleId(),
        q,
        settings.formatRetries() + 1,
        why,
        OpenAiChatModel.excerpt(answer));
    return null;
  }
}
