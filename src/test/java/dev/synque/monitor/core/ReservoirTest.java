package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ReservoirTest {

  /**
   * χ² critical value at 0.999 for 99 degrees of freedom (100 items − 1), from {@code
   * scipy.stats.chi2.ppf(0.999, 99)} = 148.2304. Inclusion counts are less dispersed than
   * multinomial counts (each run picks exactly k distinct items: variance R·p·(1−p) per item), so
   * the statistic's mean is about 90 and this bound is conservative.
   */
  private static final double CHI_SQUARE_999_DF99 = 148.2304;

  @Test
  void shouldIncludeEveryItemWithEqualProbability() {
    // given: 2000 runs with different seeds over the same stream of 100 items, k = 10
    int items = 100;
    int capacity = 10;
    int runs = 2000;
    int[] inclusions = new int[items];

    // when
    for (int run = 0; run < runs; run++) {
      Reservoir reservoir = new Reservoir(capacity, 1, 1_000_003L * run + 17);
      for (int i = 0; i < items; i++) {
        reservoir.offer("item-" + i, new float[] {i}, "");
      }
      for (int slot = 0; slot < reservoir.size(); slot++) {
        inclusions[(int) reservoir.embedding(slot)[0]]++;
      }
    }

    // then: expected 2000 * 10 / 100 = 200 inclusions per item
    double expected = (double) runs * capacity / items;
    double chiSquare = 0;
    for (int count : inclusions) {
      chiSquare += (count - expected) * (count - expected) / expected;
    }
    assertThat(Arrays.stream(inclusions).sum()).isEqualTo(runs * capacity);
    assertThat(chiSquare).isLessThan(CHI_SQUARE_999_DF99);
  }

  @Test
  void shouldRebuildTheSameReservoirFromTheSameSeedAndIds() {
    // given
    Reservoir first = new Reservoir(8, 3, 42);
    Reservoir second = new Reservoir(8, 3, 42);
    Reservoir otherSeed = new Reservoir(8, 3, 43);

    // when
    offerStream(first, 500);
    offerStream(second, 500);
    offerStream(otherSeed, 500);

    // then
    assertThat(second).isEqualTo(first);
    assertThat(otherSeed).isNotEqualTo(first);
  }

  @Test
  void shouldContinueAfterRestoreExactlyAsWithoutInterruption() {
    // given: a reservoir checkpointed half-way, as after a crash and a changelog restore
    Reservoir uninterrupted = new Reservoir(16, 4, 7);
    Reservoir beforeCrash = new Reservoir(16, 4, 7);
    Random random = new Random(1);
    float[][] stream = new float[400][4];
    for (float[] e : stream) {
      for (int j = 0; j < e.length; j++) {
        e[j] = (float) random.nextGaussian();
      }
    }
    for (int i = 0; i < 200; i++) {
      beforeCrash.offer("s" + i, stream[i], "text " + i);
    }

    // when
    Reservoir restored = Reservoir.fromBytes(beforeCrash.toBytes());
    for (int i = 0; i < 400; i++) {
      uninterrupted.offer("s" + i, stream[i], "text " + i);
    }
    for (int i = 200; i < 400; i++) {
      restored.offer("s" + i, stream[i], "text " + i);
    }

    // then
    assertThat(restored).isEqualTo(uninterrupted);
  }

  @Test
  void shouldNeverHoldMoreThanItsCapacityAndReportEachUpdate() {
    // given
    Reservoir reservoir = new Reservoir(5, 2, 3);
    Map<Integer, String> occupant = new HashMap<>();

    // when / then
    for (int i = 0; i < 1000; i++) {
      String id = "id-" + i;
      Reservoir.Update update = reservoir.offer(id, new float[] {i, -i}, "t" + i);
      assertThat(update.position()).isEqualTo(i);
      if (i < 5) {
        assertThat(update.outcome()).isEqualTo(Reservoir.Outcome.ACCEPTED);
        assertThat(update.slot()).isEqualTo(i);
        assertThat(update.evictedSampleId()).isNull();
      } else if (update.outcome() == Reservoir.Outcome.REPLACED) {
        assertThat(update.evictedSampleId()).isEqualTo(occupant.get(update.slot()));
        assertThat(update.evictedEmbedding()[0])
            .isEqualTo(Float.parseFloat(occupant.get(update.slot()).substring(3)));
      } else {
        assertThat(update.outcome()).isEqualTo(Reservoir.Outcome.REJECTED);
        assertThat(update.slot()).isEqualTo(-1);
        assertThat(update.changed()).isFalse();
      }
      if (update.changed()) {
        occupant.put(update.slot(), id);
        assertThat(reservoir.sampleId(update.slot())).isEqualTo(id);
        assertThat(reservoir.text(update.slot())).isEqualTo("t" + i);
      }
      assertThat(reservoir.size()).isEqualTo(Math.min(i + 1, 5));
    }
    assertThat(reservoir.seen()).isEqualTo(1000);
    assertThat(reservoir.capacity()).isEqualTo(5);
  }

  @Test
  void shouldCopyEmbeddingsInAndOut() {
    // given
    Reservoir reservoir = new Reservoir(2, 2, 0);
    float[] embedding = {1, 2};
    reservoir.offer("a", embedding, "");

    // when
    embedding[0] = 99;
    reservoir.embedding(0)[1] = 99;

    // then
    assertThat(reservoir.embedding(0)).containsExactly(1, 2);
  }

  @Test
  void shouldRejectInvalidItemsNamingTheRuleAndStayUnchanged() {
    Reservoir reservoir = new Reservoir(2, 3, 0);

    assertThatThrownBy(() -> reservoir.offer("a", new float[] {1, 2}, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("sample a has dimension 2, expected 3");
    assertThatThrownBy(() -> reservoir.offer("b", new float[] {1, Float.POSITIVE_INFINITY, 2}, ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("component 1 is Infinity");
    assertThatThrownBy(() -> reservoir.offer(null, new float[3], ""))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must not be null");
    assertThatThrownBy(() -> new Reservoir(0, 3, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("capacity 0 must be at least 1");
    assertThat(reservoir.seen()).isZero();
  }

  @Test
  void shouldRoundTripThroughBytes() {
    // given
    Reservoir reservoir = new Reservoir(10, 3, 99);
    offerStream(reservoir, 37);

    // when
    Reservoir restored = Reservoir.fromBytes(reservoir.toBytes());

    // then
    assertThat(restored).isEqualTo(reservoir);
    assertThat(restored.text(3)).isEqualTo(reservoir.text(3));
  }

  @Test
  void shouldSerialiseAFullReservoirOfK1024AndD384InDocumentedSize() {
    // given: 12-byte ids and 200-byte texts
    Reservoir reservoir = new Reservoir(1024, 384, 5);
    String text = "x".repeat(200);
    for (int i = 0; i < 2048; i++) {
      reservoir.offer(String.format("sample-%05d", i), new float[384], text);
    }

    // when
    byte[] bytes = reservoir.toBytes();

    // then: 29 + 1024 * (8 + 12 + 200 + 4 * 384)
    assertThat(reservoir.size()).isEqualTo(1024);
    assertThat(bytes).hasSize(1_798_173);
  }

  @Test
  void shouldRejectCorruptBytesNamingTheProblem() {
    Reservoir reservoir = new Reservoir(4, 2, 1);
    offerStream(reservoir, 3);
    byte[] bytes = reservoir.toBytes();
    byte[] wrongVersion = bytes.clone();
    wrongVersion[0] = 2;
    byte[] trailing = Arrays.copyOf(bytes, bytes.length + 1);

    assertThatThrownBy(() -> Reservoir.fromBytes(Arrays.copyOf(bytes, bytes.length - 3)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> Reservoir.fromBytes(wrongVersion))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("format version 2 is not supported");
    assertThatThrownBy(() -> Reservoir.fromBytes(trailing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("trailing");
    assertThatThrownBy(() -> Reservoir.fromBytes(null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  private static void offerStream(Reservoir reservoir, int n) {
    for (int i = 0; i < n; i++) {
      float[] e = new float[reservoir.dimension()];
      Arrays.fill(e, i);
      reservoir.offer("sample-" + i, e, "text of sample " + i);
    }
  }
}
