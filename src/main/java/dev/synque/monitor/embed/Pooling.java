package dev.synque.monitor.embed;

import java.util.Locale;

/** How token vectors become one sentence vector, before L2 normalisation. */
public enum Pooling {
  /**
   * Mean of the token vectors over the attention mask (special tokens included, padding excluded),
   * as sentence-transformers' {@code pooling_mode_mean_tokens}. all-MiniLM-L6-v2 uses it.
   */
  MEAN,
  /**
   * The vector of the first token ({@code [CLS]}), as {@code pooling_mode_cls_token}. BGE uses it.
   */
  CLS,
  /**
   * Done by an embedding server ({@link OpenAiEmbedder}) in a way the client does not see; never
   * accepted as a setting.
   */
  SERVER;

  /**
   * Parses {@code mean} or {@code cls}, case-insensitively.
   *
   * @throws IllegalArgumentException naming the value and the choices
   */
  public static Pooling parse(String value) {
    try {
      Pooling pooling = valueOf(value.trim().toUpperCase(Locale.ROOT));
      if (pooling == SERVER) {
        throw new IllegalArgumentException("the server's pooling cannot be chosen");
      }
      return pooling;
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IllegalArgumentException(
          "pooling '" + value + "' is not supported; choose mean or cls");
    }
  }
}
