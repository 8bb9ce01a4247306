package dev.synque.monitor.lens;

import dev.synque.monitor.chat.ChatMessage;
import dev.synque.monitor.chat.ChatModel;
import dev.synque.monitor.chat.JsonAnswers;
import dev.synque.monitor.chat.LlmException;
import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.chat.MalformedAnswerException;
import dev.synque.monitor.chat.OpenAiChatModel;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes LENS rubrics with the rubric model: three calls (see {@link LensPrompts}), each answer
 * parsed strictly as a JSON array of exactly {@link LlmSettings#rubricSize()} strings; a malformed
 * answer is asked again with a stricter instruction up to {@link LlmSettings#formatRetries()}
 * times, then the compilation fails with a {@link RubricException} showing the raw answer.
 *
 * <p>Rubrics are cached by {@link Key} (generator, reference version and sample fingerprint), most
 * recent {@value #CACHE_CAPACITY} kept. Thread-safe.
 */
public final class RubricCompiler {

  private static final Logger LOG = LoggerFactory.getLogger(RubricCompiler.class);

  /** Rubrics kept in the cache. */
  public static final int CACHE_CAPACITY = 256;

  /**
   * What a rubric depends on.
   *
   * @param generatorId the generator; never null
   * @param referenceVersion the reference-set version; never null
   * @param sampleFingerprint fingerprint of the examples shown ({@link #fingerprint})
   */
  public record Key(String generatorId, String referenceVersion, String sampleFingerprint) {
    public Key {
      Objects.requireNonNull(generatorId, "generatorId");
      Objects.requireNonNull(referenceVersion, "referenceVersion");
      Objects.requireNonNull(sampleFingerprint, "sampleFingerprint");
    }
  }

  private final LlmSettings settings;
  private final Map<Key, Rubric> cache =
      new LinkedHashMap<>(16, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Rubric> eldest) {
          return size() > CACHE_CAPACITY;
        }
      };

  /**
   * @param settings rubric model, rubric size and format retries; never null
   */
  public RubricCompiler(LlmSettings settings) {
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  /** SHA-256 of the synthetic and real texts shown, in order. */
  public static String fingerprint(List<String> synthetic, List<String> real) {
    return Rubric.sha256(String.join("\u0001", synthetic) + "\u0000" + String.join("\u0001", real));
  }

  /**
   * The rubric for these examples, from the cache or written now.
   *
   * @param chat the model to call (the caller may wrap it to count calls); never null
   * @param generatorId the generator
   * @param referenceVersion the reference-set version
   * @param synthetic synthetic texts to show, at least one
   * @param real real texts to show, at least one
   * @throws RubricException when an answer stays malformed after the re-asks
   * @throws LlmException when the endpoint fails
   */
  public Rubric compile(
      ChatModel chat,
      String generatorId,
      String referenceVersion,
      List<String> synthetic,
      List<String> real) {
    if (synthetic.isEmpty() || real.isEmpty()) {
      throw new IllegalArgumentException("a rubric needs at least one synthetic and one real text");
    }
    Key key = new Key(generatorId, referenceVersion, fingerprint(synthetic, real));
    synchronized (cache) {
      Rubric cached = cache.get(key);
      if (cached != null) {
        return cached;
      }
    }
    int n = settings.rubricSize();
    List<String> similarities =
        ask(chat, "similarities", LensPrompts.similarities(real, synthetic, n));
    List<String> syntheticDiffers =
        ask(
            chat,
            "synthetic-differs-from-real",
            LensPrompts.differences(real, synthetic, similarities, n));
    List<String> realDiffers =
        ask(
            chat,
            "real-differs-from-synthetic",
            LensPrompts.differences(synthetic, real, similarities, n));
    Rubric rubric = new Rubric(similarities, syntheticDiffers, realDiffers, settings.rubricModel());
    synchronized (cache) {
      cache.put(key, rubric);
    }
    LOG.info(
        "LENS rubric for generator {} (reference {}) written by {}",
        generatorId,
        referenceVersion,
        settings.rubricModel());
    return rubric;
  }

  /** Whether a rubric for this key is cached. */
  public boolean isCached(
      String generatorId, String referenceVersion, List<String> synthetic, List<String> real) {
    synchronized (cache) {
      return cache.containsKey(
          new Key(generatorId, referenceVersion, fingerprint(synthetic, real)));
    }
  }

  private List<String> ask(ChatModel chat, String list, List<ChatMessage> messages) {
    int n = settings.rubricSize();
    List<ChatMessage> conversation = messages;
    String answer = null;
    String why = null;
    for (int attempt = 0; attempt <= settings.formatRetries(); attempt++) {
      if (attempt > 0) {
        conversation = LensPrompts.stricter(messages, answer, why, LensPrompts.listFormatShort(n));
      }
      answer = chat.complete(settings.rubricModel(), conversation).content();
      try {
        return JsonAnswers.stringList(answer, n);
      } catch (MalformedAnswerException e) {
        why = e.getMessage();
        LOG.debug("LENS rubric list {}: malformed answer ({}), attempt {}", list, why, attempt + 1);
      }
    }
    throw new RubricException(
        "LENS rubric list \""
            + list
            + "\" from model "
            + settings.rubricModel()
            + " is unusable after "
            + (settings.formatRetries() + 1)
            + " answer(s): "
            + why
            + "; last answer: "
            + OpenAiChatModel.excerpt(answer));
  }
}
