package dev.synque.monitor.bench;

import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.WindowKind;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * End-to-end latency of every sample, from its send to the first ranking that includes it.
 *
 * <p><b>Definition.</b> A generator's samples all go, in order, to one partition, and the monitor
 * counts them in that order, so an {@code ALL_TIME} ranking whose entry for generator g says {@code
 * sampleCount = n} includes exactly g's first n samples. The latency of g's sample i is the
 * wall-clock time (one JVM, one clock) from just before its {@code send} call to the moment a
 * {@code read_committed} consumer of the rankings topic receives the first {@code ALL_TIME} ranking
 * update whose entry for g has {@code sampleCount > i}. It therefore covers producing, the broker,
 * the embed micro-batch wait and the embedding, the window update, the scoring cadence (scores, and
 * so rankings, are emitted only every {@code synque.scores.every.samples} samples or {@code
 * synque.scores.every.ms}), the repartition to the ranking task and two exactly-once commits (the
 * scores' and the ranking's) before the update becomes visible. A sample dead-lettered by the
 * monitor would shift the counts; the load commands report dead letters and expect none.
 *
 * <p>Senders call {@link #sent} from their own threads; one reader thread calls {@link #ranked}.
 */
final class SampleLatencies {

  private final Map<String, SendTimes> sends = new ConcurrentHashMap<>();
  private final Map<String, Long> covered = new ConcurrentHashMap<>();
  private final AtomicLong rankedTotal = new AtomicLong();
  private final long measureFromMillis;
  private final Latencies interval = new Latencies();
  private final Latencies measured = new Latencies();

  /**
   * @param measureFromMillis samples sent from this wall-clock time on count in {@link #measured()}
   *     (the run after its warm-up); every sample counts in the interval figures
   */
  SampleLatencies(long measureFromMillis) {
    this.measureFromMillis = measureFromMillis;
  }

  /** Generator {@code generator} is about to send its sample {@code index} (0, 1, 2, ...). */
  void sent(String generator, long index, long millis) {
    sends.computeIfAbsent(generator, g -> new SendTimes()).put(index, millis);
  }

  /** A ranking update became visible at {@code visibleAt}; only ALL_TIME updates count. */
  void ranked(RankingUpdate update, long visibleAt) {
    if (update.getWindowKind() != WindowKind.ALL_TIME) {
      return;
    }
    for (RankingEntry e : update.getEntries()) {
      String g = e.getGeneratorId();
      long from = covered.getOrDefault(g, 0L);
      long to = e.getSampleCount();
      if (to <= from) {
        continue;
      }
      SendTimes times = sends.get(g);
      for (long i = from; i < to; i++) {
        long sentAt = times == null ? -1 : times.get(i);
        if (sentAt < 0) {
          continue; // not sent by this run (cannot happen with fresh topics)
        }
        long latency = visibleAt - sentAt;
        interval.add(latency);
        if (sentAt >= measureFromMillis) {
          measured.add(latency);
        }
      }
      covered.put(g, to);
      rankedTotal.addAndGet(to - from);
    }
  }

  /** Samples included in some ranking so far. */
  long rankedTotal() {
    return rankedTotal.get();
  }

  /** Latencies of the samples first ranked since the previous call (sorted), then forgotten. */
  long[] takeInterval() {
    return interval.take();
  }

  /** Latencies of every sample sent after the warm-up and ranked so far (sorted). */
  long[] measured() {
    return measured.snapshot();
  }

  /** The {@code q}-quantile (nearest rank) of sorted values, or -1 when there are none. */
  static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.ceil(q * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /** A growable list of longs. */
  private static final class Latencies {
    private long[] values = new long[1024];
    private int size;

    synchronized void add(long v) {
      if (size == values.length) {
        values = Arrays.copyOf(values, size * 2);
      }
      values[size++] = v;
    }

    synchronized long[] take() {
      long[] out = Arrays.copyOf(values, size);
      size = 0;
      Arrays.sort(out);
      return out;
    }

    synchronized long[] snapshot() {
      long[] out = Arrays.copyOf(values, size);
      Arrays.sort(out);
      return out;
    }
  }

  /** Send times by sample index; -1 where unknown. */
  private static final class SendTimes {
    private long[] times = new long[1024];

    synchronized void put(long index, long millis) {
      if (index >= times.length) {
        long[] grown = Arrays.copyOf(times, (int) Math.max(times.length * 2L, index + 1));
        Arrays.fill(grown, times.length, grown.length, -1);
        times = grown;
      }
      times[(int) index] = millis;
    }

    synchronized long get(long index) {
      return index < times.length ? times[(int) index] : -1;
    }

    SendTimes() {
      Arrays.fill(times, -1);
    }
  }
}
