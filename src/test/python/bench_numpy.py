#!/usr/bin/env python3
"""Times the kernel proxies in numpy/scipy (float64) on the shapes of KernelProxiesBenchmark.

A reference point for the JMH numbers, not a test. The BLAS thread count is set to 2 (the CI
machine's cores) before numpy loads; override with BLAS_THREADS. Usage, from the repository root:
    python3 src/test/python/bench_numpy.py [repeats]
Prints the BLAS numpy was built with, then median and best wall time per computation.
"""

import os
import sys

THREADS = os.environ.get("BLAS_THREADS", "2")
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS

import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.linalg import eigh  # noqa: E402
from scipy.spatial.distance import pdist  # noqa: E402


def mmd2_poly(x, r):
    gamma = 1.0 / x.shape[1]
    k = lambda a, b: (gamma * (a @ b.T) + 1.0) ** 3  # noqa: E731
    return k(x, x).mean() + k(r, r).mean() - 2 * k(x, r).mean()


def mmd2_rbf(x, r):
    """Unbiased, median heuristic over pooled pdist, as in Mmd2Rbf (one distance pass, reused)."""
    n, m = len(x), len(r)
    pooled = np.vstack([x, r])
    sq = pdist(pooled, "sqeuclidean")
    sigma = np.median(np.sqrt(sq))
    k = np.exp(-sq / (2 * sigma**2))
    t = n + m
    i, j = np.triu_indices(t, 1)
    xx = k[(j < n)].sum()
    rr = k[(i >= n)].sum()
    xr = k[(i < n) & (j >= n)].sum()
    return 2 * xx / (n * (n - 1)) + 2 * rr / (m * (m - 1)) - 2 * xr / (n * m)


def frechet(x, r):
    """Symmetric eigendecompositions (as in FrechetDistance), LAPACK via scipy."""
    mx, mr = x.mean(0), r.mean(0)
    sx, sr = np.cov(x, rowvar=False), np.cov(r, rowvar=False)
    w, v = eigh(sx)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    prod = root @ sr @ root
    lam = eigh((prod + prod.T) / 2, eigvals_only=True)
    return ((mx - mr) ** 2).sum() + np.trace(sx) + np.trace(sr) - 2 * np.sqrt(np.clip(lam, 0, None)).sum()


def timed(fn, *args, repeats):
    fn(*args)  # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn(*args)
        times.append(time.perf_counter() - start)
    return np.median(times) * 1e3, min(times) * 1e3


def main():
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
    print(f"numpy {np.__version__}, BLAS {blas.get('name')} {blas.get('version')}, threads {THREADS}")
    d = 384
    for n, m in ((1000, 200), (2000, 2000)):
        rng = np.random.default_rng(1)
        x = rng.normal(0.0, 1.0, (n, d))
        r = rng.normal(0.05, 1.0, (m, d))
        for name, fn in (("mmd2_poly", mmd2_poly), ("mmd2_rbf", mmd2_rbf), ("frechet", frechet)):
            if name == "frechet" and (n, m) != (1000, 200):
                continue
            median, best = timed(fn, x, r, repeats=repeats)
            print(f"{name:10s} {n}x{m} d={d}: median {median:8.1f} ms, best {best:8.1f} ms")


if __name__ == "__main__":
    main()
