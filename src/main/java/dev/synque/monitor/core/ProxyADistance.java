package dev.synque.monitor.core;

import java.util.SplittableRandom;

/**
 * Proxy A-distance (PAD, Ben-David et al.): how well a classifier tells synthetic from real
 * embeddings. Two variants share this class: {@code pad} (the SynQuE authors' version) and {@code
 * pad_balanced} (class-balanced, for {@code |X| >> |R|}).
 *
 * <p><b>Formula.</b> Label every synthetic vector 0 and every reference vector 1, in the order
 * {@code [X; R]}. Shuffle the {@code N = |X| + |R|} indices with a seeded {@link SplittableRandom}
 * (Fisher-Yates) and hold out the first {@code ceil(0.2 N)} (scikit-learn's {@code test_size=0.2}
 * rounding; the permutation is not numpy's {@code RandomState(42)}). Fit {@link
 * L2LogisticRegression} with {@code C = 1} on the rest (scikit-learn's {@code LogisticRegression()}
 * optimum, found exactly). With {@code p} the predicted probability of class 1 on a held-out vector
 * of label {@code y}:
 *
 * <ul>
 *   <li>{@code pad}: {@code eps = mean |p - y|} over the held-out part, unweighted fit;
 *   <li>{@code pad_balanced}: the fit weighs each sample by {@code n_train / (2 n_class)}
 *       (scikit-learn's {@code class_weight='balanced'}, counted on the training part), and {@code
 *       eps = (mean_{y=0} p + mean_{y=1} (1 - p)) / 2}, the mean of the per-class mean errors on
 *       the held-out part, so that a classifier that ignores the minority class cannot look good.
 * </ul>
 *
 * {@code PAD = 2 (1 - 2 eps)}.
 *
 * <p><b>Sign.</b> {@link Orientation#LOWER_IS_BETTER}: 0 means the classifier does no better than
 * chance (indistinguishable sets), 2 means perfect separation. The range is {@code [-2, 2]}; a
 * negative value means the held-out error is worse than chance (eps above 0.5), which happens only
 * by sampling noise or overfitting on small sets and should be read as "indistinguishable".
 *
 * <p><b>Edge cases.</b> Throws {@link IllegalArgumentException} when the dimensions differ or the
 * training part lacks a class (for example {@code |X| = |R| = 1}). When the held-out part lacks a
 * class, {@code pad} is still computed over what is there (as the authors' code does) while {@code
 * pad_balanced} throws, because its error is undefined. Immutable and thread-safe.
 */
public final class ProxyADistance implements QualityProxy {

  /** Default seed of the split (the authors use {@code random_state=42}). */
  public static final long DEFAULT_SEED = 42L;

  /** Fraction of samples held out. */
  public static final double TEST_FRACTION = 0.2;

  private final boolean balanced;
  private final long seed;
  private final double c;

  private ProxyADistance(boolean balanced, long seed, double c) {
    if (!(c > 0) || !Double.isFinite(c)) {
      throw new IllegalArgumentException("PAD: C = " + c + " must be a positive finite number");
    }
    this.balanced = balanced;
    this.seed = seed;
    this.c = c;
  }

  /** The authors' PAD: unweighted fit and error, seed 42, {@code C = 1}. */
  public static ProxyADistance authors() {
    return new ProxyADistance(false, DEFAULT_SEED, 1.0);
  }

  /** The class-balanced PAD, seed 42, {@code C = 1}. */
  public static ProxyADistance balanced() {
    return new ProxyADistance(true, DEFAULT_SEED, 1.0);
  }

  /** A PAD with an explicit variant, split seed and inverse regularisation {@code c > 0}. */
  public static ProxyADistance of(boolean balanced, long seed, double c) {
    return new ProxyADistance(balanced, seed, c);
  }

  @Override
  public String name() {
    return balanced ? "pad_balanced" : "pad";
  }

  @Override
  public Orientation orientation() {
    return Orientation.LOWER_IS_BETTER;
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    int total = synthetic.size() + reference.size();
    return computeWithHeldOut(synthetic, reference, heldOutIndices(total, seed));
  }

  /**
   * The held-out indices into {@code [X; R]} of the seeded split: the first {@code ceil(0.2 N)} of
   * a Fisher-Yates shuffle of {@code 0..N-1} driven by {@code new SplittableRandom(seed)}.
   */
  public static int[] heldOutIndices(int total, long seed) {
    int[] order = new int[total];
    for (int i = 0; i < total; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = total - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    int test = (int) Math.ceil(TEST_FRACTION * total - 1e-9);
    int[] heldOut = new int[test];
    System.arraycopy(order, 0, heldOut, 0, test);
    return heldOut;
  }

  /**
   * PAD with an explicit held-out part (distinct indices into {@code [X; R]}); the rest trains.
   * Used by {@link #compute} and by tests that reproduce a given split.
   */
  public double computeWithHeldOut(EmbeddingSet synthetic, EmbeddingSet reference, int[] heldOut) {
    EmbeddingSet.requireSameDimension(synthetic, reference);
    int nx = synthetic.size();
    int total = nx + reference.size();
    boolean[] isTest = new boolean[total];
    for (int index : heldOut) {
      if (index < 0 || index >= total || isTest[index]) {
        throw new IllegalArgumentException(
            "PAD: held-out index " + index + " is out of range 0.." + (total - 1) + " or repeated");
      }
      isTest[index] = true;
    }
    int trainSize = total - heldOut.length;
    double[][] trainX = new double[trainSize][];
    int[] trainY = new int[trainSize];
    int t = 0;
    int trainOnes = 0;
    for (int i = 0; i < total; i++) {
      if (!isTest[i]) {
        trainX[t] = vector(synthetic, reference, i);
        trainY[t] = i < nx ? 0 : 1;
        trainOnes += trainY[t];
        t++;
      }
    }
    if (trainOnes == 0 || trainOnes == trainSize) {
      throw new IllegalArgumentException(
          String.format(
              "PAD: the training part (%d of %d synthetic + reference vectors) holds only %s"
                  + " vectors; both sets need more vectors (at least a few each)",
              trainSize, total, trainOnes == 0 ? "synthetic" : "reference"));
    }
    double[] weights = null;
    if (balanced) {
      weights = new double[trainSize];
      for (int i = 0; i < trainSize; i++) {
        int classCount = trainY[i] == 1 ? trainOnes : trainSize - trainOnes;
        weights[i] = trainSize / (2.0 * classCount);
      }
    }
    L2LogisticRegression model = L2LogisticRegression.fit(trainX, trainY, weights, c);
    double[] errorSum = new double[2];
    int[] count = new int[2];
    for (int index : heldOut) {
      int y = index < nx ? 0 : 1;
      double p = model.predictProbability(vector(synthetic, reference, index));
      errorSum[y] += Math.abs(p - y);
      count[y]++;
    }
    double eps;
    if (balanced) {
      if (count[0] == 0 || count[1] == 0) {
        throw new IllegalArgumentException(
            String.format(
                "PAD balanced: the held-out part has %d synthetic and %d reference vectors; the"
                    + " class-balanced error needs both",
                count[0], count[1]));
      }
      eps = (errorSum[0] / count[0] + errorSum[1] / count[1]) / 2;
    } else {
      if (heldOut.length == 0) {
        throw new IllegalArgumentException("PAD: the held-out part is empty");
      }
      eps = (errorSum[0] + errorSum[1]) / heldOut.length;
    }
    return 2 * (1 - 2 * eps);
  }

  private static double[] vector(EmbeddingSet synthetic, EmbeddingSet reference, int index) {
    int nx = synthetic.size();
    return index < nx ? synthetic.row(index) : reference.row(index - nx);
  }
}
