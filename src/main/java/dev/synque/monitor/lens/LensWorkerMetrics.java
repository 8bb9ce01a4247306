package dev.synque.monitor.lens;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.chat.LlmException;

/**
 * What the LENS worker reports to a metrics backend. Every method has a no-op default, so {@link
 * #NONE} costs nothing; {@code dev.synque.monitor.metrics.LensMetrics} is the Micrometer
 * implementation. The hooks live here, not in {@code metrics}, so that this package does not depend
 * on Micrometer (as {@code stream.MonitorMetrics} does for the topology).
 *
 * <p>Implementations are called from the judge's threads at once and must be thread-safe and cheap
 * (no I/O). Arguments are never null.
 */
public interface LensWorkerMetrics {

  /** Reports nothing. */
  LensWorkerMetrics NONE = new LensWorkerMetrics() {};

  /** Outcome of a chat-completion call that got an answer. */
  String SUCCESS = "success";

  /** Outcome of a call that failed with something other than an {@link LlmException}. */
  String ERROR = "error";

  /**
   * One chat-completion call to the LLM ended, after the model's own retries.
   *
   * @param outcome {@value #SUCCESS}, the lower-case {@link LlmException.Kind} of a failure (for
   *     example {@code timeout}, {@code http_status}), or {@value #ERROR}
   * @param nanos how long the call took, retries and backoff included
   * @param promptTokens prompt tokens the server reported, 0 when unknown or failed
   * @param completionTokens completion tokens the server reported, 0 when unknown or failed
   */
  default void llmCall(String outcome, long nanos, long promptTokens, long completionTokens) {}

  /**
   * The budget the worker spends from. Called once while the worker is wired; an implementation may
   * read the budget whenever it reports (reading is thread-safe).
   */
  default void watchBudget(LensBudget budget) {}

  /** A result was produced and acknowledged by the broker. */
  default void result(LensResult result) {}
}
