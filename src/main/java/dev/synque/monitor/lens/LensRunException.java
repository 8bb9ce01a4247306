package dev.synque.monitor.lens;

import dev.synque.monitor.chat.LlmException;

/**
 * A LENS run that failed: the endpoint failed after its retries ({@link LlmException} as the cause)
 * or the rubric stayed malformed ({@link RubricException}). Carries the calls made before the
 * failure, so budgets and results count them. The message is the cause's.
 */
public final class LensRunException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int llmCalls;
  private final long tokens;

  /**
   * @param cause the failure; never null
   * @param llmCalls chat calls made before it
   * @param tokens tokens the server reported for those calls
   */
  public LensRunException(RuntimeException cause, int llmCalls, long tokens) {
    super(cause.getMessage(), cause);
    this.llmCalls = llmCalls;
    this.tokens = tokens;
  }

  /** Tokens the server reported for the calls made before the failure. */
  public long tokens() {
    return tokens;
  }

  /** Chat calls made before the failure. */
  public int llmCalls() {
    return llmCalls;
  }
}
