package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class BootstrapIntervalTest {

  @Test
  void shouldApproachTheNormalIntervalForTheMeanOfALargeSample() {
    // Given 2,000 standard normal values, the 95% interval of their mean is about
    // mean ± 1.96 / sqrt(2000) = ± 0.0438.
    Random random = new Random(3);
    double[] values = new double[2000];
    double mean = 0;
    for (int i = 0; i < values.length; i++) {
      values[i] = random.nextGaussian();
      mean += values[i] / values.length;
    }
    BootstrapInterval interval =
        BootstrapInterval.of(values.length, 2000, 0.95, 42, idx -> meanOf(values, idx));
    double halfWidth = 1.96 / Math.sqrt(values.length);
    assertThat(interval.lower()).isCloseTo(mean - halfWidth, within(0.006));
    assertThat(interval.upper()).isCloseTo(mean + halfWidth, within(0.006));
    assertThat(interval.undefined()).isZero();
  }

  @Test
  void shouldBeReproducibleFromItsSeed() {
    double[] values = {1, 5, 2, 8, 3};
    BootstrapInterval a = BootstrapInterval.of(5, 500, 0.9, 7, idx -> meanOf(values, idx));
    BootstrapInterval b = BootstrapInterval.of(5, 500, 0.9, 7, idx -> meanOf(values, idx));
    assertThat(a).isEqualTo(b);
    assertThat(a.lower()).isGreaterThanOrEqualTo(1).isLessThan(a.upper());
    assertThat(a.upper()).isLessThanOrEqualTo(8);
  }

  @Test
  void shouldCountUndefinedResamplesAndReportNanWhenAllAre() {
    BootstrapInterval interval = BootstrapInterval.of(3, 100, 0.95, 1, idx -> Double.NaN);
    assertThat(interval.lower()).isNaN();
    assertThat(interval.undefined()).isEqualTo(100);
  }

  @Test
  void shouldInterpolateQuantilesLikeNumpy() {
    // numpy.quantile([1, 2, 3, 4], 0.25) == 1.75
    assertThat(BootstrapInterval.quantile(new double[] {1, 2, 3, 4}, 0.25)).isEqualTo(1.75);
    assertThat(BootstrapInterval.quantile(new double[] {1, 2, 3, 4}, 1.0)).isEqualTo(4);
  }

  @Test
  void shouldRejectBadSettings() {
    assertThatThrownBy(() -> BootstrapInterval.of(0, 10, 0.95, 1, idx -> 0))
        .hasMessageContaining("n 0");
    assertThatThrownBy(() -> BootstrapInterval.of(3, 10, 1.0, 1, idx -> 0))
        .hasMessageContaining("level 1.0");
  }

  private static double meanOf(double[] values, int[] idx) {
    double sum = 0;
    for (int i : idx) {
      sum += values[i];
    }
    return sum / idx.length;
  }
}
