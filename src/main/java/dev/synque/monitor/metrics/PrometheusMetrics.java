package dev.synque.monitor.metrics;

import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A Prometheus registry with the JVM binders (memory, GC, threads, class loading, CPU, uptime)
 * bound, tagged {@code application=<application.id>}. Owns the registry and the GC binder; close it
 * to unregister them.
 */
public final class PrometheusMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final JvmGcMetrics gc = new JvmGcMetrics();

  /**
   * @param application value of the common {@code application} tag
   */
  public PrometheusMetrics(String application) {
    registry.config().commonTags("application", application);
    for (MeterBinder binder :
        new MeterBinder[] {
          new JvmMemoryMetrics(),
          gc,
          new JvmThreadMetrics(),
          new ClassLoaderMetrics(),
          new ProcessorMetrics(),
          new UptimeMetrics()
        }) {
      binder.bindTo(registry);
    }
  }

  /** The registry (owned by this object). */
  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Binds {@code binder} and returns it. */
  public <T extends MeterBinder> T bind(T binder) {
    binder.bindTo(registry);
    return binder;
  }

  /** The scrape in Prometheus' text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
