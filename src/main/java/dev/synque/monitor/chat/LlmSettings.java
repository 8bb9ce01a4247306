package dev.synque.monitor.chat;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How LENS reaches its LLM and how much it may spend. Read from a Kafka-style configuration map
 * (the worker's properties file, or the options of {@code synque lens}); every key below is a
 * constant with its default.
 *
 * <p>The API key is never part of the configuration: {@link #API_KEY_ENV} names the environment
 * variable that holds it, and neither the key nor its value is ever logged ({@link #toString()}
 * masks it).
 *
 * @param baseUrl base URL of the OpenAI-compatible API, e.g. {@code http://localhost:8000/v1}
 * @param rubricModel model that writes rubrics
 * @param judgeModel model that judges examples
 * @param apiKeyEnv name of the environment variable holding the API key
 * @param apiKey the key read from that variable, or null when it is unset (no auth header)
 * @param connectTimeout TCP connect timeout
 * @param requestTimeout timeout of one HTTP request, from sending to the full answer
 * @param maxConcurrency most LLM requests in flight at once, at least 1
 * @param maxRetries retries of one call on 429, 5xx, timeouts and connection failures, at least 0
 * @param retryBackoff first backoff; doubled per retry, with full jitter
 * @param retryBackoffMax longest backoff (also caps a server's {@code Retry-After})
 * @param rateLimitPerSecond most requests started per second; 0 for no limit
 * @param temperature sampling temperature sent with every request, in [0, 2]
 * @param budgetCallsPerHour most LLM calls per sliding hour, all generators; 0 for no limit
 * @param budgetCallsPerHourPerGenerator most LLM calls per sliding hour for one generator; 0 for no
 *     limit
 * @param rubricSize items per rubric list (similarities, and differences each way), at least 1
 * @param rubricSampleSize examples of each set shown to the rubric writer, at least 1
 * @param judgeSyntheticSize most synthetic examples judged per request, at least 1
 * @param judgeRealSize most real examples judged per rubric, at least 1
 * @param formatRetries times a malformed answer is asked again with a stricter instruction
 */
public record LlmSettings(
    URI baseUrl,
    String rubricModel,
    String judgeModel,
    String apiKeyEnv,
    String apiKey,
    Duration connectTimeout,
    Duration requestTimeout,
    int maxConcurrency,
    int maxRetries,
    Duration retryBackoff,
    Duration retryBackoffMax,
    double rateLimitPerSecond,
    double temperature,
    int budgetCallsPerHour,
    int budgetCallsPerHourPerGenerator,
    long budgetTokensPerHour,
    long budgetTokensPerHourPerGenerator,
    int rubricSize,
    int rubricSampleSize,
    int judgeSyntheticSize,
    int judgeRealSize,
    int formatRetries) {

  /** Base URL of the OpenAI-compatible API (the part before {@code /chat/completions}). */
  public static final String BASE_URL = "synque.lens.llm.base.url";

  /** Model that writes the rubric. Required. */
  public static final String RUBRIC_MODEL = "synque.lens.rubric.model";

  /** Model that judges examples. Required. */
  public static final String JUDGE_MODEL = "synque.lens.judge.model";

  /** Name of the environment variable holding the API key. */
  public static final String API_KEY_ENV = "synque.lens.llm.api.key.env";

  /** Default of {@link #API_KEY_ENV}. */
  public static final String DEFAULT_API_KEY_ENV = "SYNQUE_LLM_API_KEY";

  /** Connect timeout in milliseconds. */
  public static final String CONNECT_TIMEOUT_MS = "synque.lens.llm.connect.timeout.ms";

  /** Request timeout in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS = "synque.lens.llm.request.timeout.ms";

  /** Most requests in flight. */
  public static final String MAX_CONCURRENCY = "synque.lens.llm.max.concurrency";

  /** Retries of a call on transient failures. */
  public static final String MAX_RETRIES = "synque.lens.llm.max.retries";

  /** First retry backoff in milliseconds. */
  public static final String RETRY_BACKOFF_MS = "synque.lens.llm.retry.backoff.ms";

  /** Longest retry backoff in milliseconds. */
  public static final String RETRY_BACKOFF_MAX_MS = "synque.lens.llm.retry.backoff.max.ms";

  /** Most requests started per second (0: no limit). */
  public static final String RATE_LIMIT_PER_SECOND = "synque.lens.llm.rate.limit.per.second";

  /** Sampling temperature. */
  public static final String TEMPERATURE = "synque.lens.llm.temperature";

  /** LLM calls per sliding hour, all generators (0: no limit). */
  public static final String BUDGET_CALLS_PER_HOUR = "synque.lens.budget.calls.per.hour";

  /** LLM calls per sliding hour for one generator (0: no limit). */
  public static final String BUDGET_CALLS_PER_HOUR_PER_GENERATOR =
      "synque.lens.budget.calls.per.hour.per.generator";

  /** Tokens per sliding hour, all generators (0: no limit). */
  public static final String BUDGET_TOKENS_PER_HOUR = "synque.lens.budget.tokens.per.hour";

  /** Tokens per sliding hour for one generator (0: no limit). */
  public static final String BUDGET_TOKENS_PER_HOUR_PER_GENERATOR =
      "synque.lens.budget.tokens.per.hour.per.generator";

  /** Items per rubric list. */
  public static final String RUBRIC_SIZE = "synque.lens.rubric.size";

  /** Examples of each set shown to the rubric writer. */
  public static final String RUBRIC_SAMPLE_SIZE = "synque.lens.rubric.sample.size";

  /** Most synthetic examples judged per request. */
  public static final String JUDGE_SYNTHETIC_SIZE = "synque.lens.judge.synthetic.size";

  /** Most real examples judged per rubric. */
  public static final String JUDGE_REAL_SIZE = "synque.lens.judge.real.size";

  /** Re-asks with a stricter instruction after a malformed answer. */
  public static final String FORMAT_RETRIES = "synque.lens.format.retries";

  /** Defaults of every optional key, in documentation order. */
  public static final Map<String, String> DEFAULTS =
      Map.ofEntries(
          Map.entry(API_KEY_ENV, DEFAULT_API_KEY_ENV),
          Map.entry(CONNECT_TIMEOUT_MS, "5000"),
          Map.entry(REQUEST_TIMEOUT_MS, "120000"),
          Map.entry(MAX_CONCURRENCY, "4"),
          Map.entry(MAX_RETRIES, "4"),
          Map.entry(RETRY_BACKOFF_MS, "500"),
          Map.entry(RETRY_BACKOFF_MAX_MS, "30000"),
          Map.entry(RATE_LIMIT_PER_SECOND, "0"),
          Map.entry(TEMPERATURE, "0"),
          Map.entry(BUDGET_CALLS_PER_HOUR, "2000"),
          Map.entry(BUDGET_CALLS_PER_HOUR_PER_GENERATOR, "500"),
          Map.entry(BUDGET_TOKENS_PER_HOUR, "0"),
          Map.entry(BUDGET_TOKENS_PER_HOUR_PER_GENERATOR, "0"),
          Map.entry(RUBRIC_SIZE, "10"),
          Map.entry(RUBRIC_SAMPLE_SIZE, "20"),
          Map.entry(JUDGE_SYNTHETIC_SIZE, "25"),
          Map.entry(JUDGE_REAL_SIZE, "25"),
          Map.entry(FORMAT_RETRIES, "1"));

  /**
   * Every key with its type, default, rule and documentation, for the configuration reference. The
   * defaults are those of {@link #DEFAULTS}; {@link #fromConfig} and the constructor apply them and
   * the rules.
   */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              BASE_URL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Base URL of the OpenAI-compatible API, the part before /chat/completions, e.g. http://localhost:8000/v1. Required.")
          .define(
              RUBRIC_MODEL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Model that writes the rubrics. Required.")
          .define(
              JUDGE_MODEL,
              Type.STRING,
              ConfigDef.NO_DEFAULT_VALUE,
              Importance.HIGH,
              "Model that judges examples. Required.")
          .define(
              API_KEY_ENV,
              Type.STRING,
              DEFAULTS.get(API_KEY_ENV),
              Importance.HIGH,
              "Name of the environment variable holding the API key; unset or empty: no Authorization header. The key is never logged.")
          .define(
              CONNECT_TIMEOUT_MS,
              Type.LONG,
              DEFAULTS.get(CONNECT_TIMEOUT_MS),
              Range.atLeast(1),
              Importance.LOW,
              "TCP connect timeout, milliseconds.")
          .define(
              REQUEST_TIMEOUT_MS,
              Type.LONG,
              DEFAULTS.get(REQUEST_TIMEOUT_MS),
              Range.atLeast(1),
              Importance.MEDIUM,
              "Timeout of one request, from sending to the full answer, milliseconds.")
          .define(
              MAX_CONCURRENCY,
              Type.INT,
              DEFAULTS.get(MAX_CONCURRENCY),
              Range.atLeast(1),
              Importance.MEDIUM,
              "Most LLM requests in flight at once.")
          .define(
              MAX_RETRIES,
              Type.INT,
              DEFAULTS.get(MAX_RETRIES),
              Range.atLeast(0),
              Importance.MEDIUM,
              "Retries of one call on 429, 5xx, timeouts and refused connections.")
          .define(
              RETRY_BACKOFF_MS,
              Type.LONG,
              DEFAULTS.get(RETRY_BACKOFF_MS),
              Range.atLeast(1),
              Importance.LOW,
              "First retry backoff, milliseconds; doubled per retry, with full jitter.")
          .define(
              RETRY_BACKOFF_MAX_MS,
              Type.LONG,
              DEFAULTS.get(RETRY_BACKOFF_MAX_MS),
              Range.atLeast(1),
              Importance.LOW,
              "Longest retry backoff, milliseconds (at least the first backoff); also caps a server's Retry-After.")
          .define(
              RATE_LIMIT_PER_SECOND,
              Type.DOUBLE,
              DEFAULTS.get(RATE_LIMIT_PER_SECOND),
              Range.atLeast(0),
              Importance.MEDIUM,
              "Most requests started per second; 0: no limit.")
          .define(
              TEMPERATURE,
              Type.DOUBLE,
              DEFAULTS.get(TEMPERATURE),
              Range.between(0, 2),
              Importance.LOW,
              "Sampling temperature sent with every request.")
          .define(
              BUDGET_CALLS_PER_HOUR,
              Type.INT,
              DEFAULTS.get(BUDGET_CALLS_PER_HOUR),
              Range.atLeast(0),
              Importance.HIGH,
              "LLM calls per sliding hour, all generators together; 0: no limit.")
          .define(
              BUDGET_CALLS_PER_HOUR_PER_GENERATOR,
              Type.INT,
              DEFAULTS.get(BUDGET_CALLS_PER_HOUR_PER_GENERATOR),
              Range.atLeast(0),
              Importance.HIGH,
              "LLM calls per sliding hour for one generator; 0: no limit.")
          .define(
              BUDGET_TOKENS_PER_HOUR,
              Type.LONG,
              DEFAULTS.get(BUDGET_TOKENS_PER_HOUR),
              Range.atLeast(0),
              Importance.MEDIUM,
              "Tokens (prompt plus completion) per sliding hour, all generators; 0: no limit.")
          .define(
              BUDGET_TOKENS_PER_HOUR_PER_GENERATOR,
              Type.LONG,
              DEFAULTS.get(BUDGET_TOKENS_PER_HOUR_PER_GENERATOR),
              Range.atLeast(0),
              Importance.MEDIUM,
              "Tokens per sliding hour for one generator; 0: no limit.")
          .define(
              RUBRIC_SIZE,
              Type.INT,
              DEFAULTS.get(RUBRIC_SIZE),
              Range.atLeast(1),
              Importance.MEDIUM,
              "Items per rubric list (N): similarities, and differences each way.")
          .define(
              RUBRIC_SAMPLE_SIZE,
              Type.INT,
              DEFAULTS.get(RUBRIC_SAMPLE_SIZE),
              Range.atLeast(1),
              Importance.LOW,
              "Examples of each set shown to the rubric writer.")
          .define(
              JUDGE_SYNTHETIC_SIZE,
              Type.INT,
              DEFAULTS.get(JUDGE_SYNTHETIC_SIZE),
              Range.atLeast(1),
              Importance.MEDIUM,
              "Most synthetic examples judged per request.")
          .define(
              JUDGE_REAL_SIZE,
              Type.INT,
              DEFAULTS.get(JUDGE_REAL_SIZE),
              Range.atLeast(1),
              Importance.MEDIUM,
              "Most real examples judged per rubric.")
          .define(
              FORMAT_RETRIES,
              Type.INT,
              DEFAULTS.get(FORMAT_RETRIES),
              Range.atLeast(0),
              Importance.LOW,
              "Times a malformed answer is asked again with a stricter instruction.");

  /**
   * @throws ConfigException naming the key and the rule for any value out of range
   */
  public LlmSettings {
    Objects.requireNonNull(baseUrl, "baseUrl");
    requireText(RUBRIC_MODEL, rubricModel);
    requireText(JUDGE_MODEL, judgeModel);
    requireText(API_KEY_ENV, apiKeyEnv);
    requirePositive(CONNECT_TIMEOUT_MS, connectTimeout);
    requirePositive(REQUEST_TIMEOUT_MS, requestTimeout);
    atLeast(MAX_CONCURRENCY, maxConcurrency, 1);
    atLeast(MAX_RETRIES, maxRetries, 0);
    requirePositive(RETRY_BACKOFF_MS, retryBackoff);
    requirePositive(RETRY_BACKOFF_MAX_MS, retryBackoffMax);
    if (retryBackoffMax.compareTo(retryBackoff) < 0) {
      throw new ConfigException(
          RETRY_BACKOFF_MAX_MS, retryBackoffMax.toMillis(), "must be at least " + RETRY_BACKOFF_MS);
    }
    if (!(rateLimitPerSecond >= 0) || Double.isInfinite(rateLimitPerSecond)) {
      throw new ConfigException(
          RATE_LIMIT_PER_SECOND, rateLimitPerSecond, "must be a finite number >= 0 (0: no limit)");
    }
    if (!(temperature >= 0 && temperature <= 2)) {
      throw new ConfigException(TEMPERATURE, temperature, "must be between 0 and 2");
    }
    atLeast(BUDGET_CALLS_PER_HOUR, budgetCallsPerHour, 0);
    atLeast(BUDGET_CALLS_PER_HOUR_PER_GENERATOR, budgetCallsPerHourPerGenerator, 0);
    if (budgetTokensPerHour < 0) {
      throw new ConfigException(BUDGET_TOKENS_PER_HOUR, budgetTokensPerHour, "must be at least 0");
    }
    if (budgetTokensPerHourPerGenerator < 0) {
      throw new ConfigException(
          BUDGET_TOKENS_PER_HOUR_PER_GENERATOR,
          budgetTokensPerHourPerGenerator,
          "must be at least 0");
    }
    atLeast(RUBRIC_SIZE, rubricSize, 1);
    atLeast(RUBRIC_SAMPLE_SIZE, rubricSampleSize, 1);
    atLeast(JUDGE_SYNTHETIC_SIZE, judgeSyntheticSize, 1);
    atLeast(JUDGE_REAL_SIZE, judgeRealSize, 1);
    atLeast(FORMAT_RETRIES, formatRetries, 0);
  }

  /** Settings from configuration, the API key read from the process environment. */
  public static LlmSettings fromConfig(Map<String, ?> config) {
    return fromConfig(config, System::getenv);
  }

  /**
   * Settings from configuration.
   *
   * @param config keys of this class; unknown keys are ignored
   * @param environment looks up an environment variable (null when unset)
   * @throws ConfigException naming the key and the rule when a value is missing or malformed
   */
  public static LlmSettings fromConfig(
      Map<String, ?> config, Function<String, String> environment) {
    String base = string(config, BASE_URL);
    if (base == null) {
      throw new ConfigException(BASE_URL, null, "the LLM base URL is required");
    }
    URI baseUrl = parseBaseUrl(base);
    String keyEnv = string(config, API_KEY_ENV);
    String key = environment.apply(keyEnv);
    return new LlmSettings(
        baseUrl,
        string(config, RUBRIC_MODEL),
        string(config, JUDGE_MODEL),
        keyEnv,
        key == null || key.isBlank() ? null : key.strip(),
        Duration.ofMillis(longValue(config, CONNECT_TIMEOUT_MS)),
        Duration.ofMillis(longValue(config, REQUEST_TIMEOUT_MS)),
        intValue(config, MAX_CONCURRENCY),
        intValue(config, MAX_RETRIES),
        Duration.ofMillis(longValue(config, RETRY_BACKOFF_MS)),
        Duration.ofMillis(longValue(config, RETRY_BACKOFF_MAX_MS)),
        doubleValue(config, RATE_LIMIT_PER_SECOND),
        doubleValue(config, TEMPERATURE),
        intValue(config, BUDGET_CALLS_PER_HOUR),
        intValue(config, BUDGET_CALLS_PER_HOUR_PER_GENERATOR),
        longValue(config, BUDGET_TOKENS_PER_HOUR),
        longValue(config, BUDGET_TOKENS_PER_HOUR_PER_GENERATOR),
        intValue(config, RUBRIC_SIZE),
        intValue(config, RUBRIC_SAMPLE_SIZE),
        intValue(config, JUDGE_SYNTHETIC_SIZE),
        intValue(config, JUDGE_REAL_SIZE),
        intValue(config, FORMAT_RETRIES));
  }

  /** The chat-completions endpoint: {@code baseUrl + "/chat/completions"}. */
  public URI chatCompletionsUrl() {
    String s = baseUrl.toString();
    return URI.create((s.endsWith("/") ? s.substring(0, s.length() - 1) : s) + "/chat/completions");
  }

  /** Everything but the API key, which shows only as set or unset. */
  @Override
  public String toString() {
    return "LlmSettings[baseUrl="
        + baseUrl
        + ", rubricModel="
        + rubricModel
        + ", judgeModel="
        + judgeModel
        + ", apiKey="
        + (apiKey == null ? "unset" : "set from $" + apiKeyEnv)
        + ", requestTimeout="
        + requestTimeout
        + ", maxConcurrency="
        + maxConcurrency
        + ", maxRetries="
        + maxRetries
        + ", budgetCallsPerHour="
        + budgetCallsPerHour
        + ", budgetCallsPerHourPerGenerator="
        + budgetCallsPerHourPerGenerator
        + ", budgetTokensPerHour="
        + budgetTokensPerHour
        + ", budgetTokensPerHourPerGenerator="
        + budgetTokensPerHourPerGenerator
        + ", rubricSize="
        + rubricSize
        + "]";
  }

  private static URI parseBaseUrl(String value) {
    try {
      URI uri = new URI(value);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new ConfigException(
            BASE_URL, value, "must be an http:// or https:// URL, e.g. http://localhost:8000/v1");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new ConfigException(BASE_URL, value, "is not a URL: " + e.getMessage());
    }
  }

  private static String string(Map<String, ?> config, String key) {
    Object v = config.get(key);
    if (v == null || v.toString().isBlank()) {
      return DEFAULTS.get(key);
    }
    return v.toString().strip();
  }

  private static long longValue(Map<String, ?> config, String key) {
    String v = string(config, key);
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "must be a whole number");
    }
  }

  private static int intValue(Map<String, ?> config, String key) {
    String v = string(config, key);
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "must be a whole number");
    }
  }

  private static double doubleValue(Map<String, ?> config, String key) {
    String v = string(config, key);
    try {
      return Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "must be a number");
    }
  }

  private static void requireText(String key, String value) {
    if (value == null || value.isBlank()) {
      throw new ConfigException(key, value, "is required");
    }
  }

  private static void requirePositive(String key, Duration value) {
    if (value == null || value.isZero() || value.isNegative()) {
      throw new ConfigException(
          key, value == null ? null : value.toMillis(), "must be a positive number of ms");
    }
  }

  private static void atLeast(String key, int value, int min) {
    if (value < min) {
      throw new ConfigException(key, value, "must be at least " + min);
    }
  }
}
