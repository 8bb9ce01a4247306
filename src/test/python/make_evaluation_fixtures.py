#!/usr/bin/env python3
"""Writes the fixtures of the evaluation math: correlations by scipy, LENS scores by a transcription
of the SynQuE authors' compute_lens_score_normalized / compute_lens_score (src/compute/lens.py),
kept literal (per-question factors, their asymmetric zero handling, np.mean weighting).

Usage, from the repository root: python3 src/test/python/make_evaluation_fixtures.py
Output: src/test/resources/fixtures/evaluation/{correlation,lens}.json
"""

import json

import numpy as np
import scipy
from scipy.stats import pearsonr, rankdata, spearmanr

OUT = "src/test/resources/fixtures/evaluation/"
LABELS = ["very unlikely", "unlikely", "unsure", "likely", "very likely"]
SCORE_MAP = {label: i for i, label in enumerate(LABELS)}
KEYS = [
    "score_real_given_synth_loc_A_judgement",
    "score_real_given_synth_loc_B_judgement",
    "score_synth_given_synth_loc_A_judgement",
    "score_synth_given_synth_loc_B_judgement",
]
EPSILON = 1e-6


def correlations():
    rng = np.random.default_rng(5)
    cases = []
    for n, ties in ((5, False), (12, True), (32, False), (32, True)):
        x = rng.normal(size=n)
        y = 0.4 * x + rng.normal(size=n)
        if ties:
            x = np.round(x, 0)
            y = np.round(y * 2, 0) / 2
        cases.append(
            dict(
                x=x.tolist(),
                y=y.tolist(),
                pearson=float(pearsonr(x, y)[0]),
                spearman=float(spearmanr(x, y)[0]),
                ranks_x=rankdata(x).tolist(),
            )
        )
    return dict(generator=f"scipy {scipy.__version__}, numpy default_rng(5)", cases=cases)


def lens_normalized(synth, real):
    f_synth = {k: max(np.mean([SCORE_MAP[i[k]] for i in real]), EPSILON) for k in KEYS}
    f_real = {k: np.mean([SCORE_MAP[i[k]] for i in synth]) for k in KEYS}
    f_real = {k: 1 if v == 0 else v for k, v in f_real.items()}

    def p(item, f, synthetic):
        out = []
        for loc in ("A", "B"):
            h_real = SCORE_MAP[item[f"score_real_given_synth_loc_{loc}_judgement"]] / f[
                f"score_real_given_synth_loc_{loc}_judgement"]
            h_synth = SCORE_MAP[item[f"score_synth_given_synth_loc_{loc}_judgement"]] / f[
                f"score_synth_given_synth_loc_{loc}_judgement"]
            out.append((h_real if synthetic else h_synth) / (h_real + h_synth + EPSILON))
        return sum(out) / 2

    e_s = [p(i, f_synth, True) for i in synth]
    e_r = [p(i, f_real, False) for i in real]
    return (np.mean(e_s) * len(synth) + np.mean(e_r) * len(real)) / (len(synth) + len(real))


def lens_raw(synth):
    scores = []
    for i in synth:
        ra, rb, sa, sb = (SCORE_MAP[i[k]] for k in KEYS)
        scores.append((ra / max(1e-6, ra + sa) + rb / max(1e-6, rb + sb)) / 2)
    return float(np.mean(scores))


def lens():
    rng = np.random.default_rng(11)
    cases = []
    for n_s, n_r, skew in ((7, 4, 0), (50, 20, 1), (30, 30, 2), (5, 3, 3)):
        def judge(n, bias):
            rows = []
            for _ in range(n):
                levels = rng.integers(0, 5, size=4)
                if skew == 3:  # the synthetic side never says anything but "very unlikely"
                    levels = np.zeros(4, dtype=int) if bias else levels
                else:
                    levels = np.clip(levels + bias, 0, 4)
                rows.append({k: LABELS[int(v)] for k, v in zip(KEYS, levels)})
            return rows

        synth = judge(n_s, skew == 1 or skew == 3)
        real = judge(n_r, 0)
        cases.append(
            dict(synthetic=synth, real=real, lens=float(lens_normalized(synth, real)),
                 lens_raw=lens_raw(synth))
        )
    return dict(generator="transcription of r2llab/SynQuE src/compute/lens.py, default_rng(11)",
                cases=cases)


def main():
    for name, data in (("correlation", correlations()), ("lens", lens())):
        with open(OUT + name + ".json", "w") as f:
            json.dump(data, f, indent=1)


if __name__ == "__main__":
    main()
