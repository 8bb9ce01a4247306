package dev.synque.monitor.lens;

import dev.synque.monitor.chat.LlmSettings;
import java.util.HashMap;
import java.util.Map;

/** Settings for tests: fast backoffs, the fake server's URL, overrides by key. */
final class TestSettings {

  private TestSettings() {}

  static LlmSettings of(String baseUrl, Object... overrides) {
    Map<String, Object> config = new HashMap<>();
    config.put(LlmSettings.BASE_URL, baseUrl);
    config.put(LlmSettings.RUBRIC_MODEL, "rubric-model");
    config.put(LlmSettings.JUDGE_MODEL, "judge-model");
    config.put(LlmSettings.RETRY_BACKOFF_MS, "5");
    config.put(LlmSettings.RETRY_BACKOFF_MAX_MS, "2000");
    config.put(LlmSettings.REQUEST_TIMEOUT_MS, "5000");
    config.put(LlmSettings.RUBRIC_SIZE, "3");
    for (int i = 0; i < overrides.length; i += 2) {
      config.put((String) overrides[i], overrides[i + 1].toString());
    }
    return LlmSettings.fromConfig(config, name -> name.equals("TEST_KEY") ? "sk-secret" : null);
  }
}
