"""Writes src/test/resources/fixtures/uncertainty/uncertainty.json: the MMD witness, its standard
error, paired differences, the normal distribution function, tiers and noise floors, computed
independently in numpy/scipy for UncertaintyFixturesTest.

Run from the repository root (numpy and scipy):  python3 src/test/python/make_uncertainty_fixtures.py

It also prints a Monte-Carlo check of the first-order standard error (not a fixture): the spread of
MMD² over many independent draws against the mean of the closed-form standard errors.
"""
import json
import os

import numpy as np
from scipy.stats import norm, rankdata, spearmanr

OUT = "src/test/resources/fixtures/uncertainty/uncertainty.json"


def kernel(a, b):
    d = a.shape[1]
    return (a @ b.T / d + 1.0) ** 3


def witness(X, R):
    kxx, kxr, krr = kernel(X, X), kernel(X, R), kernel(R, R)
    realness = kxr.mean(axis=1) - kxx.mean(axis=1)
    coverage = kxr.mean(axis=0) - krr.mean(axis=1)
    mmd2 = kxx.mean() + krr.mean() - 2 * kxr.mean()
    se = np.sqrt(4 * np.var(realness, ddof=1) / len(X) + 4 * np.var(coverage, ddof=1) / len(R))
    return realness, coverage, float(mmd2), float(se)


def tiers(est, se, lower_is_better, level):
    """Tier rule written out plainly: sort best first, a head separates when P >= level."""
    n = len(est)
    key = [(est[i] if lower_is_better else -est[i], i) for i in range(n)]
    order = [i for _, i in sorted(key)]

    def p_beats(a, b):
        gap = est[b] - est[a] if lower_is_better else est[a] - est[b]
        s = np.hypot(se[a], se[b])
        return float(norm.cdf(gap / s))

    tier = [0] * n
    head, t = order[0], 1
    tier[head] = 1
    beats_next = []
    for p in range(1, n):
        c = order[p]
        beats_next.append(p_beats(order[p - 1], c))
        if p_beats(head, c) >= level:
            t += 1
            head = c
        tier[c] = t
    beats_next.append(None)
    return order, tier, beats_next


def agreement_case(rng):
    """Four proxies over 12 candidates: three noisy views of one latent order, one pure noise."""
    latent = rng.normal(size=12)
    cols = [
        (latent + 0.3 * rng.normal(size=12), True),    # higher is better
        (-latent + 0.5 * rng.normal(size=12), False),  # lower is better
        (latent + 1.0 * rng.normal(size=12), True),
        (rng.normal(size=12), True),                   # agrees with nothing
    ]
    oriented = np.array([v if hib else -v for v, hib in cols])
    corr = spearmanr(oriented.T).correlation
    vals, vecs = np.linalg.eigh(corr)
    v = vecs[:, np.argmax(vals)]
    if v.sum() < 0:
        v = -v
    w = np.clip(v, 0, None)
    w = w / w.sum()
    n = oriented.shape[1]
    scores = np.array([(n - rankdata(-o)) / (n - 1) for o in oriented])  # rank 1 = best
    combined = (w[:, None] * scores).sum(axis=0) / w.sum()
    return {
        "columns": [v.tolist() for v, _ in cols],
        "higher_is_better": [hib for _, hib in cols],
        "weights": w.tolist(),
        "combined": combined.tolist(),
    }


def main():
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    rng = np.random.default_rng(20261206)
    d = 6
    R = rng.normal(size=(25, d))
    X = rng.normal(size=(40, d)) * 1.3 + 0.2
    Y = rng.normal(size=(30, d)) * 0.9
    rx, cx, mx, sx = witness(X, R)
    ry, cy, my, sy = witness(Y, R)
    paired = np.sqrt(
        4 * np.var(rx, ddof=1) / len(X)
        + 4 * np.var(ry, ddof=1) / len(Y)
        + 4 * np.var(cx - cy, ddof=1) / len(R)
    )
    zs = [-40, -12, -8.5, -7.9, -5, -3, -1.96, -1, -0.3, 0, 0.1, 1, 1.645, 2.5, 4, 7.9, 8.5, 12]
    est = [0.10, 0.12, 0.30, 0.31, 0.33, 0.80, 0.05]
    se = [0.02, 0.03, 0.04, 0.02, 0.05, 0.10, 0.01]
    order_l, tier_l, next_l = tiers(est, se, True, 0.95)
    order_h, tier_h, next_h = tiers(est, se, False, 0.9)
    splits = []
    floors = []
    for _ in range(6):
        perm = rng.permutation(len(R))
        a, b = np.sort(perm[: len(R) // 2]), np.sort(perm[len(R) // 2 :])
        splits.append([a.tolist(), b.tolist()])
        floors.append(witness(R[a], R[b])[2])
    floors = np.array(floors)
    out = {
        "r": R.tolist(),
        "x": X.tolist(),
        "y": Y.tolist(),
        "x_realness": rx.tolist(),
        "x_coverage": cx.tolist(),
        "x_mmd2": mx,
        "x_se": sx,
        "y_mmd2": my,
        "y_se": sy,
        "paired_sd": float(paired),
        "cdf": [[z, float(norm.cdf(z))] for z in zs],
        "tiers": [
            {"estimates": est, "se": se, "lower_is_better": True, "level": 0.95,
             "order": order_l, "tier": tier_l, "beats_next": next_l},
            {"estimates": est, "se": se, "lower_is_better": False, "level": 0.9,
             "order": order_h, "tier": tier_h, "beats_next": next_h},
        ],
        "noise_floor": {
            "splits": splits,
            "values": floors.tolist(),
            "mean": float(floors.mean()),
            "sd": float(floors.std(ddof=1)),
            "p95": float(np.percentile(floors, 95)),
        },
    }
    out["agreement"] = agreement_case(np.random.default_rng(7))
    with open(OUT, "w") as f:
        json.dump(out, f)
        f.write("\n")
    print("tiers (lower)", tier_l, "tiers (higher)", tier_h)

    # Monte-Carlo check of the first-order standard error away from the null.
    n, m, draws = 200, 100, 400
    values, ses = [], []
    for _ in range(draws):
        Xs = rng.normal(size=(n, 16)) * 1.2 + 0.3
        Rs = rng.normal(size=(m, 16))
        _, _, v, s = witness(Xs, Rs)
        values.append(v)
        ses.append(s)
    print(
        "Monte-Carlo (n=200, m=100, d=16, shifted): sd of MMD2 over %d draws %.4g, mean closed-form se %.4g"
        % (draws, np.std(values, ddof=1), np.mean(ses))
    )


if __name__ == "__main__":
    main()
