package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

class VendiScoreTest {

  /**
   * Tolerance: both sides are symmetric eigensolvers (LAPACK, EJML) on matrices of norm at most 1,
   * accurate to about 1e-14 per eigenvalue; entropy and exp keep that relative size, so 1e-10.
   */
  private static final double TOLERANCE = 1e-10;

  private static final EmbeddingSet ANY = EmbeddingSet.of("reference", new double[][] {{1}});

  @Test
  void shouldMatchNumpyEigvalshOnEveryFixture() {
    for (JsonNode c : LearnerFixtures.load("vendi.json")) {
      EmbeddingSet x = EmbeddingSet.of("synthetic", LearnerFixtures.matrix(c.get("x")));

      double vendi = new VendiScore().compute(x, ANY);

      assertThat(vendi)
          .as(c.get("name").asText())
          .isCloseTo(c.get("vendi").asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void shouldBeOneForIdenticalDirections() {
    // given vectors that all point the same way (different lengths)
    EmbeddingSet x =
        EmbeddingSet.of(
            "synthetic", new double[][] {{1, 2, 3}, {2, 4, 6}, {1, 2, 3}, {0.5, 1, 1.5}});

    assertThat(VendiScore.of(x)).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void shouldBeNForOrthogonalVectors() {
    // given 4 orthogonal vectors in dimension 4 (n x n path) and 3 in dimension 10 (also n <= d)
    double[][] identity = new double[4][4];
    for (int i = 0; i < 4; i++) {
      identity[i][i] = i + 1;
    }
    double[][] sparse = new double[3][10];
    sparse[0][1] = 2;
    sparse[1][5] = -1;
    sparse[2][9] = 3;

    assertThat(VendiScore.of(EmbeddingSet.of("synthetic", identity))).isCloseTo(4.0, within(1e-12));
    assertThat(VendiScore.of(EmbeddingSet.of("synthetic", sparse))).isCloseTo(3.0, within(1e-12));
  }

  @Test
  void shouldAgreeBetweenTheTwoGramMatrices() {
    // given 2 orthogonal directions repeated (n = 6 > d = 2, the d x d path): Vendi = 2
    double[][] rows = {{1, 0}, {0, 2}, {3, 0}, {0, 1}, {1, 0}, {0, 5}};

    assertThat(VendiScore.of(EmbeddingSet.of("synthetic", rows))).isCloseTo(2.0, within(1e-12));
  }

  @Test
  void shouldBeInvariantUnderPermutationAndScaling() {
    double[][] rows = {{1, 2, 0.5}, {-1, 0.3, 2}, {0.2, -0.7, 1}, {3, 1, 1}};
    double[][] shuffled = {{-3, -1, -1}, rows[2], {2, 4, 1}, rows[1]};
    shuffled[0] = new double[] {6, 2, 2};

    assertThat(VendiScore.of(EmbeddingSet.of("s", shuffled)))
        .isCloseTo(VendiScore.of(EmbeddingSet.of("s", rows)), within(1e-12));
  }

  @Test
  void shouldBeOneForASingleVectorAndNameItself() {
    assertThat(VendiScore.of(EmbeddingSet.of("s", new double[][] {{3, 4}})))
        .isCloseTo(1.0, within(1e-15));
    assertThat(new VendiScore().name()).isEqualTo("vendi");
    assertThat(new VendiScore().orientation()).isEqualTo(Orientation.HIGHER_IS_BETTER);
  }

  @Test
  void shouldRejectZeroVectors() {
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{1, 2}, {0, 0}});

    assertThatThrownBy(() -> new VendiScore().compute(x, ANY))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("embedding 1 is the zero vector");
  }
}
