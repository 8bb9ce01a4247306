package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.synque.monitor.core.LensJudgement.Likelihood;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LensScoreTest {

  private static LensJudgement judgement(int realA, int realB, int synthA, int synthB) {
    Likelihood[] l = Likelihood.values();
    return new LensJudgement(l[realA], l[realB], l[synthA], l[synthB]);
  }

  @Test
  void shouldMatchTheAuthorsFormulaTranscribedInPython() {
    JsonNode fixture = LearnerFixtures.load("evaluation", "lens.json");
    for (JsonNode c : fixture.get("cases")) {
      List<LensJudgement> synthetic = parse(c.get("synthetic"));
      List<LensJudgement> real = parse(c.get("real"));
      assertThat(LensScore.debiased(synthetic, real))
          .isCloseTo(c.get("lens").asDouble(), within(1e-12));
      assertThat(LensScore.raw(synthetic)).isCloseTo(c.get("lens_raw").asDouble(), within(1e-12));
    }
  }

  @Test
  void shouldScoreAHandComputedCase() {
    // Given one synthetic example answered (rA, rB, sA, sB) = (3, 1, 1, 3) and one real example
    // answered (4, 4, 0, 0).
    List<LensJudgement> synthetic = List.of(judgement(3, 1, 1, 3));
    List<LensJudgement> real = List.of(judgement(4, 4, 0, 0));
    // Factors for the synthetic example come from the real one: (4, 4, max(0, ε), max(0, ε)).
    double eps = 1e-6;
    double pa = (3 / 4.0) / (3 / 4.0 + 1 / eps + eps);
    double pb = (1 / 4.0) / (1 / 4.0 + 3 / eps + eps);
    double synth = (pa + pb) / 2;
    // Factors for the real example come from the synthetic one: (3, 1, 1, 3); its synthetic
    // answers are 0, so it is never taken for synthetic.
    double realError = 0;
    assertThat(LensScore.debiased(synthetic, real))
        .isCloseTo((synth + realError) / 2, within(1e-15));
    // Raw: (3 / 4 + 1 / 4) / 2.
    assertThat(LensScore.raw(synthetic)).isEqualTo(0.5);
  }

  @Test
  void shouldGiveHalfWhenTheJudgeAnswersEverythingTheSame() {
    List<LensJudgement> same = List.of(judgement(2, 2, 2, 2), judgement(2, 2, 2, 2));
    assertThat(LensScore.debiased(same, same)).isCloseTo(0.5, within(1e-6));
  }

  @Test
  void shouldParseLabelsAndRejectOthersNamingThem() {
    assertThat(Likelihood.fromLabel(" Very Likely ")).isEqualTo(Likelihood.VERY_LIKELY);
    assertThat(Likelihood.fromLabel("unsure").score()).isEqualTo(2);
    assertThatThrownBy(() -> Likelihood.fromLabel("probably"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"probably\"")
        .hasMessageContaining("very unlikely");
  }

  @Test
  void shouldRejectEmptyInputNamingTheSide() {
    List<LensJudgement> one = List.of(judgement(1, 1, 1, 1));
    assertThatThrownBy(() -> LensScore.debiased(List.of(), one)).hasMessageContaining("synthetic");
    assertThatThrownBy(() -> LensScore.debiased(one, List.of())).hasMessageContaining("real");
    assertThatThrownBy(() -> LensScore.raw(List.of())).hasMessageContaining("synthetic");
    assertThatThrownBy(() -> new LensJudgement(null, Likelihood.LIKELY, null, null))
        .hasMessageContaining("four answers");
  }

  static List<LensJudgement> parse(JsonNode rows) {
    List<LensJudgement> out = new ArrayList<>();
    for (JsonNode r : rows) {
      out.add(
          new LensJudgement(
              Likelihood.fromLabel(r.get("score_real_given_synth_loc_A_judgement").asText()),
              Likelihood.fromLabel(r.get("score_real_given_synth_loc_B_judgement").asText()),
              Likelihood.fromLabel(r.get("score_synth_given_synth_loc_A_judgement").asText()),
              Likelihood.fromLabel(r.get("score_synth_given_synth_loc_B_judgement").asText())));
    }
    return out;
  }
}
