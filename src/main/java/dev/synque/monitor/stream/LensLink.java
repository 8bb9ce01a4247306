package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.LENS_ENABLED;
import static dev.synque.monitor.stream.MonitorSettings.LENS_EVERY_MS;
import static dev.synque.monitor.stream.MonitorSettings.LENS_EVERY_SAMPLES;
import static dev.synque.monitor.stream.MonitorSettings.LENS_ON_DRIFT;
import static dev.synque.monitor.stream.MonitorSettings.LENS_REFERENCE_EXAMPLES;
import static dev.synque.monitor.stream.MonitorSettings.LENS_REQUESTS_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.LENS_RESULTS_TOPIC;
import static dev.synque.monitor.stream.MonitorSettings.LENS_SYNTHETIC_EXAMPLES;

import dev.synque.monitor.contracts.Contracts;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * How the monitor talks to the LENS worker: when it asks for LENS scores and where the answers come
 * back. Off by default, because LENS needs an LLM endpoint (the worker's configuration). Part of
 * {@link MonitorSettings}. Immutable; validated in the constructor (enabled, it needs a cadence).
 *
 * @param enabled whether LENS requests are emitted and LENS results joined
 * @param requestsTopic output topic of {@code LensRequest}s, keyed by generator id
 * @param resultsTopic input topic of {@code LensResult}s, keyed by generator id
 * @param everySamples request after this many new samples of a generator's LENS view; 0 disables
 * @param everyInterval also request when this much wall-clock time has passed since the last
 *     request and the view has new samples; zero disables
 * @param onDrift request immediately for the drifted window when a {@code QUALITY_DEGRADED} alert
 *     is raised
 * @param syntheticExamples synthetic texts per request (the first slots of the window's reservoir,
 *     so that consecutive requests share their rubric sample), at least 1
 * @param referenceExamples real texts per request (the reference's first samples by id), at least 1
 */
public record LensLink(
    boolean enabled,
    String requestsTopic,
    String resultsTopic,
    int everySamples,
    Duration everyInterval,
    boolean onDrift,
    int syntheticExamples,
    int referenceExamples) {

  /** The proxy name of the joined LENS score in scores and rankings. */
  public static final String PROXY = "lens";

  public LensLink {
    Objects.requireNonNull(requestsTopic, "requestsTopic");
    Objects.requireNonNull(resultsTopic, "resultsTopic");
    Objects.requireNonNull(everyInterval, "everyInterval");
    if (enabled && everySamples <= 0 && everyInterval.isZero() && !onDrift) {
      throw new ConfigException(
          LENS_ENABLED,
          true,
          "needs a cadence: "
              + LENS_EVERY_SAMPLES
              + ", "
              + LENS_EVERY_MS
              + " or "
              + LENS_ON_DRIFT
              + " must be set");
    }
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            LENS_ENABLED,
            Type.BOOLEAN,
            false,
            Importance.MEDIUM,
            "Emit LENS requests for the LENS worker and join its results into scores and"
                + " rankings as the proxy 'lens'.")
        .define(
            LENS_REQUESTS_TOPIC,
            Type.STRING,
            Contracts.LENS_REQUESTS.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            "Output: LENS requests keyed by generator id.")
        .define(
            LENS_RESULTS_TOPIC,
            Type.STRING,
            Contracts.LENS_RESULTS.topic(),
            new ConfigDef.NonEmptyString(),
            Importance.LOW,
            "Input: LENS results keyed by generator id.")
        .define(
            LENS_EVERY_SAMPLES,
            Type.INT,
            500,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "Request LENS after this many new samples of a generator's LENS view; 0 disables.")
        .define(
            LENS_EVERY_MS,
            Type.LONG,
            600_000L,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "Also request LENS when this much wall-clock time passed since the last request and"
                + " there are new samples; 0 disables.")
        .define(
            LENS_ON_DRIFT,
            Type.BOOLEAN,
            true,
            Importance.MEDIUM,
            "Request LENS for the drifted window as soon as a QUALITY_DEGRADED alert is raised.")
        .define(
            LENS_SYNTHETIC_EXAMPLES,
            Type.INT,
            25,
            ConfigDef.Range.between(1, 1_000),
            Importance.LOW,
            "Synthetic texts per LENS request (the first reservoir slots).")
        .define(
            LENS_REFERENCE_EXAMPLES,
            Type.INT,
            25,
            ConfigDef.Range.between(1, 1_000),
            Importance.LOW,
            "Real texts per LENS request (the reference's first samples by id).");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static LensLink fromParsed(Map<String, Object> v) {
    return new LensLink(
        (Boolean) v.get(LENS_ENABLED),
        (String) v.get(LENS_REQUESTS_TOPIC),
        (String) v.get(LENS_RESULTS_TOPIC),
        (Integer) v.get(LENS_EVERY_SAMPLES),
        Duration.ofMillis((Long) v.get(LENS_EVERY_MS)),
        (Boolean) v.get(LENS_ON_DRIFT),
        (Integer) v.get(LENS_SYNTHETIC_EXAMPLES),
        (Integer) v.get(LENS_REFERENCE_EXAMPLES));
  }
}
