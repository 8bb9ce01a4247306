package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

class MonitorSettingsTest {

  @Test
  void shouldDefaultToTumblingHourWindowsAndTheCheapExactProxies() {
    MonitorSettings s = MonitorSettings.defaults();

    assertThat(s.windowKind()).isEqualTo(MonitorSettings.WindowKindSetting.TUMBLING);
    assertThat(s.windowSize()).isEqualTo(Duration.ofHours(1));
    assertThat(s.windowAdvance()).isEqualTo(s.windowSize());
    assertThat(s.proxies()).containsExactly("mmd2_poly", "frechet");
    assertThat(s.syntheticTopic()).isEqualTo("synque-synthetic-samples-v1");
    assertThat(s.allTime()).isTrue();
  }

  @Test
  void shouldRejectAnAdvanceLargerThanTheWindowNamingTheKey() {
    assertThatThrownBy(
            () ->
                MonitorSettings.fromConfig(
                    Map.of(
                        MonitorSettings.WINDOW_KIND, "hopping",
                        MonitorSettings.WINDOW_SIZE_MS, "1000",
                        MonitorSettings.WINDOW_ADVANCE_MS, "2000")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.WINDOW_ADVANCE_MS);
  }

  @Test
  void shouldNameTheDriftKeyThatBreaksItsRule() {
    assertThatThrownBy(
            () -> MonitorSettings.fromConfig(Map.of(MonitorSettings.DRIFT_EWMA_ALPHA, "2")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.DRIFT_EWMA_ALPHA)
        .hasMessageContaining("(0, 1]");
  }

  @Test
  void shouldRejectTumblingWindowsThatHop() {
    assertThatThrownBy(
            () ->
                MonitorSettings.fromConfig(
                    Map.of(
                        MonitorSettings.WINDOW_SIZE_MS, "1000",
                        MonitorSettings.WINDOW_ADVANCE_MS, "500")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.WINDOW_ADVANCE_MS);
  }

  @Test
  void shouldDefaultToExactlyOnceAndPassOtherKeysThrough() {
    Properties props =
        MonitorStreamsConfig.from(
            Map.of(
                "bootstrap.servers",
                "broker:9092",
                "num.stream.threads",
                "4",
                MonitorSettings.WINDOW_KIND,
                "NONE"));

    assertThat(props.get(StreamsConfig.PROCESSING_GUARANTEE_CONFIG))
        .isEqualTo(StreamsConfig.EXACTLY_ONCE_V2);
    assertThat(props.get(StreamsConfig.APPLICATION_ID_CONFIG)).isEqualTo("synque-monitor");
    assertThat(props.get("num.stream.threads")).isEqualTo("4");
    assertThat(props).doesNotContainKey(MonitorSettings.WINDOW_KIND);
  }
}
