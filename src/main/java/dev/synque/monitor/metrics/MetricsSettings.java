package dev.synque.monitor.metrics;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Settings of the metrics endpoint, read from the {@code synque.metrics.*} keys of the monitor's
 * configuration file, or for the LENS worker from {@value #LENS_PORT} and {@value #MAX_GENERATORS}
 * of its file (its own port key, because Kubernetes gives the monitor and the worker one file).
 *
 * @param port TCP port of the HTTP {@code /metrics} and {@code /health} endpoint; {@code -1} turns
 *     the endpoint off, {@code 0} picks a free port
 * @param maxGenerators most distinct generator ids used as a {@code generator} tag value; samples
 *     of further generators are reported under {@code other} (at least 1)
 */
public record MetricsSettings(int port, int maxGenerators) {

  /** Port of the metrics endpoint. */
  public static final String PORT = "synque.metrics.port";

  /** Cap on distinct {@code generator} tag values. */
  public static final String MAX_GENERATORS = "synque.metrics.max.generators";

  /** Default port: {@value}. */
  public static final int DEFAULT_PORT = 9404;

  /** Port of the LENS worker's metrics endpoint. */
  public static final String LENS_PORT = "synque.lens.metrics.port";

  /** Default port of the LENS worker: {@value}. */
  public static final int DEFAULT_LENS_PORT = 9405;

  /** Default cap on distinct generator ids: {@value}. */
  public static final int DEFAULT_MAX_GENERATORS = 200;

  /**
   * Every key with its type, default and documentation, for the configuration reference; {@link
   * #fromConfig} and {@link #forLensWorker} apply the defaults and rules.
   */
  public static final ConfigDef CONFIG =
      new ConfigDef()
          .define(
              PORT,
              Type.INT,
              DEFAULT_PORT,
              ConfigDef.Range.between(-1, 65535),
              Importance.MEDIUM,
              "Port of the monitor's Prometheus /metrics and /health endpoint; -1 turns it off, 0"
                  + " picks a free port.")
          .define(
              LENS_PORT,
              Type.INT,
              DEFAULT_LENS_PORT,
              ConfigDef.Range.between(-1, 65535),
              Importance.MEDIUM,
              "Port of the LENS worker's /metrics and /health endpoint; -1 turns it off, 0 picks a"
                  + " free port.")
          .define(
              MAX_GENERATORS,
              Type.INT,
              DEFAULT_MAX_GENERATORS,
              ConfigDef.Range.atLeast(1),
              Importance.LOW,
              "Most distinct generator ids used as a generator tag value; samples of further"
                  + " generators are reported under 'other'.");

  /** Validates the values. */
  public MetricsSettings {
    checkPort(PORT, port);
    if (maxGenerators < 1) {
      throw new ConfigException(MAX_GENERATORS, maxGenerators, "must be at least 1");
    }
  }

  private static void checkPort(String key, int port) {
    if (port < -1 || port > 65535) {
      throw new ConfigException(key, port, "must be -1 (off), 0 (any free port) or 1..65535");
    }
  }

  /** The defaults. */
  public static MetricsSettings defaults() {
    return new MetricsSettings(DEFAULT_PORT, DEFAULT_MAX_GENERATORS);
  }

  /**
   * Reads the keys of {@code config}; absent keys take their defaults.
   *
   * @throws ConfigException naming the key of a bad value
   */
  public static MetricsSettings fromConfig(Map<String, ?> config) {
    return fromConfig(config, PORT, DEFAULT_PORT);
  }

  /**
   * Reads the LENS worker's keys, {@value #LENS_PORT} (default {@value #DEFAULT_LENS_PORT}) and
   * {@value #MAX_GENERATORS}; absent keys take their defaults.
   *
   * @throws ConfigException naming the key of a bad value
   */
  public static MetricsSettings forLensWorker(Map<String, ?> config) {
    return fromConfig(config, LENS_PORT, DEFAULT_LENS_PORT);
  }

  private static MetricsSettings fromConfig(Map<String, ?> config, String portKey, int fallback) {
    int port = integer(config, portKey, fallback);
    checkPort(portKey, port);
    return new MetricsSettings(port, integer(config, MAX_GENERATORS, DEFAULT_MAX_GENERATORS));
  }

  /** Whether the HTTP endpoint is on. */
  public boolean enabled() {
    return port >= 0;
  }

  private static int integer(Map<String, ?> config, String key, int fallback) {
    Object value = config.get(key);
    if (value == null || value.toString().isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(value.toString().trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(key, value, "must be an integer");
    }
  }
}
