package dev.synque.monitor.core;

import java.util.List;

/**
 * LENS scores from an LLM judge's {@link LensJudgement}s, exactly as the SynQuE authors compute
 * them ({@code compute_lens_score_normalized} and {@code compute_lens_score} in their {@code
 * src/compute/lens.py}). Pure arithmetic; the judging itself lives elsewhere.
 *
 * <p>Notation: for one example, {@code rA, rB} are the scores (0..4) of "real?" with the synthetic
 * set shown at position A / B, and {@code sA, sB} of "synthetic?"; {@code ε = 1e-6}.
 *
 * <p><b>{@code lens} (debiased).</b> The judge's habits are divided out with normalisation factors
 * taken from the <i>other</i> group, so a judge that calls everything "likely real" gains nothing:
 *
 * <ul>
 *   <li>factors for synthetic examples: {@code f_s(q) = max(mean over real examples of q, ε)} for
 *       each question {@code q ∈ {rA, rB, sA, sB}};
 *   <li>factors for real examples: {@code f_r(q) = mean over synthetic examples of q}, replaced by
 *       1 when it is exactly 0 (the authors' code treats the two sides differently; kept as is);
 *   <li>each synthetic example: {@code h_real = rX / f_s(rX)}, {@code h_synth = sX / f_s(sX)},
 *       {@code p_X = h_real / (h_real + h_synth + ε)} for {@code X ∈ {A, B}}, and {@code e = (p_A +
 *       p_B) / 2}: how much the judge took it for real;
 *   <li>each real example: the same with {@code f_r}, but {@code p_X = h_synth / (h_real + h_synth
 *       + ε)}: how much the judge took it for synthetic;
 *   <li>{@code lens = (n_s · mean e_synthetic + n_r · mean e_real) / (n_s + n_r)}.
 * </ul>
 *
 * <p>It is the judge's error rate on the mixture: 0 when it tells the sets apart perfectly, about
 * 0.5 when it cannot. Sign: {@link Orientation#HIGHER_IS_BETTER} (synthetic data the judge cannot
 * tell from real data). An example answered 0 on both questions scores 0 ({@code 0 / ε}).
 *
 * <p><b>{@code lens_raw}.</b> Synthetic examples only, no normalisation: per example {@code (rA /
 * max(ε, rA + sA) + rB / max(ε, rB + sB)) / 2}, averaged. Higher is better.
 *
 * <p>Edge cases: an empty list of synthetic judgements (or of real ones, for {@code lens}) is an
 * {@link IllegalArgumentException}; the result is always finite and in {@code [0, 1]}.
 */
public final class LensScore {

  /** Name of the debiased score in records, metrics and reports. */
  public static final String NAME = "lens";

  /** Name of the raw (synthetic-only, unnormalised) score. */
  public static final String RAW_NAME = "lens_raw";

  /** The authors' {@code EPSILON}. */
  public static final double EPSILON = 1e-6;

  private LensScore() {}

  /**
   * The authors' debiased LENS score (see the class comment).
   *
   * @param synthetic judgements of synthetic examples, at least one, none null
   * @param real judgements of real examples under the same rubric, at least one, none null
   */
  public static double debiased(List<LensJudgement> synthetic, List<LensJudgement> real) {
    requireNonEmpty(synthetic, "synthetic");
    requireNonEmpty(real, "real");
    double[] realMeans = means(real);
    double[] syntheticMeans = means(synthetic);
    double[] forSynthetic = new double[4];
    double[] forReal = new double[4];
    for (int q = 0; q < 4; q++) {
      forSynthetic[q] = Math.max(realMeans[q], EPSILON);
      forReal[q] = syntheticMeans[q] == 0 ? 1 : syntheticMeans[q];
    }
    double syntheticTakenForReal = 0;
    for (LensJudgement j : synthetic) {
      syntheticTakenForReal += errorOf(j, forSynthetic, true);
    }
    double realTakenForSynthetic = 0;
    for (LensJudgement j : real) {
      realTakenForSynthetic += errorOf(j, forReal, false);
    }
    // n_s·mean + n_r·mean over (n_s + n_r) is the plain sum over all examples divided by the total.
    return (syntheticTakenForReal + realTakenForSynthetic) / (synthetic.size() + real.size());
  }

  /**
   * The authors' raw LENS score over synthetic examples (see the class comment).
   *
   * @param synthetic at least one judgement, none null
   */
  public static double raw(List<LensJudgement> synthetic) {
    requireNonEmpty(synthetic, "synthetic");
    double sum = 0;
    for (LensJudgement j : synthetic) {
      double[] s = scores(j);
      double a = s[R_A] / Math.max(EPSILON, s[R_A] + s[S_A]);
      double b = s[R_B] / Math.max(EPSILON, s[R_B] + s[S_B]);
      sum += (a + b) / 2;
    }
    return sum / synthetic.size();
  }

  private static final int R_A = 0;
  private static final int R_B = 1;
  private static final int S_A = 2;
  private static final int S_B = 3;

  /** Per example: the share the judge gave to the wrong answer, averaged over positions. */
  private static double errorOf(LensJudgement j, double[] factors, boolean synthetic) {
    double[] s = scores(j);
    double realA = s[R_A] / factors[R_A];
    double synthA = s[S_A] / factors[S_A];
    double realB = s[R_B] / factors[R_B];
    double synthB = s[S_B] / factors[S_B];
    double a = (synthetic ? realA : synthA) / (realA + synthA + EPSILON);
    double b = (synthetic ? realB : synthB) / (realB + synthB + EPSILON);
    return (a + b) / 2;
  }

  private static double[] scores(LensJudgement j) {
    return new double[] {
      j.realGivenSyntheticAtA().score(),
      j.realGivenSyntheticAtB().score(),
      j.syntheticGivenSyntheticAtA().score(),
      j.syntheticGivenSyntheticAtB().score()
    };
  }

  private static double[] means(List<LensJudgement> judgements) {
    double[] sums = new double[4];
    for (LensJudgement j : judgements) {
      double[] s = scores(j);
      for (int q = 0; q < 4; q++) {
        sums[q] += s[q];
      }
    }
    for (int q = 0; q < 4; q++) {
      sums[q] /= judgements.size();
    }
    return sums;
  }

  private static void requireNonEmpty(List<LensJudgement> judgements, String which) {
    if (judgements == null || judgements.isEmpty()) {
      throw new IllegalArgumentException(
          "LENS: no judgements of " + which + " examples; at least one is required");
    }
    for (LensJudgement j : judgements) {
      if (j == null) {
        throw new IllegalArgumentException("LENS: a judgement of a " + which + " example is null");
      }
    }
  }
}
