package dev.synque.monitor.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compares the proxies with values computed independently in numpy and scipy by {@code
 * src/test/python/make_kernel_fixtures.py}.
 *
 * <p>Tolerances: relative 1e-9 (absolute 1e-12 near 0) for both MMDs. For frechet the reference
 * uses {@code scipy.linalg.sqrtm}, which loses accuracy on singular products (rank-deficient
 * covariances, about sqrt(eps)); each fixture carries {@code frechet_rtol}, 100 times the
 * disagreement between sqrtm and a second independent route, and at least 1e-9.
 */
class KernelFixturesTest {

  private static final Path DIR = Path.of("src/test/resources/fixtures/kernels");
  private static final ObjectMapper JSON = new ObjectMapper();

  static Stream<Path> fixtures() throws IOException {
    return Files.list(DIR).filter(p -> p.toString().endsWith(".json")).sorted();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("fixtures")
  void shouldMatchNumpyAndScipy(Path file) throws IOException {
    // given
    JsonNode fixture = JSON.readTree(file.toFile());
    EmbeddingSet x =
        EmbeddingSet.of("synthetic", JSON.treeToValue(fixture.get("x"), double[][].class));
    EmbeddingSet r =
        EmbeddingSet.of("reference", JSON.treeToValue(fixture.get("r"), double[][].class));

    // when
    double poly = Mmd2Polynomial.synqueDefault().compute(x, r);
    double frechet = FrechetDistance.instance().compute(x, r);

    // then
    assertClose(poly, fixture.get("mmd2_poly").asDouble(), 1e-9);
    assertClose(frechet, fixture.get("frechet").asDouble(), fixture.get("frechet_rtol").asDouble());
    if (!fixture.get("mmd2_rbf").isNull()) {
      assertClose(
          Mmd2Rbf.medianHeuristic().compute(x, r), fixture.get("mmd2_rbf").asDouble(), 1e-9);
    }
  }

  private static void assertClose(double actual, double expected, double relative) {
    double tolerance = Math.max(1e-12, relative * Math.abs(expected));
    assertThat(actual)
        .isFinite()
        .isCloseTo(expected, org.assertj.core.data.Offset.offset(tolerance));
  }
}
