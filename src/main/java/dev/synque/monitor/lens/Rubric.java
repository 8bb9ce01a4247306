package dev.synque.monitor.lens;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * A LENS rubric: what real (dataset A in the first two calls) and synthetic examples share, and how
 * each differs from the other, as written by the rubric model.
 *
 * @param similarities traits both sets share; not empty, no blank item
 * @param syntheticDiffersFromReal ways the synthetic examples differ from the real ones
 * @param realDiffersFromSynthetic ways the real examples differ from the synthetic ones
 * @param model the model that wrote it; never null
 */
public record Rubric(
    List<String> similarities,
    List<String> syntheticDiffersFromReal,
    List<String> realDiffersFromSynthetic,
    String model) {

  public Rubric {
    similarities = checked("similarities", similarities);
    syntheticDiffersFromReal = checked("syntheticDiffersFromReal", syntheticDiffersFromReal);
    realDiffersFromSynthetic = checked("realDiffersFromSynthetic", realDiffersFromSynthetic);
    Objects.requireNonNull(model, "model");
  }

  /** SHA-256 (hex) of the model and all items: judgements are reused only under the same rubric. */
  public String fingerprint() {
    return sha256(
        model
            + "\u0000"
            + String.join("\u0001", similarities)
            + "\u0000"
            + String.join("\u0001", syntheticDiffersFromReal)
            + "\u0000"
            + String.join("\u0001", realDiffersFromSynthetic));
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }

  private static List<String> checked(String name, List<String> items) {
    Objects.requireNonNull(items, name);
    if (items.isEmpty() || items.stream().anyMatch(s -> s == null || s.isBlank())) {
      throw new IllegalArgumentException("rubric " + name + " must be non-empty, without blanks");
    }
    return List.copyOf(items);
  }
}
