package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.core.DriftTracker.Event;
import dev.synque.monitor.core.DriftTracker.Settings;
import dev.synque.monitor.core.DriftTracker.Settings.Baseline;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriftTrackerTest {

  private static List<Event> feed(DriftTracker t, double... values) {
    List<Event> events = new ArrayList<>();
    for (double v : values) {
      events.add(t.observe(v).event());
    }
    return events;
  }

  @Test
  void shouldAlertAfterConsecutiveDegradedWindowsAndMeasureAgainstTheWarmupMean() {
    // Given a distance with baseline mean(1.0, 1.2, 0.8) = 1.0, threshold 50%, 2 windows in a row.
    DriftTracker t = new DriftTracker(Settings.defaults(), Orientation.LOWER_IS_BETTER);
    assertThat(feed(t, 1.0, 1.2, 0.8)).containsOnly(Event.NONE);
    assertThat(t.baseline()).isCloseTo(1.0, within(1e-15));
    // One bad window is not enough; the good one in between resets the count.
    assertThat(feed(t, 1.7, 1.1, 1.6)).containsOnly(Event.NONE);
    DriftTracker.Observation o = t.observe(1.8);
    assertThat(o.event()).isEqualTo(Event.DEGRADED);
    assertThat(o.degradation()).isCloseTo(0.8, within(1e-12));
    assertThat(o.streak()).isEqualTo(2);
    assertThat(t.degraded()).isTrue();
  }

  @Test
  void shouldNotFlapInsideTheHysteresisBand() {
    DriftTracker t = new DriftTracker(Settings.defaults(), Orientation.LOWER_IS_BETTER);
    feed(t, 1, 1, 1, 2, 2); // degraded
    assertThat(t.degraded()).isTrue();
    // 1.4 is 40% worse: below the 50% threshold but above the 25% clear level: stays degraded.
    assertThat(feed(t, 1.4, 1.4, 1.4, 1.4)).containsOnly(Event.NONE);
    assertThat(t.degraded()).isTrue();
    assertThat(feed(t, 1.1, 1.1)).containsExactly(Event.NONE, Event.RECOVERED);
    assertThat(t.degraded()).isFalse();
  }

  @Test
  void shouldFlapWithoutHysteresisWhereTheBandIsOff() {
    Settings noBand = new Settings(Baseline.FIRST_WINDOWS, 1, 0.2, 0.5, 1, 1.0, 1e-6);
    DriftTracker t = new DriftTracker(noBand, Orientation.LOWER_IS_BETTER);
    assertThat(feed(t, 1.0, 1.6, 1.4, 1.6, 1.4))
        .containsExactly(
            Event.NONE, Event.DEGRADED, Event.RECOVERED, Event.DEGRADED, Event.RECOVERED);
  }

  @Test
  void shouldReadHigherIsBetterTheOtherWayRound() {
    Settings quick = new Settings(Baseline.FIRST_WINDOWS, 1, 0.2, 0.5, 1, 0.5, 1e-6);
    DriftTracker mauve = new DriftTracker(quick, Orientation.HIGHER_IS_BETTER);
    mauve.observe(0.8);
    assertThat(mauve.observe(1.0).event()).isEqualTo(Event.NONE);
    DriftTracker.Observation o = mauve.observe(0.3);
    assertThat(o.event()).isEqualTo(Event.DEGRADED);
    assertThat(o.degradation()).isCloseTo(0.625, within(1e-12));
  }

  @Test
  void shouldKeepAnEwmaBaselineFromNormalWindowsOnly() {
    Settings ewma = new Settings(Baseline.EWMA, 1, 0.5, 0.5, 2, 0.5, 1e-6);
    DriftTracker t = new DriftTracker(ewma, Orientation.LOWER_IS_BETTER);
    t.observe(1.0);
    t.observe(1.2); // normal: baseline 1.1
    assertThat(t.baseline()).isCloseTo(1.1, within(1e-15));
    t.observe(3.0); // degraded-looking window: not absorbed
    assertThat(t.baseline()).isCloseTo(1.1, within(1e-15));
  }

  @Test
  void shouldUseTheScaleFloorForABaselineOfZeroAndIgnoreNan() {
    Settings s = new Settings(Baseline.FIRST_WINDOWS, 1, 0.2, 0.5, 1, 0.5, 0.01);
    DriftTracker t = new DriftTracker(s, Orientation.LOWER_IS_BETTER);
    t.observe(0.0);
    assertThat(t.observe(0.004).degradation()).isCloseTo(0.4, within(1e-12));
    assertThat(t.observe(Double.NaN).event()).isEqualTo(Event.NONE);
    assertThat(t.observe(0.006).event()).isEqualTo(Event.DEGRADED);
  }

  @Test
  void shouldSurviveARoundTripThroughBytes() {
    DriftTracker t = new DriftTracker(Settings.defaults(), Orientation.LOWER_IS_BETTER);
    feed(t, 1, 1, 1, 2);
    DriftTracker copy = DriftTracker.fromBytes(t.toBytes(), Settings.defaults());
    assertThat(copy.observe(2).event()).isEqualTo(t.observe(2).event()).isEqualTo(Event.DEGRADED);
    assertThat(copy.toBytes()).isEqualTo(t.toBytes());
    byte[] bad = t.toBytes();
    bad[1] = 9;
    assertThatThrownBy(() -> DriftTracker.fromBytes(bad, Settings.defaults()))
        .hasMessageContaining("orientation 9");
  }

  @Test
  void shouldRejectBadSettingsNamingThem() {
    assertThatThrownBy(() -> new Settings(Baseline.EWMA, 0, 0.2, 0.5, 2, 0.5, 1e-6))
        .hasMessageContaining("warm-up windows 0");
    assertThatThrownBy(() -> new Settings(Baseline.EWMA, 1, 0.2, 0.5, 2, 1.5, 1e-6))
        .hasMessageContaining("clear ratio 1.5");
  }
}
