package dev.synque.monitor.embed;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;

/**
 * How to reach an embedding server that speaks the OpenAI {@code POST /v1/embeddings} API (Hugging
 * Face Text Embeddings Inference, vLLM, Infinity, Ollama, OpenAI). Setting {@link #URL} switches
 * the monitor from the local model to the server; {@link EmbedderSettings#MODEL} then names the
 * server's model and {@link EmbedderSettings#BATCH_SIZE} the texts per request.
 *
 * @param url the API base, for example {@code http://localhost:8080/v1}; requests go to {@code url
 *     + "/embeddings"}; never null
 * @param model the model name sent with every request; never blank
 * @param apiKeyEnv the environment variable holding the bearer token; never blank
 * @param apiKey the bearer token, or null to send none; never logged
 * @param dimension the vector dimension the server must return, or 0 to take the one it returns
 *     when the embedder is opened
 * @param tokenizer a built-in model name or a directory whose {@code tokenizer.json} counts and
 *     truncates tokens before texts are sent, or null to send texts whole (the server truncates)
 * @param maxLength most tokens per text with {@code tokenizer}, special tokens included, or 0 for
 *     the tokenizer model's default
 * @param batchSize most texts per request, 1..4096
 * @param connectTimeout connection timeout, positive
 * @param requestTimeout timeout of one request, positive
 * @param maxConcurrency most requests in flight from this process, 1..256; callers beyond wait
 * @param maxRetries retries of a request after 429, 5xx, a timeout or a refused connection
 * @param retryBackoff first backoff, positive; doubled per retry, with jitter
 * @param retryBackoffMax longest backoff, also the cap on a server's {@code Retry-After}
 */
public record RemoteEmbedderSettings(
    URI url,
    String model,
    String apiKeyEnv,
    String apiKey,
    int dimension,
    String tokenizer,
    int maxLength,
    int batchSize,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConcurrency,
    int maxRetries,
    Duration retryBackoff,
    Duration retryBackoffMax) {

  /** Base URL of an OpenAI-compatible embeddings API ({@code --embeddings-url}). */
  public static final String URL = "synque.embed.url";

  /** Environment variable with the server's API key; default {@code SYNQUE_EMBED_API_KEY}. */
  public static final String API_KEY_ENV = "synque.embed.api.key.env";

  /** Dimension the server must return; default 0: whatever the first answer has. */
  public static final String DIMENSION = "synque.embed.dimension";

  /** Tokenizer for client-side truncation ({@code --tokenizer}); default none. */
  public static final String TOKENIZER = "synque.embed.tokenizer";

  /** Connection timeout in milliseconds; default 5000. */
  public static final String CONNECT_TIMEOUT_MS = "synque.embed.connect.timeout.ms";

  /** Request timeout in milliseconds; default 60000. */
  public static final String REQUEST_TIMEOUT_MS = "synque.embed.request.timeout.ms";

  /** Requests in flight at most; default 4. */
  public static final String MAX_CONCURRENCY = "synque.embed.max.concurrency";

  /** Retries per request; default 4. */
  public static final String MAX_RETRIES = "synque.embed.max.retries";

  /** First retry backoff in milliseconds; default 500. */
  public static final String RETRY_BACKOFF_MS = "synque.embed.retry.backoff.ms";

  /** Longest retry backoff in milliseconds; default 30000. */
  public static final String RETRY_BACKOFF_MAX_MS = "synque.embed.retry.backoff.max.ms";

  /** The default environment variable of the API key. */
  public static final String DEFAULT_API_KEY_ENV = "SYNQUE_EMBED_API_KEY";

  /**
   * @throws ConfigException naming the key and the rule for a value out of range
   */
  public RemoteEmbedderSettings {
    Objects.requireNonNull(url, "url");
    if (model == null || model.isBlank()) {
      throw new ConfigException(
          EmbedderSettings.MODEL, model, "name the server's model (--model) with " + URL);
    }
    if (apiKeyEnv == null || apiKeyEnv.isBlank()) {
      throw new ConfigException(API_KEY_ENV, apiKeyEnv, "must name an environment variable");
    }
    range(DIMENSION, dimension, 0, 1 << 16);
    if (maxLength != 0 && maxLength < 3) {
      throw new ConfigException(
          EmbedderSettings.MAX_LENGTH, maxLength, "must be at least 3 (or 0: the model's)");
    }
    if (maxLength != 0 && tokenizer == null) {
      throw new ConfigException(
          EmbedderSettings.MAX_LENGTH,
          maxLength,
          "a maximum length for a server needs " + TOKENIZER + " to count tokens with");
    }
    range(EmbedderSettings.BATCH_SIZE, batchSize, 1, 4096);
    positive(CONNECT_TIMEOUT_MS, connectTimeout);
    positive(REQUEST_TIMEOUT_MS, requestTimeout);
    range(MAX_CONCURRENCY, maxConcurrency, 1, 256);
    range(MAX_RETRIES, maxRetries, 0, 100);
    positive(RETRY_BACKOFF_MS, retryBackoff);
    positive(RETRY_BACKOFF_MAX_MS, retryBackoffMax);
    if (retryBackoffMax.compareTo(retryBackoff) < 0) {
      throw new ConfigException(
          RETRY_BACKOFF_MAX_MS, retryBackoffMax.toMillis(), "must be at least " + RETRY_BACKOFF_MS);
    }
  }

  /** The embeddings endpoint: {@code url + "/embeddings"}. */
  public URI embeddingsUrl() {
    String s = url.toString();
    return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/embeddings");
  }

  /** Settings for a server at {@code url} with the defaults of every optional key. */
  public static RemoteEmbedderSettings of(URI url, String model) {
    return fromConfig(Map.of(URL, url.toString(), EmbedderSettings.MODEL, model), k -> null)
        .orElseThrow();
  }

  /** Settings from configuration, the API key read from the process environment. */
  public static Optional<RemoteEmbedderSettings> fromConfig(Map<String, ?> config) {
    return fromConfig(config, System::getenv);
  }

  /**
   * Settings from configuration, or empty when {@link #URL} is not set (the local model is used).
   *
   * @param environment looks up an environment variable (null when unset)
   * @throws ConfigException naming the key and the rule when a value is malformed
   */
  public static Optional<RemoteEmbedderSettings> fromConfig(
      Map<String, ?> config, Function<String, String> environment) {
    Object url = config.get(URL);
    if (url == null || url.toString().isBlank()) {
      return Optional.empty();
    }
    Object model = config.get(EmbedderSettings.MODEL);
    String keyEnv = text(config, API_KEY_ENV, DEFAULT_API_KEY_ENV);
    String key = environment.apply(keyEnv);
    return Optional.of(
        new RemoteEmbedderSettings(
            parseUrl(url.toString().strip()),
            model == null ? null : model.toString().strip(),
            keyEnv,
            key == null || key.isBlank() ? null : key.strip(),
            (int) number(config, DIMENSION, 0),
            text(config, TOKENIZER, null),
            (int) number(config, EmbedderSettings.MAX_LENGTH, 0),
            (int) number(config, EmbedderSettings.BATCH_SIZE, EmbedderSettings.DEFAULT_BATCH_SIZE),
            Duration.ofMillis(number(config, CONNECT_TIMEOUT_MS, 5_000)),
            Duration.ofMillis(number(config, REQUEST_TIMEOUT_MS, 60_000)),
            (int) number(config, MAX_CONCURRENCY, 4),
            (int) number(config, MAX_RETRIES, 4),
            Duration.ofMillis(number(config, RETRY_BACKOFF_MS, 500)),
            Duration.ofMillis(number(config, RETRY_BACKOFF_MAX_MS, 30_000))));
  }

  /** A copy with other retry timings (tests use short ones). */
  public RemoteEmbedderSettings withRetries(int retries, Duration backoff, Duration backoffMax) {
    return new RemoteEmbedderSettings(
        url,
        model,
        apiKeyEnv,
        apiKey,
        dimension,
        tokenizer,
        maxLength,
        batchSize,
        connectTimeout,
        requestTimeout,
        maxConcurrency,
        retries,
        backoff,
        backoffMax);
  }

  /** A copy with another request timeout. */
  public RemoteEmbedderSettings withRequestTimeout(Duration timeout) {
    return new RemoteEmbedderSettings(
        url,
        model,
        apiKeyEnv,
        apiKey,
        dimension,
        tokenizer,
        maxLength,
        batchSize,
        connectTimeout,
        timeout,
        maxConcurrency,
        maxRetries,
        retryBackoff,
        retryBackoffMax);
  }

  /** A copy with another expected dimension (0: any). */
  public RemoteEmbedderSettings withDimension(int newDimension) {
    return new RemoteEmbedderSettings(
        url,
        model,
        apiKeyEnv,
        apiKey,
        newDimension,
        tokenizer,
        maxLength,
        batchSize,
        connectTimeout,
        requestTimeout,
        maxConcurrency,
        maxRetries,
        retryBackoff,
        retryBackoffMax);
  }

  /** A copy with another tokenizer (null: none) and maximum length. */
  public RemoteEmbedderSettings withTokenizer(String newTokenizer, int newMaxLength) {
    return new RemoteEmbedderSettings(
        url,
        model,
        apiKeyEnv,
        apiKey,
        dimension,
        newTokenizer,
        newMaxLength,
        batchSize,
        connectTimeout,
        requestTimeout,
        maxConcurrency,
        maxRetries,
        retryBackoff,
        retryBackoffMax);
  }

  /** A copy with another batch size and concurrency. */
  public RemoteEmbedderSettings withBatching(int newBatchSize, int newMaxConcurrency) {
    return new RemoteEmbedderSettings(
        url,
        model,
        apiKeyEnv,
        apiKey,
        dimension,
        tokenizer,
        maxLength,
        newBatchSize,
        connectTimeout,
        requestTimeout,
        newMaxConcurrency,
        maxRetries,
        retryBackoff,
        retryBackoffMax);
  }

  /** Everything but the API key, which shows only as set or unset. */
  @Override
  public String toString() {
    return "RemoteEmbedderSettings[url="
        + url
        + ", model="
        + model
        + ", apiKey="
        + (apiKey == null ? "unset" : "set from " + apiKeyEnv)
        + ", dimension="
        + dimension
        + ", tokenizer="
        + tokenizer
        + ", maxLength="
        + maxLength
        + ", batchSize="
        + batchSize
        + ", maxConcurrency="
        + maxConcurrency
        + ", maxRetries="
        + maxRetries
        + "]";
  }

  private static URI parseUrl(String value) {
    try {
      URI uri = new URI(value);
      if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
          || uri.getHost() == null) {
        throw new ConfigException(URL, value, "must be an http:// or https:// URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(URL, value, "not a URL: " + e.getReason());
    }
  }

  private static String text(Map<String, ?> config, String key, String fallback) {
    Object value = config.get(key);
    return value == null || value.toString().isBlank() ? fallback : value.toString().strip();
  }

  private static long number(Map<String, ?> config, String key, long fallback) {
    Object value = config.get(key);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value.toString().strip());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be a whole number");
    }
  }

  private static void range(String key, long value, long min, long max) {
    if (value < min || value > max) {
      throw new ConfigException(key, value, "must be between " + min + " and " + max);
    }
  }

  private static void positive(String key, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new ConfigException(
          key, value == null ? null : value.toMillis(), "must be a positive number of ms");
    }
  }
}
