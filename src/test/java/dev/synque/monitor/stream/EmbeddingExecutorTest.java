package dev.synque.monitor.stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EmbeddingExecutorTest {

  @Test
  void shouldCancelQueuedBatchesAndTakeNoMoreOnceClosed() throws Exception {
    EmbeddingExecutor executor = new EmbeddingExecutor();
    CountDownLatch running = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Future<String> first =
        executor.submit(
            () -> {
              running.countDown();
              release.await();
              return "first";
            });
    Future<String> queued = executor.submit(() -> "queued");
    assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();

    executor.close();
    release.countDown();

    assertThat(queued.isCancelled()).isTrue();
    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo("first");
    assertThat(executor.idle()).isTrue();
    assertThatThrownBy(() -> executor.submit(() -> "late"))
        .isInstanceOf(RejectedExecutionException.class);
  }
}
