package dev.synque.monitor.chat;

import java.util.Objects;

/**
 * One message of a chat-completions request.
 *
 * @param role {@code system}, {@code user} or {@code assistant}; never null
 * @param content the text; never null
 */
public record ChatMessage(String role, String content) {

  public ChatMessage {
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(content, "content");
    if (!role.equals("system") && !role.equals("user") && !role.equals("assistant")) {
      throw new IllegalArgumentException("chat message role must be system, user or assistant");
    }
  }

  /** A system message. */
  public static ChatMessage system(String content) {
    return new ChatMessage("system", content);
  }

  /** A user message. */
  public static ChatMessage user(String content) {
    return new ChatMessage("user", content);
  }

  /** An assistant message (an earlier answer, shown back when asking again). */
  public static ChatMessage assistant(String content) {
    return new ChatMessage("assistant", content);
  }
}
