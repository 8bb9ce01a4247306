package dev.synque.monitor.generate;

import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.JsonAnswers;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.MalformedAnswerException;
import java.util.ArrayList;
import java.util.List;

/**
 * A generator backed by an LLM, the way synthetic data is made in practice: each call sends the
 * user's prompt (the task, style, label mix...) and asks for a JSON array of exactly {@code
 * perCall} texts. It talks through the same {@link ChatModel} port as LENS, so timeouts, rate
 * limits and retries on 429/5xx with backoff are the adapter's. A malformed answer (not exactly a
 * JSON array of that many non-blank strings; one fenced {@code json} block is accepted) is asked
 * again once with a stricter instruction, then counted and skipped; nothing malformed is published.
 * Not thread-safe.
 */
public final class LlmGenerator {

  /** The system message: the answer format, never the task (that is the user's prompt). */
  static final String SYSTEM =
      "You generate synthetic training data. Follow the user's instructions for content and"
          + " style. Answer with a JSON array of exactly %d strings, one generated example per"
          + " string, and nothing else: no prose, no numbering, no keys.";

  private final ChatModel chat;
  private final String model;
  private final String prompt;
  private final int perCall;
  private long malformed;
  private long calls;

  /**
   * @param chat the endpoint, owned by the caller
   * @param model the model name the endpoint knows
   * @param prompt the user's prompt template, not blank
   * @param perCall texts per call, 1 to 100
   */
  public LlmGenerator(ChatModel chat, String model, String prompt, int perCall) {
    if (chat == null || model == null || model.isBlank() || prompt == null || prompt.isBlank()) {
      throw new IllegalArgumentException("LLM generator: endpoint, model and prompt are required");
    }
    if (perCall < 1 || perCall > 100) {
      throw new IllegalArgumentException(
          "LLM generator: texts per call " + perCall + " must be between 1 and 100");
    }
    this.chat = chat;
    this.model = model;
    this.prompt = prompt;
    this.perCall = perCall;
  }

  /**
   * One call's texts: {@code perCall} texts, or none when the answer stayed malformed (counted).
   *
   * @throws LlmException when the endpoint fails after the adapter's retries
   */
  public List<String> next() {
    List<ChatMessage> messages = new ArrayList<>();
    messages.add(ChatMessage.system(String.format(SYSTEM, perCall)));
    messages.add(ChatMessage.user(prompt));
    String answer = ask(messages);
    try {
      return JsonAnswers.stringList(answer, perCall);
    } catch (MalformedAnswerException first) {
      messages.add(new ChatMessage("assistant", answer));
      messages.add(
          ChatMessage.user(
              "That answer was not usable: "
                  + first.getMessage()
                  + ". Reply again with only a JSON array of exactly "
                  + perCall
                  + " non-empty strings."));
      try {
        return JsonAnswers.stringList(ask(messages), perCall);
      } catch (MalformedAnswerException second) {
        malformed++;
        return List.of();
      }
    }
  }

  private String ask(List<ChatMessage> messages) {
    calls++;
    return chat.complete(model, messages).content();
  }

  /** Answers that stayed malformed after the stricter re-ask. */
  public long malformedAnswers() {
    return malformed;
  }

  /** Chat calls made. */
  public long calls() {
    return calls;
  }
}
