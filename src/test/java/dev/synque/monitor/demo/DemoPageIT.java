package dev.synque.monitor.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo end to end, as a user sees it: {@link LiveDemo} (in-process broker and registry, the
 * monitor with the real embedder, the procedural generators) with short windows, its page opened in
 * headless Chromium: the leaderboard ranks every demo generator, every generator's chart is drawn,
 * the drifting generator's alert is on the page, and so are the tiers, intervals, noise floor and,
 * for the generator opened ({@code #evidence=<id>}, what a click on its row sets), its evidence.
 * The screenshot stays as {@code target/demo-screenshot.png}. Skipped where Chromium is not
 * installed.
 */
class DemoPageIT {

  private static final List<String> GENERATORS =
      List.of("faithful", "templated", "collapsed", "off-topic", "drifting");

  @TempDir Path tmp;

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
  void shouldShowTheRankedGeneratorsTheirChartsAndTheDriftAlert() throws Exception {
    String chromium = chromium();
    assumeTrue(
        chromium != null, "headless Chromium is not installed (Debian: apt install chromium)");
    DemoSettings fast =
        new DemoSettings(
            0, 0, 10, Duration.ofSeconds(4), 20, 20, 200, 7, List.of("mmd2_poly", "frechet"), null);
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    try (LiveDemo demo =
        LiveDemo.start(fast, new PrintStream(console, true, StandardCharsets.UTF_8))) {
      await("a drift alert")
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> demo.firstDriftAlertMillis() >= 0);
      // Two more windows, so that every chart has a few points after the alert.
      Thread.sleep(8_000);

      // the page opened with the evidence of one generator (as a click on its row does)
      String page = demo.pageUrl() + "#evidence=faithful";
      String dom = dumpDom(chromium, page);
      for (String g : GENERATORS) {
        // every ranked row shows its mmd2_poly tier (the row's attributes gained the tier)
        assertThat(dom)
            .as("leaderboard row of %s with its tier", g)
            .containsPattern(
                "<tr data-generator=\""
                    + Pattern.quote(g)
                    + "\" data-rank=\"[1-5]\" data-tier=\"[1-5]\"");
        Matcher chart =
            Pattern.compile(
                    "<div class=\"chart\" data-generator=\""
                        + Pattern.quote(g)
                        + "\" data-points=\"(\\d+)\">.*?(?=<div class=\"chart\"|</section>)",
                    Pattern.DOTALL)
                .matcher(dom);
        assertThat(chart.find()).as("chart of %s", g).isTrue();
        assertThat(Integer.parseInt(chart.group(1)))
            .as("windows charted for %s", g)
            .isGreaterThan(2);
        assertThat(chart.group()).as("lines of %s", g).contains("<polyline");
      }
      assertThat(dom)
          .as("the drift alert")
          .containsPattern("<li class=\"QUALITY_DEGRADED\" data-generator=\"drifting\">");
      assertThat(dom).as("drift badge").contains("class=\"badge drift\"");
      assertThat(dom)
          .as("tier badges")
          .containsPattern("<span class=\"tier-badge t[1-6]\">T[1-5]</span>");
      assertThat(dom).as("P(beats next)").containsPattern(">P (0|1)\\.\\d\\d</span>");
      assertThat(dom)
          .as("an interval under the mmd2_poly values")
          .containsPattern(
              "<small class=\"interval\" title=\"95% interval\">\\[[-0-9.e]+, [-0-9.e]+\\]</small>");
      assertThat(dom)
          .as("the noise floor")
          .containsPattern(
              "<span class=\"floor\" data-proxy=\"mmd2_poly\" title=\"[^\"]*\">mmd2_poly [-0-9.e]+</span>");
      assertThat(dom)
          .as("the evidence of the generator opened")
          .contains("<div id=\"evidence\" data-generator=\"faithful\">")
          .containsPattern("<li class=\"least-real\" data-sample=\"[^\"]+\">")
          .containsPattern("<li class=\"under-covered\" data-sample=\"[^\"]+\">");

      Path png = Path.of("target", "demo-screenshot.png").toAbsolutePath();
      Files.createDirectories(png.getParent());
      Files.deleteIfExists(png);
      run(
          chromium,
          List.of(
              "--window-size=1400,1900",
              "--hide-scrollbars",
              "--virtual-time-budget=6000",
              "--screenshot=" + png,
              page),
          tmp.resolve("screenshot.log"));
      assertThat(png).exists();
      BufferedImage image = ImageIO.read(png.toFile());
      int alertRed = 0;
      int lineBlue = 0;
      int tierGreen = 0;
      for (int y = 0; y < image.getHeight(); y++) {
        for (int x = 0; x < image.getWidth(); x++) {
          int rgb = image.getRGB(x, y) & 0xFFFFFF;
          int r = (rgb >> 16) & 0xFF;
          int gr = (rgb >> 8) & 0xFF;
          int b = rgb & 0xFF;
          if (r > 180 && gr < 80 && b < 40) {
            alertRed++; // #c4320a: the alert's border and the drift badge
          }
          if (r < 40 && gr > 110 && gr < 150 && b > 75 && b < 110) {
            tierGreen++; // #12805c: the tier-1 badges
          }
          if (b > 200 && r < 90 && gr > 70 && gr < 120) {
            lineBlue++; // #2f5bea: the first proxy's lines
          }
        }
      }
      assertThat(alertRed).as("red of the drift alert").isGreaterThan(30);
      assertThat(lineBlue).as("blue of the chart lines").isGreaterThan(300);
      assertThat(tierGreen).as("green of the tier-1 badges").isGreaterThan(30);
    }
    assertThat(console.toString(StandardCharsets.UTF_8))
        .contains("page        http://localhost:")
        .contains("LENS        off")
        .contains("ALERT QUALITY_DEGRADED drifting");
  }

  private String dumpDom(String chromium, String url) throws Exception {
    Path dom = tmp.resolve("dom.html");
    run(chromium, List.of("--virtual-time-budget=6000", "--dump-dom", url), dom);
    return Files.readString(dom);
  }

  private static void run(String chromium, List<String> args, Path output) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu"));
    command.addAll(args);
    Process p =
        new ProcessBuilder(command)
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .redirectOutput(output.toFile())
            .start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("chromium finished").isTrue();
  }
}
