package dev.synque.monitor.stream;

import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.IncrementalMmd2;
import dev.synque.monitor.core.PolynomialKernel;
import dev.synque.monitor.core.Reservoir;
import dev.synque.monitor.core.RunningMoments;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Everything kept for one generator and one window: running moments of every sample, a reservoir of
 * at most {@code k} samples (with texts, for LENS) and the incremental MMD² of the reservoir
 * against the reference. One value in {@value MonitorTopology#WINDOW_STATE_STORE}, serialised with
 * the core states' own {@code toBytes}; its size does not grow with the number of samples.
 *
 * <p>Mutable, owned by one stream task.
 */
final class WindowState {

  /** Version 2: MMD sums without vectors, lengths as ints (version 1 was never released). */
  static final byte FORMAT_VERSION = 2;

  final WindowKind kind;
  final long start;
  final long end;
  final String modelId;

  /** The reference version the MMD state follows; null until a reference exists. */
  String referenceVersion;

  long sampleCount;
  long samplesSinceEmit;
  long minEventTime = Long.MAX_VALUE;
  long maxEventTime = Long.MIN_VALUE;
  final RunningMoments moments;
  final Reservoir reservoir;

  /** Null while {@link #referenceVersion} is null. */
  IncrementalMmd2 mmd;

  WindowState(
      WindowKind kind,
      long start,
      long end,
      String modelId,
      int dimension,
      int capacity,
      long seed) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.start = start;
    this.end = end;
    this.modelId = Objects.requireNonNull(modelId, "modelId");
    this.moments = new RunningMoments(dimension);
    this.reservoir = new Reservoir(capacity, dimension, seed);
  }

  private WindowState(
      WindowKind kind,
      long start,
      long end,
      String modelId,
      RunningMoments moments,
      Reservoir reservoir) {
    this.kind = kind;
    this.start = start;
    this.end = end;
    this.modelId = modelId;
    this.moments = moments;
    this.reservoir = reservoir;
  }

  /** Follows a reference from now on: the MMD state is rebuilt exactly from the reservoir. */
  void attach(ReferenceSnapshot reference) {
    referenceVersion = reference.version();
    mmd =
        IncrementalMmd2.of(
            reservoir,
            reference.embeddings(),
            PolynomialKernel.synqueDefault(reference.embeddings().dimension()),
            reservoir.capacity());
  }

  /**
   * Whether the MMD state compares with exactly {@code reference}'s vectors: false while detached,
   * and for a state attached to an earlier content of the same version.
   */
  boolean follows(ReferenceSnapshot reference) {
    return mmd != null && mmd.reference() == reference.embeddings();
  }

  /** Adds one sample: moments, reservoir, MMD. */
  void add(String sampleId, float[] vector, String text, long eventTime) {
    double[] x = new double[vector.length];
    for (int i = 0; i < x.length; i++) {
      x[i] = vector[i];
    }
    moments.add(x);
    Reservoir.Update update = reservoir.offer(sampleId, vector, text);
    if (mmd != null) {
      mmd.apply(update, reservoir);
    }
    sampleCount++;
    samplesSinceEmit++;
    minEventTime = Math.min(minEventTime, eventTime);
    maxEventTime = Math.max(maxEventTime, eventTime);
  }

  /** The window's start as reported: for the all-time view the first sample's event time. */
  long reportedStart() {
    return kind == WindowKind.ALL_TIME ? minEventTime : start;
  }

  /** The window's exclusive end as reported: for the all-time view the latest event time + 1. */
  long reportedEnd() {
    return kind == WindowKind.ALL_TIME ? maxEventTime + 1 : end;
  }

  /**
   * Layout: version byte, kind, start, end, model id, reference version (or empty with a flag),
   * counts and event-time range, then length-prefixed moments, reservoir and MMD bytes (MMD length
   * −1 when absent). The MMD block holds only the kernel sums ({@link
   * IncrementalMmd2#sumsToBytes()}): its vectors are the reservoir's, stored once. Written in one
   * buffer of the exact size, because this runs once per micro-batch on megabytes.
   */
  byte[] toBytes() {
    byte[] m = moments.toBytes();
    byte[] r = reservoir.toBytes();
    byte[] d = mmd == null ? null : mmd.sumsToBytes();
    byte[] model = modelId.getBytes(StandardCharsets.UTF_8);
    byte[] ref =
        (referenceVersion == null ? "" : referenceVersion).getBytes(StandardCharsets.UTF_8);
    ByteBuffer out =
        ByteBuffer.allocate(
            2
                + 16
                + 4
                + model.length
                + 1
                + 4
                + ref.length
                + 32
                + 12
                + m.length
                + r.length
                + (d == null ? 0 : d.length));
    out.put(FORMAT_VERSION);
    out.put((byte) kind.ordinal());
    out.putLong(start);
    out.putLong(end);
    out.putInt(model.length).put(model);
    out.put((byte) (referenceVersion != null ? 1 : 0));
    out.putInt(ref.length).put(ref);
    out.putLong(sampleCount);
    out.putLong(samplesSinceEmit);
    out.putLong(minEventTime);
    out.putLong(maxEventTime);
    out.putInt(m.length).put(m);
    out.putInt(r.length).put(r);
    out.putInt(d == null ? -1 : d.length);
    if (d != null) {
      out.put(d);
    }
    return out.array();
  }

  /**
   * Reads {@link #toBytes()}. The MMD state is restored only when it follows {@code reference}; a
   * state that followed another reference version comes back detached ({@link #referenceVersion}
   * kept, {@link #mmd} null) so the caller can see it is stale. So does a state built against an
   * earlier content of the same version (a version published record by record while samples flow,
   * or one sample edited): the caller re-attaches it, rebuilding the MMD sums exactly from the
   * reservoir, so a window is never compared with a half-seen set for longer than until its
   * reference is next read.
   *
   * @param reference the current reference, or null when there is none
   */
  static WindowState fromBytes(byte[] bytes, ReferenceSnapshot reference) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes);
      byte version = in.get();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException(
            "window state bytes: format version "
                + version
                + " is not supported (expected "
                + FORMAT_VERSION
                + ")");
      }
      int kindOrdinal = in.get();
      if (kindOrdinal < 0 || kindOrdinal >= WindowKind.values().length) {
        throw new IllegalArgumentException(
            "window state bytes: unknown window kind " + kindOrdinal);
      }
      WindowKind kind = WindowKind.values()[kindOrdinal];
      long start = in.getLong();
      long end = in.getLong();
      String modelId = new String(readBlock(in), StandardCharsets.UTF_8);
      boolean hasReference = in.get() != 0;
      String referenceVersion = new String(readBlock(in), StandardCharsets.UTF_8);
      long count = in.getLong();
      long sinceEmit = in.getLong();
      long min = in.getLong();
      long max = in.getLong();
      RunningMoments moments = RunningMoments.fromBytes(readBlock(in));
      Reservoir reservoir = Reservoir.fromBytes(readBlock(in));
      byte[] mmdBytes = readBlock(in);
      if (in.hasRemaining()) {
        throw new IllegalArgumentException(
            "window state bytes: " + in.remaining() + " trailing bytes");
      }
      WindowState state = new WindowState(kind, start, end, modelId, moments, reservoir);
      state.referenceVersion = hasReference ? referenceVersion : null;
      state.sampleCount = count;
      state.samplesSinceEmit = sinceEmit;
      state.minEventTime = min;
      state.maxEventTime = max;
      if (mmdBytes != null
          && reference != null
          && reference.version().equals(state.referenceVersion)
          && IncrementalMmd2.builtAgainst(mmdBytes, reference.embeddings())) {
        state.mmd = IncrementalMmd2.fromSumBytes(mmdBytes, reference.embeddings(), state.reservoir);
      }
      return state;
    } catch (BufferUnderflowException e) {
      throw new IllegalArgumentException("window state bytes are truncated", e);
    }
  }

  /** A length-prefixed block; null for length −1. */
  private static byte[] readBlock(ByteBuffer in) {
    int n = in.getInt();
    if (n < -1 || n > in.remaining()) {
      throw new IllegalArgumentException(
          "window state bytes: block length " + n + " with " + in.remaining() + " bytes left");
    }
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.get(b);
    return b;
  }
}
