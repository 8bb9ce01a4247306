package dev.synque.monitor.stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
    return n;
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
      }
    }
    return n;
  }
}
