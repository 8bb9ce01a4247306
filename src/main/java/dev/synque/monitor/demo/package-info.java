/** {@code synque demo}: an in-process broker and registry, the monitor, demo traffic and a page. */
package dev.synque.monitor.demo;
