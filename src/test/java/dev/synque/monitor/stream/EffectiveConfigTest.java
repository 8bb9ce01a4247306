package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class EffectiveConfigTest {

  @Test
  void shouldHideKafkaPasswordsWithAnyClientPrefixOrListenerOverride() {
    for (String key :
        new String[] {
          "sasl.jaas.config",
          "ssl.truststore.password",
          "ssl.keystore.password",
          "ssl.key.password",
          "ssl.keystore.key",
          "producer.sasl.jaas.config",
          "main.consumer.ssl.truststore.password",
          "admin.ssl.keystore.key",
          "listener.name.secure.scram-sha-256.sasl.jaas.config",
          "listener.name.secure.ssl.keystore.password"
        }) {
      assertThat(EffectiveConfig.isSecret(key)).as(key).isTrue();
    }
  }

  @Test
  void shouldHideKeysWhoseNameSaysSecretEvenWhenKafkaDoesNotKnowThem() {
    for (String key :
        new String[] {
          "basic.auth.user.info",
          "schema.registry.basic.auth.user.info",
          "schema.registry.ssl.truststore.password",
          "synque.lens.llm.api.key",
          "sasl.oauthbearer.client.credentials.client.secret",
          "some.access.token"
        }) {
      assertThat(EffectiveConfig.isSecret(key)).as(key).isTrue();
    }
  }

  @Test
  void shouldShowOrdinarySettings() {
    for (String key :
        new String[] {
          "bootstrap.servers",
          "security.protocol",
          "sasl.mechanism",
          "ssl.truststore.location",
          "ssl.truststore.type",
          "schema.registry.url",
          "synque.topic.synthetic",
          "synque.lens.requests.topic"
        }) {
      assertThat(EffectiveConfig.isSecret(key)).as(key).isFalse();
    }
  }

  @Test
  void shouldPrintOneSortedLinePerKeyWithSecretsHidden() {
    String text =
        EffectiveConfig.describe(
            Map.of(
                "sasl.jaas.config", "ScramLoginModule required password=\"p4ss\";",
                "bootstrap.servers", "broker:9093",
                "synque.window.kind", "NONE"));

    assertThat(text)
        .isEqualTo(
            "  bootstrap.servers = broker:9093\n"
                + "  sasl.jaas.config = [hidden]\n"
                + "  synque.window.kind = NONE")
        .doesNotContain("p4ss");
  }

  @Test
  void shouldHideTheUserInfoOfAUrlInAnyValue() {
    String text =
        EffectiveConfig.describe(
            java.util.Map.of(
                "schema.registry.url",
                "https://alice:s3cret@registry-a:8081,http://bob:pw@registry-b:8081/api"));

    assertThat(text)
        .doesNotContain("alice", "s3cret", "bob", ":pw")
        .contains("https://[hidden]@registry-a:8081", "http://[hidden]@registry-b:8081/api");
  }

  @Test
  void shouldHideTheUserInfoOfAUrlInAConfigurationError() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                dev.synque.monitor.serde.SchemaRegistrySettings.fromConfig(
                    java.util.Map.of("schema.registry.url", "ftp://alice:s3cret@registry:8081")))
        .hasMessageContaining("http:// or https://")
        .hasMessageNotContaining("s3cret")
        .hasMessageContaining("[hidden]@registry");
  }
}
