package dev.synque.monitor.core;

import java.util.Arrays;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.LinearSolverFactory_DDRM;
import org.ejml.interfaces.linsol.LinearSolverDense;

/**
 * Binary logistic regression with an L2 penalty on the coefficients (not on the intercept), fitted
 * to the exact optimum, like scikit-learn's {@code LogisticRegression(C=c)} with its default lbfgs
 * solver run to convergence.
 *
 * <p>Objective, for features {@code x_i}, labels {@code y_i in {0, 1}} and sample weights {@code
 * s_i}: {@code f(w, b) = c * sum_i s_i [log(1 + exp(z_i)) - y_i z_i] + ||w||^2 / 2} with {@code z_i
 * = <w, x_i> + b}. It is strictly convex, so Newton's method (IRLS) with a backtracking line search
 * finds its unique minimum: each step solves the {@code (d+1) x (d+1)} Hessian system by Cholesky
 * (EJML), falling back to a pseudo-inverse if the Hessian is numerically singular. Fitting stops
 * when the Euclidean norm of the gradient is below {@value #GRADIENT_TOLERANCE}, when no step
 * decreases the objective any more (the floating-point floor: near the optimum up to 5 full Newton
 * steps are taken that keep the objective within its rounding), or after {@value #MAX_ITERATIONS}
 * Newton steps. Cost per step: {@code O(n d^2 + d^3)}.
 *
 * <p>Immutable and thread-safe once fitted.
 */
public final class L2LogisticRegression {

  /** Gradient norm at which fitting stops. */
  public static final double GRADIENT_TOLERANCE = 1e-10;

  /** Most Newton steps taken. */
  public static final int MAX_ITERATIONS = 200;

  private static final int MAX_STALLS = 5;

  private final double[] coefficients;
  private final double intercept;
  private final int iterations;
  private final double gradientNorm;

  private L2LogisticRegression(
      double[] coefficients, double intercept, int iterations, double gradientNorm) {
    this.coefficients = coefficients;
    this.intercept = intercept;
    this.iterations = iterations;
    this.gradientNorm = gradientNorm;
  }

  /**
   * Fits the model.
   *
   * @param features {@code n} rows of equal length {@code d >= 1}, finite
   * @param labels {@code n} labels, each 0 or 1; both classes must occur
   * @param sampleWeights {@code n} positive finite weights, or null for all ones
   * @param c the inverse regularisation strength, positive (scikit-learn's {@code C}; default 1)
   * @throws IllegalArgumentException for empty or ragged input, a label other than 0 or 1, a single
   *     class, a non-positive weight or a non-positive {@code c}
   */
  public static L2LogisticRegression fit(
      double[][] features, int[] labels, double[] sampleWeights, double c) {
    int n = validate(features, labels, sampleWeights, c);
    int d = features[0].length;
    int p = d + 1;
    double[] weights = sampleWeights == null ? filled(n, 1.0) : sampleWeights.clone();
    double[] theta = new double[p];
    double[] z = new double[n];
    DMatrixRMaj design = new DMatrixRMaj(n, p);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < d; j++) {
        design.unsafe_set(i, j, features[i][j]);
      }
      design.unsafe_set(i, d, 1.0);
    }
    // sqrt(curvature)-scaled design, transposed (p x n row-major): the Hessian XᵀWX is then the
    // matrix of inner products of its rows, computed on the SIMD tile kernels.
    double[] scaledT = new double[p * n];
    DMatrixRMaj hessian = new DMatrixRMaj(p, p);
    DMatrixRMaj gradient = new DMatrixRMaj(p, 1);
    DMatrixRMaj step = new DMatrixRMaj(p, 1);
    double objective = objective(design, labels, weights, c, theta, z);
    double gradNorm = Double.POSITIVE_INFINITY;
    int stalls = 0;
    int iteration = 0;
    for (; iteration < MAX_ITERATIONS; iteration++) {
      // Gradient and Hessian at theta (z holds the current linear predictor).
      Arrays.fill(gradient.data, 0.0);
      for (int i = 0; i < n; i++) {
        double prob = sigmoid(z[i]);
        double residual = c * weights[i] * (prob - labels[i]);
        double curvature = Math.sqrt(c * weights[i] * prob * (1 - prob));
        for (int j = 0; j < p; j++) {
          double xij = design.unsafe_get(i, j);
          gradient.data[j] += residual * xij;
          scaledT[j * n + i] = curvature * xij;
        }
      }
      for (int j = 0; j < d; j++) {
        gradient.data[j] += theta[j];
      }
      gradNorm = Math.sqrt(CommonOps_DDRM.dot(gradient, gradient));
      if (gradNorm < GRADIENT_TOLERANCE) {
        break;
      }
      System.arraycopy(
          PairwiseBlocks.products(scaledT, p, scaledT, p, n, true), 0, hessian.data, 0, p * p);
      for (int j = 0; j < d; j++) {
        hessian.unsafe_set(j, j, hessian.unsafe_get(j, j) + 1.0);
      }
      solve(hessian, gradient, step);
      // Backtracking line search on the objective (Armijo, factor 1e-4).
      double slope = CommonOps_DDRM.dot(gradient, step);
      double t = 1.0;
      double[] candidate = new double[p];
      double[] candidateZ = new double[n];
      boolean improved = false;
      for (int halvings = 0; halvings < 60; halvings++) {
        for (int j = 0; j < p; j++) {
          candidate[j] = theta[j] - t * step.data[j];
        }
        double value = objective(design, labels, weights, c, candidate, candidateZ);
        // Near the optimum the decrease (about |g|^2) drops below the rounding of the objective,
        // so a full Newton step is also taken when the objective stays within rounding; at most
        // MAX_STALLS such steps, since Newton converges quadratically there.
        boolean decreases = value <= objective - 1e-4 * t * slope && value < objective;
        boolean withinRounding =
            t == 1.0 && stalls < MAX_STALLS && value <= objective + 1e-12 * Math.abs(objective);
        if (decreases || withinRounding) {
          if (!decreases) {
            stalls++;
          }
          theta = candidate.clone();
          System.arraycopy(candidateZ, 0, z, 0, n);
          objective = value;
          improved = true;
          break;
        }
        t /= 2;
      }
      if (!improved) {
        break;
      }
    }
    return new L2LogisticRegression(Arrays.copyOf(theta, d), theta[d], iteration, gradNorm);
  }

  private static void solve(DMatrixRMaj hessian, DMatrixRMaj gradient, DMatrixRMaj step) {
    LinearSolverDense<DMatrixRMaj> cholesky = LinearSolverFactory_DDRM.chol(hessian.numRows);
    if (cholesky.setA(hessian.copy())) {
      cholesky.solve(gradient, step);
      if (allFinite(step.data)) {
        return;
      }
    }
    LinearSolverDense<DMatrixRMaj> pinv = LinearSolverFactory_DDRM.pseudoInverse(true);
    pinv.setA(hessian.copy());
    pinv.solve(gradient, step);
  }

  private static double objective(
      DMatrixRMaj design, int[] labels, double[] weights, double c, double[] theta, double[] z) {
    int n = design.numRows;
    int p = design.numCols;
    double loss = 0;
    for (int i = 0; i < n; i++) {
      double zi = 0;
      for (int j = 0; j < p; j++) {
        zi += design.unsafe_get(i, j) * theta[j];
      }
      z[i] = zi;
      loss += weights[i] * (softplus(zi) - labels[i] * zi);
    }
    double penalty = 0;
    for (int j = 0; j < p - 1; j++) {
      penalty += theta[j] * theta[j];
    }
    return c * loss + penalty / 2;
  }

  /** {@code log(1 + exp(z))} without overflow. */
  static double softplus(double z) {
    return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  }

  /** {@code 1 / (1 + exp(-z))} without overflow. */
  static double sigmoid(double z) {
    if (z >= 0) {
      return 1 / (1 + Math.exp(-z));
    }
    double e = Math.exp(z);
    return e / (1 + e);
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) {
        return false;
      }
    }
    return true;
  }

  private static double[] filled(int n, double value) {
    double[] a = new double[n];
    Arrays.fill(a, value);
    return a;
  }

  private static int validate(double[][] features, int[] labels, double[] sampleWeights, double c) {
    if (!(c > 0) || !Double.isFinite(c)) {
      throw new IllegalArgumentException(
          "logistic regression: C = " + c + " must be a positive finite number");
    }
    if (features == null || features.length == 0) {
      throw new IllegalArgumentException("logistic regression: no training samples");
    }
    int n = features.length;
    if (labels == null || labels.length != n) {
      throw new IllegalArgumentException(
          String.format(
              "logistic regression: %d samples but %d labels",
              n, labels == null ? 0 : labels.length));
    }
    if (sampleWeights != null && sampleWeights.length != n) {
      throw new IllegalArgumentException(
          String.format(
              "logistic regression: %d samples but %d sample weights", n, sampleWeights.length));
    }
    int d = features[0] == null ? 0 : features[0].length;
    if (d == 0) {
      throw new IllegalArgumentException("logistic regression: features have dimension 0");
    }
    int ones = 0;
    for (int i = 0; i < n; i++) {
      if (features[i] == null || features[i].length != d) {
        throw new IllegalArgumentException(
            String.format(
                "logistic regression: sample %d has %d features, expected %d",
                i, features[i] == null ? 0 : features[i].length, d));
      }
      for (double v : features[i]) {
        if (!Double.isFinite(v)) {
          throw new IllegalArgumentException(
              "logistic regression: sample " + i + " has a non-finite feature " + v);
        }
      }
      if (labels[i] != 0 && labels[i] != 1) {
        throw new IllegalArgumentException(
            "logistic regression: label " + labels[i] + " of sample " + i + " is not 0 or 1");
      }
      if (sampleWeights != null && !(sampleWeights[i] > 0 && Double.isFinite(sampleWeights[i]))) {
        throw new IllegalArgumentException(
            "logistic regression: sample weight "
                + sampleWeights[i]
                + " of sample "
                + i
                + " must be positive and finite");
      }
      ones += labels[i];
    }
    if (ones == 0 || ones == n) {
      throw new IllegalArgumentException(
          "logistic regression: the training samples all have label "
              + labels[0]
              + "; both classes 0 and 1 are required");
    }
    return n;
  }

  /** The probability of class 1 for one feature vector of dimension {@code d}. */
  public double predictProbability(double[] x) {
    if (x.length != coefficients.length) {
      throw new IllegalArgumentException(
          String.format(
              "logistic regression: vector of dimension %d, model of dimension %d",
              x.length, coefficients.length));
    }
    double z = intercept;
    for (int j = 0; j < x.length; j++) {
      z += coefficients[j] * x[j];
    }
    return sigmoid(z);
  }

  /** A copy of the fitted coefficients {@code w}. */
  public double[] coefficients() {
    return coefficients.clone();
  }

  /** The fitted intercept {@code b} (not penalised). */
  public double intercept() {
    return intercept;
  }

  /** The number of Newton steps taken. */
  public int iterations() {
    return iterations;
  }

  /** The Euclidean norm of the objective's gradient at the last evaluated point. */
  public double gradientNorm() {
    return gradientNorm;
  }
}
