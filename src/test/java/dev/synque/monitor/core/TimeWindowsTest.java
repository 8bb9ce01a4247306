package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TimeWindowsTest {

  @Test
  void shouldPutAnEventTimeInOneTumblingWindowAlignedToTheEpoch() {
    TimeWindows tumbling = new TimeWindows(1_000, 1_000, 0);

    assertThat(tumbling.startsOf(0)).containsExactly(0);
    assertThat(tumbling.startsOf(999)).containsExactly(0);
    assertThat(tumbling.startsOf(1_000)).containsExactly(1_000);
    assertThat(tumbling.startsOf(-1)).containsExactly(-1_000);
  }

  @Test
  void shouldPutAnEventTimeInEveryHoppingWindowHoldingItOldestFirst() {
    TimeWindows hopping = new TimeWindows(1_000, 250, 0);

    assertThat(hopping.startsOf(1_100)).containsExactly(250, 500, 750, 1_000);
    assertThat(hopping.startsOf(1_000)).containsExactly(250, 500, 750, 1_000);
    assertThat(new TimeWindows(1_000, 400, 0).startsOf(1_000)).containsExactly(400, 800);
  }

  @Test
  void shouldCloseAWindowWhenTheClockReachesItsEndPlusGrace() {
    TimeWindows windows = new TimeWindows(1_000, 1_000, 200);

    assertThat(windows.end(1_000)).isEqualTo(2_000);
    assertThat(windows.closed(1_000, 2_199)).isFalse();
    assertThat(windows.closed(1_000, 2_200)).isTrue();
    assertThat(new TimeWindows(1_000, 1_000, 0).closed(1_000, 2_000)).isTrue();
  }

  @Test
  void shouldRejectAShapeThatIsNotAWindowNamingTheValue() {
    assertThatThrownBy(() -> new TimeWindows(0, 1, 0)).hasMessageContaining("size 0");
    assertThatThrownBy(() -> new TimeWindows(1_000, 2_000, 0))
        .hasMessageContaining("advance 2000")
        .hasMessageContaining("at most the size 1000");
    assertThatThrownBy(() -> new TimeWindows(1_000, 1_000, -1)).hasMessageContaining("grace -1");
  }
}
