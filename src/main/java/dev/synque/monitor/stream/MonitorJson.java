package dev.synque.monitor.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.synque.monitor.avro.EvidenceSample;
import dev.synque.monitor.avro.NoiseFloorSummary;
import dev.synque.monitor.avro.ProxyInterval;
import dev.synque.monitor.avro.ProxyRank;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingEntry;
import dev.synque.monitor.avro.RankingUpdate;

/**
 * JSON views of scores and rankings for the HTTP queries: times in milliseconds since the epoch,
 * null values as JSON null. Thread-safe.
 */
public final class MonitorJson {

  /** Shared mapper (thread-safe once configured). */
  public static final ObjectMapper MAPPER = new ObjectMapper();

  private MonitorJson() {}

  /** One quality-scores record. */
  public static ObjectNode scores(QualityScores s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("generatorId", s.getGeneratorId());
    n.put("windowKind", s.getWindowKind().name());
    n.put("windowStart", s.getWindowStart().toEpochMilli());
    n.put("windowEnd", s.getWindowEnd().toEpochMilli());
    n.put("referenceVersion", s.getReferenceVersion());
    n.put("modelId", s.getModelId());
    n.put("sampleCount", s.getSampleCount());
    n.put("reservoirSize", s.getReservoirSize());
    n.put("referenceCount", s.getReferenceCount());
    n.put("trigger", s.getTrigger().name());
    n.put("computedAt", s.getComputedAt().toEpochMilli());
    ArrayNode scores = n.putArray("scores");
    for (ProxyScore p : s.getScores()) {
      ObjectNode o = scores.addObject();
      o.put("proxy", p.getProxy());
      o.put("value", p.getValue());
      o.put("higherIsBetter", p.getHigherIsBetter());
      o.put("status", p.getStatus().name());
      o.put("detail", p.getDetail());
    }
    if (s.getIntervals() != null) {
      ArrayNode intervals = n.putArray("intervals");
      for (ProxyInterval i : s.getIntervals()) {
        intervals
            .addObject()
            .put("proxy", i.getProxy())
            .put("method", i.getMethod())
            .put("level", i.getLevel())
            .put("standardError", i.getStandardError())
            .put("low", i.getLow())
            .put("high", i.getHigh());
      }
    }
    return n;
  }

  /**
   * The evidence behind one generator's scores: its {@code mmd2_poly} value and interval, the least
   * real-looking synthetic samples, the least covered reference samples (with ids, texts and
   * witness values, lowest first) and the reference's noise floors. {@code leastReal} and {@code
   * underCovered} are empty arrays when no evidence was computed (mmd2_poly not configured or fewer
   * than two samples).
   */
  public static ObjectNode evidence(QualityScores s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("generatorId", s.getGeneratorId());
    n.put("windowKind", s.getWindowKind().name());
    n.put("windowStart", s.getWindowStart().toEpochMilli());
    n.put("windowEnd", s.getWindowEnd().toEpochMilli());
    n.put("referenceVersion", s.getReferenceVersion());
    n.put("sampleCount", s.getSampleCount());
    n.put("reservoirSize", s.getReservoirSize());
    n.put("referenceCount", s.getReferenceCount());
    ObjectNode scores = scores(s);
    n.set(
        "intervals", scores.has("intervals") ? scores.get("intervals") : MAPPER.createArrayNode());
    ArrayNode leastReal = n.putArray("leastReal");
    ArrayNode underCovered = n.putArray("underCovered");
    if (s.getEvidence() != null) {
      s.getEvidence().getLeastReal().forEach(e -> sample(leastReal.addObject(), e));
      s.getEvidence().getUnderCovered().forEach(e -> sample(underCovered.addObject(), e));
    }
    floors(n, s.getNoiseFloors());
    return n;
  }

  private static void sample(ObjectNode o, EvidenceSample e) {
    o.put("sampleId", e.getSampleId()).put("text", e.getText()).put("value", e.getValue());
  }

  private static void floors(ObjectNode n, java.util.List<NoiseFloorSummary> floors) {
    ArrayNode out = n.putArray("noiseFloors");
    if (floors != null) {
      for (NoiseFloorSummary f : floors) {
        out.addObject()
            .put("proxy", f.getProxy())
            .put("repeats", f.getRepeats())
            .put("seed", f.getSeed())
            .put("mean", f.getMean())
            .put("sd", f.getSd())
            .put("p95", f.getP95());
      }
    }
  }

  /** One ranking update. */
  public static ObjectNode ranking(RankingUpdate r) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("referenceVersion", r.getReferenceVersion());
    n.put("windowKind", r.getWindowKind().name());
    n.put("combinationRule", r.getCombinationRule());
    n.put("minSamples", r.getMinSamples());
    n.put("leader", r.getLeader());
    n.put("cause", r.getCause());
    n.put("computedAt", r.getComputedAt().toEpochMilli());
    ArrayNode entries = n.putArray("entries");
    for (RankingEntry e : r.getEntries()) {
      ObjectNode o = entries.addObject();
      o.put("generatorId", e.getGeneratorId());
      o.put("rank", e.getRank());
      o.put("combinedScore", e.getCombinedScore());
      o.put("eligible", e.getEligible());
      o.put("ineligibleReason", e.getIneligibleReason());
      o.put("sampleCount", e.getSampleCount());
      ArrayNode proxies = o.putArray("proxies");
      for (ProxyRank p : e.getProxies()) {
        ObjectNode q = proxies.addObject();
        q.put("proxy", p.getProxy());
        q.put("value", p.getValue());
        q.put("higherIsBetter", p.getHigherIsBetter());
        q.put("rank", p.getRank());
        q.put("low", p.getLow());
        q.put("high", p.getHigh());
        q.put("tier", p.getTier());
        q.put("beatsNext", p.getBeatsNext());
      }
    }
    n.put("tierLevel", r.getTierLevel());
    n.put("tierProxy", r.getTierLevel() == null ? null : RankingTiers.TIER_PROXY);
    floors(n, r.getNoiseFloors());
    return n;
  }
}
