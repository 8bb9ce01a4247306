/**
 * Interactive queries over HTTP: the current ranking, a generator's latest scores and history,
 * served from the local state stores and forwarded to the instance that owns a key.
 */
package dev.synque.monitor.query;
