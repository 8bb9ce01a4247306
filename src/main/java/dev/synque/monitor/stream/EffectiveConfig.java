package dev.synque.monitor.stream;

import dev.synque.monitor.serde.SchemaRegistrySettings;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.streams.StreamsConfig;

/**
 * The configuration an application runs with, one {@code key = value} line per key in key order,
 * for the start-up log, with every secret shown as {@value #HIDDEN}: people paste start-up logs
 * into tickets, so nothing there may carry a credential.
 *
 * <p>A key is secret when Kafka declares it a password (its clients' and Streams' own {@code
 * PASSWORD} keys, with any client prefix such as {@code producer.} or {@code main.consumer.}, or
 * inside a {@code listener.name.*} override), or when its name says so: {@code password}, {@code
 * secret}, {@code jaas}, {@code user.info} (registry basic auth), {@code api.key}, {@code token},
 * {@code credential}. Unknown keys that look like secrets are therefore hidden too.
 */
public final class EffectiveConfig {

  /** What a secret value is printed as. */
  public static final String HIDDEN = "[hidden]";

  private static final List<String> SECRET_WORDS =
      List.of(
          "password", "secret", "jaas", "user.info", "api.key", "apikey", "token", "credential");

  private static final List<String> CLIENT_PREFIXES =
      List.of(
          StreamsConfig.MAIN_CONSUMER_PREFIX,
          StreamsConfig.RESTORE_CONSUMER_PREFIX,
          StreamsConfig.GLOBAL_CONSUMER_PREFIX,
          StreamsConfig.CONSUMER_PREFIX,
          StreamsConfig.PRODUCER_PREFIX,
          StreamsConfig.ADMIN_CLIENT_PREFIX);

  private static final List<ConfigDef> KAFKA_DEFS =
      List.of(
          StreamsConfig.configDef(),
          ProducerConfig.configDef(),
          ConsumerConfig.configDef(),
          AdminClientConfig.configDef());

  private EffectiveConfig() {}

  /** One {@code key = value} line per key, sorted, secrets and URL user info hidden. */
  public static String describe(Map<?, ?> config) {
    Map<String, String> sorted = new TreeMap<>();
    config.forEach(
        (k, v) ->
            sorted.put(
                k.toString(),
                isSecret(k.toString())
                    ? HIDDEN
                    : SchemaRegistrySettings.withoutUserInfo(String.valueOf(v))));
    return sorted.entrySet().stream()
        .map(e -> "  " + e.getKey() + " = " + e.getValue())
        .collect(Collectors.joining("\n"));
  }

  /** Whether the value of {@code key} must never be printed. */
  public static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (String word : SECRET_WORDS) {
      if (k.contains(word)) {
        return true;
      }
    }
    String bare = k;
    for (String prefix : CLIENT_PREFIXES) {
      if (bare.startsWith(prefix)) {
        bare = bare.substring(prefix.length());
        break;
      }
    }
    if (bare.startsWith("listener.name.")) {
      // listener.name.<listener>.[<mechanism>.]<key>: test every suffix.
      String[] parts = bare.split("\\.");
      for (int i = 3; i < parts.length; i++) {
        if (isKafkaPassword(String.join(".", List.of(parts).subList(i, parts.length)))) {
          return true;
        }
      }
      return false;
    }
    return isKafkaPassword(bare);
  }

  private static boolean isKafkaPassword(String key) {
    for (ConfigDef def : KAFKA_DEFS) {
      ConfigDef.ConfigKey known = def.configKeys().get(key);
      if (known != null && known.type == ConfigDef.Type.PASSWORD) {
        return true;
      }
    }
    return false;
  }
}
