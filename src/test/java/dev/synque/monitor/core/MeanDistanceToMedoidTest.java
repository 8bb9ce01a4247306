package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MeanDistanceToMedoidTest {

  /** Sums of a few dozen distances in the same order of magnitude: rounding ~1e-15, so 1e-12. */
  private static final double TOLERANCE = 1e-12;

  private static final EmbeddingSet ANY = EmbeddingSet.of("reference", new double[][] {{1}});

  @Test
  void shouldMatchTheBruteForceOptimumOnEveryFixture() {
    for (JsonNode c : LearnerFixtures.load("mdm.json")) {
      // given a tiny set whose optimal 5 medoids were found by trying every subset
      double[][] rows = LearnerFixtures.matrix(c.get("x"));
      EmbeddingSet x = EmbeddingSet.of("synthetic", rows);

      // when
      double mdm = new MeanDistanceToMedoid().compute(x, ANY);
      int[] medoids =
          MeanDistanceToMedoid.medoids(MeanDistanceToMedoid.distances(x), Math.min(5, rows.length));
      Arrays.sort(medoids);

      // then
      assertThat(medoids)
          .as(c.get("name").asText())
          .containsExactly(LearnerFixtures.indices(c.get("medoids")));
      assertThat(mdm)
          .as(c.get("name").asText())
          .isCloseTo(c.get("mdm").asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void shouldFollowTheAuthorsFormulaOnAHandComputedSet() {
    // given two clusters on a line, k = 2: {0, 1, 2} with medoid 1 and {10, 14} (medoid either)
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{0}, {1}, {2}, {10}, {14}});

    // when
    double mdm = new MeanDistanceToMedoid(2).compute(x, ANY);

    // then ((1 + 0 + 1) / 3 + (0 + 4) / 2) / 2
    assertThat(mdm).isCloseTo((2.0 / 3 + 2.0) / 2, within(1e-15));
  }

  @Test
  void shouldBeZeroWhenEveryPointIsAMedoidOrAllAreIdentical() {
    EmbeddingSet few = EmbeddingSet.of("synthetic", new double[][] {{0, 1}, {5, 5}, {9, -3}});
    double[][] same = new double[8][];
    Arrays.fill(same, new double[] {1, 2, 3});

    assertThat(new MeanDistanceToMedoid().compute(few, ANY)).isZero();
    assertThat(new MeanDistanceToMedoid().compute(EmbeddingSet.of("s", same), ANY)).isZero();
    assertThat(new MeanDistanceToMedoid().compute(EmbeddingSet.of("s", new double[][] {{4}}), ANY))
        .isZero();
  }

  @Test
  void shouldBeInvariantUnderPermutation() {
    // given the fixture's blobs, reversed
    double[][] rows = LearnerFixtures.matrix(LearnerFixtures.load("mdm.json").get(0).get("x"));
    double[][] reversed = new double[rows.length][];
    for (int i = 0; i < rows.length; i++) {
      reversed[i] = rows[rows.length - 1 - i];
    }

    assertThat(new MeanDistanceToMedoid().compute(EmbeddingSet.of("s", reversed), ANY))
        .isCloseTo(
            new MeanDistanceToMedoid().compute(EmbeddingSet.of("s", rows), ANY), within(1e-12));
  }

  @Test
  void shouldNameItselfAndRejectNoClusters() {
    assertThat(new MeanDistanceToMedoid().name()).isEqualTo("mdm");
    assertThat(new MeanDistanceToMedoid().orientation()).isEqualTo(Orientation.HIGHER_IS_BETTER);
    assertThatThrownBy(() -> new MeanDistanceToMedoid(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
