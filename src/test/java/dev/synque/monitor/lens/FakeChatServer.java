package dev.synque.monitor.lens;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A chat-completions server on loopback with deterministic rules: a test double at the protocol
 * level ({@code POST /v1/chat/completions}, OpenAI's JSON).
 *
 * <ul>
 *   <li>Rubric prompts get a JSON array of the asked size; the differences say whether B mentions
 *       robots more or less often than A (counting "robot" in the two example blocks). {@link
 *       #rubricStyle} can make the answer fenced, malformed once (valid when asked again), or
 *       always malformed.
 *   <li>Judge prompts: the set that mentions robots is read from the differences; an example with
 *       "robot" in it is "very likely" from that set and "unlikely" from the other; an example
 *       without is "unlikely" from it and "likely" from the other. An example containing
 *       "garbled-once" gets prose first and a valid answer when asked again; one containing
 *       "garbled-always" always gets prose.
 *   <li>{@link #enqueue} scripts the next responses (status, headers, body, delay) before the
 *       rules; {@link #answerAlways} answers every request the same way until {@link
 *       #answerNormally()}.
 * </ul>
 *
 * Every request body is recorded. Thread-safe.
 */
public final class FakeChatServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern EXACTLY = Pattern.compile("exactly (\\d+)");
  private static final Pattern ASKED = Pattern.compile("comes from dataset ([AB])\\?\\s*\\z");

  /** How rubric answers look. */
  public enum RubricStyle {
    PLAIN,
    FENCED,
    MALFORMED_ONCE,
    ALWAYS_MALFORMED
  }

  /** A scripted response. */
  public record Scripted(int status, Map<String, String> headers, String body, long delayMillis) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newFixedThreadPool(16);
  private final Deque<Scripted> script = new ArrayDeque<>();
  private final List<JsonNode> requests = new ArrayList<>();
  private final List<String> authorizations = new ArrayList<>();
  private volatile RubricStyle rubricStyle = RubricStyle.PLAIN;
  private volatile Scripted always;
  private final java.util.concurrent.atomic.AtomicInteger inFlight =
      new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger maxInFlight =
      new java.util.concurrent.atomic.AtomicInteger();

  /** Most requests the server was handling at once. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  private FakeChatServer(int port) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    server.createContext("/v1/chat/completions", this::handle);
    server.setExecutor(executor);
  }

  /** A started server on a free port. */
  public static FakeChatServer start() {
    return start(0);
  }

  /**
   * A started server on {@code port} (0: a free one), e.g. the port of a closed server, to bring an
   * endpoint back where clients expect it.
   */
  public static FakeChatServer start(int port) {
    try {
      FakeChatServer s = new FakeChatServer(port);
      s.server.start();
      return s;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return server.getAddress().getPort();
  }

  /** The base URL to configure ({@code http://127.0.0.1:PORT/v1}). */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  public void rubricStyle(RubricStyle style) {
    this.rubricStyle = style;
  }

  /** Scripts the next response. */
  public synchronized void enqueue(
      int status, Map<String, String> headers, String body, long delayMillis) {
    script.addLast(new Scripted(status, headers, body, delayMillis));
  }

  /**
   * Answers every request with this response (after any still {@link #enqueue}d) until {@link
   * #answerNormally()}: an endpoint that is slow or answers garbage for a while.
   */
  public void answerAlways(int status, Map<String, String> headers, String body, long delayMillis) {
    always = new Scripted(status, headers, body, delayMillis);
  }

  /** Back to the rules. */
  public void answerNormally() {
    always = null;
  }

  /** The request bodies received so far. */
  public synchronized List<JsonNode> requests() {
    return List.copyOf(requests);
  }

  /** The Authorization headers received ("" when absent). */
  public synchronized List<String> authorizations() {
    return List.copyOf(authorizations);
  }

  /** The user messages of judge requests received so far (first attempt and re-asks). */
  public List<String> judgeQuestions() {
    List<String> out = new ArrayList<>();
    for (JsonNode r : requests()) {
      if (system(r).startsWith(LensPrompts.JUDGE_TASK)) {
        out.add(r.path("messages").path(1).path("content").asText());
      }
    }
    return out;
  }

  private void handle(HttpExchange exchange) throws IOException {
    maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try (exchange) {
      JsonNode body = JSON.readTree(exchange.getRequestBody().readAllBytes());
      Scripted scripted;
      synchronized (this) {
        requests.add(body);
        String auth = exchange.getRequestHeaders().getFirst("Authorization");
        authorizations.add(auth == null ? "" : auth);
        scripted = script.pollFirst();
        if (scripted == null) {
          scripted = always;
        }
      }
      if (scripted != null) {
        if (scripted.delayMillis() > 0) {
          try {
            Thread.sleep(scripted.delayMillis());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        scripted.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        send(exchange, scripted.status(), scripted.body());
        return;
      }
      send(exchange, 200, completion(answer(body)));
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private String answer(JsonNode body) {
    String system = system(body);
    JsonNode messages = body.path("messages");
    boolean reAsked = messages.size() > 2;
    String user = messages.path(1).path("content").asText();
    if (system.startsWith(LensPrompts.SIMILARITIES_TASK)
        || system.startsWith(LensPrompts.DIFFERENCES_TASK)) {
      int n = exactly(system);
      List<String> items = new ArrayList<>();
      boolean differences = system.startsWith(LensPrompts.DIFFERENCES_TASK);
      String aBlock = between(user, "Examples from dataset A:", "Examples from dataset B:");
      String bBlock = user.substring(user.indexOf("Examples from dataset B:"));
      boolean bHasMoreRobots = count(bBlock, "robot") > count(aBlock, "robot");
      for (int i = 1; i <= n; i++) {
        items.add(
            differences
                ? "B mentions robots "
                    + (bHasMoreRobots ? "more" : "less")
                    + " often than A ("
                    + i
                    + ")"
                : "Both are short texts (" + i + ")");
      }
      String list = JSON.valueToTree(items).toString();
      return switch (rubricStyle) {
        case PLAIN -> list;
        case FENCED -> "```json\n" + list + "\n```";
        case MALFORMED_ONCE -> reAsked ? list : "Sure! Here are the points:\n1. " + items.get(0);
        case ALWAYS_MALFORMED -> "I cannot produce a list, sorry.";
      };
    }
    if (system.startsWith(LensPrompts.JUDGE_TASK)) {
      String differences = between(user, "How dataset B differs from dataset A:", "Example:");
      String robotSet = differences.contains("B mentions robots more often") ? "B" : "A";
      String example = between(user, "Example:\n", "\n\nQuestion:");
      Matcher m = ASKED.matcher(user);
      if (!m.find()) {
        return "no question found";
      }
      if (example.contains("garbled-always") || (example.contains("garbled-once") && !reAsked)) {
        return "I think it is probably likely, but hard to say.";
      }
      boolean robot = example.contains("robot");
      boolean askedRobotSet = m.group(1).equals(robotSet);
      String label =
          askedRobotSet ? (robot ? "very likely" : "unlikely") : (robot ? "unlikely" : "likely");
      return "{\"judgement\": \"" + label + "\"}";
    }
    return "unknown prompt";
  }

  private static String system(JsonNode body) {
    return body.path("messages").path(0).path("content").asText();
  }

  private static int exactly(String text) {
    Matcher m = EXACTLY.matcher(text);
    return m.find() ? Integer.parseInt(m.group(1)) : 3;
  }

  private static int count(String text, String word) {
    int n = 0;
    for (int i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + 1)) {
      n++;
    }
    return n;
  }

  private static String between(String text, String start, String end) {
    int s = text.indexOf(start);
    if (s < 0) {
      return "";
    }
    s += start.length();
    int e = text.indexOf(end, s);
    return e < 0 ? text.substring(s) : text.substring(s, e);
  }

  private static String completion(String content) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-fake");
    root.put("object", "chat.completion");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    choice.putObject("message").put("role", "assistant").put("content", content);
    choice.put("finish_reason", "stop");
    root.putObject("usage")
        .put("prompt_tokens", 10)
        .put("completion_tokens", 2)
        .put("total_tokens", 12);
    return root.toString();
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
