#!/usr/bin/env python3
"""Independent check of `synque evaluate`: recomputes mmd2_poly (the paper's biased MMD², kernel
(x·y/d + 1)^3) in numpy from the embeddings the run exported, and compares with scores.csv.

Usage (after `bin/synque evaluate --benchmark B --out OUT --export-embeddings`):
    python3 src/test/python/check_evaluate_mmd.py OUT
Prints the largest relative difference and exits 1 if it exceeds 1e-9.
"""

import csv
import os
import sys

import numpy as np


def mmd2_poly(x, r):
    d = x.shape[1]
    k = lambda a, b: (a @ b.T / d + 1.0) ** 3  # noqa: E731
    return k(x, x).mean() + k(r, r).mean() - 2 * k(x, r).mean()


def main():
    out = sys.argv[1]
    worst = 0.0
    checked = 0
    with open(os.path.join(out, "scores.csv")) as f:
        for row in csv.DictReader(f):
            if row["proxy"] != "mmd2_poly":
                continue
            base = os.path.join(out, "embeddings", row["group"])
            x = np.load(os.path.join(base, row["dataset"] + ".npy")).astype(np.float64)
            r = np.load(os.path.join(base, "real-" + row["seed"] + ".npy")).astype(np.float64)
            expected = mmd2_poly(x, r)
            got = float(row["value"])
            worst = max(worst, abs(got - expected) / abs(expected))
            checked += 1
    print(f"mmd2_poly: {checked} cells checked, largest relative difference {worst:.3e}")
    sys.exit(0 if checked > 0 and worst <= 1e-9 else 1)


if __name__ == "__main__":
    main()
