package dev.synque.monitor.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ChatModel} on the OpenAI chat-completions API ({@code POST {base}/chat/completions}), as
 * served by OpenAI, DeepSeek, vLLM, Ollama ({@code /v1}) and the llama.cpp server.
 *
 * <ul>
 *   <li>At most {@link LlmSettings#maxConcurrency()} requests are in flight; callers beyond that
 *       wait. Requests start at most {@link LlmSettings#rateLimitPerSecond()} per second.
 *   <li>HTTP 429, 5xx, timeouts and refused connections are retried up to {@link
 *       LlmSettings#maxRetries()} times with exponential backoff and full jitter; a {@code
 *       Retry-After} header (seconds or HTTP date) is honoured, capped by {@link
 *       LlmSettings#retryBackoffMax()}. Other 4xx are not retried.
 *   <li>Failures are {@link LlmException}s with their {@link LlmException.Kind}, the URL and the
 *       server's own error message. The API key is sent as a bearer token and never logged.
 *   <li>Token usage is added up when the server returns {@code usage}.
 * </ul>
 *
 * <p>Thread-safe. Owns its {@link HttpClient}; nothing to close.
 */
public final class OpenAiChatModel implements ChatModel {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiChatModel.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final LlmSettings settings;
  private final URI url;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final Object pacingLock = new Object();
  private long nextStartNanos = System.nanoTime();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong promptTokens = new AtomicLong();
  private final AtomicLong completionTokens = new AtomicLong();

  /**
   * @param settings endpoint, timeouts, concurrency and retries; never null
   */
  public OpenAiChatModel(LlmSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.url = settings.chatCompletionsUrl();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.inFlight = new Semaphore(settings.maxConcurrency(), true);
  }

  @Override
  public ChatCompletion complete(String model, List<ChatMessage> messages) {
    Objects.requireNonNull(model, "model");
    if (messages == null || messages.isEmpty()) {
      throw new IllegalArgumentException("a chat completion needs at least one message");
    }
    String body = requestBody(model, messages);
    return OpenAiHttp.withRetries(
        () -> send(body),
        this::parse,
        new OpenAiHttp.RetryPolicy(
            settings.maxRetries(), settings.retryBackoff(), settings.retryBackoffMax()),
        failures,
        "LLM call",
        url);
  }

  /** The chat client's failures, as {@link LlmException}s of their kind. */
  private final OpenAiHttp.Failures<LlmException> failures =
      new OpenAiHttp.Failures<>() {
        @Override
        public LlmException status(int status, String serverMessage) {
          return new LlmException(
              LlmException.Kind.HTTP_STATUS,
              status,
              "LLM endpoint " + url + " answered HTTP " + status + ": " + serverMessage,
              null);
        }

        @Override
        public LlmException timeout(HttpTimeoutException e) {
          return new LlmException(
              LlmException.Kind.TIMEOUT,
              0,
              "LLM endpoint "
                  + url
                  + " did not answer within "
                  + settings.requestTimeout().toMillis()
                  + " ms",
              e);
        }

        @Override
        public LlmException unreachable(IOException e) {
          return OpenAiChatModel.this.unreachable(e);
        }

        @Override
        public LlmException interrupted(InterruptedException e) {
          return new LlmException(
              LlmException.Kind.INTERRUPTED, 0, "interrupted during backoff", e);
        }
      };

  /** HTTP requests sent, retries included. */
  public long requests() {
    return requests.get();
  }

  /** Prompt tokens the server reported, summed. */
  public long promptTokens() {
    return promptTokens.get();
  }

  /** Completion tokens the server reported, summed. */
  public long completionTokens() {
    return completionTokens.get();
  }

  private LlmException unreachable(IOException e) {
    String why =
        e instanceof ConnectException || e.getMessage() == null
            ? "connection refused"
            : e.getMessage();
    return new LlmException(
        LlmException.Kind.UNREACHABLE, 0, "LLM endpoint " + url + " is unreachable: " + why, e);
  }

  private HttpResponse<String> send(String body) throws IOException {
    pace();
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    }
    try {
      requests.incrementAndGet();
      return OpenAiHttp.postJson(http, url, settings.requestTimeout(), settings.apiKey(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw interrupted(e);
    } finally {
      inFlight.release();
    }
  }

  private LlmException interrupted(InterruptedException e) {
    return new LlmException(
        LlmException.Kind.INTERRUPTED, 0, "interrupted while calling " + url, e);
  }

  /** Spaces request starts by 1 / rate seconds. */
  private void pace() {
    if (settings.rateLimitPerSecond() <= 0) {
      return;
    }
    long interval = (long) (1e9 / settings.rateLimitPerSecond());
    long wait;
    synchronized (pacingLock) {
      long now = System.nanoTime();
      long start = Math.max(now, nextStartNanos);
      nextStartNanos = start + interval;
      wait = start - now;
    }
    if (wait > 0) {
      sleep(Duration.ofNanos(wait));
    }
  }

  private static void sleep(Duration d) {
    try {
      RetryBackoff.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LlmException(LlmException.Kind.INTERRUPTED, 0, "interrupted during backoff", e);
    }
  }

  private String requestBody(String model, List<ChatMessage> messages) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", model);
    ArrayNode array = root.putArray("messages");
    for (ChatMessage m : messages) {
      array.addObject().put("role", m.role()).put("content", m.content());
    }
    root.put("temperature", settings.temperature());
    root.put("stream", false);
    return root.toString();
  }

  private ChatCompletion parse(String body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw malformed("the body is not JSON", body, e);
    }
    JsonNode content =
        root == null ? null : root.path("choices").path(0).path("message").get("content");
    if (content == null || !content.isTextual()) {
      throw malformed("no choices[0].message.content string", body, null);
    }
    JsonNode usage = root.path("usage");
    int prompt = usage.path("prompt_tokens").isInt() ? usage.get("prompt_tokens").asInt() : -1;
    int completion =
        usage.path("completion_tokens").isInt() ? usage.get("completion_tokens").asInt() : -1;
    if (prompt > 0) {
      promptTokens.addAndGet(prompt);
    }
    if (completion > 0) {
      completionTokens.addAndGet(completion);
    }
    return new ChatCompletion(content.asText(), prompt, completion);
  }

  private LlmException malformed(String why, String body, Throwable cause) {
    return new LlmException(
        LlmException.Kind.MALFORMED_RESPONSE,
        0,
        "LLM endpoint "
            + url
            + " answered with a malformed chat completion ("
            + why
            + "): "
            + OpenAiHttp.excerpt(body),
        cause);
  }

  /**
   * A one-line excerpt of a model's answer for messages and logs; see {@link OpenAiHttp#excerpt}.
   */
  public static String excerpt(String text) {
    return OpenAiHttp.excerpt(text);
  }
}
