package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SettingsAreasTest {

  /** Every area's fragment, in the order {@link MonitorSettings#CONFIG} merges them. */
  private static final List<UnaryOperator<ConfigDef>> FRAGMENTS =
      List.of(
          TopicSettings::define,
          WindowSettings::define,
          RankingSettings::define,
          DriftSettings::define,
          EmbedBatchSettings::define,
          LensLink::define,
          SampleLimits::define,
          RecoverySettings::define,
          LifecycleSettings::define);

  @Test
  void shouldMergeTheAreasFragmentsIntoTheMonitorConfigWithoutOverlap() {
    List<String> keys = new ArrayList<>();
    for (UnaryOperator<ConfigDef> fragment : FRAGMENTS) {
      keys.addAll(fragment.apply(new ConfigDef()).names());
    }

    assertThat(keys).doesNotHaveDuplicates();
    assertThat(keys).containsExactlyInAnyOrderElementsOf(MonitorSettings.CONFIG.names());
  }

  @Test
  void shouldReadEachAreaFromItsOwnFragment() {
    Map<String, Object> config = new HashMap<>();
    config.put(MonitorSettings.SYNTHETIC_TOPIC, "samples-x");
    config.put(MonitorSettings.WINDOW_SIZE_MS, "60000");
    config.put(MonitorSettings.RANKING_MIN_SAMPLES, "7");
    config.put(MonitorSettings.EMBED_MAX_WAIT_MS, "250");
    config.put(MonitorSettings.REGISTRY_WAIT_MS, "1000");
    MonitorSettings all = MonitorSettings.fromConfig(config);

    assertThat(TopicSettings.fromParsed(TopicSettings.define(new ConfigDef()).parse(config)))
        .isEqualTo(all.topics());
    assertThat(WindowSettings.fromParsed(WindowSettings.define(new ConfigDef()).parse(config)))
        .isEqualTo(all.windows());
    assertThat(RankingSettings.fromParsed(RankingSettings.define(new ConfigDef()).parse(config)))
        .isEqualTo(all.ranking());
    assertThat(
            EmbedBatchSettings.fromParsed(EmbedBatchSettings.define(new ConfigDef()).parse(config)))
        .isEqualTo(all.embedding());
    assertThat(RecoverySettings.fromParsed(RecoverySettings.define(new ConfigDef()).parse(config)))
        .isEqualTo(all.recovery());
    assertThat(all.topics().synthetic()).isEqualTo("samples-x");
    assertThat(all.windows().size()).isEqualTo(Duration.ofMinutes(1));
    assertThat(all.ranking().minSamples()).isEqualTo(7);
    assertThat(all.embedding().maxWait()).isEqualTo(Duration.ofMillis(250));
    assertThat(all.recovery().registryWait()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void shouldRejectLensWithoutACadenceNamingTheKeys() {
    assertThatThrownBy(
            () ->
                MonitorSettings.fromConfig(
                    Map.of(
                        MonitorSettings.LENS_ENABLED, "true",
                        MonitorSettings.LENS_EVERY_SAMPLES, "0",
                        MonitorSettings.LENS_EVERY_MS, "0",
                        MonitorSettings.LENS_ON_DRIFT, "false")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.LENS_ENABLED)
        .hasMessageContaining(MonitorSettings.LENS_EVERY_SAMPLES);
  }

  @Test
  void shouldRejectAnEmbeddingWaitOfZeroNamingTheKey() {
    assertThatThrownBy(() -> new EmbedBatchSettings(8, Duration.ZERO, true))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(MonitorSettings.EMBED_MAX_WAIT_MS);
  }
}
