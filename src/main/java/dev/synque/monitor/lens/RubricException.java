package dev.synque.monitor.lens;

/**
 * The rubric model did not answer with a usable rubric list after the stricter re-asks. The message
 * names the list and shows an excerpt of the last raw answer.
 */
public final class RubricException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /**
   * @param message the list, the rule broken and the raw answer's excerpt
   */
  public RubricException(String message) {
    super(message);
  }
}
