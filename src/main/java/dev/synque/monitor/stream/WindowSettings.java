package dev.synque.monitor.stream;

import static dev.synque.monitor.stream.MonitorSettings.PROXIES;
import static dev.synque.monitor.stream.MonitorSettings.RESERVOIR_CAPACITY;
import static dev.synque.monitor.stream.MonitorSettings.RESERVOIR_SEED;
import static dev.synque.monitor.stream.MonitorSettings.SCORES_EVERY_MS;
import static dev.synque.monitor.stream.MonitorSettings.SCORES_EVERY_SAMPLES;
import static dev.synque.monitor.stream.MonitorSettings.WINDOW_ADVANCE_MS;
import static dev.synque.monitor.stream.MonitorSettings.WINDOW_ALL_TIME;
import static dev.synque.monitor.stream.MonitorSettings.WINDOW_GRACE_MS;
import static dev.synque.monitor.stream.MonitorSettings.WINDOW_KIND;
import static dev.synque.monitor.stream.MonitorSettings.WINDOW_SIZE_MS;

import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.TimeWindows;
import dev.synque.monitor.stream.MonitorSettings.WindowKindSetting;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;

/**
 * The windows a generator's samples are scored in, when a window's scores are emitted, and what is
 * computed per window. Part of {@link MonitorSettings}. Immutable; validated in the constructor.
 *
 * @param kind {@code TUMBLING}, {@code HOPPING} or {@code NONE} (only the all-time view)
 * @param allTime whether the all-time view is kept (since the reference version started)
 * @param size window length, above 0
 * @param advance hop of hopping windows, in (0, size]; equals size for tumbling windows
 * @param grace how long after a window's end records are still accepted, at least 0
 * @param everySamples emit scores after this many new samples of a window, at least 1
 * @param everyInterval also emit, by wall clock, windows with new samples; zero disables
 * @param reservoirCapacity samples kept per window for the sample-based proxies, at least 1
 * @param reservoirSeed seed of the deterministic reservoir draws
 * @param proxies the proxies computed, in report order, at least one, known to {@link
 *     QualityProxies}
 */
public record WindowSettings(
    WindowKindSetting kind,
    boolean allTime,
    Duration size,
    Duration advance,
    Duration grace,
    int everySamples,
    Duration everyInterval,
    int reservoirCapacity,
    long reservoirSeed,
    List<String> proxies) {

  public WindowSettings {
    Objects.requireNonNull(kind, "kind");
    require(positive(size), WINDOW_SIZE_MS, size, "must be above 0");
    require(
        positive(advance) && advance.compareTo(size) <= 0,
        WINDOW_ADVANCE_MS,
        advance,
        "must be above 0 and at most the window size " + size.toMillis());
    require(
        kind != WindowKindSetting.TUMBLING || advance.equals(size),
        WINDOW_ADVANCE_MS,
        advance,
        "tumbling windows advance by their size");
    require(grace != null && !grace.isNegative(), WINDOW_GRACE_MS, grace, "must be at least 0");
    require(everySamples >= 1, SCORES_EVERY_SAMPLES, everySamples, "must be at least 1");
    require(
        everyInterval != null && !everyInterval.isNegative(),
        SCORES_EVERY_MS,
        everyInterval,
        "must be at least 0");
    require(reservoirCapacity >= 1, RESERVOIR_CAPACITY, reservoirCapacity, "must be at least 1");
    require(proxies != null && !proxies.isEmpty(), PROXIES, proxies, "must name a proxy");
    proxies = List.copyOf(proxies);
    try {
      QualityProxies.byNames(proxies);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(PROXIES, String.join(",", proxies), e.getMessage());
    }
    require(
        allTime || kind != WindowKindSetting.NONE,
        WINDOW_ALL_TIME,
        allTime,
        "with " + WINDOW_KIND + "=NONE the all-time view is the only one and must stay on");
  }

  /** The time windows' assignment and close rule (also defined, unused, for {@code NONE}). */
  public TimeWindows timeWindows() {
    return new TimeWindows(size.toMillis(), advance.toMillis(), grace.toMillis());
  }

  /** A copy with another window shape. */
  public WindowSettings withShape(
      WindowKindSetting newKind, Duration newSize, Duration newAdvance, Duration newGrace) {
    return new WindowSettings(
        newKind,
        allTime,
        newSize,
        newAdvance,
        newGrace,
        everySamples,
        everyInterval,
        reservoirCapacity,
        reservoirSeed,
        proxies);
  }

  /** Adds this area's keys to {@code config}. */
  static ConfigDef define(ConfigDef config) {
    return config
        .define(
            WINDOW_KIND,
            Type.STRING,
            "TUMBLING",
            ConfigDef.CaseInsensitiveValidString.in("TUMBLING", "HOPPING", "NONE"),
            Importance.HIGH,
            "Time windows kept besides the all-time view: TUMBLING, HOPPING or NONE.")
        .define(
            WINDOW_ALL_TIME,
            Type.BOOLEAN,
            true,
            Importance.MEDIUM,
            "Keep the all-time view (every sample since the reference version started).")
        .define(
            WINDOW_SIZE_MS,
            Type.LONG,
            3_600_000L,
            ConfigDef.Range.atLeast(1),
            Importance.HIGH,
            "Window length in milliseconds of event time.")
        .define(
            WINDOW_ADVANCE_MS,
            Type.LONG,
            0L,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "Hop of hopping windows in milliseconds, at most the size; 0: the window size.")
        .define(
            WINDOW_GRACE_MS,
            Type.LONG,
            300_000L,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "How long after a window's end (in the generator's event time) records are"
                + " accepted; later ones are dead-lettered as LATE_RECORD.")
        .define(
            SCORES_EVERY_SAMPLES,
            Type.INT,
            100,
            ConfigDef.Range.atLeast(1),
            Importance.MEDIUM,
            "Emit a window's scores after this many new samples (besides window close).")
        .define(
            SCORES_EVERY_MS,
            Type.LONG,
            60_000L,
            ConfigDef.Range.atLeast(0),
            Importance.MEDIUM,
            "Also emit, every this many wall-clock milliseconds, the windows with new samples;"
                + " 0 disables.")
        .define(
            RESERVOIR_CAPACITY,
            Type.INT,
            1024,
            ConfigDef.Range.between(1, 1_000_000),
            Importance.MEDIUM,
            "Samples kept per generator and window for the sample-based proxies.")
        .define(
            RESERVOIR_SEED,
            Type.LONG,
            42L,
            Importance.LOW,
            "Seed of the deterministic reservoir draws (mixed with generator and window).")
        .define(
            PROXIES,
            Type.LIST,
            "mmd2_poly,frechet",
            Importance.HIGH,
            "Proxies computed per window, in report order; known: "
                + String.join(",", QualityProxies.names())
                + ".");
  }

  /** Reads the keys of {@link #define} from values parsed by a {@link ConfigDef} holding them. */
  static WindowSettings fromParsed(Map<String, Object> v) {
    WindowKindSetting kind =
        WindowKindSetting.valueOf(((String) v.get(WINDOW_KIND)).toUpperCase(Locale.ROOT));
    Duration size = Duration.ofMillis((Long) v.get(WINDOW_SIZE_MS));
    long advanceMs = (Long) v.get(WINDOW_ADVANCE_MS);
    @SuppressWarnings("unchecked")
    List<String> proxies =
        ((List<String>) v.get(PROXIES))
            .stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
    return new WindowSettings(
        kind,
        (Boolean) v.get(WINDOW_ALL_TIME),
        size,
        advanceMs == 0 ? size : Duration.ofMillis(advanceMs),
        Duration.ofMillis((Long) v.get(WINDOW_GRACE_MS)),
        (Integer) v.get(SCORES_EVERY_SAMPLES),
        Duration.ofMillis((Long) v.get(SCORES_EVERY_MS)),
        (Integer) v.get(RESERVOIR_CAPACITY),
        (Long) v.get(RESERVOIR_SEED),
        proxies);
  }

  private static boolean positive(Duration d) {
    return d != null && !d.isNegative() && !d.isZero();
  }

  private static void require(boolean ok, String key, Object value, String rule) {
    if (!ok) {
      throw new ConfigException(key, value instanceof Duration d ? d.toMillis() : value, rule);
    }
  }
}
