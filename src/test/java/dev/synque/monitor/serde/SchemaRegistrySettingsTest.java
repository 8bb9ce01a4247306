package dev.synque.monitor.serde;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class SchemaRegistrySettingsTest {

  @Test
  void shouldReadSeveralUrlsAndDefaults() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(SchemaRegistrySettings.URL, "http://a:8081, https://b:8081/apis/ccompat/v7"));

    assertThat(settings.urls())
        .containsExactly(URI.create("http://a:8081"), URI.create("https://b:8081/apis/ccompat/v7"));
    assertThat(settings.autoRegisterSchemas()).isTrue();
    assertThat(settings.requestTimeout().toMillis()).isEqualTo(10_000);
    assertThat(settings.basicAuthUserInfo()).isNull();
    assertThat(settings.tls()).isNull();
  }

  @Test
  void shouldRequireAUrlNamingTheKey() {
    assertThatThrownBy(() -> SchemaRegistrySettings.fromConfig(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("schema.registry.url");
  }

  @Test
  void shouldRejectANonHttpUrlNamingTheValue() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(Map.of(SchemaRegistrySettings.URL, "kafka:9092")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("kafka:9092")
        .hasMessageContaining("http://");
  }

  @Test
  void shouldRejectANonNumericTimeoutNamingKeyAndValue() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        SchemaRegistrySettings.URL, "http://a",
                        SchemaRegistrySettings.REQUEST_TIMEOUT_MS, "soon")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchemaRegistrySettings.REQUEST_TIMEOUT_MS)
        .hasMessageContaining("soon");
  }

  @Test
  void shouldRejectUnknownCredentialSources() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        SchemaRegistrySettings.URL, "http://a",
                        SchemaRegistrySettings.BASIC_AUTH_SOURCE, "SASL_INHERIT")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("SASL_INHERIT")
        .hasMessageContaining("USER_INFO");
  }

  @Test
  void shouldNeverPrintSecrets() {
    SchemaRegistrySettings settings =
        SchemaRegistrySettings.fromConfig(
            Map.of(
                SchemaRegistrySettings.URL, "https://a",
                SchemaRegistrySettings.BASIC_AUTH_USER_INFO, "alice:hunter2",
                SchemaRegistrySettings.TRUSTSTORE_LOCATION, "/etc/trust.p12",
                SchemaRegistrySettings.TRUSTSTORE_PASSWORD, "storepass42"));

    assertThat(settings.toString())
        .contains("alice")
        .doesNotContain("hunter2")
        .doesNotContain("storepass42");
  }

  @Test
  void shouldNotEchoAMalformedSecret() {
    assertThatThrownBy(
            () ->
                SchemaRegistrySettings.fromConfig(
                    Map.of(
                        SchemaRegistrySettings.URL, "http://a",
                        SchemaRegistrySettings.BASIC_AUTH_USER_INFO, "justapassword")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(SchemaRegistrySettings.BASIC_AUTH_USER_INFO)
        .hasMessageNotContaining("justapassword");
  }
}
