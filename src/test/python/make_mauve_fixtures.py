"""Writes src/test/resources/fixtures/learners/mauve_quantisation.json: MAUVE's feature step and
quantisation computed independently with numpy and scikit-learn, for MauveQuantisationTest.

Run from the repository root with a Python that has numpy and scikit-learn (on Debian:
apt-get install python3-numpy python3-sklearn; then /usr/bin/python3):

    python3 src/test/python/make_mauve_fixtures.py

What it checks, after mauve-text's cluster_feats (norm='l2', whiten=False, explained var 0.9):
- "pca" cases: sklearn.preprocessing.normalize(l2) then sklearn.decomposition.PCA (full SVD) of
  the stacked rows, truncated to np.argmax(cumsum(explained_variance_ratio_) >= 0.9) + 1
  components. The Java projection must match column by column up to the column's sign.
- "pipeline" cases: blobs far enough apart that every k-means restart finds the same partition;
  sklearn.cluster.KMeans(n_clusters=k, n_init=5, max_iter=500) on the projected rows with k from
  the pooled-size rule max(2, round((|X| + |R|) / 20)). The script asserts that sklearn's labels
  are the blobs (so the expected partition is unambiguous), then writes the histograms as sorted
  (p, q) pairs (bin order is arbitrary) and MAUVE from them, computed here as in mauve-text
  (divergence curve, trapezoid over the curve sorted by x).
"""
import json
import os

import numpy as np
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.preprocessing import normalize

OUT = "src/test/resources/fixtures/learners/mauve_quantisation.json"


def pca_features(rows, explained=0.9):
    data = normalize(rows, norm="l2", axis=1)
    pca = PCA(n_components=None, whiten=False, svd_solver="full")
    pca.fit(data)
    s = np.cumsum(pca.explained_variance_ratio_)
    idx = int(np.argmax(s >= explained))
    return pca.transform(data)[:, : idx + 1]


def kl(a, b):
    m = a > 0
    return float(np.sum(a[m] * np.log(a[m] / b[m])))


def mauve_from_histograms(p, q, c=5.0, size=25):
    curve = [[0.0, np.inf]]
    for w in np.sort(np.linspace(1e-6, 1 - 1e-6, size)):
        r = w * p + (1 - w) * q
        curve.append([kl(q, r), kl(p, r)])
    curve.append([np.inf, 0.0])
    x, y = np.exp(-c * np.asarray(curve)).T
    idx = np.argsort(x, kind="stable")
    x, y = x[idx], y[idx]
    return float(np.sum((x[1:] - x[:-1]) * (y[1:] + y[:-1]) / 2))


def blobs(rng, centres, counts, spread):
    rows, labels = [], []
    for c, n in enumerate(counts):
        rows.append(centres[c] + spread * rng.normal(size=(n, centres.shape[1])))
        labels += [c] * n
    return np.vstack(rows), np.array(labels)


def pipeline_case(name, rng, centres, x_counts, r_counts, spread):
    X, xl = blobs(rng, centres, x_counts, spread)
    R, rl = blobs(rng, centres, r_counts, spread)
    nx, nr = len(X), len(R)
    k = max(2, int(round((nx + nr) / 20)))
    assert k == len(centres), (name, k, len(centres))
    feats = pca_features(np.vstack([R, X]))  # mauve-text stacks [q; p]
    km = KMeans(n_clusters=k, n_init=5, max_iter=500, random_state=0).fit(feats)
    labels = km.labels_
    truth = np.r_[rl, xl]
    # the partition is unambiguous: sklearn's clusters are exactly the blobs
    for c in range(k):
        assert len(set(labels[truth == c])) == 1, (name, c)
    assert len(set(labels)) == k, name
    q = np.bincount(labels[:nr], minlength=k) / nr
    p = np.bincount(labels[nr:], minlength=k) / nx
    pairs = sorted(zip(p.tolist(), q.tolist()))
    return {
        "name": name,
        "x": X.tolist(),
        "r": R.tolist(),
        "k": k,
        "components": int(feats.shape[1]),
        "pairs": [list(t) for t in pairs],
        "mauve": mauve_from_histograms(p, q),
    }


def pca_case(name, rng, n, d, scales):
    rows = rng.normal(size=(n, d)) * scales + 0.5
    feats = pca_features(rows)
    return {"name": name, "rows": rows.tolist(), "projection": feats.tolist()}


def main():
    rng = np.random.default_rng(20261206)
    pcas = [
        # n > d: the scatter-matrix route; a few strong directions
        pca_case("tall", rng, 60, 8, np.array([5, 4, 3, 1, 0.5, 0.3, 0.2, 0.1])),
        # n < d: the Gram-matrix route
        pca_case("wide", rng, 12, 30, np.linspace(3, 0.1, 30)),
        # flat spectrum: most components needed
        pca_case("flat", rng, 40, 6, np.ones(6)),
    ]
    four = np.array(
        [[9, 1, 1, 0, 0, 0], [1, 9, 1, 0, 0, 0], [1, 1, 9, 0, 0, 0], [0, 0, 1, 9, 1, 0]],
        dtype=float,
    )
    six = np.vstack([np.eye(8)[:3] * 10, -np.eye(8)[:3] * 10])  # the +-axes of 3 of 8 dims
    pipelines = [
        # equal sizes: 40 + 40 -> k = 4; X puts its mass on two of the four blobs
        pipeline_case("equal_sizes", rng, four, [25, 10, 5, 0], [10, 10, 10, 10], 0.3),
        # small reference: 100 + 20 -> k = 6 (mauve-text's rule would give 2)
        pipeline_case("small_reference", rng, six, [40, 30, 10, 10, 5, 5], [4, 4, 3, 3, 3, 3], 0.3),
        # identical proportions in both sets: MAUVE is 1
        pipeline_case("same_mixture", rng, four, [20, 10, 6, 4], [20, 10, 6, 4], 0.3),
    ]
    with open(OUT, "w") as f:
        json.dump({"pca": pcas, "pipeline": pipelines}, f)
        f.write("\n")
    for c in pipelines:
        print(c["name"], "k", c["k"], "components", c["components"], "mauve", c["mauve"])
    for c in pcas:
        print(c["name"], "components", len(c["projection"][0]))


if __name__ == "__main__":
    main()
