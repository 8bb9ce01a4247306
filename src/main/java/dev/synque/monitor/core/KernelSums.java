package dev.synque.monitor.core;

/**
 * The three sums behind a kernel MMD between a synthetic set X and a reference set R, kept apart so
 * that an incremental MMD can update each one as vectors arrive and leave.
 *
 * @param xx {@code sum over i, i' of k(x_i, x_i')}, every ordered pair including {@code i = i'}
 * @param rr {@code sum over j, j' of k(r_j, r_j')}, every ordered pair including {@code j = j'}
 * @param xr {@code sum over i, j of k(x_i, r_j)}
 * @param sizeX {@code |X|}, at least 1
 * @param sizeR {@code |R|}, at least 1
 */
public record KernelSums(double xx, double rr, double xr, long sizeX, long sizeR) {

  public KernelSums {
    if (sizeX < 1 || sizeR < 1) {
      throw new IllegalArgumentException(
          "kernel sums need at least one vector in each set, got |X| = "
              + sizeX
              + " and |R| = "
              + sizeR);
    }
  }

  /** {@code xx / |X|^2}: the mean kernel value within X. */
  public double meanXx() {
    return xx / ((double) sizeX * sizeX);
  }

  /** {@code rr / |R|^2}: the mean kernel value within R. */
  public double meanRr() {
    return rr / ((double) sizeR * sizeR);
  }

  /** {@code xr / (|X| |R|)}: the mean kernel value between X and R. */
  public double meanXr() {
    return xr / ((double) sizeX * sizeR);
  }

  /** The biased (V-statistic) MMD²: {@code meanXx + meanRr - 2 meanXr}. */
  public double biasedMmd2() {
    return meanXx() + meanRr() - 2 * meanXr();
  }
}
