package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.DRIFT_BASELINE;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_CLEAR_RATIO;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_CONSECUTIVE_WINDOWS;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_EWMA_ALPHA;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_MIN_SCALE;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_THRESHOLD;
import static dev.synque.monitor.stream.MonitorSettings.DRIFT_WARMUP_WINDOWS;

import dev.synque.monitor.core.DriftTracker;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The drift area's keys: how {@link DriftTracker.Settings} (the settings type, pure, in {@code
 * core}) is read from the monitor's configuration.
 */
final class DriftSettings {

  private DriftSettings() {}

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            DRIFT_BASELINE,
            Type.STRING,
            "FIRST_WINDOWS",
            ConfigDef.CaseInsensitiveValidString.in("FIRST_WINDOWS", "EWMA"),
            Importance.MEDIUM,
            "Drift baseline: mean of the first windows, or an EWMA of normal windows.")
        .define(
            DRIFT_WARMUP_WINDOWS,
            Type.INT,
            3,
            ConfigDef.Range.atLeast(1),
            Importance.LOW,
            "Windows that form the initial baseline.")
        .define(
            DRIFT_EWMA_ALPHA,
            Type.DOUBLE,
            0.2,
            Importance.LOW,
            "Weight of a new normal window in the EWMA baseline, in (0, 1].")
        .define(
            DRIFT_THRESHOLD,
            Type.DOUBLE,
            0.5,
            Importance.MEDIUM,
            "Relative degradation that counts as degraded, above 0 (0.5 = 50% worse).")
        .define(
            DRIFT_CONSECUTIVE_WINDOWS,
            Type.INT,
            2,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "Windows in a row needed to raise or clear an alert.")
        .define(
            DRIFT_CLEAR_RATIO,
            Type.DOUBLE,
            0.5,
            Importance.LOW,
            "Hysteresis: an alert clears below threshold times this, in (0, 1]; 1 turns it off.")
        .define(
            DRIFT_MIN_SCALE,
            Type.DOUBLE,
            1e-6,
            Importance.LOW,
            "Floor of the baseline's scale, above 0.");
  }

  /**
   * Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them.
   *
   * @throws ConfigException naming the key and the rule
   */
  static DriftTracker.Settings fromParsed(Map<String, Object> v) {
    double alpha = (Double) v.get(DRIFT_EWMA_ALPHA);
    double threshold = (Double) v.get(DRIFT_THRESHOLD);
    double clearRatio = (Double) v.get(DRIFT_CLEAR_RATIO);
    double minScale = (Double) v.get(DRIFT_MIN_SCALE);
    require(alpha > 0 && alpha <= 1, DRIFT_EWMA_ALPHA, alpha, "must be in (0, 1]");
    require(threshold > 0, DRIFT_THRESHOLD, threshold, "must be above 0");
    require(clearRatio > 0 && clearRatio <= 1, DRIFT_CLEAR_RATIO, clearRatio, "must be in (0, 1]");
    require(minScale > 0, DRIFT_MIN_SCALE, minScale, "must be above 0");
    try {
      return new DriftTracker.Settings(
          DriftTracker.Settings.Baseline.valueOf(
              ((String) v.get(DRIFT_BASELINE)).toUpperCase(Locale.ROOT)),
          (Integer) v.get(DRIFT_WARMUP_WINDOWS),
          alpha,
          threshold,
          (Integer) v.get(DRIFT_CONSECUTIVE_WINDOWS),
          clearRatio,
          minScale);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("synque.drift.*", "", e.getMessage());
    }
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new ConfigException(key, value, rule);
    }
  }
}
