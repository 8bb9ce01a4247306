package dev.synque.monitor.stream;

import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.Leaderboard;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Ranks all generators. Runs as a single task (its input is repartitioned to one key and one
 * partition), keeps each generator's latest scores per window kind in {@value
 * MonitorTopology#LATEST_SCORES_STORE} and, whenever a generator's scores change (values or sample
 * count), ranks every generator of that window kind and reference version with core {@link
 * Leaderboard} and emits a {@link RankingUpdate} keyed by reference version. {@code TIMER} scores
 * (wall-clock timed) are never ranked, so rankings depend on the input alone. When another
 * generator has topped {@link RankingSettings#leaderConfirmations()} consecutive rankings of a
 * window kind and reference version, and kept the top for {@link LifecycleSettings#leaderMinTime()}
 * of event time, it replaces the leader and a {@code TOP_GENERATOR_CHANGED} {@link DriftAlert}
 * keyed by the new leader is emitted ({@link LeaderState}, kept in {@value
 * MonitorTopology#LEADER_STORE} per kind and version); a leader still tied for first keeps the
 * lead. The ranking's own {@code leader} field is always the current top (of a tie, the smallest
 * id).
 *
 * <p>For time windows a ranking compares every generator on one window, with the final ({@code
 * WINDOW_CLOSE}) scores of that window ({@value MonitorTopology#WINDOW_SCORES_STORE}); see {@code
 * onWindowScores}. Retired generators leave every store here on a stream-time cadence ({@link
 * Lifecycle}); their final standing goes to {@value MonitorTopology#RETIRED_STORE}.
 *
 * <p><b>LENS.</b> With {@link LensLink#enabled()} the scores arrive with the LENS score joined in
 * ({@link JoinLensProcessor}, in this task); {@code lens} is ranked as a higher-is-better proxy,
 * and a retired generator's LENS result leaves {@value MonitorTopology#LATEST_LENS_STORE} here.
 */
final class RankGeneratorsProcessor
    implements Processor<String, QualityScores, String, RankingOutput> {

  private final int minSamples;
  private final int leaderConfirmations;
  private final long leaderMinMs;
  private final MonitorMetrics metrics;
  private final LifecycleSettings lifecycle;
  private KeyValueStore<String, RankingUpdate> retired;
  private ReadOnlyKeyValueStore<String, byte[]> control;
  private final long windowSizeMs;
  private final long graceMs;
  private final boolean lensEnabled;
  private final Map<String, Orientation> orientations = new LinkedHashMap<>();
  private KeyValueStore<String, LensResult> lensResults;

  private ProcessorContext<String, RankingOutput> context;
  private KeyValueStore<String, QualityScores> latest;
  private KeyValueStore<String, String> leaders;
  private KeyValueStore<String, RankingUpdate> rankings;
  private KeyValueStore<String, QualityScores> windowScores;

  /**
   * @param ranking who is ranked and how a new leader is confirmed
   * @param windows the window size and grace (how long a window's scores are kept) and the proxies
   * @param lifecycle when generators retire and how long a new leader must hold the top
   * @param lensEnabled whether LENS results arrive to be joined
   */
  RankGeneratorsProcessor(
      RankingSettings ranking,
      WindowSettings windows,
      LifecycleSettings lifecycle,
      boolean lensEnabled,
      MonitorMetrics metrics) {
    this.metrics = metrics;
    this.lifecycle = lifecycle;
    this.minSamples = ranking.minSamples();
    this.leaderConfirmations = ranking.leaderConfirmations();
    this.leaderMinMs = lifecycle.leaderMinTime().toMillis();
    this.windowSizeMs = windows.size().toMillis();
    this.graceMs = windows.grace().toMillis();
    for (QualityProxy p : QualityProxies.byNames(windows.proxies())) {
      orientations.put(p.name(), p.orientation());
    }
    this.lensEnabled = lensEnabled;
    if (lensEnabled) {
      orientations.put(LensLink.PROXY, Orientation.HIGHER_IS_BETTER);
    }
  }

  @Override
  public void init(ProcessorContext<String, RankingOutput> context) {
    this.context = context;
    this.latest = context.getStateStore(MonitorTopology.LATEST_SCORES_STORE);
    this.leaders = context.getStateStore(MonitorTopology.LEADER_STORE);
    this.rankings = context.getStateStore(MonitorTopology.LATEST_RANKING_STORE);
    this.windowScores = context.getStateStore(MonitorTopology.WINDOW_SCORES_STORE);
    this.retired = context.getStateStore(MonitorTopology.RETIRED_STORE);
    this.control =
        lifecycle.commands() ? context.getStateStore(MonitorTopology.CONTROL_STORE) : null;
    context.schedule(
        Lifecycle.checkEvery(lifecycle), PunctuationType.STREAM_TIME, this::onStreamTime);
    // Leader states were kept per window kind before they were kept per kind and reference
    // version; those entries are never read again.
    for (WindowKind kind : WindowKind.values()) {
      leaders.delete(kind.name());
    }
    if (lensEnabled) {
      this.lensResults = context.getStateStore(MonitorTopology.LATEST_LENS_STORE);
    }
  }

  @Override
  public void process(Record<String, QualityScores> record) {
    onScores(record.value(), record.timestamp());
  }

  /**
   * The key of a generator's latest scores of a window kind in {@value
   * MonitorTopology#LATEST_SCORES_STORE}.
   */
  static String latestKey(WindowKind kind, String generator) {
    return kind.name() + "/" + generator;
  }

  private void onScores(QualityScores scores, long timestamp) {
    if (scores.getTrigger() == ScoreTrigger.TIMER) {
      // Emitted when the wall clock fired: never ranked, so rankings and leader alerts depend on
      // the input alone (a replay at any speed gives the same).
      return;
    }
    WindowKind kind = scores.getWindowKind();
    String key = latestKey(kind, scores.getGeneratorId());
    QualityScores previous = latest.get(key);
    // A window's final scores are ranked even when its last intermediate scores said the same.
    if (previous != null
        && sameContent(previous, scores)
        && scores.getTrigger() != ScoreTrigger.WINDOW_CLOSE) {
      return;
    }
    latest.put(key, scores);
    if (kind == WindowKind.ALL_TIME) {
      Map<String, QualityScores> board = new HashMap<>();
      try (KeyValueIterator<String, QualityScores> it =
          latest.prefixScan(kind.name() + "/", new StringSerializer())) {
        while (it.hasNext()) {
          KeyValue<String, QualityScores> kv = it.next();
          if (kv.value.getReferenceVersion().equals(scores.getReferenceVersion())) {
            board.put(kv.value.getGeneratorId(), kv.value);
          }
        }
      }
      RankingUpdate update = publish(board, scores, timestamp, null, null);
      rankings.put(kind.name(), update);
      stepLeader(update, timestamp, timestamp);
    } else {
      onWindowScores(scores, timestamp);
    }
  }

  /**
   * A time window's ranking compares every generator on the same window, with the final ({@code
   * WINDOW_CLOSE}) scores of that window: each close (or a LENS result joined into a kept close)
   * re-ranks that window among the generators that have closed it. The leader follows the newest
   * window; it steps once per window, on the window's last ranking before a newer window is ranked,
   * so a window filling up generator by generator cannot flap the alert.
   */
  private void onWindowScores(QualityScores scores, long timestamp) {
    WindowKind kind = scores.getWindowKind();
    long start = scores.getWindowStart().toEpochMilli();
    WindowScoresKey key = new WindowScoresKey(kind, start, scores.getGeneratorId());
    boolean closing = scores.getTrigger() == ScoreTrigger.WINDOW_CLOSE;
    if (!closing
        && !(scores.getTrigger() == ScoreTrigger.LENS_RESULT
            && windowScores.get(key.encode()) != null)) {
      return; // an open window's scores: shown, not ranked
    }
    RankingUpdate newest = rankings.get(kind.name());
    Long newestStart =
        newest == null || newest.getWindowStart() == null
            ? null
            : newest.getWindowStart().toEpochMilli();
    long keep = windowSizeMs + graceMs;
    if (newestStart != null && start < newestStart - keep) {
      return; // too old to rank: newer windows have been ranked for longer than the grace
    }
    windowScores.put(key.encode(), scores);
    Map<String, QualityScores> board = new HashMap<>();
    try (KeyValueIterator<String, QualityScores> it =
        windowScores.prefixScan(
            WindowScoresKey.windowPrefix(kind, start), new StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, QualityScores> kv = it.next();
        if (kv.value.getReferenceVersion().equals(scores.getReferenceVersion())) {
          board.put(kv.value.getGeneratorId(), kv.value);
        }
      }
    }
    if (newestStart != null && start > newestStart) {
      // A newer window: the newest one's last ranking is its final standing; the leader steps on
      // it, at the event time of its end.
      stepLeader(newest, newest.getWindowEnd().toEpochMilli(), timestamp);
      prune(kind, start - keep);
    }
    RankingUpdate update =
        publish(board, scores, timestamp, scores.getWindowStart(), scores.getWindowEnd());
    if (newestStart == null || start >= newestStart) {
      rankings.put(kind.name(), update);
    }
  }

  /** Deletes the kept window scores of {@code kind} with a start before {@code before}. */
  private void prune(WindowKind kind, long before) {
    List<String> old = new ArrayList<>();
    try (KeyValueIterator<String, QualityScores> it =
        windowScores.prefixScan(WindowScoresKey.kindPrefix(kind), new StringSerializer())) {
      while (it.hasNext()) {
        String k = it.next().key;
        if (WindowScoresKey.decode(k).start() < before) {
          old.add(k);
        } else {
          break; // keys of a kind sort by start
        }
      }
    }
    old.forEach(windowScores::delete);
  }

  private RankingUpdate publish(
      Map<String, QualityScores> board,
      QualityScores scores,
      long timestamp,
      Instant windowStart,
      Instant windowEnd) {
    return publish(
        board,
        scores.getReferenceVersion(),
        scores.getWindowKind(),
        scores.getGeneratorId(),
        timestamp,
        windowStart,
        windowEnd);
  }

  /**
   * Ranks {@code board} and forwards the update.
   *
   * @param cause the generator whose scores caused it, or null (generators retired)
   */
  private RankingUpdate publish(
      Map<String, QualityScores> board,
      String referenceVersion,
      WindowKind windowKind,
      String cause,
      long timestamp,
      Instant windowStart,
      Instant windowEnd) {
    Map<String, Leaderboard.GeneratorScores> values = new HashMap<>();
    board.forEach((generator, s) -> values.put(generator, values(s)));
    RankingUpdate update =
        RankingTiers.annotate(
            RankingRecords.update(
                Leaderboard.rank(values, orientations, minSamples),
                referenceVersion,
                windowKind,
                minSamples,
                cause,
                windowStart,
                windowEnd,
                context.currentSystemTimeMs()),
            board);
    context.forward(new Record<>(referenceVersion, new RankingOutput.Ranking(update), timestamp));
    return update;
  }

  /**
   * Feeds one ranking to the leader state of its window kind and reference version.
   *
   * @param time the ranking's event time, for the time rule
   * @param timestamp the output timestamp of an alert
   */
  private void stepLeader(RankingUpdate ranking, long time, long timestamp) {
    String kind = ranking.getWindowKind().name();
    String version = ranking.getReferenceVersion();
    String key = kind + "/" + version;
    String storedBefore = leaders.get(key);
    LeaderState current = LeaderState.decode(storedBefore);
    // A leader still tied for first keeps the lead: the ranking names the smallest id of a tie,
    // and generators of equal quality tie and untie on every other score.
    // So does a leader the new top is not separated from (same mmd2_poly tier, RankingTiers): a
    // change within the noise is no change.
    String top =
        tiedForFirst(ranking, current.leader())
                || !RankingTiers.separatedAbove(ranking, ranking.getLeader(), current.leader())
            ? current.leader()
            : ranking.getLeader();
    LeaderState.Step step = current.next(top, leaderConfirmations, leaderMinMs, time);
    String stored = step.state().encode();
    if (!stored.equals(storedBefore)) {
      leaders.put(key, stored);
    }
    String previousLeader = step.replaced();
    if (previousLeader == null) {
      return;
    }
    String leader = step.state().leader();
    DriftAlert alert =
        AlertRecords.leaderChange(
            ranking,
            previousLeader,
            leader,
            leaderConfirmations,
            leaderMinMs,
            context.currentSystemTimeMs());
    context.forward(new Record<>(leader, new RankingOutput.LeaderChange(alert), timestamp));
  }

  /**
   * Retires generators by the lifecycle rule ({@link Lifecycle}), with this task's stream time (the
   * latest scores timestamp of any generator): their final standing goes to {@value
   * MonitorTopology#RETIRED_STORE}, they leave every store of this task, their metric series go,
   * and each ranking they were in is published again without them. Final standings older than the
   * retire time are dropped.
   */
  private void onStreamTime(long streamTime) {
    // The time is the latest activity of any generator, from the scores alone: a LENS result's
    // timestamp (the worker's clock) must not age the generators.
    Map<String, Long> lastSeen = new HashMap<>();
    try (KeyValueIterator<String, QualityScores> it = latest.all()) {
      while (it.hasNext()) {
        QualityScores s = it.next().value;
        long seen =
            s.getWindowKind() == WindowKind.ALL_TIME
                ? s.getWindowEnd().toEpochMilli() - 1
                : s.getWindowStart().toEpochMilli();
        lastSeen.merge(s.getGeneratorId(), seen, Math::max);
      }
    }
    long now = lastSeen.values().stream().mapToLong(Long::longValue).max().orElse(Long.MIN_VALUE);
    if (now == Long.MIN_VALUE) {
      return;
    }
    List<String> leaving = new ArrayList<>();
    lastSeen.forEach(
        (generator, seen) -> {
          if (Lifecycle.state(seen, now, control == null ? null : control.get(generator), lifecycle)
              == Lifecycle.State.RETIRED) {
            leaving.add(generator);
          }
        });
    leaving.sort(null);
    for (String generator : leaving) {
      retire(generator, lastSeen.get(generator), now);
    }
    if (!leaving.isEmpty()) {
      for (WindowKind kind : WindowKind.values()) {
        RankingUpdate last = rankings.get(kind.name());
        if (last != null) {
          republish(last, now);
        }
      }
    }
    List<String> expired = new ArrayList<>();
    try (KeyValueIterator<String, RankingUpdate> it = retired.all()) {
      while (it.hasNext()) {
        KeyValue<String, RankingUpdate> kv = it.next();
        if (kv.value.getWindowEnd().toEpochMilli() + lifecycle.retire().toMillis() <= now) {
          expired.add(kv.key);
        }
      }
    }
    expired.forEach(retired::delete);
  }

  private void retire(String generator, long lastSeen, long now) {
    RankingUpdate standing = null;
    for (WindowKind kind :
        new WindowKind[] {WindowKind.TUMBLING, WindowKind.HOPPING, WindowKind.ALL_TIME}) {
      latest.delete(latestKey(kind, generator));
      RankingUpdate last = rankings.get(kind.name());
      if (last == null) {
        continue;
      }
      for (RankingEntry e : last.getEntries()) {
        if (e.getGeneratorId().equals(generator)) {
          standing =
              RankingUpdate.newBuilder(last)
                  .setEntries(List.of(e))
                  .setCause(generator)
                  .setWindowStart(Instant.ofEpochMilli(lastSeen))
                  .setWindowEnd(Instant.ofEpochMilli(now))
                  .build();
        }
      }
    }
    if (standing != null) {
      retired.put(generator, standing);
    }
    List<String> kept = new ArrayList<>();
    try (KeyValueIterator<String, QualityScores> it = windowScores.all()) {
      while (it.hasNext()) {
        KeyValue<String, QualityScores> kv = it.next();
        if (kv.value.getGeneratorId().equals(generator)) {
          kept.add(kv.key);
        }
      }
    }
    kept.forEach(windowScores::delete);
    if (lensEnabled) {
      lensResults.delete(generator);
    }
    metrics.retired(generator);
  }

  /** Ranks {@code last}'s window again (generators may have left it) and publishes it. */
  private void republish(RankingUpdate last, long timestamp) {
    Map<String, QualityScores> board = new HashMap<>();
    String prefix =
        last.getWindowStart() == null
            ? last.getWindowKind().name() + "/"
            : WindowScoresKey.windowPrefix(
                last.getWindowKind(), last.getWindowStart().toEpochMilli());
    KeyValueStore<String, QualityScores> source =
        last.getWindowStart() == null ? latest : windowScores;
    boolean any = false;
    try (KeyValueIterator<String, QualityScores> it =
        source.prefixScan(prefix, new StringSerializer())) {
      while (it.hasNext()) {
        QualityScores s = it.next().value;
        if (s.getReferenceVersion().equals(last.getReferenceVersion())) {
          board.put(s.getGeneratorId(), s);
          any = true;
        }
      }
    }
    if (!any) {
      rankings.delete(last.getWindowKind().name());
      return;
    }
    rankings.put(
        last.getWindowKind().name(),
        publish(
            board,
            last.getReferenceVersion(),
            last.getWindowKind(),
            null,
            timestamp,
            last.getWindowStart(),
            last.getWindowEnd()));
  }

  private static boolean tiedForFirst(RankingUpdate ranking, String generator) {
    return generator != null
        && ranking.getEntries().stream()
            .anyMatch(
                e ->
                    e.getGeneratorId().equals(generator)
                        && e.getEligible()
                        && e.getRank() != null
                        && e.getRank() == 1);
  }

  private static boolean sameContent(QualityScores a, QualityScores b) {
    return a.getSampleCount() == b.getSampleCount()
        && a.getReferenceVersion().equals(b.getReferenceVersion())
        && a.getWindowStart().equals(b.getWindowStart())
        && a.getWindowEnd().equals(b.getWindowEnd())
        && a.getScores().equals(b.getScores());
  }

  static Leaderboard.GeneratorScores values(QualityScores s) {
    Map<String, Double> values = new HashMap<>();
    for (ProxyScore p : s.getScores()) {
      // STALE is a LENS score the worker repeats while its budget is spent: still a judgement
      if ((p.getStatus() == ProxyStatus.OK || p.getStatus() == ProxyStatus.STALE)
          && p.getValue() != null) {
        values.put(p.getProxy(), p.getValue());
      }
    }
    return new Leaderboard.GeneratorScores(s.getSampleCount(), values);
  }
}
