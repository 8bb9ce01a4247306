package dev.synque.monitor.stream;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.core.Leaderboard;
import dev.synque.monitor.core.Orientation;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Ranks all generators. Runs as a single task (its input is repartitioned to one key and one
 * partition), keeps each generator's latest scores per window kind in {@value
 * MonitorTopology#LATEST_SCORES_STORE} and, whenever a generator's scores change (values or sample
 * count), ranks every generator of that window kind and reference version with core {@link
 * Leaderboard} and emits a {@link RankingUpdate} keyed by reference version. When another generator
 * has topped {@link MonitorSettings#leaderConfirmations()} consecutive rankings of a window kind it
 * replaces the leader and a {@code TOP_GENERATOR_CHANGED} {@link DriftAlert} keyed by the new
 * leader is emitted ({@link LeaderState}, kept in {@value MonitorTopology#LEADER_STORE}); a leader
 * still tied for first keeps the lead. The ranking's own {@code leader} field is always the current
 * top (of a tie, the smallest id).
 *
 * <p>For time windows the ranking compares each generator's latest emitted window.
 *
 * <p><b>LENS.</b> With {@link LensLink#enabled()} the input also carries the LENS worker's {@link
 * LensResult}s (repartitioned to the same single partition). The latest result per generator is
 * kept in {@value MonitorTopology#LATEST_LENS_STORE} (the newest request's, {@link LensOrder});
 * every scores record gets its {@code lens} entry from it ({@link LensScores}) and is forwarded
 * (the scores topic is written from here then, so it carries the joined LENS score), and a new
 * result re-emits the generator's latest scores of every window kind with trigger {@code
 * LENS_RESULT} and re-ranks those kinds.
 */
final class RankGeneratorsProcessor implements Processor<String, Object, String, Object> {

  private final int minSamples;
  private final int leaderConfirmations;
  private final boolean lensEnabled;
  private final Map<String, Orientation> orientations = new LinkedHashMap<>();
  private KeyValueStore<String, LensResult> lensResults;

  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, QualityScores> latest;
  private KeyValueStore<String, String> leaders;
  private KeyValueStore<String, RankingUpdate> rankings;

  RankGeneratorsProcessor(MonitorSettings settings) {
    this.minSamples = settings.minSamples();
    this.leaderConfirmations = settings.leaderConfirmations();
    for (QualityProxy p : QualityProxies.byNames(settings.proxies())) {
      orientations.put(p.name(), p.orientation());
    }
    this.lensEnabled = settings.lens().enabled();
    if (lensEnabled) {
      orientations.put(LensLink.PROXY, Orientation.HIGHER_IS_BETTER);
    }
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.latest = context.getStateStore(MonitorTopology.LATEST_SCORES_STORE);
    this.leaders = context.getStateStore(MonitorTopology.LEADER_STORE);
    this.rankings = context.getStateStore(MonitorTopology.LATEST_RANKING_STORE);
    if (lensEnabled) {
      this.lensResults = context.getStateStore(MonitorTopology.LATEST_LENS_STORE);
    }
  }

  @Override
  public void process(Record<String, Object> record) {
    if (record.value() instanceof LensResult result) {
      onLensResult(result, record.timestamp());
    } else if (record.value() instanceof QualityScores scores) {
      if (lensEnabled) {
        scores =
            LensScores.with(
                scores,
                LensScores.of(
                    lensResults.get(scores.getGeneratorId()), scores.getReferenceVersion()));
        context.forward(
            new Record<String, Object>(scores.getGeneratorId(), scores, record.timestamp()));
      }
      onScores(scores, record.timestamp());
    }
  }

  private void onLensResult(LensResult result, long timestamp) {
    String generator = result.getGeneratorId();
    if (!LensOrder.replaces(result, lensResults.get(generator))) {
      return; // a redelivered or older request's answer: the newer one stays joined
    }
    lensResults.put(generator, result);
    for (dev.synque.monitor.avro.WindowKind windowKind :
        dev.synque.monitor.avro.WindowKind.values()) {
      QualityScores previous = latest.get(windowKind.name() + "/" + generator);
      if (previous == null) {
        continue;
      }
      QualityScores joined =
          QualityScores.newBuilder(
                  LensScores.with(previous, LensScores.of(result, previous.getReferenceVersion())))
              .setTrigger(ScoreTrigger.LENS_RESULT)
              .setComputedAt(Instant.ofEpochMilli(context.currentSystemTimeMs()))
              .build();
      context.forward(new Record<String, Object>(generator, joined, timestamp));
      onScores(joined, timestamp);
    }
  }

  private void onScores(QualityScores scores, long timestamp) {
    String kind = scores.getWindowKind().name();
    String key = kind + "/" + scores.getGeneratorId();
    QualityScores previous = latest.get(key);
    if (previous != null && sameContent(previous, scores)) {
      return;
    }
    latest.put(key, scores);

    Map<String, Leaderboard.GeneratorScores> board = new HashMap<>();
    try (KeyValueIterator<String, QualityScores> it =
        latest.prefixScan(
            kind + "/", new org.apache.kafka.common.serialization.StringSerializer())) {
      while (it.hasNext()) {
        KeyValue<String, QualityScores> kv = it.next();
        if (kv.value.getReferenceVersion().equals(scores.getReferenceVersion())) {
          board.put(kv.value.getGeneratorId(), values(kv.value));
        }
      }
    }
    Leaderboard.Ranking ranking = Leaderboard.rank(board, orientations, minSamples);
    long now = context.currentSystemTimeMs();
    RankingUpdate update =
        RankingUpdate.newBuilder()
            .setReferenceVersion(scores.getReferenceVersion())
            .setWindowKind(scores.getWindowKind())
            .setCombinationRule(Leaderboard.COMBINATION_RULE)
            .setMinSamples(minSamples)
            .setEntries(ranking.entries().stream().map(RankGeneratorsProcessor::entry).toList())
            .setLeader(ranking.leader())
            .setCause(scores.getGeneratorId())
            .setComputedAt(Instant.ofEpochMilli(now))
            .build();
    rankings.put(kind, update);
    context.forward(new Record<String, Object>(scores.getReferenceVersion(), update, timestamp));

    LeaderState current = LeaderState.decode(leaders.get(kind));
    // A leader still tied for first keeps the lead: the ranking names the smallest id of a tie,
    // and generators of equal quality tie and untie on every other score.
    String top = tiedForFirst(ranking, current.leader()) ? current.leader() : ranking.leader();
    LeaderState.Step step = current.next(top, leaderConfirmations);
    String stored = step.state().encode();
    if (stored != null && !stored.equals(leaders.get(kind))) {
      leaders.put(kind, stored);
    }
    String previousLeader = step.replaced();
    if (previousLeader != null) {
      DriftAlert alert =
          DriftAlert.newBuilder()
              .setAlertId(
                  String.join(
                      "/",
                      "TOP_GENERATOR_CHANGED",
                      kind,
                      scores.getReferenceVersion(),
                      previousLeader,
                      ranking.leader(),
                      Long.toString(scores.getSampleCount())))
              .setKind(AlertKind.TOP_GENERATOR_CHANGED)
              .setGeneratorId(ranking.leader())
              .setPreviousLeader(previousLeader)
              .setWindowStart(scores.getWindowStart())
              .setWindowEnd(scores.getWindowEnd())
              .setReferenceVersion(scores.getReferenceVersion())
              .setMessage(
                  String.format(
                      "%s replaced %s at the top of the %s ranking (reference %s)%s",
                      ranking.leader(),
                      previousLeader,
                      kind,
                      scores.getReferenceVersion(),
                      leaderConfirmations > 1
                          ? ", topping " + leaderConfirmations + " consecutive rankings"
                          : ""))
              .setRaisedAt(Instant.ofEpochMilli(now))
              .build();
      context.forward(new Record<String, Object>(ranking.leader(), alert, timestamp));
    }
  }

  private static boolean tiedForFirst(Leaderboard.Ranking ranking, String generator) {
    return generator != null
        && ranking.entries().stream()
            .anyMatch(
                e ->
                    e.generatorId().equals(generator)
                        && e.eligible()
                        && e.rank() != null
                        && e.rank() == 1);
  }

  private static boolean sameContent(QualityScores a, QualityScores b) {
    return a.getSampleCount() == b.getSampleCount()
        && a.getReferenceVersion().equals(b.getReferenceVersion())
        && a.getWindowStart().equals(b.getWindowStart())
        && a.getWindowEnd().equals(b.getWindowEnd())
        && a.getScores().equals(b.getScores());
  }

  private static Leaderboard.GeneratorScores values(QualityScores s) {
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

  private static RankingEntry entry(Leaderboard.Entry e) {
    return RankingEntry.newBuilder()
        .setGeneratorId(e.generatorId())
        .setRank(e.rank())
        .setCombinedScore(e.combinedScore())
        .setEligible(e.eligible())
        .setIneligibleReason(e.ineligibleReason())
        .setSampleCount(e.sampleCount())
        .setProxies(
            e.proxies().stream()
                .map(
                    p ->
                        ProxyRank.newBuilder()
                            .setProxy(p.proxy())
                            .setValue(p.value())
                            .setHigherIsBetter(p.higherIsBetter())
                            .setRank(p.rank())
                            .build())
                .toList())
        .build();
  }
}
