package dev.synque.monitor.evaluate;

/**
 * One proxy value of one (group, seed, dataset): a row of {@code scores.csv}.
 *
 * @param group group name
 * @param seed real-sample name
 * @param dataset synthetic dataset name
 * @param proxy proxy name
 * @param value the value; NaN when the proxy could not be computed for this cell
 */
public record ProxyScore(String group, String seed, String dataset, String proxy, double value) {}
