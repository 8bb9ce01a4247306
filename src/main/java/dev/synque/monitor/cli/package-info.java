/**
 * The command line, and the composition root: the only place that creates clients, thread pools,
 * models and registries from configuration.
 */
package dev.synque.monitor.cli;
