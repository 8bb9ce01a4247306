#!/usr/bin/env python3
"""Times the kernel proxies in numpy/scipy (float64) on the shapes of KernelProxiesBenchmark.

A reference point for the JMH numbers, not a test. The BLAS thread count is set to 2 (the CI
machine's cores) before numpy loads; override with BLAS_THREADS. Usage, from the repository root:
    python3 src/test/python/bench_numpy.py [repeats]
Prints the BLAS numpy was built with, then median and best wall time per computation.

Like for like: each function runs the algorithm the Java proxy runs (frechet takes the same route
as FrechetDistance.compute for the shape: the Gram route, eigenvalues of a min(|X|,|R|) square
matrix, or the Cholesky covariance route); frechet_sqrtm_eigh is the previous route (two d x d
symmetric eigendecompositions), kept for comparison.
"""

import os
import sys

THREADS = os.environ.get("BLAS_THREADS", "2")
for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = THREADS

import time  # noqa: E402

import numpy as np  # noqa: E402
from scipy.linalg import cholesky, eigh, eigvalsh  # noqa: E402
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


def _sum_of_roots(lam):
    """As FrechetDistance.sumOfRoots: eigenvalues at or below n*eps*max count as 0."""
    floor = len(lam) * np.finfo(float).eps * max(lam.max(), 0.0)
    return np.sqrt(lam[lam > floor]).sum()


def _gram_route_is_cheaper(nx, nr, d):
    """FrechetDistance.gramRouteIsCheaper: estimated multiply-adds of the two routes."""
    s, l = min(nx, nr), max(nx, nr)
    return s * l * d + s * s * l / 2 + 5 * s**3 < (s + l) * d * d / 2 + 7 * d**3


def frechet_gram(x, r):
    """Gram route (FrechetDistance.viaGram): singular values of Q P^T via eigvalsh of G G^T."""
    nx, nr = len(x), len(r)
    mx, mr = x.mean(0), r.mean(0)
    px, pr = x - mx, r - mr
    dx, dr = max(nx - 1, 1), max(nr - 1, 1)
    small, large = (px, pr) if nx <= nr else (pr, px)
    g = small @ large.T
    lam = eigvalsh(g @ g.T)
    root = _sum_of_roots(lam) / np.sqrt(dx * dr)
    traces = (px * px).sum() / dx + (pr * pr).sum() / dr
    return max(0.0, ((mx - mr) ** 2).sum() + traces - 2 * root)


def frechet_cholesky(x, r):
    """Covariance route (FrechetDistance.fromMoments): eigvalsh of L^T S_R L, S_X = L L^T."""
    mx, mr = x.mean(0), r.mean(0)
    sx, sr = np.cov(x, rowvar=False), np.cov(r, rowvar=False)
    lower = cholesky(sx, lower=True)
    lam = eigvalsh(lower.T @ sr @ lower)
    return max(0.0, ((mx - mr) ** 2).sum() + np.trace(sx) + np.trace(sr) - 2 * _sum_of_roots(lam))


def frechet(x, r):
    """The same route as FrechetDistance.compute picks for this shape."""
    if _gram_route_is_cheaper(len(x), len(r), x.shape[1]):
        return frechet_gram(x, r)
    return frechet_cholesky(x, r)


def frechet_sqrtm_eigh(x, r):
    """The previous Java algorithm: S_X^(1/2) from eigh, then eigh of S_X^(1/2) S_R S_X^(1/2)."""
    mx, mr = x.mean(0), r.mean(0)
    sx, sr = np.cov(x, rowvar=False), np.cov(r, rowvar=False)
    w, v = eigh(sx)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    prod = root @ sr @ root
    lam = eigh((prod + prod.T) / 2, eigvals_only=True)
    return ((mx - mr) ** 2).sum() + np.trace(sx) + np.trace(sr) - 2 * np.sqrt(np.clip(lam, 0, None)).sum()


def pad(x, r, c=1.0, seed=42):
    """PAD as ProxyADistance computes it: labels 0/1, a seeded 80/20 split (the split itself is
    not timed against Java's exactly, any split of the same sizes costs the same), L2 logistic
    regression fitted by Newton/IRLS with backtracking to gradient norm 1e-10 (the same algorithm
    as L2LogisticRegression), eps = mean |p - y| on the held-out part, PAD = 2 (1 - 2 eps)."""
    data = np.vstack([x, r])
    y = np.concatenate([np.zeros(len(x)), np.ones(len(r))])
    idx = np.random.default_rng(seed).permutation(len(y))
    cut = int(round(len(y) * 0.8))
    train, test = idx[:cut], idx[cut:]
    design = np.hstack([data[train], np.ones((cut, 1))])
    yt = y[train]
    theta = np.zeros(design.shape[1])
    reg = np.ones(design.shape[1])
    reg[-1] = 0.0

    def objective(t):
        z = design @ t
        return c * np.sum(np.logaddexp(0, z) - yt * z) + 0.5 * np.sum(reg * t * t)

    f = objective(theta)
    for _ in range(200):
        p = 1 / (1 + np.exp(-(design @ theta)))
        grad = c * design.T @ (p - yt) + reg * theta
        if np.linalg.norm(grad) < 1e-10:
            break
        scaled = design * np.sqrt(c * p * (1 - p))[:, None]
        hess = scaled.T @ scaled + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-10:
            candidate = theta - t * step
            fc = objective(candidate)
            if fc <= f - 1e-4 * t * grad @ step:
                break
            t /= 2
        if fc >= f:
            break
        theta, f = candidate, fc
    ptest = 1 / (1 + np.exp(-(np.hstack([data[test], np.ones((len(test), 1))]) @ theta)))
    eps = np.mean(np.abs(ptest - y[test]))
    return 2 * (1 - 2 * eps)


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
        proxies = (
            ("mmd2_poly", mmd2_poly),
            ("mmd2_rbf", mmd2_rbf),
            ("frechet", frechet),
            ("frechet_sqrtm_eigh", frechet_sqrtm_eigh),
        ) + ((("pad", pad),) if (n, m) == (1000, 200) else ())
        for name, fn in proxies:
            median, best = timed(fn, x, r, repeats=repeats)
            print(f"{name:18s} {n}x{m} d={d}: median {median:8.1f} ms, best {best:8.1f} ms")


if __name__ == "__main__":
    main()
