#!/usr/bin/env python3
"""Writes the fixtures that the Java kernel-proxy tests compare against.

Each fixture is computed here independently of the Java code: plain numpy formulas for
mmd2_poly (scikit-learn's polynomial_kernel with gamma=None: (X Y^T / d + 1)^3), scipy's pdist for
the median heuristic of mmd2_rbf, and scipy.linalg.sqrtm of the covariance product (not the
symmetric eigendecompositions the Java code uses) for frechet.

Usage (numpy + scipy; run from the repository root):
    python3 src/test/python/make_kernel_fixtures.py
Writes src/test/resources/fixtures/kernels/*.json; the output is deterministic (seeded).
"""

import json
import warnings
import pathlib

import numpy as np
from scipy.linalg import sqrtm
from scipy.spatial.distance import cdist, pdist

OUT = pathlib.Path(__file__).resolve().parents[1] / "resources" / "fixtures" / "kernels"


def mmd2_poly(x, r, degree=3, coef0=1.0):
    gamma = 1.0 / x.shape[1]
    k = lambda a, b: (gamma * (a @ b.T) + coef0) ** degree  # noqa: E731
    return float(k(x, x).mean() + k(r, r).mean() - 2 * k(x, r).mean())


def mmd2_rbf(x, r):
    n, m = len(x), len(r)
    pooled = np.vstack([x, r])
    sigma = float(np.median(pdist(pooled)))
    if sigma == 0:
        k = lambda a, b: (cdist(a, b, "sqeuclidean") == 0).astype(float)  # noqa: E731
    else:
        k = lambda a, b: np.exp(-cdist(a, b, "sqeuclidean") / (2 * sigma**2))  # noqa: E731
    kxx, krr, kxr = k(x, x), k(r, r), k(x, r)
    xx = (kxx.sum() - np.trace(kxx)) / (n * (n - 1))
    rr = (krr.sum() - np.trace(krr)) / (m * (m - 1))
    return float(xx + rr - 2 * kxr.mean()), sigma


def frechet(x, r):
    mx, mr = x.mean(axis=0), r.mean(axis=0)
    d = x.shape[1]
    sx = np.cov(x, rowvar=False) if len(x) > 1 else np.zeros((d, d))
    sr = np.cov(r, rowvar=False) if len(r) > 1 else np.zeros((d, d))
    sx, sr = np.atleast_2d(sx), np.atleast_2d(sr)
    with warnings.catch_warnings():
        # sqrtm warns on singular products (rank-deficient covariances); see frechet_rtol.
        warnings.simplefilter("ignore")
        covmean = np.real(sqrtm(sx @ sr))
    base = float(((mx - mr) ** 2).sum() + np.trace(sx + sr))
    value = base - 2 * float(np.trace(covmean))
    # sqrtm (Schur method) loses accuracy on singular products, to about sqrt(eps). A second,
    # equally independent route (general eigenvalues of Sx Sr, whose square roots sum to the same
    # trace) bounds that error; the Java test allows 100 times the disagreement, at least 1e-9.
    eig = np.linalg.eigvals(sx @ sr).real
    alt = base - 2 * float(np.sqrt(np.clip(eig, 0, None)).sum())
    rtol = max(1e-9, 100 * abs(value - alt) / max(abs(value), 1e-300))
    return value, rtol


def case(name, x, r, note):
    value_rbf, sigma = mmd2_rbf(x, r) if len(x) >= 2 and len(r) >= 2 else (None, None)
    frechet_value, frechet_rtol = frechet(x, r)
    fixture = {
        "name": name,
        "note": note,
        "x": x.tolist(),
        "r": r.tolist(),
        "mmd2_poly": mmd2_poly(x, r),
        "mmd2_rbf": value_rbf,
        "rbf_sigma": sigma,
        "frechet": frechet_value,
        "frechet_rtol": frechet_rtol,
    }
    (OUT / f"{name}.json").write_text(json.dumps(fixture, indent=1) + "\n")
    print(f"{name}: poly={fixture['mmd2_poly']!r} rbf={value_rbf!r} frechet={frechet_value!r} rtol={frechet_rtol:.1e}")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20251105)
    case(
        "gaussian_shifted",
        rng.normal(0.0, 1.0, (12, 5)),
        rng.normal(0.5, 1.2, (9, 5)),
        "Shifted, wider Gaussian; more samples than dimensions (full-rank covariances).",
    )
    case(
        "same_distribution",
        rng.normal(0.0, 1.0, (15, 4)),
        rng.normal(0.0, 1.0, (11, 4)),
        "Same distribution: unbiased mmd2_rbf may be near 0 or negative.",
    )
    case(
        "rank_deficient",
        rng.normal(0.0, 1.0, (6, 8)),
        rng.normal(0.2, 0.8, (5, 8)),
        "Fewer samples than dimensions: singular covariances (clamped eigenvalues).",
    )
    case(
        "embedding_like",
        rng.normal(0.0, 0.05, (40, 32)) + rng.normal(0.0, 0.2, (1, 32)),
        rng.normal(0.0, 0.05, (30, 32)) + rng.normal(0.0, 0.2, (1, 32)),
        "Embedding-like scale: 40 x 32 against 30 x 32, small spread around an offset.",
    )
    case(
        "odd_pair_count",
        rng.normal(0.0, 1.0, (3, 3)),
        rng.normal(1.0, 1.0, (3, 3)),
        "15 pooled pairs: odd count, the median is a single distance.",
    )
    single = rng.normal(0.0, 1.0, (1, 4))
    case(
        "single_synthetic",
        single,
        rng.normal(0.0, 1.0, (6, 4)),
        "One synthetic vector: V-statistic poly and frechet only (zero covariance).",
    )
    dup = rng.normal(0.0, 1.0, (2, 3))
    case(
        "mostly_duplicates",
        np.vstack([dup[0]] * 4),
        np.vstack([dup[0]] * 3 + [dup[1]]),
        "Median distance 0: mmd2_rbf uses the sigma -> 0 limit kernel [x == y].",
    )


if __name__ == "__main__":
    main()
