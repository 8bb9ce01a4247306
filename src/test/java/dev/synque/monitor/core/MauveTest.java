package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MauveTest {

  /** 27 points of a smooth curve from the same formula: only rounding differs, so 1e-12. */
  private static final double TOLERANCE = 1e-12;

  @Test
  void shouldMatchTheIndependentImplementationOnEveryFixture() {
    for (JsonNode c : LearnerFixtures.load("mauve.json")) {
      double mauve =
          Mauve.fromHistograms(
              LearnerFixtures.vector(c.get("p")), LearnerFixtures.vector(c.get("q")));

      assertThat(mauve)
          .as(c.get("name").asText())
          .isCloseTo(c.get("mauve").asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void shouldBeOneForEqualHistograms() {
    assertThat(Mauve.fromHistograms(new double[] {0.2, 0.5, 0.3}, new double[] {2, 5, 3}))
        .isCloseTo(1.0, within(1e-15));
  }

  @Test
  void shouldMatchTheClosedFormForDisjointHistograms() {
    // given p on bin 0 and q on bin 1: KL(q || r) = -log(1 - lambda), KL(p || r) = -log(lambda),
    // so the points are ((1 - lambda)^5, lambda^5), sorted by x as lambda decreases
    double expected = 0;
    double prevX = 0;
    double prevY = 1;
    for (int s = 24; s >= 0; s--) {
      double lambda = 1e-6 + (1 - 2e-6) * s / 24;
      double x = Math.pow(1 - lambda, 5);
      double y = Math.pow(lambda, 5);
      expected += (x - prevX) * (y + prevY) / 2;
      prevX = x;
      prevY = y;
    }
    expected += (1 - prevX) * (0 + prevY) / 2;

    // when
    double mauve = Mauve.fromHistograms(new double[] {1, 0}, new double[] {0, 1});

    // then
    assertThat(mauve).isCloseTo(expected, within(1e-14));
    assertThat(mauve).isBetween(0.003, 0.005);
  }

  @Test
  void shouldBeInvariantUnderPermutationOfBinsAndSymmetric() {
    double[] p = {0.1, 0.6, 0.3, 0};
    double[] q = {0.25, 0.25, 0.25, 0.25};
    double[] pp = {0.3, 0, 0.1, 0.6};
    double[] qp = {0.25, 0.25, 0.25, 0.25};

    assertThat(Mauve.fromHistograms(pp, qp)).isCloseTo(Mauve.fromHistograms(p, q), within(1e-15));
    assertThat(Mauve.fromHistograms(q, p)).isCloseTo(Mauve.fromHistograms(p, q), within(1e-12));
  }

  @Test
  void shouldRejectBadHistograms() {
    assertThatThrownBy(() -> Mauve.fromHistograms(new double[] {1, 0}, new double[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("2 and 1 bins");
    assertThatThrownBy(() -> Mauve.fromHistograms(new double[] {0, 0}, new double[] {1, 1}))
        .hasMessageContaining("sums to 0");
    assertThatThrownBy(() -> Mauve.fromHistograms(new double[] {-1, 2}, new double[] {1, 1}))
        .hasMessageContaining("negative");
    assertThatThrownBy(() -> Mauve.fromHistograms(new double[0], new double[0]))
        .hasMessageContaining("no bins");
  }

  @Test
  void shouldChooseBucketsFromThePooledSize() {
    assertThat(Mauve.buckets(1, 1)).isEqualTo(2);
    assertThat(Mauve.buckets(1000, 30)).isEqualTo(52);
    assertThat(Mauve.buckets(999, 198)).isEqualTo(60);
    assertThat(Mauve.buckets(250, 300)).isEqualTo(28); // 27.5, half to even
    assertThat(Mauve.buckets(45, 45)).isEqualTo(4); // 4.5, half to even, as Python's round
  }

  @Test
  void shouldAgreeWithMauveTextsRuleForEqualSizesOnly() {
    for (int n = 1; n <= 500; n++) {
      assertThat(Mauve.buckets(n, n)).as("n = %d", n).isEqualTo(Mauve.mauveTextBuckets(n, n));
    }
    assertThat(Mauve.mauveTextBuckets(1000, 30)).isEqualTo(3);
    assertThat(Mauve.mauveTextBuckets(1000, 95)).isEqualTo(10);
  }

  @Test
  void shouldProjectLikeSklearnPca() {
    for (JsonNode c : LearnerFixtures.load("mauve_quantisation.json").get("pca")) {
      // given rows, when scaled to unit length and projected
      double[][] rows = LearnerFixtures.matrix(c.get("rows"));
      for (int i = 0; i < rows.length; i++) {
        rows[i] = Mauve.unit(rows[i]);
      }
      double[][] actual = Mauve.principalComponents(rows, Mauve.EXPLAINED_VARIANCE);
      double[][] expected = LearnerFixtures.matrix(c.get("projection"));

      // then the same number of components, each equal up to its sign
      String name = c.get("name").asText();
      assertThat(actual[0].length).as(name).isEqualTo(expected[0].length);
      for (int j = 0; j < expected[0].length; j++) {
        double sign = Math.signum(actual[0][j]) == Math.signum(expected[0][j]) ? 1 : -1;
        for (int i = 0; i < expected.length; i++) {
          assertThat(sign * actual[i][j])
              .as("%s row %d component %d", name, i, j)
              .isCloseTo(expected[i][j], within(1e-9));
        }
      }
    }
  }

  @Test
  void shouldQuantiseLikeSklearnWhereThePartitionIsUnambiguous() {
    for (JsonNode c : LearnerFixtures.load("mauve_quantisation.json").get("pipeline")) {
      // given blobs that every k-means restart separates
      String name = c.get("name").asText();
      EmbeddingSet x = EmbeddingSet.of("synthetic", LearnerFixtures.matrix(c.get("x")));
      EmbeddingSet r = EmbeddingSet.of("reference", LearnerFixtures.matrix(c.get("r")));
      assertThat(Mauve.buckets(x.size(), r.size())).as(name).isEqualTo(c.get("k").asInt());

      // when
      double[][] pq = Mauve.histograms(x, r, Mauve.DEFAULT_SEED);
      double mauve = new Mauve().compute(x, r);

      // then the same histograms up to the order of the bins, and the same MAUVE
      double[][] pairs = new double[pq[0].length][];
      for (int i = 0; i < pairs.length; i++) {
        pairs[i] = new double[] {pq[0][i], pq[1][i]};
      }
      java.util.Arrays.sort(
          pairs, (a, b) -> a[0] != b[0] ? Double.compare(a[0], b[0]) : Double.compare(a[1], b[1]));
      double[][] expected = LearnerFixtures.matrix(c.get("pairs"));
      assertThat(pairs.length).as(name).isEqualTo(expected.length);
      for (int i = 0; i < expected.length; i++) {
        assertThat(pairs[i][0]).as(name).isCloseTo(expected[i][0], within(1e-12));
        assertThat(pairs[i][1]).as(name).isCloseTo(expected[i][1], within(1e-12));
      }
      assertThat(mauve).as(name).isCloseTo(c.get("mauve").asDouble(), within(TOLERANCE));
    }
  }

  @Test
  void shouldKeepEveryComponentOfAFlatSpectrumAndOneOfNoVariance() {
    // given four orthogonal unit rows: four equal variances after centring (rank 3)
    double[][] rows = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
    assertThat(Mauve.principalComponents(rows, 0.9)[0]).hasSize(3);
    assertThat(Mauve.principalComponents(rows, 0.5)[0]).hasSize(2);
    // equal rows have no variance: one all-zero component
    double[][] same = {{1, 2}, {1, 2}, {1, 2}};
    assertThat(Mauve.principalComponents(same, 0.9)).isDeepEqualTo(new double[3][1]);
    assertThatThrownBy(() -> Mauve.principalComponents(rows, 0))
        .hasMessageContaining("explained variance 0.0 must be in (0, 1]");
  }

  @Test
  void shouldQuantiseSeparatedSetsIntoDisjointHistograms() {
    // given 20 synthetic vectors near -100 and 20 reference vectors near 100: k = 2 (opposite
    // directions, so still apart after the rows are scaled to unit length)
    EmbeddingSet x = cloud(-100, 20, 1);
    EmbeddingSet r = cloud(100, 20, 2);

    // when
    double[][] pq = Mauve.histograms(x, r, Mauve.DEFAULT_SEED);
    double mauve = new Mauve().compute(x, r);

    // then
    assertThat(pq[0][0] * pq[1][0] + pq[0][1] * pq[1][1]).isZero();
    assertThat(mauve)
        .isCloseTo(Mauve.fromHistograms(new double[] {1, 0}, new double[] {0, 1}), within(1e-15));
  }

  @Test
  void shouldBeOneForIdenticalSetsAndDeterministic() {
    // given the same 50 vectors in both roles (k = 5)
    EmbeddingSet x = cloud(0, 50, 3);

    assertThat(new Mauve().compute(x, x)).isCloseTo(1.0, within(1e-15));
    EmbeddingSet r = cloud(0.3, 50, 4);
    assertThat(new Mauve(7).compute(x, r)).isEqualTo(new Mauve(7).compute(x, r));
    assertThat(new Mauve().compute(x, r)).isBetween(0.0, 1.0);
  }

  @Test
  void shouldNameItselfAndRejectMismatchedDimensions() {
    assertThat(new Mauve().name()).isEqualTo("mauve");
    assertThat(new Mauve().orientation()).isEqualTo(Orientation.HIGHER_IS_BETTER);
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{1, 2}});
    EmbeddingSet r = EmbeddingSet.of("reference", new double[][] {{1, 2, 3}});
    assertThatThrownBy(() -> new Mauve().compute(x, r)).hasMessageContaining("dimension 3");
  }

  private static EmbeddingSet cloud(double centre, int n, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double[][] rows = new double[n][4];
    for (double[] row : rows) {
      for (int j = 0; j < row.length; j++) {
        row[j] = centre + random.nextDouble(-1, 1);
      }
    }
    return EmbeddingSet.of("set", rows);
  }
}
