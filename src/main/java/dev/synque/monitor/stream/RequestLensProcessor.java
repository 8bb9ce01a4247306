package dev.synque.monitor.stream;

import dev.synque.monitor.avro.AlertKind;
import dev.synque.monitor.avro.DriftAlert;
import dev.synque.monitor.avro.LensReason;
import dev.synque.monitor.avro.LensRequest;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.TextItem;
import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.Reservoir;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks the LENS worker for LENS scores: emits a {@link LensRequest} (generator, reference version,
 * texts) keyed by generator id. The stream never waits for the answer; the results come back on
 * their own topic and are joined by {@link JoinLensProcessor}.
 *
 * <p><b>When.</b> Each generator has one <em>LENS view</em>: the all-time view when it is kept,
 * otherwise its time windows. After every scores record of that view the request is due when {@link
 * LensLink#everySamples()} samples were added since the last request ({@code SAMPLE_CADENCE}), or
 * {@link LensLink#everyInterval()} passed by wall clock and samples were added ({@code
 * TIME_CADENCE}); counts restart with a new window or reference version. A {@code QUALITY_DEGRADED}
 * alert asks at once for the drifted window ({@code DRIFT}) when {@link LensLink#onDrift()} is set.
 * The cadence of each generator is kept in {@value MonitorTopology#LENS_CADENCE_STORE}, so it
 * survives restarts.
 *
 * <p><b>What.</b> The synthetic texts are the window's reservoir's first {@link
 * LensLink#syntheticExamples()} slots (a uniform sample of the window; the first slots change
 * rarely, so consecutive requests share the rubric sample and the worker's rubric cache hits); the
 * real texts are the reference's first {@link LensLink#referenceExamples()} samples by sample id.
 * The window state is read from {@value MonitorTopology#WINDOW_STATE_STORE} as last written, which
 * is the state at the end of the previous micro-batch (scores are emitted within a batch and the
 * store is written at its end); a window whose state was not written yet asks at its next scores.
 *
 * <p>The request id is {@code generator/reference version/window kind/window start/sample
 * count/reason}: deterministic, so a request replayed under exactly-once is recognisably the same.
 */
final class RequestLensProcessor implements Processor<String, LensTrigger, String, LensRequest> {

  private static final Logger LOG = LoggerFactory.getLogger(RequestLensProcessor.class);

  private final LensLink link;
  private final ReferenceSets references;
  private final WindowKind viewKind;

  /** The kind of the time windows (drift is judged on closed ones); null without time windows. */
  private final WindowKind timeWindowKind;

  private ProcessorContext<String, LensRequest> context;
  private KeyValueStore<WindowKey, byte[]> windows;
  private KeyValueStore<String, byte[]> cadence;
  private ReadOnlyKeyValueStore<String, byte[]> referenceStore;

  RequestLensProcessor(LensLink link, WindowSettings windows, ReferenceSets references) {
    this.link = link;
    this.references = references;
    this.timeWindowKind =
        switch (windows.kind()) {
          case HOPPING -> WindowKind.HOPPING;
          case TUMBLING -> WindowKind.TUMBLING;
          case NONE -> null;
        };
    this.viewKind = windows.allTime() ? WindowKind.ALL_TIME : timeWindowKind;
  }

  @Override
  public void init(ProcessorContext<String, LensRequest> context) {
    this.context = context;
    this.windows = context.getStateStore(MonitorTopology.WINDOW_STATE_STORE);
    this.cadence = context.getStateStore(MonitorTopology.LENS_CADENCE_STORE);
    this.referenceStore = context.getStateStore(MonitorTopology.REFERENCE_STORE);
  }

  @Override
  public void process(Record<String, LensTrigger> record) {
    if (record.value() instanceof LensTrigger.Scores scores) {
      onScores(scores.scores(), record.timestamp());
    } else if (record.value() instanceof LensTrigger.Drift drift) {
      onDrift(drift.alert(), record.timestamp());
    }
  }

  private void onDrift(DriftAlert alert, long timestamp) {
    if (link.onDrift()
        && alert.getKind() == AlertKind.QUALITY_DEGRADED
        && alert.getWindowStart() != null
        && timeWindowKind != null) {
      request(
          alert.getGeneratorId(),
          timeWindowKind,
          alert.getWindowStart().toEpochMilli(),
          alert.getReferenceVersion(),
          LensReason.DRIFT,
          timestamp);
    }
  }

  private void onScores(QualityScores scores, long timestamp) {
    if (scores.getWindowKind() != viewKind) {
      return;
    }
    String generator = scores.getGeneratorId();
    long start = viewKind == WindowKind.ALL_TIME ? 0 : scores.getWindowStart().toEpochMilli();
    Cadence last = Cadence.read(cadence.get(generator));
    boolean sameView =
        last != null
            && last.windowStart == start
            && last.referenceVersion.equals(scores.getReferenceVersion());
    long added = sameView ? scores.getSampleCount() - last.sampleCount : scores.getSampleCount();
    long now = context.currentSystemTimeMs();
    LensReason reason = null;
    if (link.everySamples() > 0 && added >= link.everySamples()) {
      reason = LensReason.SAMPLE_CADENCE;
    } else if (!link.everyInterval().isZero()
        && added > 0
        && (last == null || now - last.requestedAt >= link.everyInterval().toMillis())) {
      reason = LensReason.TIME_CADENCE;
    }
    if (reason != null) {
      request(generator, viewKind, start, scores.getReferenceVersion(), reason, timestamp);
    }
  }

  private void request(
      String generator,
      WindowKind kind,
      long windowStart,
      String referenceVersion,
      LensReason reason,
      long timestamp) {
    Optional<ReferenceSnapshot> reference = references.current(referenceStore);
    if (reference.isEmpty() || !reference.get().version().equals(referenceVersion)) {
      return; // scores of an old reference version: the new one will ask for itself
    }
    byte[] bytes = windows.get(ScoreWindowsProcessor.key(generator, kind, windowStart));
    if (bytes == null) {
      LOG.debug("LENS for {}: window {} {} not written yet", generator, kind, windowStart);
      return;
    }
    WindowState state = WindowState.fromBytes(bytes, null);
    Reservoir reservoir = state.reservoir;
    List<TextItem> synthetic = new ArrayList<>();
    for (int slot = 0; slot < Math.min(reservoir.size(), link.syntheticExamples()); slot++) {
      synthetic.add(
          TextItem.newBuilder()
              .setSampleId(reservoir.sampleId(slot))
              .setText(reservoir.text(slot))
              .build());
    }
    if (synthetic.isEmpty()) {
      return;
    }
    ReferenceSnapshot ref = reference.get();
    List<TextItem> real = new ArrayList<>();
    for (int i = 0; i < Math.min(ref.size(), link.referenceExamples()); i++) {
      real.add(
          TextItem.newBuilder()
              .setSampleId(ref.sampleIds().get(i))
              .setText(ref.texts().get(i))
              .build());
    }
    long now = context.currentSystemTimeMs();
    String id =
        String.join(
            "/",
            generator,
            referenceVersion,
            kind.name(),
            Long.toString(windowStart),
            Long.toString(state.sampleCount),
            reason.name());
    LensRequest request =
        LensRequest.newBuilder()
            .setRequestId(id)
            .setGeneratorId(generator)
            .setReferenceVersion(referenceVersion)
            .setSyntheticExamples(synthetic)
            .setReferenceExamples(real)
            .setReason(reason)
            .setSamplesSeen(state.sampleCount)
            .setRequestedAt(Instant.ofEpochMilli(now))
            .build();
    context.forward(new Record<>(generator, request, timestamp));
    if (kind == viewKind) {
      cadence.put(
          generator, new Cadence(referenceVersion, windowStart, state.sampleCount, now).bytes());
    }
    LOG.info(
        "LENS requested for {} ({}, {} synthetic and {} real texts, {} samples seen)",
        generator,
        reason,
        synthetic.size(),
        real.size(),
        state.sampleCount);
  }

  /** The last request of a generator's LENS view. */
  private record Cadence(
      String referenceVersion, long windowStart, long sampleCount, long requestedAt) {

    byte[] bytes() {
      byte[] version = referenceVersion.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return ByteBuffer.allocate(4 + version.length + 24)
          .putInt(version.length)
          .put(version)
          .putLong(windowStart)
          .putLong(sampleCount)
          .putLong(requestedAt)
          .array();
    }

    static Cadence read(byte[] bytes) {
      if (bytes == null) {
        return null;
      }
      ByteBuffer b = ByteBuffer.wrap(bytes);
      byte[] version = new byte[b.getInt()];
      b.get(version);
      return new Cadence(
          new String(version, java.nio.charset.StandardCharsets.UTF_8),
          b.getLong(),
          b.getLong(),
          b.getLong());
    }
  }
}
