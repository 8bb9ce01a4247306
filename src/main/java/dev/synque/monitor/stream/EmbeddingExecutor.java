package dev.synque.monitor.stream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread that runs the embedder for all stream tasks of a topology, so that a task can hand
 * its batch over and go on updating window states while the model runs (the embedder uses all the
 * cores it is given, so more than one embedding at a time would only make them compete). Batches
 * are embedded in submission order. The thread is a daemon and ends after 30 idle seconds.
 *
 * <p>Owned by whoever creates it: {@code MonitorApplication} creates one per Streams client and
 * closes it after the client; {@link #selfEnding()} is for a topology built without an application
 * (tests, tools), whose idle thread simply ends.
 *
 * <p>{@link #idle()} tells the tasks when nothing is queued or running: a task then hands over its
 * partial batch at once instead of letting the model wait for the batch to fill (see {@code
 * EmbedSamplesProcessor}).
 */
public final class EmbeddingExecutor implements AutoCloseable {

  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          30,
          TimeUnit.SECONDS,
          new LinkedBlockingQueue<>(),
          r -> {
            Thread t = new Thread(r, "synque-embedder");
            t.setDaemon(true);
            return t;
          });

  /** Batches submitted and neither finished nor cancelled. */
  private final AtomicInteger pending = new AtomicInteger();

  /** An executor its creator closes. */
  public EmbeddingExecutor() {
    executor.allowCoreThreadTimeOut(true);
  }

  /** An executor nobody closes: its daemon thread ends after 30 idle seconds. */
  static EmbeddingExecutor selfEnding() {
    return new EmbeddingExecutor();
  }

  <T> Future<T> submit(Callable<T> work) {
    FutureTask<T> task =
        new FutureTask<>(work) {
          @Override
          protected void done() {
            // runs once, when the batch finishes, fails or is cancelled (a cancelled batch still
            // in the queue is skipped by the worker, so counting at run time would never end)
            pending.decrementAndGet();
          }
        };
    pending.incrementAndGet();
    executor.execute(task);
    return task;
  }

  /** Whether no batch is queued or being embedded. */
  boolean idle() {
    return pending.get() == 0;
  }

  /**
   * Stops taking batches and cancels those still queued; a batch being embedded finishes on its
   * own. Call after the Streams client has closed. Idempotent.
   */
  @Override
  public void close() {
    executor.shutdown();
    List<Runnable> queued = new ArrayList<>();
    executor.getQueue().drainTo(queued);
    queued.forEach(r -> ((FutureTask<?>) r).cancel(false));
  }
}
