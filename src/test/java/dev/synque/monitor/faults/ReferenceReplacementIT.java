package dev.synque.monitor.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.synque.monitor.avro.ProxyScore;
import dev.synque.monitor.avro.QualityScores;
import dev.synque.monitor.avro.RankingUpdate;
import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.FrechetDistance;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.stream.FakeEmbedder;
import dev.synque.monitor.stream.MonitorApplication;
import dev.synque.monitor.testkit.ApicurioRegistry;
import dev.synque.monitor.testkit.EmbeddedKafkaCluster;
import dev.synque.monitor.testkit.MonitorScenario;
import dev.synque.monitor.testkit.SharedInfrastructure;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The reference set is replaced while samples flow: comparisons restart on the new version and
 * nothing of the old one is mixed in. Every score after the switch carries the new version, its
 * sample count starts again from 1, its values equal a batch computation over the samples since the
 * switch against the new reference alone, and no ranking of the old version follows one of the new.
 */
@ExtendWith(SharedInfrastructure.class)
class ReferenceReplacementIT {

  private static final int BEFORE = 30;
  private static final int AFTER = 20;

  private static EmbeddedKafkaCluster kafka;
  private static ApicurioRegistry registry;

  @BeforeAll
  static void infrastructure() {
    kafka = SharedInfrastructure.kafka();
    registry = SharedInfrastructure.registry();
  }

  @Test
  void shouldRestartComparisonsOnTheNewVersionWithoutMixingTheOldOne() {
    FakeEmbedder embedder = new FakeEmbedder(8);
    try (MonitorScenario s = MonitorScenario.on(kafka, registry.confluentCompatUrl())) {
      s.createTopics();
      s.publishReference();
      MonitorApplication app = s.startMonitor("one", embedder);
      s.publishSamples(0, BEFORE);
      assertThat(s.awaitRanking(BEFORE).getLeader()).isEqualTo("gen-a");

      // v2 is what gen-c writes from now on: gen-c must lead, at distance 0, against v2 alone.
      List<String> v2 =
          IntStream.range(BEFORE, BEFORE + AFTER)
              .mapToObj(i -> MonitorScenario.text("gen-c", i))
              .toList();
      s.publishReference("v2", 2_000, AFTER, v2::get);
      s.awaitReferenceStored(app);
      s.publishSamples(BEFORE, BEFORE + AFTER);
      RankingUpdate last = s.awaitRanking(AFTER);
      s.awaitInputConsumed();

      assertThat(last.getReferenceVersion()).isEqualTo("v2");
      assertThat(last.getLeader()).isEqualTo("gen-c");
      List<QualityScores> scores = s.scores().readToEnd();
      for (String g : MonitorScenario.GENERATORS) {
        List<QualityScores> mine =
            scores.stream().filter(q -> q.getGeneratorId().equals(g)).toList();
        assertThat(mine)
            .as("%s: v1 counts 1..%d, then v2 counts from 1 again", g, BEFORE)
            .extracting(q -> q.getReferenceVersion() + "#" + q.getSampleCount())
            .containsExactlyElementsOf(expectedVersions());
        QualityScores finalScores = mine.get(mine.size() - 1);
        assertThat(finalScores.getReferenceCount()).isEqualTo(AFTER);
        EmbeddingSet x =
            EmbeddingSet.of(
                "x",
                IntStream.range(BEFORE, BEFORE + AFTER)
                    .mapToObj(i -> embedder.vector(MonitorScenario.text(g, i)))
                    .toArray(float[][]::new));
        EmbeddingSet r =
            EmbeddingSet.of("r", v2.stream().map(embedder::vector).toArray(float[][]::new));
        double mmd = Mmd2Polynomial.synqueDefault().compute(x, r);
        double frechet = FrechetDistance.instance().compute(x, r);
        assertThat(value(finalScores, "mmd2_poly"))
            .as("%s mmd2_poly: the samples since the switch against v2 only", g)
            .isCloseTo(mmd, within(1e-9 + Math.abs(mmd) * 1e-6));
        assertThat(value(finalScores, "frechet"))
            .as("%s frechet: the samples since the switch against v2 only", g)
            .isCloseTo(frechet, within(1e-9 + Math.abs(frechet) * 1e-6));
      }
      List<RankingUpdate> rankings = s.rankings().readToEnd();
      int firstV2 =
          IntStream.range(0, rankings.size())
              .filter(i -> rankings.get(i).getReferenceVersion().equals("v2"))
              .findFirst()
              .orElseThrow();
      assertThat(rankings.subList(firstV2, rankings.size()))
          .as("no ranking of the old version after the first of the new")
          .allMatch(u -> u.getReferenceVersion().equals("v2"));
      assertThat(s.deadLetters().readToEnd()).isEmpty();
    }
  }

  /** v1#1 .. v1#BEFORE, then v2#1 .. v2#AFTER. */
  private static List<String> expectedVersions() {
    return java.util.stream.Stream.concat(
            IntStream.rangeClosed(1, BEFORE).mapToObj(i -> "v1#" + i),
            IntStream.rangeClosed(1, AFTER).mapToObj(i -> "v2#" + i))
        .toList();
  }

  private static double value(QualityScores scores, String proxy) {
    return scores.getScores().stream()
        .filter(p -> p.getProxy().equals(proxy))
        .map(ProxyScore::getValue)
        .findFirst()
        .orElseThrow();
  }
}
