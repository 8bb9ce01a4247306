package dev.synque.monitor.chat;

import java.util.Objects;

/**
 * The answer of a chat model.
 *
 * @param content the assistant's text; never null (may be empty)
 * @param promptTokens prompt tokens the server reported, or -1 when it sent no {@code usage}
 * @param completionTokens completion tokens the server reported, or -1 when unknown
 */
public record ChatCompletion(String content, int promptTokens, int completionTokens) {

  public ChatCompletion {
    Objects.requireNonNull(content, "content");
  }

  /** Prompt plus completion tokens, 0 when the server reported no usage. */
  public long totalTokens() {
    return Math.max(0, promptTokens) + (long) Math.max(0, completionTokens);
  }
}
