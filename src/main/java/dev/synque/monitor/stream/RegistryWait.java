package dev.synque.monitor.stream;

import dev.synque.monitor.serde.SchemaRegistryException;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Retries, on the stream thread and in place, a call that needs the schema registry while the
 * registry cannot be reached, for at most {@code synque.stream.registry.wait.ms}; then the failure
 * is thrown and the thread is replaced ({@link MonitorApplication}).
 *
 * <p>Why wait in place first: a replaced stream thread joins the group as a new member, and the
 * group holds the rebalance until the dead member's session times out (45 s by default), then the
 * tasks restore their state. A registry restart of a few seconds costs nothing when the thread
 * simply asks again. The wait is bounded because the thread does not poll meanwhile: it must stay
 * well below {@code max.poll.interval.ms} (checked at start). An open transaction that outlives
 * {@code transaction.timeout.ms} is aborted by the broker; Kafka Streams then processes again from
 * the last commit, so exactly-once still holds.
 */
final class RegistryWait {

  private static final Logger LOG = LoggerFactory.getLogger(RegistryWait.class);
  private static final long FIRST_PAUSE_MS = 200;
  private static final long MAX_PAUSE_MS = 5_000;

  private final Duration maxWait;

  RegistryWait(Duration maxWait) {
    this.maxWait = maxWait;
  }

  /**
   * The action's result; while it fails because the registry is unreachable (or answers 5xx), it is
   * retried with growing pauses until {@code maxWait} is spent.
   *
   * @param what what the call is for, completing "while ..." in the warning
   */
  <T> T call(Supplier<T> action, String what) {
    long deadline = System.nanoTime() + maxWait.toNanos();
    long pause = FIRST_PAUSE_MS;
    for (int attempt = 1; ; attempt++) {
      try {
        return action.get();
      } catch (RuntimeException e) {
        Optional<SchemaRegistryException> registry = SchemaRegistryException.transientCause(e);
        if (registry.isEmpty() || System.nanoTime() + pause * 1_000_000 > deadline) {
          throw e;
        }
        LOG.warn(
            "The schema registry is unavailable while {} (attempt {}); the stream thread asks"
                + " again in {} ms, for up to {} ms in all: {}",
            what,
            attempt,
            pause,
            maxWait.toMillis(),
            registry.get().getMessage());
        try {
          Thread.sleep(pause);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
    }
  }
}
