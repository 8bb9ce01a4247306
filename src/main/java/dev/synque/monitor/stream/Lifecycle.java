package dev.synque.monitor.stream;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A generator's lifecycle: ACTIVE while it sends samples; IDLE after {@link
 * LifecycleSettings#idle()} without any; RETIRED after {@link LifecycleSettings#retire()} without
 * any, or at once by a control record newer than its latest sample. Time is stream time: a
 * generator's "latest sample" is its latest event time, "now" the latest record timestamp its task
 * has seen from any generator (so a generator's time moves on while others keep sending, and a
 * replay gives the same lifecycle at any speed). See {@code docs/lifecycle.md}.
 *
 * <p>Control records ({@link LifecycleSettings#controlTopic()}, keyed by generator id) have the
 * value {@code retire <epoch-millis>} in UTF-8: retire the generator, if its latest sample is not
 * newer than that time (a generator that sends again afterwards starts afresh). A tombstone
 * withdraws the command.
 */
final class Lifecycle {

  /** Where a generator stands. */
  enum State {
    ACTIVE,
    IDLE,
    RETIRED
  }

  private static final String RETIRE = "retire ";

  private Lifecycle() {}

  /**
   * How often the lifecycle is checked, in stream time: a quarter of the idle time (at least 1 ms),
   * at most a minute; so a state change takes effect within that much stream time.
   */
  static Duration checkEvery(LifecycleSettings settings) {
    long ms = Math.max(1, Math.min(settings.idle().toMillis() / 4, 60_000));
    return Duration.ofMillis(ms);
  }

  /**
   * @param lastSeen the generator's latest event time
   * @param now stream time; {@link Long#MIN_VALUE} when none yet
   */
  static boolean idle(long lastSeen, long now, LifecycleSettings settings) {
    return now != Long.MIN_VALUE && now - settings.idle().toMillis() >= lastSeen;
  }

  /**
   * @param lastSeen the generator's latest event time
   * @param now stream time
   * @param control the generator's control record value, or null
   */
  static State state(long lastSeen, long now, byte[] control, LifecycleSettings settings) {
    Long retiredAt = retiredAt(control);
    if (retiredAt != null && lastSeen <= retiredAt) {
      return State.RETIRED;
    }
    if (now == Long.MIN_VALUE) {
      return State.ACTIVE;
    }
    if (now - settings.retire().toMillis() >= lastSeen) {
      return State.RETIRED;
    }
    return idle(lastSeen, now, settings) ? State.IDLE : State.ACTIVE;
  }

  /** The control record value retiring a generator at {@code at} (epoch milliseconds). */
  static byte[] retireCommand(long at) {
    return (RETIRE + at).getBytes(StandardCharsets.UTF_8);
  }

  /**
   * The time a control record retires its generator at; null for null or a value that is not a
   * retire command (logged where the record is read).
   */
  static Long retiredAt(byte[] control) {
    if (control == null) {
      return null;
    }
    String text = new String(control, StandardCharsets.UTF_8).trim();
    if (!text.startsWith(RETIRE)) {
      return null;
    }
    try {
      return Long.parseLong(text.substring(RETIRE.length()).trim());
    } catch (NumberFormatException e) {
      return null;
    }
  }
}
