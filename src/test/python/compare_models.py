#!/usr/bin/env python3
"""How much the choice of embedding model changes `synque evaluate`'s scores and rankings.

Usage (after two runs of `bin/synque evaluate` on the same benchmark with different --model):
    python3 src/test/python/compare_models.py OUT_A OUT_B
For every proxy in both scores.csv files it prints the Spearman correlation between the two runs'
values over all (group, seed, dataset) cells, the mean over (group, seed) of the Spearman between
the two rankings of the datasets, and the mean overlap of the top-3 datasets (each proxy's own
orientation, taken from summary.csv). Then the two summary.csv ALL rows side by side.
"""

import csv
import sys
from collections import defaultdict

from scipy.stats import spearmanr


def read_scores(out):
    scores = defaultdict(dict)  # proxy -> (group, seed, dataset) -> value
    with open(f"{out}/scores.csv") as f:
        for row in csv.DictReader(f):
            scores[row["proxy"]][(row["group"], row["seed"], row["dataset"])] = float(row["value"])
    return scores


def read_summary(out):
    rows = {}
    with open(f"{out}/summary.csv") as f:
        for row in csv.DictReader(f):
            if row["group"] == "ALL":
                rows[row["proxy"]] = row
    return rows


def top3(values, higher_is_better):
    ordered = sorted(values, key=lambda kv: (-kv[1] if higher_is_better else kv[1], kv[0]))
    return {name for name, _ in ordered[:3]}


def main(a, b):
    sa, sb = read_scores(a), read_scores(b)
    ua, ub = read_summary(a), read_summary(b)
    print("| proxy | cells | Spearman A vs B, all cells | mean Spearman of rankings per seed | mean top-3 overlap |")
    print("| --- | --- | --- | --- | --- |")
    for proxy in [p for p in sa if p in sb]:
        cells = sorted(set(sa[proxy]) & set(sb[proxy]))
        rho = spearmanr([sa[proxy][c] for c in cells], [sb[proxy][c] for c in cells])[0]
        higher = ua.get(proxy, {}).get("higher_is_better", "true") == "true"
        per_seed, overlaps = [], []
        for gs in sorted({c[:2] for c in cells}):
            mine = [c for c in cells if c[:2] == gs]
            va = [sa[proxy][c] for c in mine]
            vb = [sb[proxy][c] for c in mine]
            if len(set(va)) > 1 and len(set(vb)) > 1:
                per_seed.append(spearmanr(va, vb)[0])
            ta = top3([(c[2], sa[proxy][c]) for c in mine], higher)
            tb = top3([(c[2], sb[proxy][c]) for c in mine], higher)
            overlaps.append(len(ta & tb) / 3)
        mean_seed = sum(per_seed) / len(per_seed) if per_seed else float("nan")
        print(f"| `{proxy}` | {len(cells)} | {rho:.4f} | {mean_seed:.4f} | {sum(overlaps) / len(overlaps):.2f} |")
    print()
    print("| proxy | Spearman A | Spearman B | Pearson A | Pearson B | top-3 A | top-3 B |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for proxy in ua:
        if proxy in ub:
            x, y = ua[proxy], ub[proxy]
            print(
                f"| `{proxy}` | {float(x['spearman']):.3f} | {float(y['spearman']):.3f} "
                f"| {float(x['pearson']):.3f} | {float(y['pearson']):.3f} "
                f"| {float(x['top3']):.4f} | {float(y['top3']):.4f} |"
            )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
