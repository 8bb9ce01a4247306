/**
 * Pure math and state of SynQuE: the quality proxies, running moments, reservoirs and the
 * incremental MMD. Knows nothing of Kafka, Avro, DJL or Micrometer (a test enforces it), takes and
 * returns arrays and small values, and is deterministic given its seeds.
 */
package dev.synque.monitor.core;
