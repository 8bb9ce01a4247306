package dev.synque.monitor.demo;

import java.time.Duration;
import java.util.List;

/**
 * How {@code synque demo} runs. Immutable; validated in the constructor.
 *
 * @param port port of the web page (and its {@code /api/*} JSON), 0 for any free port
 * @param queryPort port of the monitor's interactive queries ({@code /ranking}, ...), 0 for any
 * @param rate samples per second per generator, above 0
 * @param window length of the tumbling windows whose scores drive the drift alerts, above 0
 * @param everySamples emit a window's scores after this many new samples, at least 1
 * @param minSamples generators with fewer samples are listed but not ranked, at least 1
 * @param referenceSize headlines in the reference set, at least 2
 * @param seed seed of the generated texts
 * @param proxies proxies computed, in report order (known to {@code QualityProxies})
 * @param llmBaseUrl OpenAI-compatible endpoint for LENS, or null when none is configured
 * @param metricsPort port of the monitor's Prometheus {@code /metrics} and {@code /health}, 0 for
 *     any free port, -1 for none
 */
public record DemoSettings(
    int port,
    int queryPort,
    double rate,
    Duration window,
    int everySamples,
    int minSamples,
    int referenceSize,
    long seed,
    List<String> proxies,
    String llmBaseUrl,
    int metricsPort) {

  /** Default page port. */
  public static final int DEFAULT_PORT = 8080;

  /** Default port of the monitor's metrics, the same as {@code synque run}'s. */
  public static final int DEFAULT_METRICS_PORT = 9404;

  /** Default samples per second per generator: ranked within seconds, drift within a minute. */
  public static final double DEFAULT_RATE = 10;

  /** Default window: 60 samples per generator at the default rate. */
  public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(6);

  public DemoSettings {
    if (port < 0 || port > 65535 || queryPort < 0 || queryPort > 65535) {
      throw new IllegalArgumentException("ports must be in 0..65535");
    }
    if (metricsPort < -1 || metricsPort > 65535) {
      throw new IllegalArgumentException(
          "--metrics-port must be -1 (off), 0 (any free port) or 1..65535, not " + metricsPort);
    }
    if (!(rate > 0)) {
      throw new IllegalArgumentException("--rate must be above 0, not " + rate);
    }
    if (window == null || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("--window-ms must be above 0");
    }
    if (everySamples < 1 || minSamples < 1) {
      throw new IllegalArgumentException("--every-samples and --min-samples must be at least 1");
    }
    if (referenceSize < 2) {
      throw new IllegalArgumentException("--reference-size must be at least 2");
    }
    proxies = List.copyOf(proxies);
  }

  /** Settings without a metrics endpoint. */
  public DemoSettings(
      int port,
      int queryPort,
      double rate,
      Duration window,
      int everySamples,
      int minSamples,
      int referenceSize,
      long seed,
      List<String> proxies,
      String llmBaseUrl) {
    this(
        port,
        queryPort,
        rate,
        window,
        everySamples,
        minSamples,
        referenceSize,
        seed,
        proxies,
        llmBaseUrl,
        -1);
  }

  /** The defaults: page on 8080, queries on 8081, metrics on 9404. */
  public static DemoSettings defaults() {
    return new DemoSettings(
        DEFAULT_PORT,
        DEFAULT_PORT + 1,
        DEFAULT_RATE,
        DEFAULT_WINDOW,
        40,
        30,
        200,
        7,
        List.of("mmd2_poly", "frechet"),
        null,
        DEFAULT_METRICS_PORT);
  }
}
