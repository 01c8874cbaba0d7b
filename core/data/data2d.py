"""Toy 2-D classification data sets, the train/test split and the CSV upload parser (x1,x2,label rows).

Input noise (Gaussian jitter on the points) lives here; label noise lives in
core/data/noise.py, so the two can be varied independently.
All randomness comes from np.random.default_rng: same seed, same data.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

# COORD_LIMIT, CSV_MAX_BYTES and DataError are also read from here (ui/common.py, core/data/noise.py, tests).
from core.data.csv_table import (  # noqa: F401
    COORD_LIMIT, CSV_MAX_BYTES, CSV_MAX_ROWS, DataError, RowShape, coordinate, number, read_table, show,
)

# Independent random streams per purpose, so e.g. the split permutation never
# replays the draws that generated the points.
SPLIT_STREAM = 1

MIN_CLASSES, MAX_CLASSES = 3, 6  # range offered for the adjustable multiclass sets
MAX_SAMPLES = 50_000  # generous for a browser plot; guards against runaway requests


# ---- generators: (n, noise, rng, n_classes) -> (X float32 (n,2), y int64 (n,)) ----


def _balanced_labels(n: int, k: int) -> np.ndarray:
    """Labels 0..k-1 whose counts differ by at most one."""
    counts = [n // k + (c < n % k) for c in range(k)]
    return np.repeat(np.arange(k, dtype=np.int64), counts)


def _jitter(X: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    # Always draw, so the number of draws does not depend on the noise level.
    return (X + noise * rng.normal(size=X.shape)).astype(np.float32)


def _gaussian_disc(rng: np.random.Generator, m: int, sigma: float, radius: float) -> np.ndarray:
    """Gaussian-looking blob cut off at `radius` (inverse CDF of a truncated Rayleigh),
    so clean blobs have a guaranteed margin between them."""
    u = rng.uniform(size=m)
    r = sigma * np.sqrt(-2.0 * np.log1p(-u * (1.0 - math.exp(-(radius**2) / (2 * sigma**2)))))
    a = rng.uniform(0.0, 2 * np.pi, size=m)
    return np.stack([r * np.cos(a), r * np.sin(a)], axis=1)


BLOB_CENTER = 2.5  # class 0 at (-2.5,-2.5), class 1 at (2.5,2.5); the line x1+x2=0 separates them
BLOB_SIGMA, BLOB_RADIUS = 0.8, 1.8


def gen_blobs(n, noise, rng, n_classes=2):
    y = _balanced_labels(n, 2)
    centers = np.where(y[:, None] == 1, BLOB_CENTER, -BLOB_CENTER)
    X = centers + _gaussian_disc(rng, n, BLOB_SIGMA, BLOB_RADIUS)
    return _jitter(X, noise, rng), y


XOR_PAD, XOR_MAX = 0.3, 5.0  # keep points off the axes so the clean labels are unambiguous


def gen_xor(n, noise, rng, n_classes=2):
    y = _balanced_labels(n, 2)
    mag = rng.uniform(XOR_PAD, XOR_MAX, size=(n, 2))
    s = rng.choice(np.array([-1.0, 1.0]), size=n)
    # label 1: same signs (quadrants I and III), label 0: opposite signs
    X = np.stack([s * mag[:, 0], np.where(y == 1, s, -s) * mag[:, 1]], axis=1)
    return _jitter(X, noise, rng), y


CIRCLE_INNER = 2.0  # class 0: disc r <= 2
CIRCLE_RING = (3.5, 5.0)  # class 1: ring 3.5 <= r <= 5


def gen_circles(n, noise, rng, n_classes=2):
    y = _balanced_labels(n, 2)
    u = rng.uniform(size=n)
    lo, hi = CIRCLE_RING
    # sqrt makes density uniform over area rather than over radius
    r = np.where(y == 0, CIRCLE_INNER * np.sqrt(u), np.sqrt(lo**2 + u * (hi**2 - lo**2)))
    a = rng.uniform(0.0, 2 * np.pi, size=n)
    X = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    return _jitter(X, noise, rng), y


MOON_SCALE = 2.5
MOON_SHIFT = np.array([0.5, 0.25])  # centres sklearn's moons on the origin before scaling


def gen_moons(n, noise, rng, n_classes=2):
    y = _balanced_labels(n, 2)
    tt = rng.uniform(0.0, np.pi, size=n)
    # class 0: upper arc of the unit circle; class 1: lower arc centred at (1, 0.5)
    x1 = np.where(y == 0, np.cos(tt), 1.0 - np.cos(tt))
    x2 = np.where(y == 0, np.sin(tt), 0.5 - np.sin(tt))
    X = (np.stack([x1, x2], axis=1) - MOON_SHIFT) * MOON_SCALE
    return _jitter(X, noise, rng), y


SPIRAL_RADIUS, SPIRAL_TURN = 5.0, 3.5 * np.pi  # 1.75 turns, as in TF Playground


def gen_spiral(n, noise, rng, n_classes=2):
    """Arm k: r = 5u, angle = 3.5*pi*u + 2*pi*k/K, u uniform in [0,1]."""
    y = _balanced_labels(n, n_classes)
    u = rng.uniform(size=n)
    r = SPIRAL_RADIUS * u
    a = SPIRAL_TURN * u + 2 * np.pi * y / n_classes
    X = np.stack([r * np.cos(a), r * np.sin(a)], axis=1)
    return _jitter(X, noise, rng), y


EXAM_RANGE = (30.0, 100.0)
EXAM_THRESHOLD = 122.6  # with uniform scores, P(x1+x2 > 122.6) = 0.6
EXAM_ADMIT_FRACTION = 0.6


def gen_exam(n, noise, rng, n_classes=2):
    """Two exam scores; admitted (1) when x1 + x2 + N(0, noise) > threshold.

    `noise` is boundary fuzziness in score points, not jitter on the points.
    Exactly round(0.6 n) admitted: candidates are drawn in batches and kept per class
    until each quota is full, so the picture matches the classic ~60% example."""
    n_pos = int(round(EXAM_ADMIT_FRACTION * n))
    quota = {0: n - n_pos, 1: n_pos}
    kept: dict[int, list[np.ndarray]] = {0: [], 1: []}
    have = {0: 0, 1: 0}
    while have[0] < quota[0] or have[1] < quota[1]:
        cand = rng.uniform(*EXAM_RANGE, size=(2 * n + 16, 2))
        lab = (cand.sum(axis=1) + noise * rng.normal(size=len(cand)) > EXAM_THRESHOLD).astype(np.int64)
        for c in (0, 1):
            take = cand[lab == c][: quota[c] - have[c]]
            kept[c].append(take)
            have[c] += len(take)
    X = np.concatenate(kept[0] + kept[1]).astype(np.float32)
    y = np.repeat(np.array([0, 1], dtype=np.int64), [quota[0], quota[1]])
    return X, y


MULTI_RADIUS = 3.5  # blob centres on this circle
MULTI_SIGMA, MULTI_BLOB_RADIUS = 0.6, 1.2  # 2*1.2 < chord 3.5 for K=6: clean blobs never touch


def gen_blobs_multi(n, noise, rng, n_classes=3):
    y = _balanced_labels(n, n_classes)
    a = np.pi / 2 + 2 * np.pi * y / n_classes
    centers = MULTI_RADIUS * np.stack([np.cos(a), np.sin(a)], axis=1)
    X = centers + _gaussian_disc(rng, n, MULTI_SIGMA, MULTI_BLOB_RADIUS)
    return _jitter(X, noise, rng), y


@dataclass(frozen=True)
class DataSpec:
    key: str
    generate: Callable  # (n, noise, rng, n_classes) -> (X float32 (n,2), y int64 (n,))
    n_classes: int  # default number of classes
    classes_adjustable: bool = False  # multiclass blobs/spiral: user may choose 3..6
    default_noise: float = 0.1
    # in units far from (0, 0) (exam scores): the model centres the inputs even without a bias
    centred: bool = False


# UI name/desc: core/i18n.py, f"data.{key}.name" / f"data.{key}.desc"
DATASETS: dict[str, DataSpec] = {
    s.key: s
    for s in (
        DataSpec("blobs", gen_blobs, 2, default_noise=0.2),
        DataSpec("xor", gen_xor, 2, default_noise=0.1),
        DataSpec("circles", gen_circles, 2, default_noise=0.1),
        DataSpec("moons", gen_moons, 2, default_noise=0.2),
        DataSpec("spiral", gen_spiral, 2, default_noise=0.1),
        DataSpec("exam", gen_exam, 2, default_noise=6.0, centred=True),  # score points
        DataSpec("blobs_multi", gen_blobs_multi, 3, classes_adjustable=True, default_noise=0.2),
        DataSpec("spiral_multi", gen_spiral, 3, classes_adjustable=True, default_noise=0.05),
    )
}


# ---- the data set handed to training ----


@dataclass(frozen=True)
class Dataset2D:
    X_train: torch.Tensor  # float32 (n_train, 2)
    y_train: torch.Tensor  # int64 clean labels
    X_test: torch.Tensor
    y_test: torch.Tensor
    n_classes: int

    def bounds(self, pad: float = 0.1) -> tuple[float, float, float, float]:
        """(x_min, x_max, y_min, y_max) over train and test, each axis padded by pad*range."""
        X = torch.cat([self.X_train, self.X_test]).double()
        lo, hi = X.min(dim=0).values.tolist(), X.max(dim=0).values.tolist()
        out: list[float] = []
        for a, b in zip(lo, hi):
            # A constant column still gets a visible window, wide enough to stay distinct in float32
            # (the grid's dtype) and in float64 far from 0 (a ±0.1 pad vanishes next to 1e15).
            span = (b - a) or max(1.0, 1e-3 * abs(a))
            out += [a - pad * span, b + pad * span]
        return tuple(out)  # type: ignore[return-value]


def split_indices(n: int, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """(train, test) indices of n points: a permutation from `seed`, round(test_fraction*n) test points,
    clamped so both parts are non-empty (the same for every data kind)."""
    if n < 2:
        raise ValueError("need at least 2 points to split into train and test")
    if not 0.0 < test_fraction < 1.0:
        raise ValueError(f"test_fraction must be in (0, 1), got {test_fraction}")
    n_test = min(max(int(round(test_fraction * n)), 1), n - 1)
    perm = np.random.default_rng((seed, SPLIT_STREAM)).permutation(n)
    return perm[n_test:], perm[:n_test]


def split(X: np.ndarray, y: np.ndarray, test_fraction: float, seed: int) -> Dataset2D:
    """The points split by split_indices. n_classes = max label + 1."""
    X = np.asarray(X, dtype=np.float32)
    y = np.asarray(y, dtype=np.int64)
    n = len(y)
    if X.shape != (n, 2):
        raise ValueError(f"X must have shape (n, 2) matching y, got {X.shape} and {y.shape}")
    train_idx, test_idx = split_indices(n, test_fraction, seed)
    return Dataset2D(
        X_train=torch.from_numpy(X[train_idx].copy()),
        y_train=torch.from_numpy(y[train_idx].copy()),
        X_test=torch.from_numpy(X[test_idx].copy()),
        y_test=torch.from_numpy(y[test_idx].copy()),
        n_classes=int(y.max()) + 1,
    )


def make_dataset(
    key: str,
    n_samples: int = 400,
    input_noise: float | None = None,
    test_fraction: float = 0.3,
    seed: int = 0,
    n_classes: int | None = None,
) -> Dataset2D:
    if key not in DATASETS:
        raise ValueError(f"unknown data set {key!r}; choose one of {list(DATASETS)}")
    spec = DATASETS[key]
    k = spec.n_classes if n_classes is None else int(n_classes)
    if k != spec.n_classes and not spec.classes_adjustable:
        raise ValueError(f"data set {key!r} has exactly {spec.n_classes} classes, got {k}")
    if spec.classes_adjustable and not MIN_CLASSES <= k <= MAX_CLASSES:
        raise ValueError(f"n_classes must be in {MIN_CLASSES}..{MAX_CLASSES}, got {k}")
    noise = spec.default_noise if input_noise is None else float(input_noise)
    if not (math.isfinite(noise) and noise >= 0):
        raise ValueError(f"input_noise must be a finite number >= 0, got {input_noise}")
    if not max(4, 2 * k) <= n_samples <= MAX_SAMPLES:
        raise ValueError(f"n_samples must be in {max(4, 2 * k)}..{MAX_SAMPLES}, got {n_samples}")
    X, y = spec.generate(int(n_samples), noise, np.random.default_rng(seed), k)
    ds = split(X, y, test_fraction, seed)
    # n_classes from the spec, not max label: a class absent from a tiny set still counts
    return Dataset2D(ds.X_train, ds.y_train, ds.X_test, ds.y_test, k)


# ---- CSV upload ----

CSV_MAX_CLASSES = 10
LABEL_MAX_DIGITS = 100  # labels are remapped to 0..K-1; far longer ones are junk, not classes
_INTEGER = re.compile(r"[+-]?(\d+)", re.ASCII)


def _label(text: str, lineno: int) -> int:
    """int for '3', '-2', '3.0', '1e3'; DataError otherwise (1.5, text, nan, 10^5000)."""
    whole = _INTEGER.fullmatch(text)
    if whole:
        if len(whole.group(1)) > LABEL_MAX_DIGITS:  # before int(): no 4,300-digit conversion
            raise DataError("err.csv.label_too_long", line=lineno, digits=len(whole.group(1)),
                            limit=LABEL_MAX_DIGITS)
        return int(text)
    v = number(text)
    if v is None or not math.isfinite(v) or not v.is_integer():
        raise DataError("err.csv.label_not_int", line=lineno, value=show(text))
    return int(v)


def _point_row(cells: list[str], lineno: int) -> tuple[float, float, int]:
    return coordinate(cells[0], lineno, "x1"), coordinate(cells[1], lineno, "x2"), _label(cells[2], lineno)


POINT_ROWS = RowShape(columns=("x1", "x2", "label"), columns_code="err.csv.columns", parse=_point_row)


def parse_points_csv(
    data: bytes, max_bytes: int = CSV_MAX_BYTES, max_rows: int = CSV_MAX_ROWS
) -> tuple[np.ndarray, np.ndarray]:
    """`x1,x2,label` rows (header optional) -> X float32 (n,2), y int64 with labels
    remapped to 0..K-1 in sorted order. Raises DataError with a specific code.
    Numbers are plain decimals with |x| <= COORD_LIMIT; labels integers.
    The file checks, blank lines and line numbers: core.data.csv_table.read_table."""
    rows = read_table(data, POINT_ROWS, max_bytes, max_rows)
    X = np.array([r[:2] for r in rows], dtype=np.float64)
    labels = [r[2] for r in rows]
    classes = sorted(set(labels))  # python ints: huge labels cannot overflow
    if len(classes) < 2:
        raise DataError("err.csv.one_class")
    if len(classes) > CSV_MAX_CLASSES:
        raise DataError("err.csv.too_many_classes", count=len(classes), limit=CSV_MAX_CLASSES)
    index = {c: i for i, c in enumerate(classes)}
    y = np.array([index[c] for c in labels], dtype=np.int64)
    return X.astype(np.float32), y
