package dev.synque.monitor.embed;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.chat.OpenAiHttp;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.apache.kafka.common.config.ConfigException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Embedder} on an OpenAI-compatible embeddings server ({@code POST {url}/embeddings}
 * with {@code {"model", "input": [texts], "encoding_format": "float"}}), as served by Hugging Face
 * Text Embeddings Inference, vLLM, Infinity, Ollama and OpenAI.
 *
 * <ul>
 *   <li>Bad texts are rejected before anything is sent, with the same checks and reasons as {@link
 *       DjlEmbedder}.
 *   <li>Over-long texts: with a tokenizer ({@link RemoteEmbedderSettings#tokenizer()}) each text is
 *       cut after its last token that fits {@link ModelInfo#maxTokens()} (special tokens included),
 *       flagged and counted as truncated, exactly where the local embedder would cut; without one,
 *       texts go whole and the server's own truncation applies (nothing is counted, {@link
 *       ModelInfo#maxTokens()} is {@link Integer#MAX_VALUE}).
 *   <li>Batching and back-pressure: a call's texts go in requests of at most {@link
 *       RemoteEmbedderSettings#batchSize()} texts, sent by the calling thread and helper threads;
 *       at most {@link RemoteEmbedderSettings#maxConcurrency()} requests are in flight from the
 *       whole process, and a caller beyond that waits for a slot. Nothing is queued without bound:
 *       a call returns when its texts are embedded.
 *   <li>Retries as the LENS client ({@code lens.OpenAiChatModel}): HTTP 429, 5xx, timeouts and
 *       refused connections are retried up to {@link RemoteEmbedderSettings#maxRetries()} times
 *       with exponential backoff and jitter, honouring {@code Retry-After} (seconds or an HTTP
 *       date) up to {@link RemoteEmbedderSettings#retryBackoffMax()}; other 4xx are not. When the
 *       retries are spent the call throws an {@link IllegalStateException} naming the URL, the
 *       status and the server's message.
 *   <li>The dimension is learnt (and checked against {@link RemoteEmbedderSettings#dimension()})
 *       when the embedder is opened; an answer of another dimension, another number of vectors, or
 *       a non-finite value fails the call.
 *   <li>Vectors are returned as the server sends them when their norm is within 1e-6 of 1 (so a
 *       server wrapping the local model gives its vectors bit for bit), else L2-normalised.
 *   <li>Whether a text's vector depends on its batch-mates is the server's matter (servers that pad
 *       batches on a GPU may differ in the last bits); the requests themselves are formed from the
 *       call's texts in order, so the same call sends the same requests.
 * </ul>
 *
 * <p>Thread-safe. Owns its HTTP client, its helper threads and its tokenizer; close it when done.
 */
public final class OpenAiEmbedder implements Embedder {

  private static final Logger LOG = LoggerFactory.getLogger(OpenAiEmbedder.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final RemoteEmbedderSettings settings;
  private final URI url;
  private final HttpClient http;
  private final Semaphore inFlight;
  private final HuggingFaceTokenizer tokenizer;
  private final ExecutorService helpers;
  private final AtomicLong requests = new AtomicLong();
  private final LongAdder truncated = new LongAdder();
  private final LongAdder rejected = new LongAdder();
  private volatile ModelInfo info;

  /** The dimension every answer must have: 0 until the probe in {@link #open} has set it. */
  private volatile int dimension;

  private volatile boolean closed;

  private OpenAiEmbedder(
      RemoteEmbedderSettings settings, HuggingFaceTokenizer tokenizer, int maxTokens) {
    this.settings = settings;
    this.url = settings.embeddingsUrl();
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(settings.connectTimeout())
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    this.inFlight = new Semaphore(settings.maxConcurrency(), true);
    this.tokenizer = tokenizer;
    int count = settings.maxConcurrency() - 1;
    AtomicInteger serial = new AtomicInteger();
    this.helpers =
        count == 0
            ? null
            : new ThreadPoolExecutor(
                count,
                count,
                60,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                runnable -> {
                  Thread thread =
                      new Thread(runnable, "synque-embed-http-" + serial.incrementAndGet());
                  thread.setDaemon(true);
                  return thread;
                });
    // open() replaces this with the learnt dimension before the embedder is handed out
    this.info = new ModelInfo(settings.model(), 1, maxTokens, Pooling.SERVER);
  }

  /**
   * Connects to the server and learns the model's dimension by embedding one text.
   *
   * @throws ConfigException keyed {@link RemoteEmbedderSettings#DIMENSION} when the server's
   *     dimension is not the configured one, or {@link RemoteEmbedderSettings#TOKENIZER} when the
   *     tokenizer cannot be loaded
   * @throws IllegalStateException when the server cannot be reached or answers with an error after
   *     the retries
   */
  public static OpenAiEmbedder open(RemoteEmbedderSettings settings) {
    HuggingFaceTokenizer tokenizer = null;
    int maxTokens = Integer.MAX_VALUE;
    if (settings.tokenizer() != null) {
      Path directory = Path.of(settings.tokenizer());
      if (Files.isRegularFile(directory.resolve("tokenizer.json"))) {
        maxTokens = settings.maxLength() == 0 ? 512 : settings.maxLength();
        tokenizer = loadTokenizer(directory.resolve("tokenizer.json"), maxTokens);
      } else {
        try (ModelFiles files = ModelFiles.resolve(settings.tokenizer(), null)) {
          maxTokens = settings.maxLength() == 0 ? files.defaultMaxLength() : settings.maxLength();
          tokenizer = loadTokenizer(files.tokenizerFile(), maxTokens);
        } catch (ConfigException e) {
          throw new ConfigException(
              RemoteEmbedderSettings.TOKENIZER,
              settings.tokenizer(),
              "neither a directory with tokenizer.json nor a usable built-in model ("
                  + e.getMessage()
                  + ")");
        }
      }
    }
    OpenAiEmbedder embedder = new OpenAiEmbedder(settings, tokenizer, maxTokens);
    try {
      float[] probe = embedder.post(List.of("dimension probe"))[0];
      if (settings.dimension() != 0 && probe.length != settings.dimension()) {
        throw new ConfigException(
            RemoteEmbedderSettings.DIMENSION,
            settings.dimension(),
            "the server "
                + embedder.url
                + " returns "
                + probe.length
                + "-dimensional vectors for model "
                + settings.model());
      }
      embedder.dimension = probe.length;
      embedder.info = new ModelInfo(settings.model(), probe.length, maxTokens, Pooling.SERVER);
      LOG.info(
          "Embedding model {} ({} dimensions) on the server {}: {} texts per request, at most {}"
              + " requests in flight, {}",
          settings.model(),
          probe.length,
          embedder.url,
          settings.batchSize(),
          settings.maxConcurrency(),
          tokenizer == null
              ? "texts sent whole (the server truncates)"
              : "texts cut at " + maxTokens + " tokens of " + settings.tokenizer());
      return embedder;
    } catch (RuntimeException e) {
      embedder.close();
      throw e;
    }
  }

  private static HuggingFaceTokenizer loadTokenizer(Path file, int maxTokens) {
    try {
      return HuggingFaceTokenizer.newInstance(
          file,
          Map.of(
              "addSpecialTokens", "true",
              "truncation", "true",
              "padding", "false",
              "maxLength", String.valueOf(maxTokens)));
    } catch (IOException | RuntimeException e) {
      throw new ConfigException(
          RemoteEmbedderSettings.TOKENIZER, file.toString(), "not a tokenizer.json: " + e);
    }
  }

  @Override
  public ModelInfo model() {
    return info;
  }

  @Override
  public long truncatedCount() {
    return truncated.sum();
  }

  @Override
  public long rejectedCount() {
    return rejected.sum();
  }

  /** HTTP requests sent, retries and the dimension probe included. */
  public long requests() {
    return requests.get();
  }

  @Override
  public EmbeddingBatch embed(List<String> texts) {
    if (closed) {
      throw new IllegalStateException("embedder for " + info.id() + " at " + url + " is closed");
    }
    int n = texts.size();
    EmbeddingOutcome[] outcomes = new EmbeddingOutcome[n];
    List<Integer> accepted = new ArrayList<>(n);
    List<String> sent = new ArrayList<>(n);
    int[] tokens = new int[n];
    boolean[] cut = new boolean[n];
    for (int i = 0; i < n; i++) {
      String text = texts.get(i);
      EmbeddingOutcome.Rejected rejection = DjlEmbedder.check(text);
      if (rejection == null && tokenizer != null) {
        Encoding encoding = tokenizer.encode(text);
        if (Arrays.stream(encoding.getSpecialTokenMask()).allMatch(bit -> bit == 1)) {
          rejection =
              new EmbeddingOutcome.Rejected(
                  RejectReason.NO_TOKENS,
                  "the tokenizer keeps no token of the text (only control characters?)");
        } else {
          tokens[i] = encoding.getIds().length;
          cut[i] = encoding.exceedMaxLength();
          text = cut[i] ? keptPrefix(text, encoding) : text;
        }
      }
      if (rejection == null) {
        accepted.add(i);
        sent.add(text);
      } else {
        outcomes[i] = rejection;
      }
    }
    if (!sent.isEmpty()) {
      float[][] vectors = postInChunks(sent);
      for (int k = 0; k < vectors.length; k++) {
        int i = accepted.get(k);
        outcomes[i] = new EmbeddingOutcome.Embedded(vectors[k], tokens[i], cut[i]);
      }
    }
    EmbeddingBatch batch = new EmbeddingBatch(info.id(), info.dimension(), Arrays.asList(outcomes));
    truncated.add(batch.truncatedCount());
    rejected.add(batch.rejectedCount());
    return batch;
  }

  /** The text up to the end of its last kept non-special token. */
  private static String keptPrefix(String text, Encoding encoding) {
    CharSpan[] spans = encoding.getCharTokenSpans();
    long[] special = encoding.getSpecialTokenMask();
    for (int t = spans.length - 1; t >= 0; t--) {
      if (special[t] == 0 && spans[t] != null) {
        return text.substring(0, spans[t].getEnd());
      }
    }
    return text;
  }

  /** Requests of at most batchSize texts, sent by this thread and helpers; vectors in order. */
  private float[][] postInChunks(List<String> texts) {
    float[][] vectors = new float[texts.size()][];
    int size = settings.batchSize();
    int chunks = (texts.size() + size - 1) / size;
    AtomicInteger next = new AtomicInteger();
    Runnable work =
        () -> {
          for (int c = next.getAndIncrement(); c < chunks; c = next.getAndIncrement()) {
            int from = c * size;
            int to = Math.min(texts.size(), from + size);
            try {
              float[][] got = post(texts.subList(from, to));
              System.arraycopy(got, 0, vectors, from, got.length);
            } catch (RuntimeException e) {
              next.set(chunks); // the others stop after their current request
              throw e;
            }
          }
        };
    SharedWork.run(work, helpers, Math.min(settings.maxConcurrency() - 1, chunks - 1));
    return vectors;
  }

  /** One request with retries: the vectors of {@code texts}, in order. */
  private float[][] post(List<String> texts) {
    String body = requestBody(texts);
    return OpenAiHttp.withRetries(
        () -> send(body),
        answer -> parse(answer, texts.size()),
        new OpenAiHttp.RetryPolicy(
            settings.maxRetries(), settings.retryBackoff(), settings.retryBackoffMax()),
        failures,
        "embedding request",
        url);
  }

  /** The embeddings client's failures, as {@link IllegalStateException}s naming the server. */
  private final OpenAiHttp.Failures<IllegalStateException> failures =
      new OpenAiHttp.Failures<>() {
        @Override
        public IllegalStateException status(int status, String serverMessage) {
          return new IllegalStateException(
              "embedding server " + url + " answered HTTP " + status + ": " + serverMessage);
        }

        @Override
        public IllegalStateException timeout(HttpTimeoutException e) {
          return new IllegalStateException(
              "embedding server "
                  + url
                  + " did not answer within "
                  + settings.requestTimeout().toMillis()
                  + " ms",
              e);
        }

        @Override
        public IllegalStateException unreachable(IOException e) {
          String why =
              e instanceof ConnectException || e.getMessage() == null
                  ? "connection refused"
                  : e.getMessage();
          return new IllegalStateException(
              "embedding server " + url + " is unreachable: " + why, e);
        }

        @Override
        public IllegalStateException interrupted(InterruptedException e) {
          return new IllegalStateException("interrupted during an embedding retry backoff", e);
        }

        @Override
        public IllegalStateException exhausted(IllegalStateException last, int retries) {
          return new IllegalStateException(
              last.getMessage() + " (after " + retries + " retries)", last.getCause());
        }
      };

  private HttpResponse<String> send(String body) throws IOException {
    try {
      inFlight.acquire();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting to call " + url, e);
    }
    try {
      requests.incrementAndGet();
      return OpenAiHttp.postJson(http, url, settings.requestTimeout(), settings.apiKey(), body);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling " + url, e);
    } finally {
      inFlight.release();
    }
  }

  private String requestBody(List<String> texts) {
    ObjectNode root = JSON.createObjectNode();
    root.put("model", settings.model());
    ArrayNode input = root.putArray("input");
    texts.forEach(input::add);
    root.put("encoding_format", "float");
    return root.toString();
  }

  /**
   * Reads {@code data[].embedding} (placed by {@code data[].index}, else in order) with a streaming
   * parser: floats are read straight into arrays, as the server wrote them.
   */
  private float[][] parse(String body, int expected) {
    float[][] vectors = new float[expected][];
    int seen = 0;
    try (JsonParser parser = JSON.getFactory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw malformed("the body is not a JSON object", body);
      }
      boolean sawData = false;
      while (parser.nextToken() == JsonToken.FIELD_NAME) {
        String field = parser.currentName();
        parser.nextToken();
        if (!"data".equals(field)) {
          parser.skipChildren();
          continue;
        }
        sawData = true;
        if (parser.currentToken() != JsonToken.START_ARRAY) {
          throw malformed("data is not an array", body);
        }
        while (parser.nextToken() == JsonToken.START_OBJECT) {
          int index = seen;
          float[] vector = null;
          while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            parser.nextToken();
            if ("index".equals(name) && parser.currentToken() == JsonToken.VALUE_NUMBER_INT) {
              index = parser.getIntValue();
            } else if ("embedding".equals(name) && parser.currentToken() == JsonToken.START_ARRAY) {
              vector = readVector(parser, body);
            } else {
              parser.skipChildren();
            }
          }
          if (vector == null) {
            throw malformed("data[" + seen + "] has no embedding array", body);
          }
          if (index < 0 || index >= expected || vectors[index] != null) {
            throw malformed(
                "data[" + seen + "] has index " + index + " for " + expected + " inputs", body);
          }
          vectors[index] = vector;
          seen++;
        }
      }
      if (!sawData) {
        throw malformed("no data array", body);
      }
    } catch (IOException e) {
      throw malformed(
          "the body is not JSON (" + e.getMessage().lines().findFirst().orElse("") + ")", body);
    }
    if (seen != expected) {
      throw malformed(seen + " embeddings for " + expected + " inputs", body);
    }
    int want = dimension == 0 ? vectors[0].length : dimension;
    for (int i = 0; i < expected; i++) {
      float[] v = vectors[i];
      if (v.length != want || v.length == 0) {
        throw new IllegalStateException(
            "embedding server "
                + url
                + " returned a "
                + v.length
                + "-dimensional vector for model "
                + settings.model()
                + " where "
                + want
                + " dimensions were established when the embedder was opened");
      }
      vectors[i] = normalised(v);
    }
    return vectors;
  }

  private float[] readVector(JsonParser parser, String body) throws IOException {
    float[] values = new float[Math.max(16, dimension)];
    int size = 0;
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      if (!parser.currentToken().isNumeric()) {
        throw malformed("an embedding holds a non-number", body);
      }
      float value = parser.getFloatValue();
      if (!Float.isFinite(value)) {
        throw malformed("an embedding holds a non-finite value", body);
      }
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = value;
    }
    return size == values.length ? values : Arrays.copyOf(values, size);
  }

  private float[] normalised(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm == 0) {
      throw new IllegalStateException(
          "embedding server " + url + " returned a zero vector for model " + settings.model());
    }
    if (Math.abs(norm - 1) <= 1e-6) {
      return v;
    }
    float[] out = new float[v.length];
    for (int k = 0; k < v.length; k++) {
      out[k] = (float) (v[k] / norm);
    }
    return out;
  }

  private IllegalStateException malformed(String why, String body) {
    return new IllegalStateException(
        "embedding server "
            + url
            + " answered with a malformed embeddings response ("
            + why
            + "): "
            + OpenAiHttp.excerpt(body));
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (helpers != null) {
      helpers.shutdown();
    }
    if (tokenizer != null) {
      tokenizer.close();
    }
  }
}
