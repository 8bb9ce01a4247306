package dev.synque.monitor.lens;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.chat.JsonAnswers;
import dev.synque.monitor.chat.MalformedAnswerException;
import dev.synque.monitor.core.LensJudgement.Likelihood;

/**
 * Strict parsing of the judge's answer, on top of {@link JsonAnswers} (one JSON value, optionally
 * fenced, nothing around it).
 */
final class LensAnswers {

  /** The field of the judge's JSON object. */
  static final String JUDGEMENT_FIELD = "judgement";

  private LensAnswers() {}

  /**
   * A JSON object whose {@value #JUDGEMENT_FIELD} is one of the five labels.
   *
   * @throws MalformedAnswerException saying what is wrong
   */
  static Likelihood judgement(String answer) throws MalformedAnswerException {
    JsonNode node = JsonAnswers.value(answer);
    JsonNode value = node.isObject() ? node.get(JUDGEMENT_FIELD) : null;
    if (value == null || !value.isTextual()) {
      throw new MalformedAnswerException(
          "the answer must be a JSON object with a string field \"" + JUDGEMENT_FIELD + "\"");
    }
    try {
      return Likelihood.fromLabel(value.asText());
    } catch (IllegalArgumentException e) {
      throw new MalformedAnswerException(e.getMessage());
    }
  }
}
