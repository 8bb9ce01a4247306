package dev.synque.monitor.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * What the project's two clients of OpenAI-compatible servers (the LENS chat client and the
 * embeddings client) do alike: post a JSON body, and turn an error body or an answer into a
 * one-line excerpt for messages and logs. Each client keeps its own retries (through {@link
 * RetryBackoff}) and its own exceptions.
 */
public final class OpenAiHttp {

  /** The longest excerpt, in characters. */
  public static final int EXCERPT = 300;

  private static final ObjectMapper JSON = new ObjectMapper();

  private OpenAiHttp() {}

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
