package dev.synque.monitor.core;

/**
 * The polynomial kernel {@code k(x, y) = (gamma <x, y> + coef0)^degree}, as in scikit-learn's
 * {@code polynomial_kernel}.
 *
 * @param degree the exponent, at least 1 (SynQuE: 3)
 * @param gamma the scale of the inner product, positive (SynQuE: 1 / d)
 * @param coef0 the offset (SynQuE: 1)
 */
public record PolynomialKernel(int degree, double gamma, double coef0) {

  public PolynomialKernel {
    if (degree < 1) {
      throw new IllegalArgumentException(
          "polynomial kernel degree " + degree + " must be at least 1");
    }
    if (!(gamma > 0) || !Double.isFinite(gamma)) {
      throw new IllegalArgumentException(
          "polynomial kernel gamma " + gamma + " must be a positive number");
    }
    if (!Double.isFinite(coef0)) {
      throw new IllegalArgumentException("polynomial kernel coef0 " + coef0 + " must be finite");
    }
  }

  /** SynQuE's default for dimension {@code d}: degree 3, gamma {@code 1/d}, coef0 1. */
  public static PolynomialKernel synqueDefault(int dimension) {
    return new PolynomialKernel(3, 1.0 / dimension, 1.0);
  }

  /** The kernel value for a given inner product {@code <x, y>}. */
  public double ofDot(double dot) {
    double base = gamma * dot + coef0;
    return switch (degree) {
      case 1 -> base;
      case 2 -> base * base;
      case 3 -> base * base * base;
      default -> Math.pow(base, degree);
    };
  }

  /** The kernel value of two vectors of equal length. */
  public double apply(double[] x, double[] y) {
    double dot = 0;
    for (int j = 0; j < x.length; j++) {
      dot += x[j] * y[j];
    }
    return ofDot(dot);
  }
}
