package dev.synque.monitor.core;

/**
 * A SynQuE proxy that compares synthetic embeddings with a real reference set (or, for diversity
 * proxies, looks at the synthetic set alone). Implementations are immutable and thread-safe; each
 * documents its formula, orientation, defaults and edge cases.
 */
public interface QualityProxy {

  /** The proxy's name, lower snake case, as used in records, metrics and configuration. */
  String name();

  /** Whether higher values mean better synthetic data. */
  Orientation orientation();

  /**
   * Computes the proxy.
   *
   * @param synthetic the synthetic set X
   * @param reference the real reference set R (ignored by proxies of X alone)
   * @return a finite value
   * @throws IllegalArgumentException when the dimensions differ or a set is too small for the
   *     proxy, naming the rule
   */
  double compute(EmbeddingSet synthetic, EmbeddingSet reference);

  /**
   * Whether the value depends on the reference set. Diversity proxies look at X alone and answer
   * false, so a caller may compute them once per synthetic set however many references it has.
   */
  default boolean usesReference() {
    return true;
  }
}
