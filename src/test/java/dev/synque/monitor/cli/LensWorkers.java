package dev.synque.monitor.cli;

import dev.synque.monitor.lens.LensWorker;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.function.Function;

/**
 * The LENS worker as {@code synque lens-worker} wires it, running on a thread of its own, for tests
 * outside this package (the wiring itself is package-private).
 */
public final class LensWorkers implements AutoCloseable {

  /** The key of the requests topic. */
  public static final String REQUESTS_TOPIC = LensWorkerCommand.REQUESTS_TOPIC;

  /** The key of the results topic. */
  public static final String RESULTS_TOPIC = LensWorkerCommand.RESULTS_TOPIC;

  /** The key of the dead-letter topic. */
  public static final String DEAD_LETTERS_TOPIC = LensWorkerCommand.DEAD_LETTERS_TOPIC;

  private final ExecutorService pool;
  private final LensWorker worker;
  private final Thread thread;

  private LensWorkers(Map<String, Object> config, Function<String, String> environment) {
    pool = LensWorkerCommand.pool(config);
    worker = LensWorkerCommand.worker(config, pool, Clock.systemUTC(), environment);
    thread = new Thread(worker, "lens-worker");
  }

  /**
   * Starts a worker.
   *
   * @param config the {@code lens-worker} properties (Kafka, registry and {@code synque.lens.*})
   * @param environment where the API key's variable is read
   */
  public static LensWorkers start(
      Map<String, Object> config, Function<String, String> environment) {
    LensWorkers w = new LensWorkers(config, environment);
    w.thread.start();
    return w;
  }

  /** Whether the worker's loop still runs. */
  public boolean isRunning() {
    return thread.isAlive();
  }

  @Override
  public void close() throws InterruptedException {
    worker.close();
    thread.join(30_000);
    pool.shutdownNow();
  }
}
