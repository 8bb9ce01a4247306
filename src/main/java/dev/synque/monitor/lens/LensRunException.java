package dev.synque.monitor.lens;

/**
 * A LENS run that failed: the endpoint failed after its retries ({@link LlmException} as the cause)
 * or the rubric stayed malformed ({@link RubricException}). Carries the calls made before the
 * failure, so budgets and results count them. The message is the cause's.
 */
public final class LensRunException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int llmCalls;

  /**
   * @param cause the failure; never null
   * @param llmCalls chat calls made before it
   */
  public LensRunException(RuntimeException cause, int llmCalls) {
    super(cause.getMessage(), cause);
    this.llmCalls = llmCalls;
  }

  /** Chat calls made before the failure. */
  public int llmCalls() {
    return llmCalls;
  }
}
