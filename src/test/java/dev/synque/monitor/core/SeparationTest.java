package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SeparationTest {

  @Test
  void shouldGiveCertaintyOrAHalfWithoutNoise() {
    assertThat(Separation.probabilityBeats(1, 2, 0, Orientation.LOWER_IS_BETTER)).isEqualTo(1);
    assertThat(Separation.probabilityBeats(1, 2, 0, Orientation.HIGHER_IS_BETTER)).isZero();
    assertThat(Separation.probabilityBeats(3, 3, 0, Orientation.HIGHER_IS_BETTER)).isEqualTo(0.5);
    assertThat(Separation.probabilityBeats(3, 3, 1, Orientation.LOWER_IS_BETTER)).isEqualTo(0.5);
  }

  @Test
  void shouldBeSymmetric() {
    double p = Separation.probabilityBeats(0.3, 0.5, 0.1, Orientation.LOWER_IS_BETTER);
    double q = Separation.probabilityBeats(0.5, 0.3, 0.1, Orientation.LOWER_IS_BETTER);
    assertThat(p + q).isCloseTo(1.0, within(1e-15));
    assertThat(p).isCloseTo(0.9772498680518208, within(1e-15)); // Phi(2)
  }

  @Test
  void shouldPutEveryoneInOneTierWhenNoiseDominatesAndEachAloneWithoutNoise() {
    double[] estimates = {0.5, 0.1, 0.3};
    Separation.Tiers noisy =
        Separation.tiers(
            estimates,
            Orientation.LOWER_IS_BETTER,
            Separation.DifferenceError.independent(new double[] {10, 10, 10}),
            0.95);
    Separation.Tiers exact =
        Separation.tiers(estimates, Orientation.LOWER_IS_BETTER, (a, b) -> 0, 0.95);

    assertThat(noisy.order()).containsExactly(1, 2, 0);
    assertThat(noisy.tier()).containsExactly(1, 1, 1);
    assertThat(noisy.count()).isEqualTo(1);
    assertThat(exact.tier()).containsExactly(3, 1, 2);
    assertThat(exact.beatsNext()).containsExactly(1, 1, Double.NaN);
  }

  @Test
  void shouldKeepTiedCandidatesTogetherInIndexOrder() {
    Separation.Tiers t =
        Separation.tiers(new double[] {2, 2, 1}, Orientation.HIGHER_IS_BETTER, (a, b) -> 0, 0.95);
    assertThat(t.order()).containsExactly(0, 1, 2);
    assertThat(t.tier()).containsExactly(1, 1, 2);
  }

  @Test
  void shouldRejectBadInput() {
    assertThatThrownBy(
            () ->
                Separation.tiers(
                    new double[] {1, Double.NaN}, Orientation.LOWER_IS_BETTER, (a, b) -> 1, 0.95))
        .hasMessageContaining("candidate 1 has no estimate");
    assertThatThrownBy(
            () -> Separation.tiers(new double[] {1}, Orientation.LOWER_IS_BETTER, (a, b) -> 1, 0.4))
        .hasMessageContaining("level 0.4 must be in (0.5, 1)");
    assertThatThrownBy(() -> Separation.probabilityBeats(1, 2, -1, Orientation.LOWER_IS_BETTER))
        .hasMessageContaining("deviation -1.0");
  }

  @Test
  void shouldBeMonotoneAndBoundedAcrossTheWholeRange() {
    double previous = 0;
    for (double z = -40; z <= 40; z += 0.01) {
      double p = Separation.normalCdf(z);
      assertThat(p).isBetween(0.0, 1.0).isGreaterThanOrEqualTo(previous - 1e-16);
      previous = p;
    }
    assertThat(Separation.normalCdf(0)).isEqualTo(0.5);
  }

  @Test
  void shouldSplitTheReferenceIntoDisjointHalvesDeterministically() {
    int[][][] a = NoiseFloor.halves(11, 3, 7);
    int[][][] b = NoiseFloor.halves(11, 3, 7);
    assertThat(a).isDeepEqualTo(b);
    for (int[][] split : a) {
      assertThat(split[0]).hasSize(5);
      assertThat(split[1]).hasSize(6);
      int[] all = new int[11];
      System.arraycopy(split[0], 0, all, 0, 5);
      System.arraycopy(split[1], 0, all, 5, 6);
      Arrays.sort(all);
      assertThat(all).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10);
    }
    assertThat(a[0][0]).isNotEqualTo(a[1][0]);
    assertThatThrownBy(() -> NoiseFloor.halves(3, 1, 1)).hasMessageContaining("at least 4");
    assertThatThrownBy(
            () ->
                NoiseFloor.of(
                    new VendiScore(),
                    EmbeddingSet.of("r", new double[][] {{1}, {2}, {3}, {4}}),
                    2,
                    1))
        .hasMessageContaining("vendi does not use the reference");
  }

  @Test
  void shouldGiveANoiseFloorNearZeroForAWellMixedReference() {
    SplittableRandom random = new SplittableRandom(3);
    double[][] rows = new double[200][4];
    for (double[] row : rows) {
      for (int j = 0; j < 4; j++) {
        row[j] = random.nextGaussian();
      }
    }
    EmbeddingSet r = EmbeddingSet.of("r", rows);
    NoiseFloor floor = NoiseFloor.of(Mmd2Polynomial.synqueDefault(), r, 5, 11);
    // a clearly different set scores far above the floor
    double[][] shifted = new double[100][4];
    for (int i = 0; i < 100; i++) {
      for (int j = 0; j < 4; j++) {
        shifted[i][j] = rows[i][j] + 1.5;
      }
    }
    double far = Mmd2Polynomial.synqueDefault().compute(EmbeddingSet.of("x", shifted), r);
    assertThat(floor.values()).hasSize(5);
    assertThat(floor.p95()).isLessThan(far / 10);
    assertThat(floor.mean()).isPositive();
  }
}
