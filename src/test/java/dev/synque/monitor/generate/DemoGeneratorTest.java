package dev.synque.monitor.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.synque.monitor.core.EmbeddingSet;
import dev.synque.monitor.core.Mmd2Polynomial;
import dev.synque.monitor.embed.DjlEmbedder;
import dev.synque.monitor.embed.EmbedderSettings;
import dev.synque.monitor.embed.EmbeddingBatch;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoGeneratorTest {

  private static List<String> texts(DemoGenerator g, long from, int count) {
    List<String> texts = new ArrayList<>();
    for (long i = from; i < from + count; i++) {
      texts.add(g.text(i, 7));
    }
    return texts;
  }

  private static DemoGenerator byId(String id) {
    return DemoGenerator.all().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow();
  }

  @Test
  void shouldBeAPureFunctionOfSeedAndIndex() {
    for (DemoGenerator g : DemoGenerator.all()) {
      assertThat(texts(g, 0, 50)).isEqualTo(texts(g, 0, 50));
      assertThat(g.text(3, 7)).isNotBlank();
    }
    assertThat(DemoGenerator.reference(100, 1)).isEqualTo(DemoGenerator.reference(100, 1));
  }

  @Test
  void shouldDifferInDiversityAsDescribed() {
    assertThat(new HashSet<>(texts(byId("faithful"), 0, 200))).hasSizeGreaterThan(150);
    assertThat(new HashSet<>(texts(byId("collapsed"), 0, 200))).hasSize(3);
    assertThat(new HashSet<>(texts(byId("drifting"), 0, 200))).hasSizeGreaterThan(150);
    assertThat(new HashSet<>(texts(byId("drifting"), 2000, 200))).hasSizeLessThan(120);
  }

  @Test
  void shouldRankAsDesignedUnderTheRealModel() {
    // Given the default model and the demo's reference sample,
    Map<String, Double> mmd = new LinkedHashMap<>();
    try (DjlEmbedder embedder = DjlEmbedder.open(EmbedderSettings.defaults())) {
      EmbeddingSet reference = embed(embedder, DemoGenerator.reference(200, 1));
      for (DemoGenerator g : DemoGenerator.all()) {
        mmd.put(
            g.id(),
            Mmd2Polynomial.synqueDefault().compute(embed(embedder, texts(g, 0, 200)), reference));
      }
      mmd.put(
          "drifting-late",
          Mmd2Polynomial.synqueDefault()
              .compute(embed(embedder, texts(byId("drifting"), 2000, 200)), reference));
    }
    // then the faithful generator is closest, the degraded ones further, and drift shows.
    assertThat(mmd.get("faithful"))
        .isLessThan(mmd.get("templated"))
        .isLessThan(mmd.get("collapsed"))
        .isLessThan(mmd.get("off-topic"));
    assertThat(mmd.get("drifting")).isLessThan(mmd.get("templated"));
    assertThat(mmd.get("drifting-late")).isGreaterThan(3 * mmd.get("drifting"));
  }

  private static EmbeddingSet embed(DjlEmbedder embedder, List<String> texts) {
    EmbeddingBatch batch = embedder.embed(texts);
    int d = batch.dimension();
    double[] data = new double[texts.size() * d];
    for (int i = 0; i < texts.size(); i++) {
      float[] v = batch.vector(i);
      for (int k = 0; k < d; k++) {
        data[i * d + k] = v[k];
      }
    }
    return EmbeddingSet.wrap("demo", texts.size(), d, data);
  }
}
