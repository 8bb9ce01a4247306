package dev.synque.monitor.stream;

import dev.synque.monitor.avro.WindowKind;
import java.util.Objects;

/**
 * The key of one generator's final scores of one time window in {@value
 * MonitorTopology#WINDOW_SCORES_STORE}: {@code <kind>/<start>/<generator>}, the start as 16 hex
 * digits with the sign bit flipped (so keys of one kind sort by start). The kind and the start have
 * a fixed form and the generator id comes last, taking the rest of the key, so no id content can be
 * mistaken for another part; {@link #windowPrefix} scans one window, {@link #kindPrefix} one kind.
 *
 * @param kind a time-window kind, never {@link WindowKind#ALL_TIME}
 * @param start the window's start, epoch milliseconds
 * @param generator the generator id, never null
 */
record WindowScoresKey(WindowKind kind, long start, String generator) {

  WindowScoresKey {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(generator, "generator");
    if (kind == WindowKind.ALL_TIME) {
      throw new IllegalArgumentException("window scores key: ALL_TIME has no windows");
    }
  }

  String encode() {
    return windowPrefix(kind, start) + generator;
  }

  /** The prefix of every key of one window. */
  static String windowPrefix(WindowKind kind, long start) {
    return kindPrefix(kind) + String.format("%016x", start ^ Long.MIN_VALUE) + "/";
  }

  /** The prefix of every key of one kind. */
  static String kindPrefix(WindowKind kind) {
    return kind.name() + "/";
  }

  /**
   * Reads {@link #encode()}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  static WindowScoresKey decode(String key) {
    int slash = key.indexOf('/');
    if (slash < 0 || key.length() < slash + 18 || key.charAt(slash + 17) != '/') {
      throw new IllegalArgumentException("window scores key: malformed key " + key);
    }
    WindowKind kind = WindowKind.valueOf(key.substring(0, slash));
    long start = Long.parseUnsignedLong(key.substring(slash + 1, slash + 17), 16) ^ Long.MIN_VALUE;
    return new WindowScoresKey(kind, start, key.substring(slash + 18));
  }
}
