#!/usr/bin/env python3
"""How stable is "the best single proxy" of an evaluation? Resamples the datasets with replacement
and, in each resample, finds the single proxy with the highest mean Spearman (over the real
samples, oriented so higher is better) with downstream performance, how often each proxy (or
combined score) comes within 0.01 of it, and how far it is above `combined_pc1`. Reads labels only to describe the benchmark: nothing here chooses a
default.

Usage (after `bin/synque evaluate --benchmark B --out OUT`):
    python3 src/test/python/best_proxy_stability.py B/performance.csv OUT/scores.csv [RESAMPLES]
"""

import csv
import sys

import numpy as np
from scipy.stats import spearmanr

ORIENTATION = {
    "mmd2_poly": -1, "mmd2_rbf": -1, "pad": -1, "pad_balanced": -1, "frechet": -1,
    "mauve": 1, "mdm": 1, "vendi": 1, "combined": 1, "combined_pc1": 1,
}
SINGLES = [p for p in ORIENTATION if not p.startswith("combined")]


def main(performance_csv, scores_csv, resamples=300):
    perf = {r["dataset"]: float(r["performance"]) for r in csv.DictReader(open(performance_csv))}
    values = {}
    for r in csv.DictReader(open(scores_csv)):
        if r["proxy"] in ORIENTATION:
            values.setdefault((r["seed"], r["proxy"]), {})[r["dataset"]] = float(r["value"])
    seeds = sorted({seed for seed, _ in values})
    datasets = sorted(perf)

    def mean_rho(proxy, idx):
        y = np.array([perf[datasets[i]] for i in idx])
        rhos = []
        for seed in seeds:
            x = np.array([values[(seed, proxy)][datasets[i]] for i in idx]) * ORIENTATION[proxy]
            rhos.append(spearmanr(x, y).statistic)
        return float(np.mean(rhos))

    full = range(len(datasets))
    print("all datasets:", {p: round(mean_rho(p, full), 3) for p in ORIENTATION})
    rng = np.random.default_rng(7)
    wins = {p: 0 for p in SINGLES}
    gaps = []
    within = {p: 0 for p in ORIENTATION}
    for _ in range(resamples):
        idx = rng.integers(0, len(datasets), len(datasets))
        rho = {p: mean_rho(p, idx) for p in ORIENTATION}
        best = max(SINGLES, key=rho.get)
        wins[best] += 1
        gaps.append(rho[best] - rho["combined_pc1"])
        for p in ORIENTATION:
            within[p] += rho[p] >= rho[best] - 0.01
    print(f"best single proxy in {resamples} resamples:", wins)
    low, high = np.percentile(gaps, [5, 95])
    print("share of resamples within 0.01 of that resample's best single proxy:",
          {p: round(n / resamples, 2) for p, n in within.items()})
    print(f"best single minus combined_pc1: median {np.median(gaps):.3f}, 90% [{low:.3f}, {high:.3f}]")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) > 3 else 300)
