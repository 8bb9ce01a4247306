package dev.synque.monitor.core;

/** Which direction of a proxy's value means more useful synthetic data. */
public enum Orientation {
  /** A higher value means better synthetic data (MAUVE, LENS). */
  HIGHER_IS_BETTER,
  /** A lower value means better synthetic data (distances: MMD², PAD, Fréchet). */
  LOWER_IS_BETTER;

  /** Whether {@code a} is strictly better than {@code b} under this orientation. */
  public boolean isBetter(double a, double b) {
    return this == HIGHER_IS_BETTER ? a > b : a < b;
  }
}
