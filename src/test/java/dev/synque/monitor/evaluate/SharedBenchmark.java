package dev.synque.monitor.evaluate;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The SynQuE authors' sentiment benchmark, read by path (never copied into the project): system
 * property {@code synque.benchmark.dir}, else {@code ../shared/synque-benchmark} next to the
 * checkout. Tests that need it are skipped, saying why, where it is absent.
 */
final class SharedBenchmark {

  private SharedBenchmark() {}

  static Path sentimentAnalysis() {
    Path root =
        Path.of(System.getProperty("synque.benchmark.dir", "../shared/synque-benchmark"))
            .toAbsolutePath()
            .normalize();
    Path sentiment = root.resolve("sentiment_analysis");
    assumeTrue(
        Files.isDirectory(sentiment.resolve("synthetic_data")),
        "the SynQuE benchmark is not at "
            + sentiment
            + " (set -Dsynque.benchmark.dir to run this test)");
    return sentiment;
  }
}
