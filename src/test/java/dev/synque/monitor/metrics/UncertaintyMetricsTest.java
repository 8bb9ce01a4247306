package dev.synque.monitor.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class UncertaintyMetricsTest {

  @Test
  void shouldExportIntervalsTiersAndTheNoiseFloorAndForgetARetiredGenerator() {
    // given
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    MonitorMeters meters = new MonitorMeters(10, () -> 0L);
    meters.bindTo(registry);

    // when
    meters.ranked(SampleMetrics.rankingWithTiers("gen-a", "gen-b"));

    // then
    assertThat(gauge(registry, UncertaintyMetrics.TIER, "gen-b")).isEqualTo(2.0);
    assertThat(gauge(registry, UncertaintyMetrics.INTERVAL_LOW, "gen-a")).isCloseTo(0.09, within());
    assertThat(gauge(registry, UncertaintyMetrics.INTERVAL_HIGH, "gen-b"))
        .isCloseTo(0.21, within());
    assertThat(gauge(registry, UncertaintyMetrics.BEATS_NEXT, "gen-a")).isEqualTo(0.97);
    assertThat(gauge(registry, UncertaintyMetrics.BEATS_NEXT, "gen-b")).isNaN();
    assertThat(
            registry
                .get(UncertaintyMetrics.NOISE_FLOOR)
                .tag("proxy", "mmd2_poly")
                .tag("window", "ALL_TIME")
                .gauge()
                .value())
        .isEqualTo(1.2e-4);
    assertThat(registry.get(UncertaintyMetrics.TIER).gauge().getId().getDescription()).isNotBlank();

    // when a generator retires
    meters.retired("gen-b");

    // then its series go, the other's stay
    assertThat(registry.find(UncertaintyMetrics.TIER).tag("generator", "gen-b").gauges()).isEmpty();
    assertThat(gauge(registry, UncertaintyMetrics.TIER, "gen-a")).isEqualTo(1.0);
  }

  private static org.assertj.core.data.Offset<Double> within() {
    return org.assertj.core.data.Offset.offset(1e-12);
  }

  private static double gauge(SimpleMeterRegistry registry, String name, String generator) {
    return registry
        .get(name)
        .tag("generator", generator)
        .tag("proxy", "mmd2_poly")
        .tag("window", "ALL_TIME")
        .gauge()
        .value();
  }
}
