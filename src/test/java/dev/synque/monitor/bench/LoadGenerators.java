package dev.synque.monitor.bench;

import dev.synque.monitor.generate.DemoGenerator;
import dev.synque.monitor.generate.SamplePublisher;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Many generators publishing at once, each on its own thread at a fixed rate (open loop: a sender
 * that falls behind its schedule catches up instead of lowering the offered load, so an overloaded
 * monitor shows as growing lag, not as a slower generator). Generator n writes like the demo's
 * generator kind n mod 5 (faithful, templated, collapsed, off-topic, drifting) under its own id, so
 * texts differ between generators of one kind. Event time is the send time. All share one
 * idempotent {@link SamplePublisher} (one producer, as a gateway in front of many generators
 * would). When stopped, each generator first completes its current block of {@code block} samples
 * (the monitor's score cadence), so its last samples are scored by the cadence like all the others
 * instead of waiting for a wall-clock timer.
 */
final class LoadGenerators implements AutoCloseable {

  private final SamplePublisher publisher;
  private final SampleLatencies latencies;
  private final List<DemoGenerator> generators = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final java.util.Set<String> stopped = java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final double rate;
  private final long seed;
  private final int block;
  private final AtomicLong sent = new AtomicLong();
  private volatile boolean running = true;
  private volatile boolean stopping;
  private volatile Throwable failure;

  /**
   * @param rate samples per second of each generator
   * @param block each generator's sample count is a multiple of this when it stops
   */
  LoadGenerators(
      SamplePublisher publisher,
      SampleLatencies latencies,
      int count,
      double rate,
      long seed,
      int block) {
    this.publisher = publisher;
    this.latencies = latencies;
    this.rate = rate;
    this.seed = seed;
    this.block = block;
    List<DemoGenerator> kinds = DemoGenerator.all();
    for (int n = 0; n < count; n++) {
      DemoGenerator kind = kinds.get(n % kinds.size());
      generators.add(
          new DemoGenerator(
              String.format(Locale.ROOT, "g%03d-%s", n, kind.id()),
              kind.description(),
              kind.kind()));
    }
  }

  /** Starts every generator; their schedules are spread evenly over one period. */
  void start() {
    long start = System.nanoTime();
    double period = 1e9 / rate;
    for (int n = 0; n < generators.size(); n++) {
      DemoGenerator g = generators.get(n);
      long offset = (long) (period * n / generators.size());
      Thread t = new Thread(() -> publish(g, start + offset, period), "load-" + g.id());
      t.setDaemon(true);
      threads.add(t);
    }
    threads.forEach(Thread::start);
  }

  private void publish(DemoGenerator g, long start, double period) {
    try {
      for (long i = 0; running; i++) {
        long wait = start + (long) (i * period) - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (!running || ((stopping || stopped.contains(g.id())) && i % block == 0)) {
          return;
        }
        long now = System.currentTimeMillis();
        latencies.sent(g.id(), i, now);
        publisher.sample(g.id(), g.id() + "-" + i, g.text(i, seed), Instant.ofEpochMilli(now));
        sent.incrementAndGet();
      }
    } catch (RuntimeException e) {
      if (running) {
        failure = e;
      }
    }
  }

  /**
   * Churn: the first {@code count} generators stop (each after completing its block) and never send
   * again.
   *
   * @return their ids
   */
  List<String> stopFirst(int count) {
    List<String> ids = new ArrayList<>();
    for (int n = 0; n < Math.min(count, generators.size()); n++) {
      ids.add(generators.get(n).id());
    }
    stopped.addAll(ids);
    return ids;
  }

  /**
   * Churn: {@code count} new generators (ids continuing the numbering) start now.
   *
   * @return their ids
   */
  synchronized List<String> add(int count) {
    List<DemoGenerator> kinds = DemoGenerator.all();
    List<String> ids = new ArrayList<>();
    double period = 1e9 / rate;
    long start = System.nanoTime();
    for (int k = 0; k < count; k++) {
      int n = generators.size();
      DemoGenerator kind = kinds.get(n % kinds.size());
      DemoGenerator g =
          new DemoGenerator(
              String.format(Locale.ROOT, "g%03d-%s", n, kind.id()),
              kind.description(),
              kind.kind());
      generators.add(g);
      long offset = (long) (period * k / count);
      Thread t = new Thread(() -> publish(g, start + offset, period), "load-" + g.id());
      t.setDaemon(true);
      threads.add(t);
      t.start();
      ids.add(g.id());
    }
    return ids;
  }

  /** Samples handed to the producer so far. */
  long sent() {
    return sent.get();
  }

  int count() {
    return generators.size();
  }

  /** Throws when a generator could not send. */
  void check() {
    if (failure != null) {
      throw new IllegalStateException("a generator failed: " + failure, failure);
    }
  }

  /**
   * Stops sending once every generator has completed its block (at most {@code block / rate}
   * seconds), waits for the threads and for every sent sample to be acknowledged.
   */
  @Override
  public void close() throws InterruptedException {
    stopping = true;
    long deadline = System.nanoTime() + (long) ((block / rate + 10) * 1e9);
    for (Thread t : threads) {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    }
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
    publisher.flush();
  }
}
