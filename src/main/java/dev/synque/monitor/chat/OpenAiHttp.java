package dev.synque.monitor.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the project's two clients of OpenAI-compatible servers (the LENS chat client and the
 * embeddings client) do alike: post a JSON body, send it again on 429, 5xx, timeouts and broken
 * connections ({@link #withRetries}, waits by {@link RetryBackoff}), and turn an error body or an
 * answer into a one-line excerpt for messages and logs. Each client names its own failures ({@link
 * Failures}).
 */
public final class OpenAiHttp {

  /** The longest excerpt, in characters. */
  public static final int EXCERPT = 300;

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(OpenAiHttp.class);

  private OpenAiHttp() {}

  /** One request, sent again on each attempt. */
  public interface Request {
    HttpResponse<String> send() throws IOException;
  }

  /** How a client names its failures: each returns the exception to throw or to keep. */
  public interface Failures<E extends RuntimeException> {

    /** An answer outside 2xx; {@code serverMessage} is the server's own words. */
    E status(int status, String serverMessage);

    /** No answer within the request timeout. */
    E timeout(HttpTimeoutException e);

    /** No connection: refused, reset, or not made within the connect timeout. */
    E unreachable(IOException e);

    /** Interrupted while waiting to retry (the thread's interrupt flag is set again). */
    E interrupted(InterruptedException e);

    /** What to throw once every retry failed, the last with {@code last}. */
    default E exhausted(E last, int retries) {
      return last;
    }
  }

  /** Retries and their waits. */
  public record RetryPolicy(int maxRetries, Duration backoff, Duration backoffMax) {}

  /**
   * Sends {@code request} until it is answered with 2xx and returns {@code parse} of the body.
   * Retries (at most {@link RetryPolicy#maxRetries()}) a 429 or 5xx answer, a timeout and a broken
   * connection, waiting as {@link RetryBackoff#wait} says (the server's {@code Retry-After} when
   * given); any other status is thrown at once.
   *
   * @param what names the request in debug logs
   */
  public static <T, E extends RuntimeException> T withRetries(
      Request request,
      java.util.function.Function<String, T> parse,
      RetryPolicy policy,
      Failures<E> failures,
      String what,
      URI url) {
    E last = null;
    Duration serverWait = null;
    for (int attempt = 0; attempt <= policy.maxRetries(); attempt++) {
      if (attempt > 0) {
        Duration wait =
            RetryBackoff.wait(attempt, policy.backoff(), policy.backoffMax(), serverWait);
        LOG.debug(
            "{} to {} retry {} of {} in {} ms after: {}",
            what,
            url,
            attempt,
            policy.maxRetries(),
            wait.toMillis(),
            last.getMessage());
        try {
          RetryBackoff.sleep(wait);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw failures.interrupted(e);
        }
      }
      serverWait = null;
      try {
        HttpResponse<String> response = request.send();
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          return parse.apply(response.body());
        }
        serverWait = RetryBackoff.retryAfter(response).orElse(null);
        last = failures.status(status, serverMessage(response.body()));
        if (!(status == 429 || status >= 500)) {
          throw last;
        }
      } catch (HttpConnectTimeoutException e) {
        last = failures.unreachable(e);
      } catch (HttpTimeoutException e) {
        last = failures.timeout(e);
      } catch (IOException e) {
        last = failures.unreachable(e);
      }
    }
    throw failures.exhausted(last, policy.maxRetries());
  }

  /**
   * Posts {@code body} as JSON, with {@code Authorization: Bearer apiKey} when a key is given.
   *
   * @param apiKey the key, or null for none
   */
  public static HttpResponse<String> postJson(
      HttpClient http, URI url, Duration timeout, String apiKey, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    if (apiKey != null) {
      request.header("Authorization", "Bearer " + apiKey);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
  }

  /**
   * The server's own words from an error body: {@code error.message}, or {@code error} when it is a
   * string (both as OpenAI-compatible servers send them), else the body itself; as an {@link
   * #excerpt}.
   */
  public static String serverMessage(String body) {
    try {
      JsonNode root = JSON.readTree(body);
      JsonNode message = root == null ? null : root.path("error").get("message");
      if (message != null && message.isTextual()) {
        return excerpt(message.asText());
      }
      if (root != null && root.path("error").isTextual()) {
        return excerpt(root.get("error").asText());
      }
    } catch (IOException ignored) {
      // not JSON: show the text itself
    }
    return body == null || body.isBlank() ? "(empty body)" : excerpt(body);
  }

  /**
   * A one-line excerpt of a model's answer or an error body for messages and logs: whitespace runs
   * folded to one space, cut after {@value #EXCERPT} characters.
   *
   * @param text the text, or null (shown as {@code (nothing)})
   * @return the excerpt; never null
   */
  public static String excerpt(String text) {
    if (text == null) {
      return "(nothing)";
    }
    String oneLine = text.replaceAll("\\s+", " ").strip();
    return oneLine.length() <= EXCERPT ? oneLine : oneLine.substring(0, EXCERPT) + "…";
  }
}
