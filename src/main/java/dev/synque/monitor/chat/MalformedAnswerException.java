package dev.synque.monitor.chat;

/** An LLM answer that does not have the requested form; the message says why, briefly. */
public final class MalformedAnswerException extends Exception {

  private static final long serialVersionUID = 1L;

  /**
   * @param why what is wrong with the answer, briefly; never null
   */
  public MalformedAnswerException(String why) {
    super(why);
  }
}
