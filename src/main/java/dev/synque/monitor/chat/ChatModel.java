package dev.synque.monitor.chat;

import java.util.List;

/**
 * Port to a chat LLM. Implementations bound their own concurrency, time out, and retry transient
 * failures; what they throw has already been retried.
 *
 * <p>Implementations are thread-safe.
 */
public interface ChatModel {

  /**
   * One chat completion.
   *
   * @param model the model name the server knows; never null
   * @param messages the conversation, at least one message
   * @return the answer; never null
   * @throws LlmException when the endpoint is unreachable, times out, answers with an error status
   *     after retries, or answers with something that is not a chat completion
   */
  ChatCompletion complete(String model, List<ChatMessage> messages);
}
