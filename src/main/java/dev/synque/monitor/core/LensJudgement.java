package dev.synque.monitor.core;

/**
 * The four answers an LLM judge gives about one example under LENS's protocol, each on the
 * five-level scale of {@link Likelihood}: how likely the example is real, and how likely it is
 * synthetic, asked once with the synthetic set described at position A and once at position B (so a
 * preference for either position cancels out).
 *
 * @param realGivenSyntheticAtA "is this real?" with the synthetic set at position A; never null
 * @param realGivenSyntheticAtB "is this real?" with the synthetic set at position B; never null
 * @param syntheticGivenSyntheticAtA "is this synthetic?" with the synthetic set at A; never null
 * @param syntheticGivenSyntheticAtB "is this synthetic?" with the synthetic set at B; never null
 */
public record LensJudgement(
    Likelihood realGivenSyntheticAtA,
    Likelihood realGivenSyntheticAtB,
    Likelihood syntheticGivenSyntheticAtA,
    Likelihood syntheticGivenSyntheticAtB) {

  /**
   * @throws IllegalArgumentException when an answer is missing
   */
  public LensJudgement {
    if (realGivenSyntheticAtA == null
        || realGivenSyntheticAtB == null
        || syntheticGivenSyntheticAtA == null
        || syntheticGivenSyntheticAtB == null) {
      throw new IllegalArgumentException(
          "LENS judgement: all four answers (real/synthetic given synthetic at A/B) are required");
    }
  }

  /** The judge's five answer levels and the numbers LENS gives them (0 to 4). */
  public enum Likelihood {
    VERY_UNLIKELY("very unlikely"),
    UNLIKELY("unlikely"),
    UNSURE("unsure"),
    LIKELY("likely"),
    VERY_LIKELY("very likely");

    private final String label;

    Likelihood(String label) {
      this.label = label;
    }

    /** The label as the judge writes it ("very unlikely" .. "very likely"). */
    public String label() {
      return label;
    }

    /** 0 for "very unlikely" up to 4 for "very likely". */
    public int score() {
      return ordinal();
    }

    /**
     * The level for a label; case and surrounding white space are ignored.
     *
     * @throws IllegalArgumentException for anything else, naming the value and the allowed labels
     */
    public static Likelihood fromLabel(String label) {
      if (label != null) {
        String normalised = label.strip().toLowerCase(java.util.Locale.ROOT);
        for (Likelihood l : values()) {
          if (l.label.equals(normalised)) {
            return l;
          }
        }
      }
      throw new IllegalArgumentException(
          "LENS judgement label "
              + (label == null ? "null" : "\"" + label + "\"")
              + " is not one of \"very unlikely\", \"unlikely\", \"unsure\", \"likely\", \"very"
              + " likely\"");
    }
  }
}
