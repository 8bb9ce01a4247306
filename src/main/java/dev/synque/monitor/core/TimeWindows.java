package dev.synque.monitor.core;

/**
 * Fixed-size time windows that advance by a hop (tumbling when the hop equals the size), and the
 * rule that closes them: which windows hold an event time, and when a window stops accepting
 * samples. Windows are aligned to the epoch: a window starts at a multiple of the advance and
 * covers {@code [start, start + size)}. All times are epoch milliseconds of event time. Immutable.
 *
 * @param sizeMs window length, above 0
 * @param advanceMs hop between window starts, in (0, sizeMs]
 * @param graceMs how long after its end a window still accepts samples, at least 0
 */
public record TimeWindows(long sizeMs, long advanceMs, long graceMs) {

  public TimeWindows {
    if (sizeMs <= 0) {
      throw new IllegalArgumentException("window size " + sizeMs + " ms must be above 0");
    }
    if (advanceMs <= 0 || advanceMs > sizeMs) {
      throw new IllegalArgumentException(
          "window advance " + advanceMs + " ms must be above 0 and at most the size " + sizeMs);
    }
    if (graceMs < 0) {
      throw new IllegalArgumentException("grace " + graceMs + " ms must be at least 0");
    }
  }

  /**
   * The starts of the windows holding event time {@code t}, oldest first: one for tumbling windows,
   * {@code ceil(size / advance)} or fewer for hopping ones. Never empty.
   */
  public long[] startsOf(long t) {
    long lastStart = Math.floorDiv(t, advanceMs) * advanceMs;
    int count = 0;
    for (long start = lastStart; start > t - sizeMs; start -= advanceMs) {
      count++;
    }
    long[] starts = new long[count];
    long start = lastStart;
    for (int i = count - 1; i >= 0; i--) {
      starts[i] = start;
      start -= advanceMs;
    }
    return starts;
  }

  /** The exclusive end of the window starting at {@code start}. */
  public long end(long start) {
    return start + sizeMs;
  }

  /**
   * Whether the window starting at {@code start} is closed once the clock (a generator's latest
   * event time) reads {@code clock}: its end plus the grace has been reached. A closed window
   * accepts no more samples (they are late) and emits its final scores.
   */
  public boolean closed(long start, long clock) {
    return end(start) + graceMs <= clock;
  }
}
