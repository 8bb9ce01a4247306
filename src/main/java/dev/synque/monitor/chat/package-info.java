/**
 * The chat port: a {@link dev.synque.monitor.chat.ChatModel} any OpenAI-compatible chat-completions
 * endpoint can serve, its HTTP adapter ({@link dev.synque.monitor.chat.OpenAiChatModel}), its
 * settings ({@link dev.synque.monitor.chat.LlmSettings}) and strict JSON answer parsing. Used by
 * {@code lens} (the judge) and {@code generate} (LLM generators); depends on neither.
 */
package dev.synque.monitor.chat;
