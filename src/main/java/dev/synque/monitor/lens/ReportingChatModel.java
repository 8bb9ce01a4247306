package dev.synque.monitor.lens;

import dev.synque.monitor.chat.ChatCompletion;
import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.LlmException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A {@link ChatModel} that reports every call of the model it wraps to {@link LensWorkerMetrics}:
 * outcome, latency (retries included, since the wrapped model retries inside one call) and the
 * tokens the server reported. Failures are reported and rethrown unchanged. Thread-safe.
 */
public final class ReportingChatModel implements ChatModel {

  private final ChatModel delegate;
  private final LensWorkerMetrics metrics;

  /**
   * @param delegate the model that makes the calls; never null
   * @param metrics where each call is reported; never null
   */
  public ReportingChatModel(ChatModel delegate, LensWorkerMetrics metrics) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public ChatCompletion complete(String model, List<ChatMessage> messages) {
    long start = System.nanoTime();
    ChatCompletion completion;
    try {
      completion = delegate.complete(model, messages);
    } catch (RuntimeException e) {
      metrics.llmCall(outcome(e), System.nanoTime() - start, 0, 0);
      throw e;
    }
    metrics.llmCall(
        LensWorkerMetrics.SUCCESS,
        System.nanoTime() - start,
        Math.max(0, completion.promptTokens()),
        Math.max(0, completion.completionTokens()));
    return completion;
  }

  /** The outcome tag of a failed call: the {@link LlmException.Kind} in lower case, or error. */
  static String outcome(RuntimeException e) {
    return e instanceof LlmException llm
        ? llm.kind().name().toLowerCase(Locale.ROOT)
        : LensWorkerMetrics.ERROR;
  }
}
