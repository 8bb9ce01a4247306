/**
 * Metrics: Micrometer binders for generator quality, the pipeline and LENS, served for Prometheus.
 */
package dev.synque.monitor.metrics;
