package dev.synque.monitor.stream;

import dev.synque.monitor.avro.Evidence;
import dev.synque.monitor.avro.EvidenceSample;
import dev.synque.monitor.avro.MmdPairing;
import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyInterval;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.core.MmdUncertainty;
import dev.synque.monitor.core.MmdWitness;
import dev.synque.monitor.core.NoiseFloor;
import dev.synque.monitor.core.PolynomialKernel;
import dev.synque.monitor.core.QualityProxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Adds to a window's scores what a reader needs to trust them: the {@code mmd2_poly} interval, the
 * data to compare it paired with other generators at ranking time, per-sample evidence and the
 * noise floors of the reference version.
 *
 * <p><b>Interval ({@code mmd2_poly} only).</b> The first-order (delta-method) standard error of the
 * MMD² V-statistic ({@link MmdUncertainty}), centred on the incremental value. The witness at each
 * reservoir sample (realness) comes from the per-slot sums the incremental state keeps anyway
 * ({@link dev.synque.monitor.core.IncrementalMmd2#realness()}, {@code O(k)}); the coverage of the
 * reference samples takes one pass over reservoir × reference ({@code O(k |R| d)}), and the
 * reference's own row sums are computed once per reference. Other proxies get no live interval: a
 * bootstrap would multiply their cost (already the largest part of a scoring) by its repeats.
 *
 * <p><b>Evidence.</b> The {@value #EVIDENCE_ITEMS} reservoir samples with the lowest realness (the
 * least real-looking) and the {@value #EVIDENCE_ITEMS} reference samples with the lowest coverage
 * (the least covered), texts cut to {@value #TEXT_BYTES} UTF-8 bytes; ties by position, so the
 * output is a function of the state.
 *
 * <p><b>Noise floors.</b> For each configured proxy among {@link #FLOOR_PROXIES}, {@link
 * NoiseFloor} over {@value #FLOOR_REPEATS} random halves of the reference, seeded from the
 * reference version (every instance and every replay gets the same numbers), computed once per
 * reference content and kept for it. The costlier proxies (mauve, pad, vendi) have their floors in
 * {@code synque evaluate}.
 *
 * <p>Owned by one stream task (not thread-safe).
 */
final class WindowEvidence {

  /** The interval's two-sided level, and the tiers' level at ranking time. */
  static final double LEVEL = 0.95;

  /** Least real-looking and least covered samples kept per window. */
  static final int EVIDENCE_ITEMS = 5;

  /** The longest evidence text, in UTF-8 bytes. */
  static final int TEXT_BYTES = 280;

  /** Random half splits per noise floor. */
  static final int FLOOR_REPEATS = NoiseFloor.DEFAULT_REPEATS;

  /** Proxies whose noise floor is computed live (cheap on halves of the reference). */
  static final Set<String> FLOOR_PROXIES = Set.of("mmd2_poly", "mmd2_rbf", "frechet", "mdm");

  static final String METHOD = "delta-method";

  private final List<QualityProxy> proxies;

  private EmbeddingSet rowSumsOf;
  private double[] rowSums;
  private EmbeddingSet floorsOf;
  private List<NoiseFloorSummary> floors;

  WindowEvidence(List<QualityProxy> proxies) {
    this.proxies = List.copyOf(proxies);
  }

  /** {@code scores} with intervals, pairing, evidence and floors added where they can be. */
  QualityScores annotate(QualityScores scores, WindowState state, ReferenceSnapshot reference) {
    QualityScores.Builder out = QualityScores.newBuilder(scores);
    List<NoiseFloorSummary> f = floors(reference);
    out.setNoiseFloors(f.isEmpty() ? null : f);
    ProxyScore mmd =
        scores.getScores().stream()
            .filter(p -> p.getProxy().equals(Mmd2Polynomial.NAME))
            .filter(p -> p.getStatus() == ProxyStatus.OK && p.getValue() != null)
            .findFirst()
            .orElse(null);
    if (mmd == null || state.mmd == null || state.reservoir.size() < 2) {
      return out.build();
    }
    EmbeddingSet x = state.reservoir.toEmbeddingSet("reservoir");
    EmbeddingSet r = reference.embeddings();
    PolynomialKernel kernel = PolynomialKernel.synqueDefault(r.dimension());
    MmdWitness witness =
        MmdWitness.fromRealness(state.mmd.realness(), x, r, kernel, referenceRowSums(r, kernel));
    MmdUncertainty u = MmdUncertainty.of(witness, mmd.getValue());
    double[] bounds = u.interval(LEVEL);
    out.setIntervals(
        List.of(
            ProxyInterval.newBuilder()
                .setProxy(Mmd2Polynomial.NAME)
                .setMethod(METHOD)
                .setLevel(LEVEL)
                .setStandardError(u.standardError())
                .setLow(bounds[0])
                .setHigh(bounds[1])
                .build()));
    double[] coverage = witness.coverage();
    List<Float> carried = new ArrayList<>(coverage.length);
    for (double c : coverage) {
      carried.add((float) c);
    }
    out.setMmdPairing(
        MmdPairing.newBuilder()
            .setSyntheticCount(u.syntheticCount())
            .setRealnessVariance(u.realnessVariance())
            .setCoverage(carried)
            .build());
    double[] realness = witness.realness();
    List<EvidenceSample> leastReal = new ArrayList<>();
    for (int i : lowest(realness)) {
      leastReal.add(sample(state.reservoir.sampleId(i), state.reservoir.text(i), realness[i]));
    }
    List<EvidenceSample> underCovered = new ArrayList<>();
    for (int j : lowest(coverage)) {
      underCovered.add(sample(reference.sampleIds().get(j), reference.texts().get(j), coverage[j]));
    }
    out.setEvidence(
        Evidence.newBuilder().setLeastReal(leastReal).setUnderCovered(underCovered).build());
    return out.build();
  }

  private double[] referenceRowSums(EmbeddingSet r, PolynomialKernel kernel) {
    if (rowSumsOf != r) {
      rowSums = MmdWitness.referenceRowSums(r, kernel);
      rowSumsOf = r;
    }
    return rowSums;
  }

  /** The floors of {@code reference}, computed on first use of its content. */
  List<NoiseFloorSummary> floors(ReferenceSnapshot reference) {
    EmbeddingSet r = reference.embeddings();
    if (floorsOf != r) {
      List<NoiseFloorSummary> out = new ArrayList<>();
      long seed = seed(reference.version());
      if (r.size() >= 4) {
        for (QualityProxy proxy : proxies) {
          if (FLOOR_PROXIES.contains(proxy.name()) && proxy.usesReference()) {
            NoiseFloor floor;
            try {
              floor = NoiseFloor.of(proxy, r, FLOOR_REPEATS, seed);
            } catch (IllegalArgumentException e) {
              continue; // halves too small for this proxy: no floor, as no score for a window
            }
            if (Double.isFinite(floor.mean()) && Double.isFinite(floor.p95())) {
              out.add(
                  NoiseFloorSummary.newBuilder()
                      .setProxy(proxy.name())
                      .setRepeats(FLOOR_REPEATS)
                      .setSeed(seed)
                      .setMean(floor.mean())
                      .setSd(floor.sd())
                      .setP95(floor.p95())
                      .build());
            }
          }
        }
      }
      floors = List.copyOf(out);
      floorsOf = r;
    }
    return floors;
  }

  /** A seed from the reference version alone (name-based UUID: stable across JVMs). */
  static long seed(String referenceVersion) {
    return UUID.nameUUIDFromBytes(
            ("noise-floor/" + referenceVersion).getBytes(StandardCharsets.UTF_8))
        .getMostSignificantBits();
  }

  /** Indices of the {@link #EVIDENCE_ITEMS} lowest values, lowest first, ties by index. */
  static int[] lowest(double[] values) {
    Integer[] idx = new Integer[values.length];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    Arrays.sort(idx, Comparator.<Integer>comparingDouble(i -> values[i]).thenComparingInt(i -> i));
    int k = Math.min(EVIDENCE_ITEMS, idx.length);
    int[] out = new int[k];
    for (int i = 0; i < k; i++) {
      out[i] = idx[i];
    }
    return out;
  }

  private static EvidenceSample sample(String id, String text, double value) {
    return EvidenceSample.newBuilder()
        .setSampleId(id)
        .setText(cut(text == null ? "" : text, TEXT_BYTES))
        .setValue(value)
        .build();
  }

  /**
   * {@code text} cut to at most {@code maxBytes} UTF-8 bytes at a code point, "…" marking a cut.
   */
  static String cut(String text, int maxBytes) {
    if (text.getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
      return text;
    }
    int budget = maxBytes - 3; // the ellipsis is 3 bytes
    StringBuilder b = new StringBuilder();
    int used = 0;
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      int len = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
      if (used + len > budget) {
        break;
      }
      b.appendCodePoint(cp);
      used += len;
      i += Character.charCount(cp);
    }
    return b.append('…').toString();
  }
}
