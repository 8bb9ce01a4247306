package dev.synque.monitor.lens;

/** An LLM answer that does not have the requested form; the message says why, briefly. */
public final class MalformedAnswerException extends Exception {

  private static final long serialVersionUID = 1L;

  MalformedAnswerException(String why) {
    super(why);
  }
}
