package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class CorrelationTest {

  @Test
  void shouldMatchScipyWithAndWithoutTies() {
    JsonNode fixture = LearnerFixtures.load("evaluation", "correlation.json");
    for (JsonNode c : fixture.get("cases")) {
      double[] x = LearnerFixtures.vector(c.get("x"));
      double[] y = LearnerFixtures.vector(c.get("y"));
      assertThat(Correlation.pearson(x, y)).isCloseTo(c.get("pearson").asDouble(), within(1e-12));
      assertThat(Correlation.spearman(x, y)).isCloseTo(c.get("spearman").asDouble(), within(1e-12));
      assertThat(Correlation.averageRanks(x))
          .containsExactly(LearnerFixtures.vector(c.get("ranks_x")));
    }
  }

  @Test
  void shouldGiveOneForAMonotoneRelationAndMinusOneReversed() {
    double[] x = {1, 2, 3, 4, 5};
    double[] cubed = {1, 8, 27, 64, 125};
    assertThat(Correlation.spearman(x, cubed)).isEqualTo(1.0);
    assertThat(Correlation.pearson(x, new double[] {10, 8, 6, 4, 2})).isEqualTo(-1.0);
    assertThat(Correlation.pearson(x, cubed)).isLessThan(1.0);
  }

  @Test
  void shouldBeUndefinedForAConstantSample() {
    assertThat(Correlation.pearson(new double[] {1, 2, 3}, new double[] {4, 4, 4})).isNaN();
    assertThat(Correlation.spearman(new double[] {7, 7}, new double[] {1, 2})).isNaN();
  }

  @Test
  void shouldRejectBadInputNamingTheRule() {
    assertThatThrownBy(() -> Correlation.pearson(new double[] {1}, new double[] {1}))
        .hasMessageContaining("at least 2");
    assertThatThrownBy(() -> Correlation.pearson(new double[] {1, 2}, new double[] {1}))
        .hasMessageContaining("same length");
    assertThatThrownBy(
            () -> Correlation.spearman(new double[] {1, Double.NaN}, new double[] {1, 2}))
        .hasMessageContaining("pair 1")
        .hasMessageContaining("finite");
  }
}
