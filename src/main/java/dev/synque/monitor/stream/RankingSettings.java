package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.RANKING_LEADER_CONFIRMATIONS;
import static dev.synque.monitor.stream.MonitorSettings.RANKING_MIN_SAMPLES;

import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * Who is ranked, and how sure the ranking must be of a new leader (the leader's time hysteresis is
 * {@link LifecycleSettings#leaderMinTime()}). Part of {@link MonitorSettings}. Immutable; validated
 * in the constructor.
 *
 * @param minSamples generators with fewer samples are listed but not ranked, at least 1
 * @param leaderConfirmations consecutive rankings a new leader must top before {@code
 *     TOP_GENERATOR_CHANGED} fires, at least 1
 */
public record RankingSettings(int minSamples, int leaderConfirmations) {

  public RankingSettings {
    require(minSamples >= 1, RANKING_MIN_SAMPLES, minSamples);
    require(leaderConfirmations >= 1, RANKING_LEADER_CONFIRMATIONS, leaderConfirmations);
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            RANKING_MIN_SAMPLES,
            Type.INT,
            50,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "Generators with fewer samples are listed but not ranked.")
        .define(
            RANKING_LEADER_CONFIRMATIONS,
            Type.INT,
            3,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "A new leader must top this many consecutive rankings of its window kind before"
                + " TOP_GENERATOR_CHANGED fires (hysteresis: generators of equal quality swap"
                + " the top rank on small differences); 1 alerts at the first ranking it tops.");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static RankingSettings fromParsed(Map<String, Object> v) {
    return new RankingSettings(
        (Integer) v.get(RANKING_MIN_SAMPLES), (Integer) v.get(RANKING_LEADER_CONFIRMATIONS));
  }

  private static void require(boolean ok, String key, int value) {
    if (!ok) {
      throw new ConfigException(key, value, "must be at least 1");
    }
  }
}
