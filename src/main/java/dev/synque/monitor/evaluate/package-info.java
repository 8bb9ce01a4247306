/** Offline evaluation: the benchmark directory format, its importers, scoring and the report. */
package dev.synque.monitor.evaluate;
