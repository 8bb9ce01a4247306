package dev.synque.monitor.core;

import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * The Vendi score (Friedman and Dieng 2023) of the synthetic set alone, with the cosine kernel: the
 * effective number of distinct samples.
 *
 * <p><b>Formula.</b> {@code K_ij = <x_i, x_j> / (|x_i| |x_j|)}; with {@code lambda_1..n} the
 * eigenvalues of {@code K / n}, {@code Vendi = exp(-sum_i lambda_i log lambda_i)}, taking {@code 0
 * log 0 = 0}. Computed from the {@code d x d} matrix {@code U^T U / n} of the unit-normalised rows
 * {@code U} when {@code d < n}, else from {@code U U^T / n}: both have the same non-zero
 * eigenvalues. Eigenvalues below zero by rounding are set to 0. Cost {@code O(n d min(n, d) +
 * min(n, d)^3)}.
 *
 * <p><b>Sign.</b> {@link Orientation#HIGHER_IS_BETTER}: more diverse. Range {@code [1, min(n, d)]}:
 * 1 when all vectors point the same way, {@code n} when they are mutually orthogonal.
 *
 * <p><b>Edge cases.</b> The reference set is ignored (not even its dimension is checked). A single
 * vector scores 1. A zero vector has no direction, so it throws {@link IllegalArgumentException}
 * naming it. Invariant under permutation and positive rescaling of the vectors. Immutable and
 * thread-safe.
 */
public final class VendiScore implements QualityProxy {

  @Override
  public String name() {
    return "vendi";
  }

  /** False: a property of the synthetic set alone. */
  @Override
  public boolean usesReference() {
    return false;
  }

  @Override
  public Orientation orientation() {
    return Orientation.HIGHER_IS_BETTER;
  }

  @Override
  public double compute(EmbeddingSet synthetic, EmbeddingSet reference) {
    return of(synthetic);
  }

  /** The Vendi score of one set. */
  public static double of(EmbeddingSet set) {
    int n = set.size();
    int d = set.dimension();
    DMatrixRMaj unit = new DMatrixRMaj(n, d);
    for (int i = 0; i < n; i++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += set.get(i, j) * set.get(i, j);
      }
      norm = Math.sqrt(norm);
      if (norm == 0) {
        throw new IllegalArgumentException(
            "vendi: synthetic embedding "
                + i
                + " is the zero vector, which has no direction for the cosine kernel");
      }
      for (int j = 0; j < d; j++) {
        unit.unsafe_set(i, j, set.get(i, j) / norm);
      }
    }
    int m = Math.min(n, d);
    DMatrixRMaj gram = new DMatrixRMaj(m, m);
    if (d < n) {
      CommonOps_DDRM.multTransA(unit, unit, gram);
    } else {
      CommonOps_DDRM.multTransB(unit, unit, gram);
    }
    CommonOps_DDRM.scale(1.0 / n, gram);
    return Math.exp(entropy(symmetricEigenvalues(gram)));
  }

  /** {@code -sum lambda log lambda} over the positive eigenvalues. */
  static double entropy(double[] eigenvalues) {
    double h = 0;
    for (double lambda : eigenvalues) {
      if (lambda > 0) {
        h -= lambda * Math.log(lambda);
      }
    }
    return h;
  }

  /** Eigenvalues of a symmetric matrix (EJML symmetric QR), in no particular order. */
  static double[] symmetricEigenvalues(DMatrixRMaj symmetric) {
    int m = symmetric.numRows;
    EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(m, false, true);
    if (!eig.decompose(symmetric.copy())) {
      throw new IllegalStateException("vendi: the symmetric eigendecomposition did not converge");
    }
    double[] values = new double[m];
    for (int i = 0; i < m; i++) {
      values[i] = Math.max(0.0, eig.getEigenvalue(i).getReal());
    }
    return values;
  }
}
