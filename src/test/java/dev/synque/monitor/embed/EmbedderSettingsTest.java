package dev.synque.monitor.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class EmbedderSettingsTest {

  @Test
  void shouldDefaultToMiniLmOnTheBestDevice() {
    EmbedderSettings settings = EmbedderSettings.fromConfig(Map.of());

    assertThat(settings.model()).isEqualTo("minilm");
    assertThat(settings.device()).isEqualTo(DevicePreference.AUTO);
    assertThat(settings.batchSize()).isEqualTo(32);
    assertThat(settings.maxLength()).isZero();
    assertThat(settings.pooling()).isNull();
    assertThat(settings.threads()).isEqualTo(Runtime.getRuntime().availableProcessors());
  }

  @Test
  void shouldReadEveryKey() {
    EmbedderSettings settings =
        EmbedderSettings.fromConfig(
            Map.of(
                EmbedderSettings.MODEL, "/models/e5",
                EmbedderSettings.POOLING, "CLS",
                EmbedderSettings.DEVICE, "gpu",
                EmbedderSettings.THREADS, "3",
                EmbedderSettings.MAX_LENGTH, "128",
                EmbedderSettings.BATCH_SIZE, " 16 "));

    assertThat(settings)
        .isEqualTo(
            new EmbedderSettings("/models/e5", Pooling.CLS, DevicePreference.GPU, 3, 128, 16));
  }

  @Test
  void shouldNameTheKeyAndTheRule() {
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.BATCH_SIZE, "0")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(EmbedderSettings.BATCH_SIZE)
        .hasMessageContaining("between 1 and 4096");
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.THREADS, "two")))
        .hasMessageContaining(EmbedderSettings.THREADS)
        .hasMessageContaining("whole number");
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.MAX_LENGTH, "2")))
        .hasMessageContaining(EmbedderSettings.MAX_LENGTH)
        .hasMessageContaining("at least 3");
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.DEVICE, "tpu")))
        .hasMessageContaining(EmbedderSettings.DEVICE)
        .hasMessageContaining("auto, cpu or gpu");
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.POOLING, "max")))
        .hasMessageContaining(EmbedderSettings.POOLING)
        .hasMessageContaining("mean or cls");
    assertThatThrownBy(() -> EmbedderSettings.fromConfig(Map.of(EmbedderSettings.MODEL, " ")))
        .hasMessageContaining(EmbedderSettings.MODEL);
  }

  @Test
  void shouldValidateValuesAndBatches() {
    assertThatThrownBy(() -> new ModelInfo(" ", 384, 256, Pooling.MEAN))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new EmbeddingBatch(
                    "m",
                    2,
                    java.util.List.of(new EmbeddingOutcome.Embedded(new float[3], 3, false))))
        .hasMessageContaining("outcome 0 has 3 components")
        .hasMessageContaining("dimension is 2");
  }
}
