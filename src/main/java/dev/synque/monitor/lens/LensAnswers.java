package dev.synque.monitor.lens;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of the LLM's answers. An answer is a single JSON value, optionally inside one
 * fenced block ({@code ```json ... ```} or {@code ``` ... ```}); anything around it (prose, a
 * second value) is rejected, so a model that drifts from the format is asked again rather than
 * half-understood.
 */
public final class LensAnswers {

  /** The field of the judge's JSON object. */
  static final String JUDGEMENT_FIELD = "judgement";

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern FENCE =
      Pattern.compile("\\A```[ \\t]*(?:json|JSON)?[ \\t]*\\R(.*?)\\R?```\\z", Pattern.DOTALL);

  private LensAnswers() {}

  /**
   * A JSON array of exactly {@code n} non-blank strings.
   *
   * @throws MalformedAnswerException saying what is wrong
   */
  public static List<String> stringList(String answer, int n) throws MalformedAnswerException {
    JsonNode node = json(answer);
    if (!node.isArray()) {
      throw new MalformedAnswerException("the answer is JSON but not an array");
    }
    if (node.size() != n) {
      throw new MalformedAnswerException(
          "the array has " + node.size() + " items, exactly " + n + " were asked for");
    }
    List<String> items = new ArrayList<>(n);
    for (JsonNode item : node) {
      if (!item.isTextual() || item.asText().isBlank()) {
        throw new MalformedAnswerException("every item must be a non-empty string");
      }
      items.add(item.asText().strip());
    }
    return items;
  }

  /**
   * A JSON object whose {@value #JUDGEMENT_FIELD} is one of the five labels.
   *
   * @throws MalformedAnswerException saying what is wrong
   */
  static Likelihood judgement(String answer) throws MalformedAnswerException {
    JsonNode node = json(answer);
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

  private static JsonNode json(String answer) throws MalformedAnswerException {
    String text = answer == null ? "" : answer.strip();
    Matcher fenced = FENCE.matcher(text);
    if (fenced.matches()) {
      text = fenced.group(1).strip();
    }
    if (text.isEmpty()) {
      throw new MalformedAnswerException("the answer is empty");
    }
    try {
      JsonNode node = JSON.readTree(text);
      if (node == null) {
        throw new MalformedAnswerException("the answer is empty");
      }
      return node;
    } catch (JsonProcessingException e) {
      throw new MalformedAnswerException("the answer is not a single JSON value");
    }
  }
}
