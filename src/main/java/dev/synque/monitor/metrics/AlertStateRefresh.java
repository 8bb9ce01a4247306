package dev.synque.monitor.metrics;

import dev.synque.monitor.stream.CommittedAlertState;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the committed alert state every {@code period} on a daemon thread of its own and hands it
 * to {@link MonitorMeters#alertState}. Owned, and closed, by whoever created it.
 */
public final class AlertStateRefresh implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(AlertStateRefresh.class);

  /** The default period: gauges lag the stores by at most this. */
  public static final Duration DEFAULT_PERIOD = Duration.ofSeconds(10);

  private final ScheduledExecutorService thread;

  /**
   * @param state reads the state; empty while it cannot be read (then the gauges stay as they are)
   */
  public AlertStateRefresh(
      Supplier<Optional<CommittedAlertState.Snapshot>> state,
      MonitorMeters meters,
      Duration period) {
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "synque-alert-state");
              t.setDaemon(true);
              return t;
            });
    thread.scheduleWithFixedDelay(
        () -> {
          try {
            state.get().ifPresent(meters::alertState);
          } catch (RuntimeException e) {
            LOG.warn("Reading the alert state from the stores failed; trying again", e);
          }
        },
        period.toMillis(),
        period.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
