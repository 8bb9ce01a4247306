package dev.synque.monitor.stream;

import dev.synque.monitor.avro.LensResult;
import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.ProxyStatus;
import dev.synque.monitor.avro.QualityScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the latest {@link LensResult} of a generator into the {@code lens} entry of its scores.
 * Higher is better (the debiased LENS score, in [0, 1]).
 *
 * <ul>
 *   <li>{@code OK}: the score, status {@code OK}.
 *   <li>{@code STALE} (the worker's budget is spent): the last OK score it repeats, status {@code
 *       STALE}, its reason as detail; ranked like an OK value, since it is a real LLM judgement,
 *       only older. Without a score, no value.
 *   <li>{@code UNAVAILABLE} (endpoint down, rubric unparseable, ...): no value, status {@code
 *       UNAVAILABLE}, the worker's reason as detail.
 *   <li>No result yet for the scores' reference version: no value, {@code INSUFFICIENT_DATA}.
 * </ul>
 *
 * A result for another reference version is never mixed in.
 */
final class LensScores {

  private LensScores() {}

  static ProxyScore of(LensResult result, String referenceVersion) {
    ProxyScore.Builder score =
        ProxyScore.newBuilder().setProxy(LensLink.PROXY).setHigherIsBetter(true).setValue(null);
    if (result == null || !result.getReferenceVersion().equals(referenceVersion)) {
      return score
          .setStatus(ProxyStatus.INSUFFICIENT_DATA)
          .setDetail("no LENS result for reference version " + referenceVersion + " yet")
          .build();
    }
    return switch (result.getStatus()) {
      case OK ->
          score.setValue(result.getScore()).setStatus(ProxyStatus.OK).setDetail(null).build();
      case STALE ->
          score
              .setValue(result.getScore())
              .setStatus(ProxyStatus.STALE)
              .setDetail(result.getReason())
              .build();
      case UNAVAILABLE ->
          score.setStatus(ProxyStatus.UNAVAILABLE).setDetail(result.getReason()).build();
    };
  }

  /** The scores with their {@code lens} entry replaced (or appended). */
  static QualityScores with(QualityScores scores, ProxyScore lens) {
    List<ProxyScore> list = new ArrayList<>();
    for (ProxyScore p : scores.getScores()) {
      if (!p.getProxy().equals(LensLink.PROXY)) {
        list.add(p);
      }
    }
    list.add(lens);
    return QualityScores.newBuilder(scores).setScores(list).build();
  }
}
