package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class IncrementalMmd2Test {

  private static final int D = 16;

  @Test
  void shouldEqualAFullRecomputationAfterManyReplacements() {
    // given: no periodic refresh, so all drift of the running sums shows
    Random random = new Random(11);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 20, D, 0.0));
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, PolynomialKernel.synqueDefault(D), 32, 0);
    float[][] slots = new float[32][];

    // when: 5000 writes to random slots
    for (int step = 0; step < 5000; step++) {
      int slot = step < 32 ? step : random.nextInt(32);
      float[] x = toFloat(gaussianRows(random, 1, D, 0.5)[0]);
      mmd.put(slot, x);
      slots[slot] = x;
    }

    // then
    double expected = bruteForceMmd2(slots, reference.rowMajor(), 20);
    assertThat(mmd.size()).isEqualTo(32);
    assertThat(mmd.changesSinceRefresh()).isEqualTo(5000);
    assertThat(Math.abs(mmd.value() - expected) / Math.abs(expected)).isLessThan(1e-9);
  }

  @Test
  void shouldFollowAReservoirAndMatchARebuildFromIt() {
    // given
    Random random = new Random(12);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 15, D, 0.0));
    Reservoir reservoir = new Reservoir(24, D, 5);
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, 24);

    // when
    for (int i = 0; i < 3000; i++) {
      Reservoir.Update update =
          reservoir.offer("s" + i, toFloat(gaussianRows(random, 1, D, 0.2)[0]), "");
      mmd.apply(update, reservoir);
    }

    // then
    IncrementalMmd2 rebuilt =
        IncrementalMmd2.of(reservoir, reference, PolynomialKernel.synqueDefault(D), 24);
    float[][] items = new float[reservoir.size()][];
    for (int i = 0; i < items.length; i++) {
      items[i] = reservoir.embedding(i);
    }
    double expected = bruteForceMmd2(items, reference.rowMajor(), 15);
    assertThat(mmd.value()).isCloseTo(expected, within(1e-9 * Math.abs(expected)));
    assertThat(rebuilt.value()).isCloseTo(expected, within(1e-12 * Math.abs(expected)));
    assertThat(mmd.changesSinceRefresh()).isLessThan(24);
  }

  @Test
  void shouldBeAboutZeroWhenTheSetsAreIdentical() {
    // given: X holds exactly the reference's vectors
    float[][] rows = new float[10][];
    Random random = new Random(13);
    for (int i = 0; i < rows.length; i++) {
      rows[i] = toFloat(gaussianRows(random, 1, D, 1.0)[0]);
    }
    EmbeddingSet reference = EmbeddingSet.of("reference", rows);
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, 10);

    // when
    for (int i = 0; i < rows.length; i++) {
      mmd.put(9 - i, rows[i]);
    }

    // then
    assertThat(mmd.value()).isCloseTo(0.0, within(1e-12));
  }

  @Test
  void shouldRefreshExactlyEveryConfiguredNumberOfChanges() {
    // given
    Random random = new Random(14);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 5, D, 0.0));
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, PolynomialKernel.synqueDefault(D), 4, 3);

    // when / then
    mmd.put(0, toFloat(gaussianRows(random, 1, D, 0.0)[0]));
    mmd.put(1, toFloat(gaussianRows(random, 1, D, 0.0)[0]));
    assertThat(mmd.changesSinceRefresh()).isEqualTo(2);
    mmd.put(0, toFloat(gaussianRows(random, 1, D, 0.0)[0]));
    assertThat(mmd.changesSinceRefresh()).isZero();
    assertThat(mmd.refreshInterval()).isEqualTo(3);
  }

  @Test
  void shouldRefuseAValueBeforeAnySample() {
    EmbeddingSet reference = EmbeddingSet.of("reference", new double[][] {{1, 2}});
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, 4);

    assertThatThrownBy(mmd::value)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no synthetic samples");
    assertThatThrownBy(() -> mmd.put(4, new float[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot 4 is outside [0, 4)");
    assertThatThrownBy(() -> mmd.put(0, new float[] {1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("dimension 1, expected 2");
  }

  @Test
  void shouldRoundTripThroughBytesAgainstTheSameReference() {
    // given
    Random random = new Random(15);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 7, D, 0.0));
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, PolynomialKernel.synqueDefault(D), 8, 5);
    for (int slot : new int[] {0, 3, 5, 3, 7}) {
      mmd.put(slot, toFloat(gaussianRows(random, 1, D, 0.3)[0]));
    }
    mmd.put(1, toFloat(gaussianRows(random, 1, D, 0.3)[0]));

    // when
    IncrementalMmd2 restored = IncrementalMmd2.fromBytes(mmd.toBytes(), reference);

    // then: identical sums, so identical values, before and after the next change
    assertThat(restored.value()).isEqualTo(mmd.value());
    assertThat(restored.size()).isEqualTo(5);
    assertThat(restored.changesSinceRefresh()).isEqualTo(mmd.changesSinceRefresh());
    float[] next = toFloat(gaussianRows(random, 1, D, 0.3)[0]);
    mmd.put(2, next);
    restored.put(2, next);
    assertThat(restored.value()).isEqualTo(mmd.value());
  }

  @Test
  void shouldRejectBytesForAnotherReferenceOrCorruptInput() {
    Random random = new Random(16);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 3, D, 0.0));
    EmbeddingSet other = EmbeddingSet.of("reference", gaussianRows(random, 3, D, 0.0));
    IncrementalMmd2 mmd = new IncrementalMmd2(reference, 2);
    mmd.put(0, toFloat(gaussianRows(random, 1, D, 0.0)[0]));
    byte[] bytes = mmd.toBytes();
    byte[] wrongVersion = bytes.clone();
    wrongVersion[0] = 7;

    assertThatThrownBy(() -> IncrementalMmd2.fromBytes(bytes, other))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("different reference");
    assertThatThrownBy(
            () -> IncrementalMmd2.fromBytes(Arrays.copyOf(bytes, bytes.length - 1), reference))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> IncrementalMmd2.fromBytes(wrongVersion, reference))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 7");
  }

  @Test
  void shouldRoundTripTheSumsAgainstTheReservoirItFollows() {
    // given a state following a reservoir past its capacity (replacements happened)
    Random random = new Random(17);
    EmbeddingSet reference = EmbeddingSet.of("reference", gaussianRows(random, 6, D, 0.0));
    Reservoir reservoir = new Reservoir(5, D, 99);
    IncrementalMmd2 mmd =
        IncrementalMmd2.of(reservoir, reference, PolynomialKernel.synqueDefault(D), 4);
    for (int i = 0; i < 12; i++) {
      mmd.apply(
          reservoir.offer("s" + i, toFloat(gaussianRows(random, 1, D, 0.2)[0]), "t" + i),
          reservoir);
    }
    byte[] sums = mmd.sumsToBytes();
    Reservoir restoredReservoir = Reservoir.fromBytes(reservoir.toBytes());

    // when
    IncrementalMmd2 restored = IncrementalMmd2.fromSumBytes(sums, reference, restoredReservoir);

    // then: the same sums without storing the vectors twice, and the same after the next change
    assertThat(sums).hasSize(65 + 5 + 5 * 16);
    assertThat(restored.value()).isEqualTo(mmd.value());
    assertThat(restored.changesSinceRefresh()).isEqualTo(mmd.changesSinceRefresh());
    float[] next = toFloat(gaussianRows(random, 1, D, 0.2)[0]);
    mmd.apply(reservoir.offer("next", next, "n"), reservoir);
    restored.apply(restoredReservoir.offer("next", next, "n"), restoredReservoir);
    assertThat(restored.value()).isEqualTo(mmd.value());
    assertThatThrownBy(() -> IncrementalMmd2.fromBytes(sums, reference))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 2");
    assertThatThrownBy(() -> IncrementalMmd2.fromSumBytes(sums, reference, new Reservoir(5, D, 99)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("slot 0 is occupied but the reservoir holds no item there");
  }

  @Test
  void shouldSerialiseAFullStateOfK1024AndD384InDocumentedSize() {
    // given
    EmbeddingSet reference = EmbeddingSet.of("reference", new double[1][384]);
    IncrementalMmd2 mmd =
        new IncrementalMmd2(reference, PolynomialKernel.synqueDefault(384), 1024, 0);
    for (int slot = 0; slot < 1024; slot++) {
      mmd.put(slot, new float[384]);
    }

    // when
    byte[] bytes = mmd.toBytes();

    // then: 65 + 1024 + 1024 * (16 + 4 * 384)
    assertThat(bytes).hasSize(1_590_337);
  }

  /** MMD² V-statistic by plain triple loops with the SynQuE kernel ((x·y)/d + 1)³. */
  private static double bruteForceMmd2(float[][] x, double[] referenceRowMajor, int m) {
    List<double[]> xs = new ArrayList<>();
    for (float[] row : x) {
      double[] widened = new double[row.length];
      for (int j = 0; j < row.length; j++) {
        widened[j] = row[j];
      }
      xs.add(widened);
    }
    List<double[]> rs = new ArrayList<>();
    for (int a = 0; a < m; a++) {
      rs.add(Arrays.copyOfRange(referenceRowMajor, a * D, (a + 1) * D));
    }
    return meanKernel(xs, xs) + meanKernel(rs, rs) - 2 * meanKernel(xs, rs);
  }

  private static double meanKernel(List<double[]> a, List<double[]> b) {
    double sum = 0;
    for (double[] u : a) {
      for (double[] v : b) {
        double dot = 0;
        for (int j = 0; j < D; j++) {
          dot += u[j] * v[j];
        }
        double base = dot / D + 1;
        sum += base * base * base;
      }
    }
    return sum / ((double) a.size() * b.size());
  }

  private static double[][] gaussianRows(Random random, int n, int d, double shift) {
    double[][] rows = new double[n][d];
    for (double[] row : rows) {
      for (int j = 0; j < d; j++) {
        row[j] = shift + random.nextGaussian();
      }
    }
    return rows;
  }

  private static float[] toFloat(double[] row) {
    float[] result = new float[row.length];
    for (int j = 0; j < row.length; j++) {
      result[j] = (float) row[j];
    }
    return result;
  }
}
