"""Fisher consistency for K = 3: minimise the conditional risk Σ_i p_i·ℓ(f, i) over scores f ∈ ℝ³.

A loss is Fisher-consistent when, for every p, the minimiser f* ranks the most likely class first
(argmax f* = argmax p). The losses are the registry's own functions (core/learning/losses.py); gradients
come from torch autograd on them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch

from core.i18n import UserFacingError
from core.learning.losses import LOSSES

K = 3
FISHER_LOSSES = ("cross_entropy", "brier", "hinge", "ova_hinge")  # "hinge" is Weston–Watkins
PRESET_P = (0.4, 0.3, 0.3)  # no class above 1/2: the one-vs-all hinge ties all three
STEPS = 600
LR_START, LR_END = 2.0, 1e-4  # geometric decay: fast travel, then the hinges settle on their kinks
TIE_TOL = 1e-3  # scores this close count as a tie (the hinges' last subgradient steps are ~1e-4)
SUM_TOL = 1e-6
LABELS = np.arange(K)


@dataclass(frozen=True)
class FisherResult:
    loss: str
    p: tuple[float, ...]
    f: tuple[float, ...]  # the minimiser f* found
    risk: float  # Σ_i p_i ℓ(f*, i)
    top_f: tuple[int, ...]  # classes whose score is within TIE_TOL of the largest
    top_p: tuple[int, ...]  # the most likely classes

    @property
    def verdict(self) -> str:
        """'bayes': any class the scores pick is a most likely one; 'tie': the scores tie
        between classes and some of them are not most likely; 'wrong': they pick a less likely class."""
        if set(self.top_f) <= set(self.top_p):
            return "bayes"
        return "tie" if len(self.top_f) > 1 else "wrong"


def normalised(weights) -> tuple[float, ...]:
    """The page's three inputs in [0, 1] divided by their sum (so they need not add up to 1).
    Refused: not three finite numbers, a negative one, or all zero."""
    try:
        values = tuple(float(v) for v in weights)
    except (TypeError, ValueError):
        raise UserFacingError("err.lab.fisher_numbers", k=K) from None
    if len(values) != K or not all(math.isfinite(v) and v >= 0 for v in values):
        raise UserFacingError("err.lab.fisher_numbers", k=K)
    total = sum(values)
    if total <= 0:
        raise UserFacingError("err.lab.fisher_zero")
    return tuple(v / total for v in values)


def conditional_risk(loss: str, f: torch.Tensor, p: torch.Tensor) -> torch.Tensor:
    """Σ_i p_i ℓ(f, i), each ℓ(f, i) the registry's multiclass loss of one sample with label i."""
    fn = LOSSES[loss].multiclass
    return sum(p[i] * fn(f.unsqueeze(0), torch.tensor([i])) for i in range(K))


def risk_gradient(loss: str, f: np.ndarray, p: np.ndarray) -> np.ndarray:
    """∇_f Σ_i p_i ℓ(f, i) from one call of the registry's closed-form gradient (checked against
    autograd in tests/test_losses.py): a batch of K copies of f, row i labelled i; the batch mean's
    gradient on row i is ∇ℓ(f, i) / K."""
    per_row = LOSSES[loss].numpy_grad(False)(np.tile(f, (K, 1)), LABELS)
    return K * (p[:, None] * per_row).sum(0)


def minimise(loss: str, p) -> FisherResult:
    """(Sub)gradient descent from f = 0 with a geometrically decaying step, so the last iterate
    ends within about LR_END of a hinge's kink. Deterministic: no randomness."""
    if loss not in FISHER_LOSSES:
        raise ValueError(f"unknown Fisher loss {loss!r}")
    probs = tuple(float(v) for v in p)
    if len(probs) != K or min(probs) < 0 or abs(sum(probs) - 1.0) > SUM_TOL:
        raise ValueError(f"p must be {K} probabilities summing to 1, got {probs}")  # normalised() first
    pn = np.array(probs)
    f = np.zeros(K)
    decay = (LR_END / LR_START) ** (1.0 / (STEPS - 1))
    for step in range(STEPS):
        f = f - LR_START * decay**step * risk_gradient(loss, f, pn)
    scores = tuple(float(v) for v in f)
    top = max(scores)
    risk = conditional_risk(loss, torch.from_numpy(f), torch.from_numpy(pn)).item()
    return FisherResult(
        loss, probs, scores, risk,
        top_f=tuple(k for k in range(K) if scores[k] >= top - TIE_TOL),
        top_p=tuple(k for k in range(K) if probs[k] >= max(probs) - SUM_TOL),
    )


def minimise_all(p) -> list[FisherResult]:
    return [minimise(loss, p) for loss in FISHER_LOSSES]
