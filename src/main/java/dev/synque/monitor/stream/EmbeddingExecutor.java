package dev.synque.monitor.stream;

import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The one thread that runs the embedder for all stream tasks of a topology, so that a task can hand
 * its batch over and go on updating window states while the model runs (the embedder uses all the
 * cores it is given, so more than one embedding at a time would only make them compete). Batches
 * are embedded in submission order. The thread is a daemon and ends after 30 idle seconds, so a
 * topology needs no explicit shutdown.
 */
final class EmbeddingExecutor {

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

  EmbeddingExecutor() {
    executor.allowCoreThreadTimeOut(true);
  }

  <T> Future<T> submit(Callable<T> work) {
    return executor.submit(work);
  }
}
