"""Writes the JSON fixtures for the learner proxies (PAD, Vendi, MDM, MAUVE).

Independent reference implementations in numpy/scipy; not used by the Java build. Run from the
repository root:  python3 src/test/python/make_learner_fixtures.py
(scikit-learn, kmedoids and mauve-text were not installable here, so each expected value comes
from the formulas below: L2 logistic regression by scipy L-BFGS-B polished by numpy Newton steps to gradient norm < 1e-9,
k-medoids by brute force over all medoid subsets, Vendi by numpy eigvalsh of the full n x n
kernel, MAUVE from histograms re-implemented after mauve-text's code.)
"""
import itertools
import json
import os

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit

OUT = "src/test/resources/fixtures/learners"


def fit_logreg(X, y, w, C=1.0):
    """argmin C * sum w_i [log(1+e^z) - y z] + ||coef||^2 / 2, intercept unpenalised."""
    n, d = X.shape
    A = np.hstack([X, np.ones((n, 1))])

    def f(theta):
        z = A @ theta
        loss = C * np.sum(w * (np.logaddexp(0, z) - y * z)) + 0.5 * theta[:d] @ theta[:d]
        g = C * A.T @ (w * (expit(z) - y))
        g[:d] += theta[:d]
        return loss, g

    res = minimize(f, np.zeros(d + 1), jac=True, method="L-BFGS-B",
                   options={"gtol": 1e-13, "ftol": 1e-16, "maxiter": 100000, "maxcor": 50})
    # Polish the L-BFGS-B point with a few numpy Newton steps (LAPACK solve).
    def hess(theta):
        p = expit(A @ theta)
        H = C * (A * (w * p * (1 - p))[:, None]).T @ A
        H[np.arange(d), np.arange(d)] += 1.0
        return H

    theta = res.x
    for _ in range(5):  # full Newton steps from a point already near the optimum
        theta = theta - np.linalg.solve(hess(theta), f(theta)[1])
    res.x = theta
    gnorm = np.linalg.norm(f(res.x)[1])
    assert gnorm < 1e-9, gnorm
    return res.x[:d], res.x[d]


def pad(X, R, held_out, balanced):
    Z = np.vstack([X, R])
    y = np.r_[np.zeros(len(X)), np.ones(len(R))]
    test = np.zeros(len(Z), bool)
    test[held_out] = True
    ytr = y[~test]
    if balanced:
        n1 = ytr.sum()
        n0 = len(ytr) - n1
        w = np.where(ytr == 1, len(ytr) / (2 * n1), len(ytr) / (2 * n0))
    else:
        w = np.ones(len(ytr))
    coef, b = fit_logreg(Z[~test], ytr, w)
    p = expit(Z[test] @ coef + b)
    yt = y[test]
    err = np.abs(p - yt)
    eps = 0.5 * (err[yt == 0].mean() + err[yt == 1].mean()) if balanced else err.mean()
    return 2 * (1 - 2 * eps), coef, b


def pad_case(name, rng, nx, nr, d, shift):
    X = rng.normal(size=(nx, d))
    R = rng.normal(size=(nr, d)) + shift
    n = nx + nr
    held_out = np.random.RandomState(42).permutation(n)[: int(np.ceil(0.2 * n))]
    out = {"name": name, "x": X.tolist(), "r": R.tolist(), "held_out": held_out.tolist()}
    for balanced, key in [(False, "pad"), (True, "pad_balanced")]:
        value, coef, b = pad(X, R, held_out, balanced)
        out[key] = value
        out[key + "_coef"] = coef.tolist()
        out[key + "_intercept"] = b
    return out


def vendi(X):
    U = X / np.linalg.norm(X, axis=1, keepdims=True)
    lam = np.linalg.eigvalsh(U @ U.T / len(X))
    lam = lam[lam > 0]
    return float(np.exp(-np.sum(lam * np.log(lam))))


def mdm_bruteforce(X, k=5):
    n = len(X)
    k = min(k, n)
    D = np.sqrt(((X[:, None, :] - X[None, :, :]) ** 2).sum(-1))
    best = min(itertools.combinations(range(n), k), key=lambda m: D[list(m)].min(0).sum())
    m = list(best)
    labels = D[m].argmin(0)
    total = 0.0
    for c in range(k):
        members = labels == c
        if members.any():
            total += D[m[c], members].mean()
    return total / k, sorted(m)


def kl(a, b):
    nz = a > 0
    return float(np.sum(a[nz] * np.log(a[nz] / b[nz])))


def mauve_from_histograms(p, q, c=5.0, size=25):
    """After mauve-text: get_divergence_curve_for_multinomials + compute_area_under_curve."""
    p = p / p.sum()
    q = q / q.sum()
    curve = [[0, np.inf]]
    for w in np.sort(np.linspace(1e-6, 1 - 1e-6, size)):
        r = w * p + (1 - w) * q
        curve.append([kl(q, r), kl(p, r)])
    curve.append([np.inf, 0])
    x, y = np.exp(-c * np.asarray(curve)).T
    idx = np.argsort(x)
    return float(np.trapezoid(y[idx], x[idx]))


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20251103)
    pads = [
        pad_case("overlapping", rng, 60, 40, 5, 0.5),
        pad_case("imbalanced", rng, 150, 30, 4, 0.8),
        pad_case("wide", rng, 12, 10, 20, 0.3),
    ]
    vendis = []
    for name, X in [
        ("tall", rng.normal(size=(30, 8))),
        ("wide", rng.normal(size=(6, 10))),
        ("clustered", np.repeat(rng.normal(size=(3, 5)), 4, axis=0) + 0.05 * rng.normal(size=(12, 5))),
    ]:
        vendis.append({"name": name, "x": X.tolist(), "vendi": vendi(X)})
    mdms = []
    for name, X in [
        ("blobs", np.vstack([rng.normal(loc=c, scale=0.3, size=(3, 2)) for c in (0, 3, 6, 9, 12)])),
        ("uniform", rng.uniform(size=(11, 3))),
        ("three", rng.normal(size=(3, 4))),
    ]:
        value, medoids = mdm_bruteforce(X)
        mdms.append({"name": name, "x": X.tolist(), "mdm": value, "medoids": medoids})
    mauves = []
    for name, p, q in [
        ("dirichlet7", rng.dirichlet(np.ones(7)), rng.dirichlet(np.ones(7))),
        ("counts12", rng.integers(0, 6, size=12).astype(float), rng.integers(1, 6, size=12).astype(float)),
        ("close", np.array([0.3, 0.3, 0.4]), np.array([0.32, 0.28, 0.4])),
    ]:
        mauves.append({"name": name, "p": p.tolist(), "q": q.tolist(), "mauve": mauve_from_histograms(p, q)})
    for fname, data in [("pad.json", pads), ("vendi.json", vendis), ("mdm.json", mdms), ("mauve.json", mauves)]:
        with open(os.path.join(OUT, fname), "w") as fh:
            json.dump(data, fh, indent=1)
    for m in mauves:
        print(m["name"], m["mauve"])
    for p_ in pads:
        print(p_["name"], p_["pad"], p_["pad_balanced"])


if __name__ == "__main__":
    main()
