/**
 * The streaming monitor: the Kafka Streams topology ({@link
 * dev.synque.monitor.stream.MonitorTopology}) that turns synthetic samples into quality scores,
 * rankings and drift alerts, its small processors and their store formats. Wiring only: the math is
 * in {@code core}.
 */
package dev.synque.monitor.stream;
