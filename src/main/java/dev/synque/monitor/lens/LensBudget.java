package dev.synque.monitor.lens;

import dev.synque.monitor.chat.LlmSettings;
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
 * LLM calls and tokens allowed per sliding hour, overall and per generator. A run reserves its
 * planned calls up front ({@link #tryReserve}); when a call limit would be exceeded, or a token
 * limit is already reached, nothing is reserved and the reason is returned, and the caller marks
 * its result stale. After the run, {@link #settle} books the calls actually made (format re-asks
 * add calls, cached real judgements refund them) and the tokens the server reported. So a run may
 * overshoot a call limit by its re-asks and a token limit by its own tokens (they are not known in
 * advance), never by more.
 *
 * <p>A limit of 0 means no limit. Thread-safe.
 */
public final class LensBudget {

  /** The window limits apply to. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private record Entry(Instant at, String generatorId, int calls, long tokens) {}

  private final int perHour;
  private final int perGeneratorPerHour;
  private final long tokensPerHour;
  private final long tokensPerGeneratorPerHour;
  private final Clock clock;
  private final Deque<Entry> entries = new ArrayDeque<>();
  private final Map<String, Integer> byGenerator = new HashMap<>();
  private final Map<String, Long> tokensByGenerator = new HashMap<>();
  private int total;
  private long totalTokens;

  /**
   * A budget of calls only.
   *
   * @param perHour calls per sliding hour over all generators, 0 for no limit
   * @param perGeneratorPerHour calls per sliding hour for one generator, 0 for no limit
   * @param clock the time source; never null
   */
  public LensBudget(int perHour, int perGeneratorPerHour, Clock clock) {
    this(perHour, perGeneratorPerHour, 0, 0, clock);
  }

  /**
   * @param perHour calls per sliding hour over all generators, 0 for no limit
   * @param perGeneratorPerHour calls per sliding hour for one generator, 0 for no limit
   * @param tokensPerHour tokens per sliding hour over all generators, 0 for no limit
   * @param tokensPerGeneratorPerHour tokens per sliding hour for one generator, 0 for no limit
   * @param clock the time source; never null
   */
  public LensBudget(
      int perHour,
      int perGeneratorPerHour,
      long tokensPerHour,
      long tokensPerGeneratorPerHour,
      Clock clock) {
    if (perHour < 0
        || perGeneratorPerHour < 0
        || tokensPerHour < 0
        || tokensPerGeneratorPerHour < 0) {
      throw new IllegalArgumentException("LENS budget limits must be >= 0 (0: no limit)");
    }
    this.perHour = perHour;
    this.perGeneratorPerHour = perGeneratorPerHour;
    this.tokensPerHour = tokensPerHour;
    this.tokensPerGeneratorPerHour = tokensPerGeneratorPerHour;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The budget of the settings. */
  public static LensBudget of(LlmSettings settings, Clock clock) {
    return new LensBudget(
        settings.budgetCallsPerHour(),
        settings.budgetCallsPerHourPerGenerator(),
        settings.budgetTokensPerHour(),
        settings.budgetTokensPerHourPerGenerator(),
        clock);
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
    long tokensByThis = tokensByGenerator.getOrDefault(generatorId, 0L);
    if (tokensPerHour > 0 && totalTokens >= tokensPerHour) {
      return Optional.of(
          "LLM token budget spent: "
              + totalTokens
              + " of "
              + tokensPerHour
              + " tokens used in the last hour (all generators)");
    }
    if (tokensPerGeneratorPerHour > 0 && tokensByThis >= tokensPerGeneratorPerHour) {
      return Optional.of(
          "LLM token budget spent: "
              + tokensByThis
              + " of "
              + tokensPerGeneratorPerHour
              + " tokens used in the last hour by generator "
              + generatorId);
    }
    add(generatorId, calls, 0);
    return Optional.empty();
  }

  /**
   * Books the difference between the calls a run reserved and the calls it made, and its tokens.
   *
   * @param generatorId the generator
   * @param reserved what {@link #tryReserve} reserved
   * @param used what the run made
   * @param tokens tokens the server reported for the run, at least 0
   */
  public synchronized void settle(String generatorId, int reserved, int used, long tokens) {
    if (used != reserved || tokens != 0) {
      add(generatorId, used - reserved, Math.max(0, tokens));
    }
  }

  /** Calls allowed per sliding hour over all generators, 0 for no limit. */
  public int callsPerHour() {
    return perHour;
  }

  /** Tokens allowed per sliding hour over all generators, 0 for no limit. */
  public long tokensPerHour() {
    return tokensPerHour;
  }

  /** Tokens booked in the last hour, all generators. */
  public synchronized long spentTokens() {
    expire();
    return totalTokens;
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

  private void add(String generatorId, int calls, long tokens) {
    entries.addLast(new Entry(clock.instant(), generatorId, calls, tokens));
    total += calls;
    totalTokens += tokens;
    byGenerator.merge(generatorId, calls, Integer::sum);
    tokensByGenerator.merge(generatorId, tokens, Long::sum);
  }

  private void expire() {
    Instant cutoff = clock.instant().minus(WINDOW);
    while (!entries.isEmpty() && !entries.peekFirst().at().isAfter(cutoff)) {
      Entry e = entries.removeFirst();
      total -= e.calls();
      totalTokens -= e.tokens();
      byGenerator.merge(e.generatorId(), -e.calls(), Integer::sum);
      tokensByGenerator.merge(e.generatorId(), -e.tokens(), Long::sum);
      if (byGenerator.get(e.generatorId()) == 0 && tokensByGenerator.get(e.generatorId()) == 0) {
        byGenerator.remove(e.generatorId());
        tokensByGenerator.remove(e.generatorId());
      }
    }
  }
}
