"""The Loss lab's numbers (sections 1-2), computed by the registry's own loss functions.

Section 1: binary ℓ(m) and -dℓ/dm against the margin m = ỹz (autograd on Loss.binary with
label 1, so z = m), plus the 0-1 loss; multiclass ℓ against the true-class probability p_y (the
other K - 1 classes share 1 - p_y equally) and the gradient weight relative to cross-entropy.
Section 2: the expected binary loss E[ℓ](q) = p·ℓ(q, 1) + (1 - p)·ℓ(q, 0), with q fed to the
registry's binary loss as the logit z = log(q / (1 - q)). The registry's binary Brier score is
(σ(z) - y)² = (q - y)² (not the multiclass sum over both classes, which is twice that), and its
binary MAE is |q - y|: the probability forms of the textbook.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
import torch

from core.learning.losses import LOSSES

ZERO_ONE = "zero_one"  # the reference 0-1 loss: 1 where m <= 0 (a tie counts as an error)
SCORING_LOSSES = ("cross_entropy", "brier", "mae")
MARGIN_POINTS = 401
PY_POINTS = 199   # p_y = 0.005, 0.01, ..., 0.995 (the ends are ±∞ logits)
SCORE_STEP = 0.005  # the q grid of section 2: 0.005 .. 0.995


def per_sample_binary(loss: str, z: np.ndarray, label: int, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """(ℓ(z_i, label), dℓ/dz_i) per sample, from the registry's binary function and autograd (float64)."""
    fn = LOSSES[loss].binary
    target = torch.full((1,), float(label), dtype=torch.float64)

    def one(zi):  # the registry's mean over a batch of one = that sample's loss
        return fn(zi.reshape(1), target, **params)

    grad, value = torch.func.vmap(torch.func.grad_and_value(one))(torch.as_tensor(z, dtype=torch.float64))
    return value.numpy(), grad.numpy()


def margin_grid(low: float, high: float, n: int = MARGIN_POINTS) -> np.ndarray:
    return np.linspace(low, high, n)


def zero_one(m: np.ndarray) -> np.ndarray:
    return (m <= 0).astype(float)


def margin_rows(losses, params: dict[str, dict], low: float, high: float, n: int = MARGIN_POINTS) -> list[dict]:
    """Long-format rows {loss, m, loss_value, pull} with pull = -dℓ/dm; the 0-1 loss last (pull 0
    away from m = 0, where it has none)."""
    m = margin_grid(low, high, n)
    rows = []
    for key in losses:
        value, grad = per_sample_binary(key, m, 1, params.get(key, {}))
        rows += [{"loss": key, "m": float(a), "loss_value": float(v), "pull": float(-g)}
                 for a, v, g in zip(m, value, grad)]
    rows += [{"loss": ZERO_ONE, "m": float(a), "loss_value": float(v), "pull": 0.0} for a, v in zip(m, zero_one(m))]
    return rows


def py_grid(n: int = PY_POINTS) -> np.ndarray:
    return np.arange(1, n + 1) / (n + 1)


def logits_for_true_class(p_y: np.ndarray, classes: int) -> torch.Tensor:
    """(N, K) logits log p with p = (p_y, (1 - p_y)/(K - 1), ...): softmax gives p back, class 0 true."""
    p = np.empty((len(p_y), classes))
    p[:, 0] = p_y
    p[:, 1:] = ((1.0 - p_y) / (classes - 1))[:, None]
    return torch.as_tensor(np.log(p), dtype=torch.float64)


def per_sample_multiclass(loss: str, p_y: np.ndarray, classes: int, params: dict) -> tuple[np.ndarray, np.ndarray]:
    """(ℓ, dℓ/dz_y) at each p_y (true class 0), from the registry's multiclass function."""
    fn = LOSSES[loss].multiclass
    target = torch.zeros(1, dtype=torch.long)

    def one(z):
        return fn(z.unsqueeze(0), target, **params)

    with warnings.catch_warnings():  # vmap runs multi_margin_loss (the hinges) unbatched: slower, not wrong
        warnings.filterwarnings("ignore", message="There is a performance drop")
        grad, value = torch.func.vmap(torch.func.grad_and_value(one))(logits_for_true_class(p_y, classes))
    return value.numpy(), grad[:, 0].numpy()


def multiclass_rows(losses, params: dict[str, dict], classes: int, n: int = PY_POINTS) -> list[dict]:
    """Rows {loss, p_y, loss_value, weight}: weight = (dℓ/dz_y) / (dCE/dz_y), the loss's pull on the
    true-class score relative to cross-entropy's (p_y - 1). For GCE it is p_y^q, for MAE 2 p_y."""
    p_y = py_grid(n)
    _, ce_grad = per_sample_multiclass("cross_entropy", p_y, classes, {})
    rows = []
    for key in losses:
        value, grad = per_sample_multiclass(key, p_y, classes, params.get(key, {}))
        rows += [{"loss": key, "p_y": float(p), "loss_value": float(v), "weight": float(g / c) + 0.0}
                 for p, v, g, c in zip(p_y, value, grad, ce_grad)]
    return rows


# ---------------------------------------------------------------- section 2: proper scoring


def score_grid(step: float = SCORE_STEP) -> np.ndarray:
    n = round(1 / step)
    return np.arange(1, n) / n


def expected_loss(loss: str, p: float, q: np.ndarray, params: dict | None = None) -> np.ndarray:
    """E[ℓ](q) = p·ℓ(q, 1) + (1 - p)·ℓ(q, 0), the registry's binary loss at the logit of q."""
    z = np.log(q) - np.log1p(-q)
    if_one, _ = per_sample_binary(loss, z, 1, params or {})
    if_zero, _ = per_sample_binary(loss, z, 0, params or {})
    return p * if_one + (1 - p) * if_zero


@dataclass(frozen=True)
class ScoringCurve:
    loss: str
    q: np.ndarray
    expected: np.ndarray

    @property
    def minimiser(self) -> float:
        return float(self.q[int(np.argmin(self.expected))])

    @property
    def minimum(self) -> float:
        return float(self.expected.min())

    def honest(self, p: float) -> bool:
        """Minimised at q = p, to the grid's step: the loss rewards the true probability."""
        step = float(self.q[1] - self.q[0])
        return abs(self.minimiser - p) <= step * (1 + 1e-9)


def scoring_curves(p: float, losses=SCORING_LOSSES, step: float = SCORE_STEP,
                   params: dict[str, dict] | None = None) -> list[ScoringCurve]:
    q = score_grid(step)
    return [ScoringCurve(key, q, expected_loss(key, p, q, (params or {}).get(key))) for key in losses]


@dataclass(frozen=True)
class BrierDecomposition:
    """E[(q - y)²] = (q - p)² + p(1 - p): a miscalibration term plus the event's own uncertainty."""
    expected: float      # from the registry's binary Brier score
    calibration: float   # (q - p)²
    uncertainty: float   # p(1 - p)


def brier_decomposition(p: float, q: float) -> BrierDecomposition:
    expected = float(expected_loss("brier", p, np.array([q]))[0])
    return BrierDecomposition(expected, (q - p) ** 2, p * (1 - p))
