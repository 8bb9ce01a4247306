package dev.synque.monitor.stream;

import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.ScoreTrigger;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.QualityProxies;
import dev.synque.monitor.core.QualityProxy;
import dev.synque.monitor.core.TimeWindows;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps per generator and per window a {@link WindowState} and emits {@link QualityScores}.
 *
 * <p><b>Windows.</b> Time windows (tumbling or hopping, by the sample's event time) and the
 * all-time view. Time is kept per generator: a generator's clock is the latest event time of its
 * samples ({@value MonitorTopology#GENERATOR_CLOCK_STORE}), so results do not depend on how
 * generators share partitions or instances. A window {@code [start, end)} closes when the clock
 * reaches {@code end + grace}: its final scores are emitted ({@code WINDOW_CLOSE}) and its state is
 * deleted, which bounds the state to the open windows. A sample whose every time window has closed
 * is dead-lettered as {@code LATE_RECORD} (and counted nowhere, the all-time view included); a
 * sample late for some of its hopping windows only goes to the open ones.
 *
 * <p><b>Cadence.</b> A window's scores are also emitted after every {@code everySamples} new
 * samples ({@code SAMPLE_COUNT}, checked after each sample, so batch boundaries do not change the
 * output) and, by wall clock every {@code everyInterval}, for windows with new samples ({@code
 * TIMER}); a {@code TIMER} emission leaves the sample cadence as it is, so the {@code SAMPLE_COUNT}
 * emissions do not depend on when the wall clock fired.
 *
 * <p><b>Lifecycle.</b> An idle generator's windows close by the task's time, a retired one leaves
 * this task's stores ({@link Lifecycle}, {@code onStreamTime}).
 *
 * <p><b>Timestamps.</b> Scores are stamped with the latest event time of the window's samples,
 * never with the window's end: an open one-day window's end lies up to a day ahead, further than
 * the broker accepts ({@code message.timestamp.after.max.ms}).
 *
 * <p><b>Reference.</b> Scores are computed only against a current reference. State built against an
 * earlier reference version is discarded when next touched (comparisons restart: the all-time view
 * then covers the samples since the new version); state built before any reference existed is
 * attached to the first one (its MMD state rebuilt exactly from the reservoir).
 */
final class ScoreWindowsProcessor
    implements Processor<String, EmbeddedSamples, String, Outcome<QualityScores>> {

  private static final Logger LOG = LoggerFactory.getLogger(ScoreWindowsProcessor.class);

  private final MonitorMetrics metrics;
  private final WindowSettings windowing;
  private final TimeWindows shape;
  private final LifecycleSettings lifecycle;
  private final boolean lensEnabled;
  private final int deadLetterMaxBytes;
  private final ReferenceSets references;
  private final List<QualityProxy> proxies;
  private final WindowEvidence evidence;

  private ProcessorContext<String, Outcome<QualityScores>> context;
  private KeyValueStore<WindowKey, byte[]> windows;
  private KeyValueStore<String, Long> clocks;
  private ReadOnlyKeyValueStore<String, byte[]> referenceStore;
  private DeadLetters deadLetters;
  private String lastReferenceVersion;
  private boolean warnedNoReference;

  /**
   * Deserialised states of this task's open windows, so a batch does not decode megabytes it wrote
   * itself; always equal to the store (every change is written through), cleared on (re)init.
   */
  private final Map<WindowKey, WindowState> decoded = new java.util.HashMap<>();

  /** Per-generator stores of this sub-topology, emptied when a generator retires. */
  private KeyValueStore<String, byte[]> driftTrackers;

  private KeyValueStore<String, String> history;
  private KeyValueStore<String, byte[]> lensCadence;
  private ReadOnlyKeyValueStore<String, byte[]> control;

  /** See {@link #streamTime()}; {@link Long#MIN_VALUE} before any sample. */
  private long taskNow = Long.MIN_VALUE;

  /**
   * Per window, its sample count at its latest {@code TIMER} emission (wall-clock cadence only).
   */
  private final Map<WindowKey, Long> timed = new java.util.HashMap<>();

  /**
   * @param windowing window shape, emission cadence, reservoir and proxies
   * @param lifecycle when generators go idle and retire, and whether commands are read
   * @param lensEnabled whether the LENS cadence store is kept (a retired generator leaves it)
   * @param deadLetterMaxBytes largest key or value copied into a dead letter
   */
  ScoreWindowsProcessor(
      WindowSettings windowing,
      LifecycleSettings lifecycle,
      boolean lensEnabled,
      int deadLetterMaxBytes,
      ReferenceSets references,
      MonitorMetrics metrics) {
    this.metrics = metrics;
    this.windowing = windowing;
    this.shape = windowing.timeWindows();
    this.lifecycle = lifecycle;
    this.lensEnabled = lensEnabled;
    this.deadLetterMaxBytes = deadLetterMaxBytes;
    this.references = references;
    this.proxies = QualityProxies.byNames(windowing.proxies());
    this.evidence = new WindowEvidence(proxies);
  }

  @Override
  public void init(ProcessorContext<String, Outcome<QualityScores>> context) {
    this.context = context;
    this.windows = context.getStateStore(MonitorTopology.WINDOW_STATE_STORE);
    this.clocks = context.getStateStore(MonitorTopology.GENERATOR_CLOCK_STORE);
    this.referenceStore = context.getStateStore(MonitorTopology.REFERENCE_STORE);
    this.deadLetters = new DeadLetters(context, LOG, "score-windows", deadLetterMaxBytes);
    this.driftTrackers = context.getStateStore(MonitorTopology.DRIFT_STORE);
    this.history = context.getStateStore(MonitorTopology.SCORE_HISTORY_STORE);
    this.lensCadence =
        lensEnabled ? context.getStateStore(MonitorTopology.LENS_CADENCE_STORE) : null;
    this.control =
        lifecycle.commands() ? context.getStateStore(MonitorTopology.CONTROL_STORE) : null;
    decoded.clear();
    timed.clear();
    taskNow = Long.MIN_VALUE;
    try (KeyValueIterator<String, Long> it = clocks.all()) {
      while (it.hasNext()) {
        taskNow = Math.max(taskNow, it.next().value);
      }
    }
    context.schedule(
        Lifecycle.checkEvery(lifecycle), PunctuationType.STREAM_TIME, this::onStreamTime);
    if (!windowing.everyInterval().isZero()) {
      context.schedule(
          windowing.everyInterval(), PunctuationType.WALL_CLOCK_TIME, now -> onTimer());
    }
  }

  @Override
  public void process(Record<String, EmbeddedSamples> record) {
    EmbeddedSamples batch = record.value();
    String generator = batch.generatorId();
    ReferenceSnapshot reference = reference();
    warnOnceWithoutReference(reference, generator);
    Long storedClock = clocks.get(generator);
    long clock = storedClock == null ? Long.MIN_VALUE : storedClock;
    // An idle generator's windows close by the task's stream time (onStreamTime); a sample of a
    // window closed that way is late, as it would be by the generator's own clock.
    long closedBy =
        storedClock != null && Lifecycle.idle(storedClock, streamTime(), lifecycle)
            ? Math.max(clock, streamTime())
            : clock;
    Map<WindowKey, WindowState> touched = new LinkedHashMap<>();
    for (EmbeddedSamples.Item item : batch.samples()) {
      long t = item.sample().sample().getEventTime().toEpochMilli();
      List<WindowKey> keys = windowsOf(generator, item.sample(), t, clock, closedBy);
      if (keys != null) {
        add(generator, item, t, keys, touched, reference, batch.modelId());
        clock = Math.max(clock, t);
      }
    }
    touched.forEach(
        (key, state) -> {
          windows.put(key, state.toBytes());
          decoded.put(key, state);
        });
    clocks.put(generator, clock);
    taskNow = Math.max(taskNow, clock);
    closeWindows(generator, clock, reference);
  }

  private void warnOnceWithoutReference(ReferenceSnapshot reference, String generator) {
    if (reference == null && !warnedNoReference) {
      warnedNoReference = true;
      LOG.warn(
          "Task {}: samples of {} arrive before any reference set (topic {}); they are counted,"
              + " and scores start once a reference version exists",
          context.taskId(),
          generator,
          references.topic());
    }
  }

  /**
   * The windows a sample at event time {@code t} goes to: its open time windows and the all-time
   * view; null when every time window holding it has closed (the sample is dead-lettered as {@code
   * LATE_RECORD} here).
   *
   * @param clock the generator's latest event time, {@link Long#MIN_VALUE} before its first
   * @param closedBy the time by which windows close ({@code clock}, or the task's time when the
   *     generator is idle)
   */
  private List<WindowKey> windowsOf(
      String generator, ValidSample sample, long t, long clock, long closedBy) {
    List<Long> open = new ArrayList<>();
    long[] all = timeWindows(t);
    for (long start : all) {
      if (clock == Long.MIN_VALUE || !shape.closed(start, closedBy)) {
        open.add(start);
      }
    }
    if (all.length > 0 && open.isEmpty()) {
      String message =
          String.format(
              "sample %s of generator %s has event time %d, but every window holding it"
                  + " closed (the generator's clock is %d, grace %d ms)",
              sample.sample().getSampleId(), generator, t, clock, shape.graceMs());
      context.forward(
          new Record<>(
              generator,
              Outcome.rejected(deadLetters.of("LATE_RECORD", message, null, sample.source())),
              t));
      return null;
    }
    WindowKind kind =
        windowing.kind() == MonitorSettings.WindowKindSetting.HOPPING
            ? WindowKind.HOPPING
            : WindowKind.TUMBLING;
    List<WindowKey> keys = new ArrayList<>();
    for (long start : open) {
      keys.add(new WindowKey(generator, kind, start));
    }
    if (windowing.allTime()) {
      keys.add(WindowKey.allTime(generator));
    }
    return keys;
  }

  /**
   * Adds one sample to its windows' states (loaded once per batch into {@code touched}), emitting a
   * window's scores every {@link WindowSettings#everySamples()} samples.
   */
  private void add(
      String generator,
      EmbeddedSamples.Item item,
      long t,
      List<WindowKey> keys,
      Map<WindowKey, WindowState> touched,
      ReferenceSnapshot reference,
      String modelId) {
    ValidSample sample = item.sample();
    for (WindowKey key : keys) {
      WindowState state = touched.get(key);
      if (state == null) {
        state = load(key, reference, modelId, item.vector().length);
        touched.put(key, state);
      }
      state.add(sample.sample().getSampleId(), item.vector(), sample.sample().getText(), t);
      if (state.samplesSinceEmit >= windowing.everySamples()
          && emit(generator, state, reference, ScoreTrigger.SAMPLE_COUNT)) {
        state.samplesSinceEmit = 0;
      }
    }
  }

  /**
   * The task's time for the lifecycle: the latest event time of any accepted sample of any of its
   * generators (the maximum of their clocks). Accepted samples only, so a dead-lettered record with
   * a wild timestamp cannot age every generator at once.
   */
  private long streamTime() {
    return taskNow;
  }

  /**
   * The lifecycle, checked on a stream-time cadence, by the task time ({@link #streamTime()}, the
   * latest accepted event time of any generator here): an IDLE generator's time windows close once
   * that time passes their end plus grace (final scores, and so a drift check); a RETIRED one (by
   * time, or by a control record not older than its latest sample) has its last windows closed and
   * leaves every store of this task and the metrics.
   */
  private void onStreamTime(long streamTime) {
    // The reference is resolved (and embedded, the first time) only when a window may close.
    ReferenceSnapshot reference = null;
    boolean resolved = false;
    List<KeyValue<String, Long>> generators = new ArrayList<>();
    long now = Long.MIN_VALUE;
    try (KeyValueIterator<String, Long> it = clocks.all()) {
      while (it.hasNext()) {
        KeyValue<String, Long> g = it.next();
        generators.add(g);
        now = Math.max(now, g.value);
      }
    }
    taskNow = now;
    for (KeyValue<String, Long> g : generators) {
      Lifecycle.State state =
          Lifecycle.state(g.value, now, control == null ? null : control.get(g.key), lifecycle);
      if (state != Lifecycle.State.ACTIVE && !resolved) {
        reference = reference();
        resolved = true;
      }
      if (state == Lifecycle.State.RETIRED) {
        closeWindows(g.key, Long.MAX_VALUE, reference);
        retire(g.key);
      } else if (state == Lifecycle.State.IDLE) {
        closeWindows(g.key, now, reference);
      }
    }
  }

  private void retire(String generator) {
    List<WindowKey> keys = new ArrayList<>();
    try (KeyValueIterator<WindowKey, byte[]> it =
        windows.prefixScan(generator, WindowKey.GENERATOR_PREFIX)) {
      while (it.hasNext()) {
        WindowKey key = it.next().key;
        if (key.generator().equals(generator)) {
          keys.add(key);
        }
      }
    }
    for (WindowKey key : keys) {
      windows.delete(key);
      decoded.remove(key);
      timed.remove(key);
    }
    clocks.delete(generator);
    for (String proxy : windowing.proxies()) {
      driftTrackers.delete(generator + "/" + proxy);
    }
    history.delete(generator);
    if (lensCadence != null) {
      lensCadence.delete(generator);
    }
    metrics.retired(generator);
    LOG.info("Task {}: generator {} retired; its state is removed", context.taskId(), generator);
  }

  /**
   * The starts of the time windows holding event time {@code t}, oldest first ({@link
   * TimeWindows#startsOf}); none with {@code synque.window.kind=NONE}.
   */
  private long[] timeWindows(long t) {
    return windowing.kind() == MonitorSettings.WindowKindSetting.NONE
        ? new long[0]
        : shape.startsOf(t);
  }

  private WindowState load(
      WindowKey key, ReferenceSnapshot reference, String modelId, int dimension) {
    WindowState state = decoded.get(key);
    if (state == null) {
      byte[] bytes = windows.get(key);
      state = bytes == null ? null : WindowState.fromBytes(bytes, reference);
    }
    if (state != null
        && (!state.modelId.equals(modelId)
            || (state.referenceVersion != null
                && (reference == null || !state.referenceVersion.equals(reference.version()))))) {
      LOG.info(
          "{}: state for reference {} / model {} is discarded (now {} / {})",
          key,
          state.referenceVersion,
          state.modelId,
          reference == null ? null : reference.version(),
          modelId);
      state = null;
    }
    if (state == null) {
      long end = key.kind() == WindowKind.ALL_TIME ? 0 : shape.end(key.start());
      state =
          new WindowState(
              key.kind(),
              key.start(),
              end,
              modelId,
              dimension,
              windowing.reservoirCapacity(),
              key.reservoirSeed(windowing.reservoirSeed()));
    }
    if (reference != null && !state.follows(reference)) {
      state.attach(reference);
    }
    return state;
  }

  private void closeWindows(String generator, long clock, ReferenceSnapshot reference) {
    List<KeyValue<WindowKey, byte[]>> closing = new ArrayList<>();
    try (KeyValueIterator<WindowKey, byte[]> it =
        windows.prefixScan(generator, WindowKey.GENERATOR_PREFIX)) {
      while (it.hasNext()) {
        KeyValue<WindowKey, byte[]> kv = it.next();
        if (!kv.key.generator().equals(generator) || kv.key.kind() == WindowKind.ALL_TIME) {
          continue;
        }
        if (shape.closed(kv.key.start(), clock) || clock == Long.MAX_VALUE) {
          closing.add(kv);
        }
      }
    }
    for (KeyValue<WindowKey, byte[]> kv : closing) {
      WindowState state = WindowState.fromBytes(kv.value, reference);
      if (reference != null && reference.version().equals(state.referenceVersion)) {
        if (!state.follows(reference)) {
          state.attach(reference);
        }
        emit(generator, state, reference, ScoreTrigger.WINDOW_CLOSE);
      }
      windows.delete(kv.key);
      decoded.remove(kv.key);
      timed.remove(kv.key);
    }
  }

  private void onTimer() {
    ReferenceSnapshot reference = reference();
    if (reference == null) {
      return;
    }
    List<KeyValue<WindowKey, byte[]>> due = new ArrayList<>();
    try (KeyValueIterator<WindowKey, byte[]> it = windows.all()) {
      while (it.hasNext()) {
        due.add(it.next());
      }
    }
    for (KeyValue<WindowKey, byte[]> kv : due) {
      WindowState state = WindowState.fromBytes(kv.value, reference);
      // A TIMER emission leaves the sample cadence alone (samplesSinceEmit is not reset): the
      // SAMPLE_COUNT emissions, and everything downstream of them, must not depend on when the
      // wall clock fired. Which windows were already timed is kept in memory only; after a restart
      // a window may be timed once more, which is harmless.
      Long timedAt = timed.get(kv.key);
      if (state.samplesSinceEmit > 0
          && (timedAt == null || timedAt != state.sampleCount)
          && reference.version().equals(state.referenceVersion)) {
        if (!state.follows(reference)) {
          state.attach(reference);
        }
        if (emit(kv.key.generator(), state, reference, ScoreTrigger.TIMER)) {
          timed.put(kv.key, state.sampleCount);
        }
      }
    }
  }

  private boolean emit(
      String generator, WindowState state, ReferenceSnapshot reference, ScoreTrigger trigger) {
    if (reference == null || state.mmd == null) {
      return false;
    }
    long started = System.nanoTime();
    QualityScores scores =
        evidence.annotate(
            WindowScores.compute(
                generator, state, reference, proxies, trigger, context.currentSystemTimeMs()),
            state,
            reference);
    metrics.proxiesComputed(System.nanoTime() - started);
    // One rule for every output's timestamp: the latest event time that went into it. Validation
    // bounds event times by the source record's timestamp, so the broker accepts it for any window
    // size (a window's end can lie days ahead while the window is open).
    context.forward(new Record<>(generator, Outcome.passed(scores), state.maxEventTime));
    return true;
  }

  private ReferenceSnapshot reference() {
    Optional<ReferenceSnapshot> current = references.current(referenceStore);
    String version = current.map(ReferenceSnapshot::version).orElse(null);
    if (!java.util.Objects.equals(version, lastReferenceVersion)) {
      LOG.info(
          "Task {}: reference version {} -> {}; windows of the old version restart when touched",
          context.taskId(),
          lastReferenceVersion,
          version);
      lastReferenceVersion = version;
    }
    return current.orElse(null);
  }

  static WindowKey key(String generator, WindowKind kind, long start) {
    return new WindowKey(generator, kind, start);
  }
}
