package dev.synque.monitor.bench;

import java.util.List;
import java.util.Locale;

/**
 * Whether a series (heap after GC, state on disk) stays flat in the steady state, that is once
 * every bounded structure has reached its bound: the run's warm-up is over and every all-time
 * reservoir is full (capacity / rate seconds of a generator's samples) and the first time window
 * has closed. Before that, growth is expected and says nothing about a leak.
 *
 * <p>Rule: with the steady readings split in thirds, the mean of the last third may exceed the mean
 * of the first third by at most {@code tolerance} relative plus {@code slack} absolute (RocksDB
 * flushes memtables and compacts in steps of megabytes, and the heap moves with the record cache);
 * fewer than 6 steady readings give no verdict.
 *
 * @param verdict {@code FLAT}, {@code GROWING} or {@code INCONCLUSIVE}
 * @param detail the numbers behind it, in words
 */
record FlatnessVerdict(String verdict, String detail) {

  static FlatnessVerdict of(
      List<double[]> timeAndValue, double steadyFrom, double tolerance, double slack, String unit) {
    List<double[]> steady = timeAndValue.stream().filter(r -> r[0] >= steadyFrom).toList();
    if (steady.size() < 6) {
      return new FlatnessVerdict(
          "INCONCLUSIVE",
          String.format(
              Locale.ROOT,
              "%d readings after the steady state began at %.0f s; at least 6 are needed (run"
                  + " longer)",
              steady.size(),
              steadyFrom));
    }
    int third = steady.size() / 3;
    double first = mean(steady.subList(0, third));
    double last = mean(steady.subList(steady.size() - third, steady.size()));
    double slope = slopePerMinute(steady);
    boolean flat = last <= first * (1 + tolerance) + slack;
    return new FlatnessVerdict(
        flat ? "FLAT" : "GROWING",
        String.format(
            Locale.ROOT,
            "steady from %.0f s, %d readings: first third %.1f %s, last third %.1f %s (allowed"
                + " %.1f), least-squares slope %+.2f %s/min",
            steadyFrom,
            steady.size(),
            first,
            unit,
            last,
            unit,
            first * (1 + tolerance) + slack,
            slope,
            unit));
  }

  private static double mean(List<double[]> rows) {
    return rows.stream().mapToDouble(r -> r[1]).average().orElse(Double.NaN);
  }

  private static double slopePerMinute(List<double[]> rows) {
    double mt = rows.stream().mapToDouble(r -> r[0]).average().orElseThrow();
    double mv = mean(rows);
    double num = 0;
    double den = 0;
    for (double[] r : rows) {
      num += (r[0] - mt) * (r[1] - mv);
      den += (r[0] - mt) * (r[0] - mt);
    }
    return den == 0 ? 0 : 60 * num / den;
  }
}
