"""Label noise: flip a controlled, exact number of training labels.

Counts are exact (round(rate * n)), not Bernoulli draws, so "20% noise" on 1000
points means exactly 200 wrong labels, and the lesson is not blurred by luck.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

import numpy as np
import torch

from core.data.data2d import DataError

NOISE_KINDS = ("none", "symmetric", "pairs")
MNIST_PAIRS = [(7, 1), (2, 7), (5, 6), (6, 5), (3, 8)]

# Own random stream, so label flips are not correlated with data generation
# (which uses default_rng(seed)) when both get the same seed.
NOISE_STREAM = 2


@dataclass(frozen=True)
class NoisyLabels:
    labels: torch.Tensor  # int64, given (possibly flipped) labels
    flipped: torch.Tensor  # bool, True where labels != clean


def _check_rate(rate: float) -> float:
    rate = float(rate)
    if not (math.isfinite(rate) and 0.0 <= rate <= 1.0):
        raise ValueError(f"noise rate must be in [0, 1], got {rate}")
    return rate


def _clean_numpy(y: torch.Tensor) -> np.ndarray:
    if y.ndim != 1:
        raise ValueError(f"labels must be 1-D, got shape {tuple(y.shape)}")
    return y.detach().to("cpu", torch.int64).numpy().copy()


def _result(noisy: np.ndarray, clean: np.ndarray, like: torch.Tensor) -> NoisyLabels:
    labels = torch.from_numpy(noisy).to(like.device)
    return NoisyLabels(labels=labels, flipped=torch.from_numpy(noisy != clean).to(like.device))


def symmetric_noise(y: torch.Tensor, n_classes: int, rate: float, seed: int) -> NoisyLabels:
    """Exactly round(rate*n) samples, chosen uniformly without replacement, each moved
    to a uniformly chosen OTHER class."""
    rate = _check_rate(rate)
    clean = _clean_numpy(y)
    if n_classes < 2:
        raise ValueError("symmetric noise needs at least 2 classes")
    if clean.size and (clean.min() < 0 or clean.max() >= n_classes):
        raise ValueError(f"labels must be in 0..{n_classes - 1}")
    rng = np.random.default_rng((seed, NOISE_STREAM))
    n = len(clean)
    k = int(round(rate * n))
    idx = rng.choice(n, size=k, replace=False)
    # adding 1..K-1 modulo K reaches every other class with equal probability
    noisy = clean.copy()
    noisy[idx] = (clean[idx] + rng.integers(1, n_classes, size=k)) % n_classes
    return _result(noisy, clean, y)


def _check_pairs(pairs: Sequence[tuple[int, int]], n_classes: int | None = None) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    seen: set[int] = set()
    for a, b in pairs:
        a, b = int(a), int(b)
        for c in (a, b):
            if c < 0 or (n_classes is not None and c >= n_classes):
                raise DataError("err.pairs.range", cls=c, max=(n_classes or 1) - 1)
        if a == b:
            raise DataError("err.pairs.same", cls=a)
        if a in seen:
            raise DataError("err.pairs.duplicate", cls=a)
        seen.add(a)
        out.append((a, b))
    return out


def pair_noise(y: torch.Tensor, pairs: Sequence[tuple[int, int]], rate: float, seed: int) -> NoisyLabels:
    """Class-dependent noise: for each (a, b), exactly round(rate * count(y == a))
    samples of clean class a are relabelled b. Selections use the clean labels, so
    a swap [(5, 6), (6, 5)] moves each class once, never back again."""
    rate = _check_rate(rate)
    clean = _clean_numpy(y)
    pairs = _check_pairs(pairs)
    rng = np.random.default_rng((seed, NOISE_STREAM))
    noisy = clean.copy()
    for a, b in pairs:
        members = np.flatnonzero(clean == a)
        k = int(round(rate * len(members)))
        noisy[rng.choice(members, size=k, replace=False)] = b
    return _result(noisy, clean, y)


_PAIR_RE = re.compile(r"^(\d{1,6})\s*(<->|<>|->|>)\s*(\d{1,6})$")  # bounded: int() never sees 5,000 digits


def parse_pairs(text: str, n_classes: int) -> list[tuple[int, int]]:
    """"7>1, 2>7, 5<>6" -> [(7,1), (2,7), (5,6), (6,5)]. `a>b` relabels some of class a
    as b; `a<>b` swaps both ways. Raises DataError (a ValueError) with an i18n code."""
    pairs: list[tuple[int, int]] = []
    for token in text.split(","):
        token = token.strip()
        if not token:
            continue  # tolerate "7>1," and empty input
        m = _PAIR_RE.match(token)
        if m is None:
            raise DataError("err.pairs.syntax", token=token[:20])
        a, arrow, b = int(m.group(1)), m.group(2), int(m.group(3))
        pairs.append((a, b))
        if "<" in arrow:
            pairs.append((b, a))
    return _check_pairs(pairs, n_classes)


def apply_label_noise(
    y: torch.Tensor,
    n_classes: int,
    kind: str,
    rate: float,
    seed: int,
    pairs: Sequence[tuple[int, int]] = (),
) -> NoisyLabels:
    """Dispatch on kind: "none" returns the labels unchanged with an all-False mask."""
    _check_rate(rate)
    if kind == "none":
        clean = _clean_numpy(y)
        return _result(clean, clean, y)
    if kind == "symmetric":
        return symmetric_noise(y, n_classes, rate, seed)
    if kind == "pairs":
        _check_pairs(pairs, n_classes)
        return pair_noise(y, pairs, rate, seed)
    raise ValueError(f"unknown noise kind {kind!r}; choose one of {NOISE_KINDS}")
