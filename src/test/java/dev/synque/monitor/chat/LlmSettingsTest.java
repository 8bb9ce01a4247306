package dev.synque.monitor.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class LlmSettingsTest {

  private static Map<String, Object> minimal() {
    Map<String, Object> config = new HashMap<>();
    config.put(LlmSettings.BASE_URL, "http://localhost:8000/v1/");
    config.put(LlmSettings.RUBRIC_MODEL, "big");
    config.put(LlmSettings.JUDGE_MODEL, "small");
    return config;
  }

  @Test
  void shouldApplyTheDefaults() {
    LlmSettings s = LlmSettings.fromConfig(minimal(), name -> null);

    assertThat(s.chatCompletionsUrl()).hasToString("http://localhost:8000/v1/chat/completions");
    assertThat(s.apiKeyEnv()).isEqualTo("SYNQUE_LLM_API_KEY");
    assertThat(s.apiKey()).isNull();
    assertThat(s.rubricSize()).isEqualTo(10);
    assertThat(s.maxConcurrency()).isEqualTo(4);
    assertThat(s.requestTimeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(s.budgetCallsPerHour()).isEqualTo(2000);
    assertThat(s.budgetCallsPerHourPerGenerator()).isEqualTo(500);
    assertThat(s.budgetTokensPerHour()).isZero();
    assertThat(s.budgetTokensPerHourPerGenerator()).isZero();
  }

  @Test
  void shouldReadTheKeyFromTheNamedVariableAndNeverShowIt() {
    Map<String, Object> config = minimal();
    config.put(LlmSettings.API_KEY_ENV, "MY_KEY");

    LlmSettings s = LlmSettings.fromConfig(config, name -> name.equals("MY_KEY") ? "sk-123" : null);

    assertThat(s.apiKey()).isEqualTo("sk-123");
    assertThat(s.toString()).doesNotContain("sk-123").contains("set from $MY_KEY");
  }

  @Test
  void shouldNameTheKeyAndRuleOfABadValue() {
    Map<String, Object> config = minimal();
    config.put(LlmSettings.MAX_CONCURRENCY, "0");
    assertThatThrownBy(() -> LlmSettings.fromConfig(config, n -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LlmSettings.MAX_CONCURRENCY)
        .hasMessageContaining("at least 1");

    config.put(LlmSettings.MAX_CONCURRENCY, "many");
    assertThatThrownBy(() -> LlmSettings.fromConfig(config, n -> null))
        .hasMessageContaining(LlmSettings.MAX_CONCURRENCY)
        .hasMessageContaining("whole number");

    Map<String, Object> badUrl = minimal();
    badUrl.put(LlmSettings.BASE_URL, "localhost:8000");
    assertThatThrownBy(() -> LlmSettings.fromConfig(badUrl, n -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LlmSettings.BASE_URL)
        .hasMessageContaining("http://");

    Map<String, Object> noModel = minimal();
    noModel.remove(LlmSettings.JUDGE_MODEL);
    assertThatThrownBy(() -> LlmSettings.fromConfig(noModel, n -> null))
        .hasMessageContaining(LlmSettings.JUDGE_MODEL)
        .hasMessageContaining("required");

    Map<String, Object> temperature = minimal();
    temperature.put(LlmSettings.TEMPERATURE, "3");
    assertThatThrownBy(() -> LlmSettings.fromConfig(temperature, n -> null))
        .hasMessageContaining(LlmSettings.TEMPERATURE);
  }

  @Test
  void shouldRequireTheBaseUrl() {
    Map<String, Object> config = minimal();
    config.remove(LlmSettings.BASE_URL);

    assertThatThrownBy(() -> LlmSettings.fromConfig(config, n -> null))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(LlmSettings.BASE_URL);
  }
}
