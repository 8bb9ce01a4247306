package dev.synque.monitor.stream;

import dev.synque.monitor.avro.WindowKind;
import dev.synque.monitor.core.IncrementalMmd2;
import dev.synque.monitor.core.PolynomialKernel;
import dev.synque.monitor.core.Reservoir;
import dev.synque.monitor.core.RunningMoments;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  static final byte FORMAT_VERSION = 1;

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
   * −1 when absent).
   */
  byte[] toBytes() {
    try {
      byte[] m = moments.toBytes();
      byte[] r = reservoir.toBytes();
      byte[] d = mmd == null ? null : mmd.toBytes();
      ByteArrayOutputStream bytes =
          new ByteArrayOutputStream(64 + m.length + r.length + (d == null ? 0 : d.length));
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeByte(FORMAT_VERSION);
      out.writeByte(kind.ordinal());
      out.writeLong(start);
      out.writeLong(end);
      out.writeUTF(modelId);
      out.writeBoolean(referenceVersion != null);
      out.writeUTF(referenceVersion == null ? "" : referenceVersion);
      out.writeLong(sampleCount);
      out.writeLong(samplesSinceEmit);
      out.writeLong(minEventTime);
      out.writeLong(maxEventTime);
      out.writeInt(m.length);
      out.write(m);
      out.writeInt(r.length);
      out.write(r);
      out.writeInt(d == null ? -1 : d.length);
      if (d != null) {
        out.write(d);
      }
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Reads {@link #toBytes()}. The MMD state is restored only when it follows {@code reference}; a
   * state that followed another reference version comes back detached ({@link #referenceVersion}
   * kept, {@link #mmd} null) so the caller can see it is stale.
   *
   * @param reference the current reference, or null when there is none
   */
  static WindowState fromBytes(byte[] bytes, ReferenceSnapshot reference) {
    try {
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
      byte version = in.readByte();
      if (version != FORMAT_VERSION) {
        throw new IllegalArgumentException("window state bytes: unknown format version " + version);
      }
      WindowKind kind = WindowKind.values()[in.readByte()];
      long start = in.readLong();
      long end = in.readLong();
      String modelId = in.readUTF();
      boolean hasReference = in.readBoolean();
      String referenceVersion = in.readUTF();
      long count = in.readLong();
      long sinceEmit = in.readLong();
      long min = in.readLong();
      long max = in.readLong();
      RunningMoments moments = RunningMoments.fromBytes(readBlock(in));
      Reservoir reservoir = Reservoir.fromBytes(readBlock(in));
      byte[] mmdBytes = readBlock(in);
      WindowState state = new WindowState(kind, start, end, modelId, moments, reservoir);
      state.referenceVersion = hasReference ? referenceVersion : null;
      state.sampleCount = count;
      state.samplesSinceEmit = sinceEmit;
      state.minEventTime = min;
      state.maxEventTime = max;
      if (mmdBytes != null
          && reference != null
          && reference.version().equals(state.referenceVersion)) {
        state.mmd = IncrementalMmd2.fromBytes(mmdBytes, reference.embeddings());
      }
      return state;
    } catch (IOException e) {
      throw new IllegalArgumentException("window state bytes are truncated: " + e, e);
    }
  }

  private static byte[] readBlock(DataInputStream in) throws IOException {
    int n = in.readInt();
    if (n < 0) {
      return null;
    }
    byte[] b = new byte[n];
    in.readFully(b);
    return b;
  }
}
