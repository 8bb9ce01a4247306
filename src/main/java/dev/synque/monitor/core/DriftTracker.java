package dev.synque.monitor.core;

import java.nio.ByteBuffer;

/**
 * Watches one proxy of one generator, window after window, against the generator's own baseline and
 * says when its quality has degraded (and when it has recovered).
 *
 * <p><b>Baseline.</b> {@link Settings.Baseline#FIRST_WINDOWS}: the mean of the first {@code
 * warmupWindows} window values, then frozen. {@link Settings.Baseline#EWMA}: starts as the mean of
 * the warm-up windows, then follows {@code b ← (1 - α) b + α v} over windows judged normal only, so
 * a degradation is not absorbed into the baseline it is measured against. No alert during warm-up.
 *
 * <p><b>Degradation</b> of a window value {@code v}, positive = worse in the proxy's own {@link
 * Orientation}, relative to the baseline's scale:
 *
 * <pre>
 *   degradation = (v - b) / max(|b|, minScale)    lower is better
 *   degradation = (b - v) / max(|b|, minScale)    higher is better
 * </pre>
 *
 * <p><b>Alerts with hysteresis.</b> In the normal state, {@code consecutiveWindows} windows in a
 * row with {@code degradation > threshold} raise {@link Event#DEGRADED}; a window at or below the
 * threshold resets the count. In the degraded state, {@code consecutiveWindows} windows in a row
 * with {@code degradation < threshold · clearRatio} raise {@link Event#RECOVERED}. With {@code
 * clearRatio < 1} values hovering around the threshold cannot make the alert flap; {@code
 * clearRatio = 1} turns the band off. A NaN value (proxy unavailable in that window) changes
 * nothing.
 *
 * <p>Mutable, not thread-safe (owned by one stream task); {@link #toBytes()} for state stores.
 */
public final class DriftTracker {

  /** The leading byte of {@link #toBytes()}. */
  public static final byte FORMAT_VERSION = 1;

  private static final String WHAT = "drift tracker bytes";

  /**
   * How drift is judged.
   *
   * @param baseline how the baseline is formed
   * @param warmupWindows windows that form the initial baseline, at least 1
   * @param ewmaAlpha weight of a new normal window in an EWMA baseline, in (0, 1]
   * @param threshold relative degradation that counts as degraded, above 0 (0.5 = 50% worse)
   * @param consecutiveWindows windows in a row needed to raise or clear an alert, at least 1
   * @param clearRatio the hysteresis band: clear below {@code threshold · clearRatio}, in (0, 1]
   * @param minScale floor of the baseline's scale, above 0, so a baseline near 0 (MMD² of a perfect
   *     generator) does not turn rounding noise into huge relative changes
   */
  public record Settings(
      Baseline baseline,
      int warmupWindows,
      double ewmaAlpha,
      double threshold,
      int consecutiveWindows,
      double clearRatio,
      double minScale) {

    /** How the baseline is formed. */
    public enum Baseline {
      FIRST_WINDOWS,
      EWMA
    }

    /** First 3 windows, 50% worse for 2 windows in a row, clear below 25%, scale floor 1e-6. */
    public static Settings defaults() {
      return new Settings(Baseline.FIRST_WINDOWS, 3, 0.2, 0.5, 2, 0.5, 1e-6);
    }

    public Settings {
      if (baseline == null
          || warmupWindows < 1
          || !(ewmaAlpha > 0 && ewmaAlpha <= 1)
          || !(threshold > 0)
          || consecutiveWindows < 1
          || !(clearRatio > 0 && clearRatio <= 1)
          || !(minScale > 0)) {
        throw new IllegalArgumentException(
            String.format(
                "drift settings: baseline %s, warm-up windows %d (>= 1), EWMA alpha %s (in (0, 1]),"
                    + " threshold %s (> 0), consecutive windows %d (>= 1), clear ratio %s (in (0,"
                    + " 1]), min scale %s (> 0): one of them breaks its rule",
                baseline,
                warmupWindows,
                ewmaAlpha,
                threshold,
                consecutiveWindows,
                clearRatio,
                minScale));
      }
    }
  }

  /** What one window changed. */
  public enum Event {
    /** Nothing to report. */
    NONE,
    /** The generator has just been judged degraded. */
    DEGRADED,
    /** A degraded generator has just been judged recovered. */
    RECOVERED
  }

  /**
   * The outcome of one window.
   *
   * @param event what changed
   * @param baseline the baseline the window was compared with (NaN during warm-up)
   * @param degradation the window's degradation (NaN during warm-up or for a NaN value)
   * @param streak windows in a row on the current side of the threshold
   */
  public record Observation(Event event, double baseline, double degradation, int streak) {}

  private final Settings settings;
  private final Orientation orientation;
  private int warmupSeen;
  private double warmupSum;
  private double baseline = Double.NaN;
  private boolean degraded;
  private int streak;

  public DriftTracker(Settings settings, Orientation orientation) {
    if (settings == null || orientation == null) {
      throw new IllegalArgumentException("drift tracker: settings and orientation are required");
    }
    this.settings = settings;
    this.orientation = orientation;
  }

  /** Feeds one window's value of the proxy. */
  public Observation observe(double value) {
    if (Double.isNaN(value)) {
      return new Observation(Event.NONE, baseline, Double.NaN, streak);
    }
    if (Double.isInfinite(value)) {
      throw new IllegalArgumentException("drift tracker: window value " + value + " is infinite");
    }
    if (warmupSeen < settings.warmupWindows()) {
      warmupSum += value;
      warmupSeen++;
      if (warmupSeen == settings.warmupWindows()) {
        baseline = warmupSum / warmupSeen;
      }
      return new Observation(Event.NONE, Double.NaN, Double.NaN, 0);
    }
    double scale = Math.max(Math.abs(baseline), settings.minScale());
    double worse = orientation == Orientation.LOWER_IS_BETTER ? value - baseline : baseline - value;
    double degradation = worse / scale;
    double comparedWith = baseline;
    Event event = Event.NONE;
    if (!degraded) {
      streak = degradation > settings.threshold() ? streak + 1 : 0;
      if (streak >= settings.consecutiveWindows()) {
        degraded = true;
        event = Event.DEGRADED;
        streak = 0;
      } else if (streak == 0 && settings.baseline() == Settings.Baseline.EWMA) {
        baseline = (1 - settings.ewmaAlpha()) * baseline + settings.ewmaAlpha() * value;
      }
      return new Observation(
          event,
          comparedWith,
          degradation,
          event == Event.DEGRADED ? settings.consecutiveWindows() : streak);
    }
    streak = degradation < settings.threshold() * settings.clearRatio() ? streak + 1 : 0;
    if (streak >= settings.consecutiveWindows()) {
      degraded = false;
      event = Event.RECOVERED;
      streak = 0;
      return new Observation(event, comparedWith, degradation, settings.consecutiveWindows());
    }
    return new Observation(event, comparedWith, degradation, streak);
  }

  /** Whether the generator is currently judged degraded on this proxy. */
  public boolean degraded() {
    return degraded;
  }

  /** The current baseline; NaN during warm-up. */
  public double baseline() {
    return baseline;
  }

  /** The settings. */
  public Settings settings() {
    return settings;
  }

  /**
   * Big-endian: version, orientation (byte), warm-up seen (int), warm-up sum, baseline (doubles),
   * degraded (byte), streak (int): 27 bytes. Settings are configuration and are not stored.
   */
  public byte[] toBytes() {
    return ByteBuffer.allocate(27)
        .put(FORMAT_VERSION)
        .put((byte) orientation.ordinal())
        .putInt(warmupSeen)
        .putDouble(warmupSum)
        .putDouble(baseline)
        .put((byte) (degraded ? 1 : 0))
        .putInt(streak)
        .array();
  }

  /**
   * Restores a tracker written by {@link #toBytes()} under the given (current) settings.
   *
   * @throws IllegalArgumentException for corrupt input, naming the rule
   */
  public static DriftTracker fromBytes(byte[] bytes, Settings settings) {
    return StateBytes.decode(
        bytes,
        FORMAT_VERSION,
        WHAT,
        buffer -> {
          int o = buffer.get();
          if (o < 0 || o >= Orientation.values().length) {
            throw StateBytes.corrupt(WHAT, "orientation " + o);
          }
          DriftTracker t = new DriftTracker(settings, Orientation.values()[o]);
          t.warmupSeen = buffer.getInt();
          t.warmupSum = buffer.getDouble();
          t.baseline = buffer.getDouble();
          byte d = buffer.get();
          t.streak = buffer.getInt();
          if (t.warmupSeen < 0 || t.streak < 0 || (d != 0 && d != 1)) {
            throw StateBytes.corrupt(WHAT, "inconsistent state");
          }
          t.degraded = d == 1;
          return t;
        });
  }
}
