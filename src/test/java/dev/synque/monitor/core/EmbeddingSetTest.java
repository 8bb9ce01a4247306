package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EmbeddingSetTest {

  @Test
  void shouldCopyRowsRowMajor() {
    double[][] rows = {{1, 2}, {3, 4}, {5, 6}};
    EmbeddingSet set = EmbeddingSet.of("synthetic", rows);
    rows[0][0] = 99;

    assertThat(set.size()).isEqualTo(3);
    assertThat(set.dimension()).isEqualTo(2);
    assertThat(set.rowMajor()).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(set.row(2)).containsExactly(5, 6);
  }

  @Test
  void shouldRejectAnEmptySetNamingIt() {
    assertThatThrownBy(() -> EmbeddingSet.of("reference", new double[0][]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("reference")
        .hasMessageContaining("empty");
  }

  @Test
  void shouldRejectRaggedRowsNamingTheRow() {
    assertThatThrownBy(() -> EmbeddingSet.of("synthetic", new double[][] {{1, 2}, {3}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("embedding 1 has dimension 1, expected 2");
  }

  @Test
  void shouldRejectNonFiniteComponentsNamingRowAndColumn() {
    assertThatThrownBy(() -> EmbeddingSet.of("synthetic", new float[][] {{1, 2}, {3, Float.NaN}}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("embedding 1, component 1 is NaN");
    assertThatThrownBy(
            () -> EmbeddingSet.of("synthetic", new double[][] {{Double.POSITIVE_INFINITY}}))
        .hasMessageContaining("Infinity");
  }

  @Test
  void shouldRejectSetsOfDifferentDimensions() {
    EmbeddingSet x = EmbeddingSet.of("synthetic", new double[][] {{1, 2}});
    EmbeddingSet r = EmbeddingSet.of("reference", new double[][] {{1, 2, 3}});

    assertThatThrownBy(() -> EmbeddingSet.requireSameDimension(x, r))
        .hasMessageContaining("dimension 2")
        .hasMessageContaining("dimension 3");
  }

  @Test
  void shouldComputeWhatIsDerivedFromASetOnceAndFingerprintByContent() {
    EmbeddingSet a = EmbeddingSet.of("a", new double[][] {{1, 2}, {3, 4}});
    java.util.concurrent.atomic.AtomicInteger calls =
        new java.util.concurrent.atomic.AtomicInteger();
    java.util.function.ToDoubleFunction<EmbeddingSet> sum =
        s -> {
          calls.incrementAndGet();
          return java.util.Arrays.stream(s.rowMajor()).sum();
        };

    assertThat(a.derived("sum", sum)).isEqualTo(10.0);
    assertThat(a.derived("sum", sum)).isEqualTo(10.0);
    assertThat(calls).hasValue(1);
    assertThat(a.derived("other", s -> 1.0)).isEqualTo(1.0);

    assertThat(a.fingerprint())
        .isEqualTo(EmbeddingSet.of("b", new double[][] {{1, 2}, {3, 4}}).fingerprint())
        .isNotEqualTo(EmbeddingSet.of("c", new double[][] {{1, 2}, {3, 5}}).fingerprint())
        .isNotEqualTo(EmbeddingSet.of("d", new double[][] {{1, 2, 3, 4}}).fingerprint());
  }
}
