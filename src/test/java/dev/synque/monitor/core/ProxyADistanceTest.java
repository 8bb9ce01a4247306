package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ProxyADistanceTest {

  /**
   * PAD tolerance: PAD is a mean of held-out probabilities times 4, each probability Lipschitz in
   * the parameters with constant |x| + 1 (about 5 here); parameters agree to about 1e-9 (see
   * L2LogisticRegressionTest), so 1e-7 is tight yet safe.
   */
  private static final double PAD_TOLERANCE = 1e-7;

  @Test
  void shouldMatchTheIndependentPadOnEveryFixture() {
    for (JsonNode c : LearnerFixtures.load("pad.json")) {
      // given the fixture's sets and its held-out indices
      EmbeddingSet x = EmbeddingSet.of("synthetic", LearnerFixtures.matrix(c.get("x")));
      EmbeddingSet r = EmbeddingSet.of("reference", LearnerFixtures.matrix(c.get("r")));
      int[] heldOut = LearnerFixtures.indices(c.get("held_out"));

      // when
      double pad = ProxyADistance.authors().computeWithHeldOut(x, r, heldOut);
      double balanced = ProxyADistance.balanced().computeWithHeldOut(x, r, heldOut);

      // then
      assertThat(pad)
          .as(c.get("name") + " pad")
          .isCloseTo(c.get("pad").asDouble(), within(PAD_TOLERANCE));
      assertThat(balanced)
          .as(c.get("name") + " pad_balanced")
          .isCloseTo(c.get("pad_balanced").asDouble(), within(PAD_TOLERANCE));
    }
  }

  @Test
  void shouldBeNearTwoWhenTheClassifierSeparatesPerfectly() {
    // given synthetic vectors around (-10, -10) and reference vectors around (10, 10)
    EmbeddingSet x = cloud(-10, 40, 1);
    EmbeddingSet r = cloud(10, 40, 2);

    // when
    double pad = ProxyADistance.authors().compute(x, r);
    double balanced = ProxyADistance.balanced().compute(x, r);

    // then eps is about 0 (the L2 penalty keeps probabilities a little off 0 and 1: eps ~ 4e-4),
    // so PAD is about 2, and exactly 2 (1 - 2 eps) for the eps of the fitted model
    assertThat(pad).isCloseTo(2.0, within(5e-3)).isLessThan(2.0);
    assertThat(balanced).isCloseTo(2.0, within(5e-3)).isLessThan(2.0);
  }

  @Test
  void shouldMatchAHandComputedTinySplit() {
    // given X = {-1, -1, -2}, R = {1, 1, 2}, holding out -2 and 2: the training part is symmetric,
    // so b = 0 and the gradient -4 sigmoid(-w) + w vanishes at w = 4 sigmoid(-w); on the held-out
    // part eps = (sigmoid(-2w) + 1 - sigmoid(2w)) / 2 = sigmoid(-2w)
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{-1}, {-1}, {-2}});
    EmbeddingSet r = EmbeddingSet.of("reference", new double[][] {{1}, {1}, {2}});
    double lo = 0;
    double hi = 4;
    for (int i = 0; i < 200; i++) {
      double mid = (lo + hi) / 2;
      if (mid - 4 * L2LogisticRegression.sigmoid(-mid) < 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    double expected = 2 * (1 - 2 * L2LogisticRegression.sigmoid(-2 * lo));

    // when
    double pad = ProxyADistance.authors().computeWithHeldOut(x, r, new int[] {2, 5});
    double balanced = ProxyADistance.balanced().computeWithHeldOut(x, r, new int[] {2, 5});

    // then (w = 1.6: PAD = 2 (1 - 2 sigmoid(-3.2)) = 1.85...)
    assertThat(pad).isCloseTo(expected, within(1e-12));
    assertThat(balanced).isCloseTo(expected, within(1e-12));
  }

  @Test
  void shouldBeSmallForSetsFromTheSameDistributionAndDeterministic() {
    // given two samples of one distribution
    EmbeddingSet x = cloud(0, 200, 3);
    EmbeddingSet r = cloud(0, 200, 4);

    // when
    double first = ProxyADistance.authors().compute(x, r);
    double second = ProxyADistance.authors().compute(x, r);

    // then
    assertThat(first).isEqualTo(second);
    assertThat(first).isBetween(-0.5, 0.5);
  }

  @Test
  void shouldHoldOutTheCeilingOfAFifthAsDistinctIndices() {
    // when
    int[] heldOut = ProxyADistance.heldOutIndices(101, 42);

    // then
    assertThat(heldOut).hasSize(21);
    assertThat(Arrays.stream(heldOut).distinct().count()).isEqualTo(21);
    assertThat(Arrays.stream(heldOut).allMatch(i -> i >= 0 && i < 101)).isTrue();
    assertThat(ProxyADistance.heldOutIndices(100, 42)).hasSize(20);
    assertThat(ProxyADistance.heldOutIndices(101, 42)).containsExactly(heldOut);
    assertThat(ProxyADistance.heldOutIndices(101, 7)).isNotEqualTo(heldOut);
  }

  @Test
  void shouldNameAndOrientBothVariants() {
    assertThat(ProxyADistance.authors().name()).isEqualTo("pad");
    assertThat(ProxyADistance.balanced().name()).isEqualTo("pad_balanced");
    assertThat(ProxyADistance.authors().orientation()).isEqualTo(Orientation.LOWER_IS_BETTER);
  }

  @Test
  void shouldRejectSetsTooSmallToTrainOnBothClasses() {
    // given one vector each: the held-out part takes one of them
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{1, 2}});
    EmbeddingSet r = EmbeddingSet.of("reference", new double[][] {{3, 4}});

    assertThatThrownBy(() -> ProxyADistance.authors().compute(x, r))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("training part");
  }

  @Test
  void shouldRejectMismatchedDimensions() {
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{1, 2}});
    EmbeddingSet r = EmbeddingSet.of("reference", new double[][] {{3, 4, 5}});

    assertThatThrownBy(() -> ProxyADistance.balanced().compute(x, r))
        .hasMessageContaining("dimension 2")
        .hasMessageContaining("dimension 3");
  }

  @Test
  void shouldComputeTheAuthorsPadButRejectTheBalancedOneWhenHeldOutLacksAClass() {
    // given a held-out part of synthetic vectors only
    EmbeddingSet x = cloud(0, 20, 5);
    EmbeddingSet r = cloud(1, 10, 6);
    int[] heldOut = {0, 1, 2, 3, 4, 5};

    // when / then
    assertThat(ProxyADistance.authors().computeWithHeldOut(x, r, heldOut)).isBetween(-2.0, 2.0);
    assertThatThrownBy(() -> ProxyADistance.balanced().computeWithHeldOut(x, r, heldOut))
        .hasMessageContaining("0 reference vectors");
    assertThatThrownBy(() -> ProxyADistance.authors().computeWithHeldOut(x, r, new int[] {0, 0}))
        .hasMessageContaining("repeated");
  }

  private static EmbeddingSet cloud(double centre, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] rows = new double[n][3];
    for (double[] row : rows) {
      for (int j = 0; j < row.length; j++) {
        row[j] = centre + random.nextDouble(-1, 1);
      }
    }
    return EmbeddingSet.of("set", rows);
  }
}
