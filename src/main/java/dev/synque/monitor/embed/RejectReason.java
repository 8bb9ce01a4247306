package dev.synque.monitor.embed;

/** Why an input text got no vector. Bad input is a value, never an exception. */
public enum RejectReason {
  /** The text is null. */
  MISSING_TEXT,
  /** The text is empty or only whitespace. */
  EMPTY_TEXT,
  /**
   * The text holds an unpaired UTF-16 surrogate, so it is not valid Unicode and has no UTF-8 form.
   */
  INVALID_UNICODE,
  /** The tokenizer keeps nothing of the text (only control characters, for example). */
  NO_TOKENS
}
