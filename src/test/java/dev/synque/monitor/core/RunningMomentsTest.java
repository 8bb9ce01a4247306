package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RunningMomentsTest {

  private static final Path FIXTURES = Path.of("src/test/resources/fixtures/streaming");

  @Test
  void shouldMatchNumpyMeanAndUnbiasedCovariance() throws IOException {
    // given: the dataset and numpy's answers, from src/test/python/running_moments_fixture.py
    double[][] data = readCsv("moments_data.csv");
    double[] expectedMean = readCsv("moments_mean.csv")[0];
    double[][] expectedCov = readCsv("moments_cov.csv");

    // when
    RunningMoments moments = new RunningMoments(data[0].length);
    for (double[] x : data) {
      moments.add(x);
    }

    // then
    assertThat(moments.count()).isEqualTo(data.length);
    assertClose(new double[][] {moments.mean()}, new double[][] {expectedMean}, 1e-12);
    assertClose(moments.covariance(), expectedCov, 1e-12);
  }

  @Test
  void shouldMergeToTheSameMomentsAsAddingAllAtOnce() {
    // given
    double[][] data = randomData(new Random(7), 301, 5, 2.0, 3.0);
    RunningMoments all = addAll(data, 0, data.length);
    RunningMoments a = addAll(data, 0, 17);
    RunningMoments b = addAll(data, 17, 200);
    RunningMoments c = addAll(data, 200, data.length);

    // when
    RunningMoments ab = RunningMoments.combine(a, b);
    ab.merge(c);

    // then
    assertThat(ab.count()).isEqualTo(all.count());
    assertClose(new double[][] {ab.mean()}, new double[][] {all.mean()}, 1e-12);
    assertClose(ab.covariance(), all.covariance(), 1e-12);
    assertThat(a.count()).as("combine leaves its inputs alone").isEqualTo(17);
  }

  @Test
  void shouldTreatMergingWithEmptyMomentsAsNoOp() {
    // given
    double[][] data = randomData(new Random(8), 10, 3, 1.0, 0.0);
    RunningMoments some = addAll(data, 0, data.length);

    // when
    RunningMoments left = RunningMoments.combine(new RunningMoments(3), some);
    RunningMoments right = RunningMoments.combine(some, new RunningMoments(3));

    // then
    assertThat(left).isEqualTo(some);
    assertThat(right).isEqualTo(some);
  }

  @Test
  void shouldStayAccurateForDataFarFromTheOrigin() {
    // given: unit-scale data, and the same data shifted by 1e6 in every component
    double[][] data = randomData(new Random(9), 1000, 4, 1.0, 0.0);
    double[][] shifted = new double[data.length][];
    for (int i = 0; i < data.length; i++) {
      shifted[i] = Arrays.stream(data[i]).map(v -> v + 1e6).toArray();
    }

    // when
    double[][] expected = addAll(data, 0, data.length).covariance();
    double[][] actual = addAll(shifted, 0, shifted.length).covariance();

    // then: the shift costs only the rounding of the inputs (about 1e6 * 2^-52 per value);
    // sum-of-squares formulas lose every digit here
    assertClose(actual, expected, 1e-8);
  }

  @Test
  void shouldReportZeroCovarianceBelowTwoSamples() {
    // given
    RunningMoments moments = new RunningMoments(2);

    // when
    moments.add(new double[] {1, 2});

    // then
    assertThat(moments.mean()).containsExactly(1, 2);
    assertThat(moments.covariance()).isEqualTo(new double[][] {{0, 0}, {0, 0}});
  }

  @Test
  void shouldComputeLinearMmdAsSquaredDistanceOfMeans() {
    // given
    RunningMoments synthetic = addAll(new double[][] {{0, 0}, {2, 2}}, 0, 2);
    RunningMoments reference = addAll(new double[][] {{4, -1}}, 0, 1);

    // when
    double mmd = synthetic.linearMmd2(reference);

    // then: mean (1, 1) vs (4, -1): 9 + 4
    assertThat(mmd).isEqualTo(13.0);
    assertThat(reference.linearMmd2(reference)).isZero();
  }

  @Test
  void shouldRefuseLinearMmdWithoutSamples() {
    RunningMoments reference = addAll(new double[][] {{4, -1}}, 0, 1);

    assertThatThrownBy(() -> new RunningMoments(2).linearMmd2(reference))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no synthetic samples");
    assertThatThrownBy(() -> reference.linearMmd2(new RunningMoments(2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference moments are empty");
  }

  @Test
  void shouldRejectWrongDimensionAndNonFiniteComponentsNamingTheRule() {
    RunningMoments moments = new RunningMoments(3);

    assertThatThrownBy(() -> moments.add(new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 2, expected 3");
    assertThatThrownBy(() -> moments.add(new double[] {1, Double.NaN, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("component 1 is NaN");
    assertThatThrownBy(() -> moments.merge(new RunningMoments(4)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 3 and 4");
    assertThat(moments.count()).isZero();
  }

  @Test
  void shouldRoundTripThroughBytes() {
    // given
    RunningMoments moments = addAll(randomData(new Random(10), 20, 7, 1.0, 5.0), 0, 20);

    // when
    RunningMoments restored = RunningMoments.fromBytes(moments.toBytes());

    // then
    assertThat(restored).isEqualTo(moments);
    assertThat(restored.covariance()).isEqualTo(moments.covariance());
  }

  @Test
  void shouldSerialiseDimension384InDocumentedSize() {
    // given
    RunningMoments moments = new RunningMoments(384);
    moments.add(new double[384]);

    // when
    byte[] bytes = moments.toBytes();

    // then: 13 + 8 * 384 + 4 * 384 * 385
    assertThat(bytes).hasSize(594_445);
    assertThat(RunningMoments.serializedSize(384)).isEqualTo(594_445);
  }

  @Test
  void shouldRejectCorruptBytesNamingTheProblem() {
    byte[] bytes = addAll(new double[][] {{1, 2}, {3, 5}}, 0, 2).toBytes();
    byte[] wrongVersion = bytes.clone();
    wrongVersion[0] = 9;

    assertThatThrownBy(() -> RunningMoments.fromBytes(Arrays.copyOf(bytes, bytes.length - 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> RunningMoments.fromBytes(Arrays.copyOf(bytes, 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> RunningMoments.fromBytes(wrongVersion))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 9");
    assertThatThrownBy(() -> RunningMoments.fromBytes(new byte[0]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  static double[][] randomData(Random random, int n, int d, double scale, double offset) {
    double[][] data = new double[n][d];
    for (double[] row : data) {
      for (int j = 0; j < d; j++) {
        row[j] = offset + scale * random.nextGaussian() + 0.3 * j * row[0];
      }
    }
    return data;
  }

  private static RunningMoments addAll(double[][] data, int from, int to) {
    RunningMoments moments = new RunningMoments(data[0].length);
    for (int i = from; i < to; i++) {
      moments.add(data[i]);
    }
    return moments;
  }

  /** Element-wise |a − e| ≤ tolerance · max(|e|, largest |e| / 1e3) (relative, with a floor). */
  private static void assertClose(double[][] actual, double[][] expected, double tolerance) {
    assertThat(actual.length).isEqualTo(expected.length);
    double largest = 0;
    for (double[] row : expected) {
      for (double v : row) {
        largest = Math.max(largest, Math.abs(v));
      }
    }
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i].length).isEqualTo(expected[i].length);
      for (int j = 0; j < expected[i].length; j++) {
        double scale = Math.max(Math.abs(expected[i][j]), largest / 1e3);
        assertThat(Math.abs(actual[i][j] - expected[i][j]))
            .as("entry (%d, %d): %s vs %s", i, j, actual[i][j], expected[i][j])
            .isLessThanOrEqualTo(tolerance * scale);
      }
    }
  }

  private static double[][] readCsv(String name) throws IOException {
    List<String> lines = Files.readAllLines(FIXTURES.resolve(name), StandardCharsets.UTF_8);
    return lines.stream()
        .filter(line -> !line.isBlank())
        .map(line -> Arrays.stream(line.split(",")).mapToDouble(Double::parseDouble).toArray())
        .toArray(double[][]::new);
  }
}
