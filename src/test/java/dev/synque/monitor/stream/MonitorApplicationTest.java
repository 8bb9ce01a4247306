package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class MonitorApplicationTest {

  private static final Map<String, Object> MINIMAL =
      Map.of("bootstrap.servers", "localhost:9092", "schema.registry.url", "http://x:8081");

  @Test
  void shouldRefuseARegistryWaitThatOutlastsThePollInterval() {
    Map<String, Object> config = new java.util.HashMap<>(MINIMAL);
    config.put(MonitorSettings.REGISTRY_WAIT_MS, 120_000);
    config.put("main.consumer.max.poll.interval.ms", 60_000);

    assertThatThrownBy(() -> MonitorApplication.configure(config))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.REGISTRY_WAIT_MS)
        .hasMessageContaining("max.poll.interval.ms (60000)");
  }

  @Test
  void shouldAcceptTheDefaultsAgainstTheDefaultPollInterval() {
    MonitorApplication app = MonitorApplication.configure(MINIMAL);

    assertThat(app.settings().registryWait().toMillis()).isEqualTo(60_000);
    assertThat(app.applicationId()).isEqualTo(MonitorStreamsConfig.DEFAULT_APPLICATION_ID);
  }
}
