/** Generators: procedural demo generators, file and benchmark replay, and their Kafka producers. */
package dev.synque.monitor.generate;
