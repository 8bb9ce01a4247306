package dev.synque.monitor.embed;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Work shared between the calling thread and helper threads, as the embedders split a batch: each
 * runs the same {@code work} (which takes its items from a shared counter, and sets the counter
 * past the end when it fails so the others stop after their current item).
 */
final class SharedWork {

  private SharedWork() {}

  /**
   * Runs {@code work} on this thread and on {@code helpers} more threads of {@code pool}, and
   * returns once all are done: the items are still being written while any runs, so an interrupt
   * does not cut the wait short (the thread's interrupt flag is set again afterwards).
   *
   * @param pool null or {@code helpers} at most 0: this thread alone
   * @throws RuntimeException the first failure of any of them
   */
  static void run(Runnable work, ExecutorService pool, int helpers) {
    int extra = pool == null ? 0 : Math.max(0, helpers);
    List<Future<?>> futures = new ArrayList<>(extra);
    for (int h = 0; h < extra; h++) {
      futures.add(pool.submit(work));
    }
    RuntimeException failure = null;
    try {
      work.run();
    } catch (RuntimeException e) {
      failure = e;
    }
    boolean interrupted = false;
    for (Future<?> future : futures) {
      while (true) {
        try {
          future.get();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        } catch (ExecutionException e) {
          if (failure == null) {
            failure =
                e.getCause() instanceof RuntimeException r
                    ? r
                    : new IllegalStateException(e.getCause());
          }
          break;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failure != null) {
      throw failure;
    }
  }
}
