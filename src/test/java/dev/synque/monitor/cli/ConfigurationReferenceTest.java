package dev.synque.monitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.chat.LlmSettings;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.metrics.MetricsSettings;
import dev.synque.monitor.serde.AvroSerdeFactory;
import dev.synque.monitor.serde.SchemaRegistrySettings;
import dev.synque.monitor.stream.MonitorSettings;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code docs/configuration.md} is generated from the code's {@link ConfigDef}s; these tests keep
 * the file in step with the code, and the documentation-only {@code ConfigDef}s in step with the
 * parsers that apply the defaults.
 */
class ConfigurationReferenceTest {

  @Test
  void shouldMatchTheGeneratedReference() throws IOException {
    assertThat(ConfigurationReference.FILE)
        .as("%s is missing: run %s", ConfigurationReference.FILE, ConfigurationReference.REGENERATE)
        .exists();
    String committed = Files.readString(ConfigurationReference.FILE, StandardCharsets.UTF_8);

    assertThat(committed)
        .as(
            "%s is out of date with the code's ConfigDefs: run %s and commit the result",
            ConfigurationReference.FILE, ConfigurationReference.REGENERATE)
        .isEqualTo(ConfigurationReference.markdown());
  }

  @Test
  void shouldDocumentEveryKeyWithADescription() {
    List<String> undocumented = new ArrayList<>();
    for (ConfigurationReference.Area area : ConfigurationReference.areas()) {
      for (String name : area.keys()) {
        ConfigDef.ConfigKey key = area.config().configKeys().get(name);
        if (key.documentation == null || key.documentation.isBlank()) {
          undocumented.add(name);
        }
      }
    }
    assertThat(undocumented).as("keys without documentation").isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      classes = {
        MonitorSettings.class,
        EmbedderSettings.class,
        MetricsSettings.class,
        SchemaRegistrySettings.class,
        AvroSerdeFactory.class,
        LlmSettings.class
      })
  void shouldDeclareEveryKeyConstantInTheConfigDef(Class<?> settings) throws Exception {
    ConfigDef config = (ConfigDef) settings.getField("CONFIG").get(null);
    List<String> missing = new ArrayList<>();
    for (Field field : settings.getFields()) {
      if (Modifier.isStatic(field.getModifiers())
          && field.getType() == String.class
          && !field.getName().startsWith("DEFAULT_")) {
        String key = (String) field.get(null);
        if (!config.names().contains(key)) {
          missing.add(field.getName() + " = " + key);
        }
      }
    }
    assertThat(missing).as("key constants of %s not in its CONFIG", settings).isEmpty();
  }

  @Test
  void shouldKeepTheEmbedderDefaultsOfTheParser() {
    assertThat(EmbedderSettings.fromConfig(defaults(EmbedderSettings.CONFIG, Map.of())))
        .isEqualTo(EmbedderSettings.fromConfig(Map.of()));
  }

  @Test
  void shouldKeepTheMetricsDefaultsOfTheParser() {
    Map<String, Object> defaults = defaults(MetricsSettings.CONFIG, Map.of());

    assertThat(MetricsSettings.fromConfig(defaults))
        .isEqualTo(MetricsSettings.fromConfig(Map.of()));
    assertThat(MetricsSettings.forLensWorker(defaults))
        .isEqualTo(MetricsSettings.forLensWorker(Map.of()));
  }

  @Test
  void shouldKeepTheRegistryDefaultsOfTheParser() {
    Map<String, Object> required = Map.of(SchemaRegistrySettings.URL, "http://registry:8081");

    assertThat(SchemaRegistrySettings.fromConfig(defaults(SchemaRegistrySettings.CONFIG, required)))
        .isEqualTo(SchemaRegistrySettings.fromConfig(required));
  }

  @Test
  void shouldKeepTheLlmDefaultsOfTheParser() {
    Map<String, Object> required =
        Map.of(
            LlmSettings.BASE_URL, "http://llm:8000/v1",
            LlmSettings.RUBRIC_MODEL, "m",
            LlmSettings.JUDGE_MODEL, "m");

    assertThat(LlmSettings.fromConfig(defaults(LlmSettings.CONFIG, required), name -> null))
        .isEqualTo(LlmSettings.fromConfig(required, name -> null));
  }

  @Test
  void shouldKeepTheLensWorkerDefaultsOfTheCommand() {
    assertThat(LensWorkerCommand.groupId(new HashMap<>()))
        .isEqualTo(LensWorkerCommand.CONFIG.defaultValues().get("group.id"));
  }

  /** {@code required} plus every key of {@code config} that has a default, as text. */
  private static Map<String, Object> defaults(ConfigDef config, Map<String, Object> required) {
    Map<String, Object> map = new HashMap<>(required);
    config
        .configKeys()
        .values()
        .forEach(
            key -> {
              if (key.hasDefault() && key.defaultValue != null) {
                map.put(key.name, ConfigDef.convertToString(key.defaultValue, key.type));
              }
            });
    return map;
  }
}
