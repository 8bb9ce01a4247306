package dev.synque.monitor.lens;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * LLM calls allowed per sliding hour, overall and per generator. A run reserves its planned calls
 * up front ({@link #tryReserve}); when either limit would be exceeded nothing is reserved and the
 * reason is returned, and the caller marks its result stale. After the run, {@link #settle} books
 * the calls actually made (format re-asks add calls, cached real judgements refund them), so a run
 * may overshoot a limit by its re-asks, never by more.
 *
 * <p>A limit of 0 means no limit. Thread-safe.
 */
public final class LensBudget {

  /** The window limits apply to. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private record Entry(Instant at, String generatorId, int calls) {}

  private final int perHour;
  private final int perGeneratorPerHour;
  private final Clock clock;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private final Map<String, Integer> byGenerator = new HashMap<>();
  private int total;

  /**
   * @param perHour calls per sliding hour over all generators, 0 for no limit
   * @param perGeneratorPerHour calls per sliding hour for one generator, 0 for no limit
   * @param clock the time source; never null
   */
  public LensBudget(int perHour, int perGeneratorPerHour, Clock clock) {
    if (perHour < 0 || perGeneratorPerHour < 0) {
      throw new IllegalArgumentException("LENS budget limits must be >= 0 (0: no limit)");
    }
    this.perHour = perHour;
    this.perGeneratorPerHour = perGeneratorPerHour;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The budget of the settings. */
  public static LensBudget of(LlmSettings settings, Clock clock) {
    return new LensBudget(
        settings.budgetCallsPerHour(), settings.budgetCallsPerHourPerGenerator(), clock);
  }

  /**
   * Reserves calls for a generator.
   *
   * @param generatorId the generator; never null
   * @param calls planned calls, at least 0
   * @return empty when reserved; otherwise why not (which limit, how much is spent)
   */
  public synchronized Optional<String> tryReserve(String generatorId, int calls) {
    expire();
    int spentByGenerator = byGenerator.getOrDefault(generatorId, 0);
    if (perHour > 0 && total + calls > perHour) {
      return Optional.of(
          "LLM budget spent: "
              + total
              + " of "
              + perHour
              + " calls used in the last hour (all generators), this run needs "
              + calls);
    }
    if (perGeneratorPerHour > 0 && spentByGenerator + calls > perGeneratorPerHour) {
      return Optional.of(
          "LLM budget spent: "
              + spentByGenerator
              + " of "
              + perGeneratorPerHour
              + " calls used in the last hour by generator "
              + generatorId
              + ", this run needs "
              + calls);
    }
    add(generatorId, calls);
    return Optional.empty();
  }

  /**
   * Books the difference between the calls a run reserved and the calls it made.
   *
   * @param generatorId the generator
   * @param reserved what {@link #tryReserve} reserved
   * @param used what the run made
   */
  public synchronized void settle(String generatorId, int reserved, int used) {
    if (used != reserved) {
      add(generatorId, used - reserved);
    }
  }

  /** Calls booked in the last hour, all generators. */
  public synchronized int spent() {
    expire();
    return total;
  }

  /** Calls booked in the last hour by one generator. */
  public synchronized int spent(String generatorId) {
    expire();
    return byGenerator.getOrDefault(generatorId, 0);
  }

  private void add(String generatorId, int calls) {
    entries.addLast(new Entry(clock.instant(), generatorId, calls));
    total += calls;
    byGenerator.merge(generatorId, calls, Integer::sum);
  }

  private void expire() {
    Instant cutoff = clock.instant().minus(WINDOW);
    while (!entries.isEmpty() && !entries.peekFirst().at().isAfter(cutoff)) {
      Entry e = entries.removeFirst();
      total -= e.calls();
      byGenerator.merge(e.generatorId(), -e.calls(), Integer::sum);
      if (byGenerator.get(e.generatorId()) == 0) {
        byGenerator.remove(e.generatorId());
      }
    }
  }
}
