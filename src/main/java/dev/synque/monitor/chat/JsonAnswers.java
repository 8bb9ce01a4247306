package dev.synque.monitor.chat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strict parsing of a chat model's JSON answers. An answer is a single JSON value, optionally
 * inside one fenced block ({@code ```json ... ```} or {@code ``` ... ```}); anything around it
 * (prose, a second value) is rejected, so a model that drifts from the format is asked again rather
 * than half-understood.
 *
 * <p>Stateless and thread-safe.
 */
public final class JsonAnswers {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final Pattern FENCE =
      Pattern.compile("\\A```[ \\t]*(?:json|JSON)?[ \\t]*\\R(.*?)\\R?```\\z", Pattern.DOTALL);

  private JsonAnswers() {}

  /**
   * A JSON array of exactly {@code n} non-blank strings, each stripped.
   *
   * @param answer the model's text; null reads as empty
   * @param n the number of items asked for
   * @return the items, in order; never null
   * @throws MalformedAnswerException saying what is wrong
   */
  public static List<String> stringList(String answer, int n) throws MalformedAnswerException {
    JsonNode node = value(answer);
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
   * The single JSON value of an answer, unwrapped from one fenced block if there is one.
   *
   * @param answer the model's text; null reads as empty
   * @return the value; never null
   * @throws MalformedAnswerException when the answer is empty or not exactly one JSON value
   */
  public static JsonNode value(String answer) throws MalformedAnswerException {
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
