"""Writes the expected mean and covariance for RunningMomentsTest.

Run from the repository root:  python3 src/test/python/running_moments_fixture.py
Needs numpy only. The Java build never runs this; it reads the committed files under
src/test/resources/fixtures/streaming/.
"""

from pathlib import Path

import numpy as np

OUT = Path("src/test/resources/fixtures/streaming")


def write(name: str, rows: np.ndarray) -> None:
    rows = np.atleast_2d(rows)
    with open(OUT / name, "w", encoding="utf-8") as f:
        for row in rows:
            f.write(",".join(repr(float(v)) for v in row) + "\n")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(20251105)
    # 50 samples of dimension 6, correlated, with an offset and mixed scales
    base = rng.normal(size=(50, 6))
    mix = rng.normal(size=(6, 6))
    data = base @ mix + np.array([3.0, -1.0, 0.5, 10.0, 0.0, -7.25])
    write("moments_data.csv", data)
    write("moments_mean.csv", data.mean(axis=0))
    write("moments_cov.csv", np.cov(data, rowvar=False))  # unbiased, divides by n - 1


if __name__ == "__main__":
    main()
