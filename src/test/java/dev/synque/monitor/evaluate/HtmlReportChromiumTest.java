package dev.synque.monitor.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.synque.monitor.core.QualityProxies;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens a generated report in headless Chromium and looks at the screenshot: the page must render
 * (not blank) and the scatter plots must draw dots in the seed colours. The screenshot is kept as
 * {@code target/report-screenshot.png}. Skipped, saying why, where Chromium is not installed.
 */
class HtmlReportChromiumTest {

  @TempDir Path root;
  @TempDir Path out;

  static String chromium() {
    for (String candidate :
        List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return null;
  }

  @Test
  void shouldRenderTheSummaryAndDrawTheScatterPlots() throws Exception {
    String chromium = chromium();
    assumeTrue(
        chromium != null, "headless Chromium is not installed (Debian: apt install chromium)");
    new EvaluationTest().writeBenchmarkInto(root);
    Benchmark benchmark = Benchmark.open(root);
    Evaluation.Result result =
        Evaluation.run(
            benchmark, QualityProxies.all(), new EvaluationTest.HashEmbeddings(), Progress.NONE);
    List<SummaryRow> summary =
        EvaluationSummary.summarise(benchmark, result.scores(), result.orientations(), 100);
    Path html = out.resolve("report.html");
    HtmlReport.write(
        html,
        new HtmlReport.Header("chromium check", Map.of()),
        benchmark,
        result.scores(),
        summary);

    Path png = Path.of("target", "report-screenshot.png").toAbsolutePath();
    Files.createDirectories(png.getParent());
    Files.deleteIfExists(png);
    Process p =
        new ProcessBuilder(
                chromium,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--hide-scrollbars",
                "--window-size=1280,1400",
                "--screenshot=" + png,
                html.toUri().toString())
            .redirectErrorStream(true)
            .redirectOutput(out.resolve("chromium.log").toFile())
            .start();
    assertThat(p.waitFor(90, TimeUnit.SECONDS)).as("chromium finished").isTrue();
    assertThat(png).exists();

    BufferedImage image = ImageIO.read(new File(png.toString()));
    int seedBlue = 0;
    int nonWhite = 0;
    for (int y = 0; y < image.getHeight(); y += 2) {
      for (int x = 0; x < image.getWidth(); x += 2) {
        int rgb = image.getRGB(x, y) & 0xFFFFFF;
        if (rgb != 0xFFFFFF) {
          nonWhite++;
        }
        int r = (rgb >> 16) & 0xFF;
        int g = (rgb >> 8) & 0xFF;
        int b = rgb & 0xFF;
        // the first seed's colour #1f77b4 (blended with the background at 75% opacity)
        if (b > 150 && r < 110 && g > 100 && g < 170) {
          seedBlue++;
        }
      }
    }
    assertThat(nonWhite).as("rendered content").isGreaterThan(20_000);
    assertThat(seedBlue).as("dots of the first seed").isGreaterThan(40);
  }
}
