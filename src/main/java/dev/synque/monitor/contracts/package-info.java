/**
 * The records the system exchanges (generated from {@code schemas/}) and the topics they travel on.
 */
package dev.synque.monitor.contracts;
