"""Loss functions on logits, each in a multiclass and a binary form, plus the registry the UI reads.

Multiclass: logits z (N, K), integer targets y (N,), p = softmax(z).
Binary:     logits z (N,),   targets y in {0, 1}, p = σ(z), margin m = ỹ z with ỹ = 2y - 1.
Every function returns the mean over N. All work from log-probabilities or margins, so they stay
finite (value and gradient) at logits of ±1000 in float32.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
import torch.nn.functional as F

# ---------------------------------------------------------------- helpers


def _onehot(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return F.one_hot(targets.long(), logits.shape[1]).to(logits.dtype)


def _float_targets(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    return targets.to(logits.dtype)


def _log_p_target(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """log p_y from log_softmax: never log(0), so no -inf at extreme logits."""
    return F.log_softmax(logits, dim=1).gather(1, targets.long().unsqueeze(1)).squeeze(1)


def _margin(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """m = (2y - 1) z; log σ(m) is then log p_y in the binary case."""
    return (2 * _float_targets(logits, targets) - 1) * logits


def _one_minus_exp(log_p: torch.Tensor) -> torch.Tensor:
    """1 - p from log p; expm1 keeps the digits that 1 - p loses when p ≈ 1."""
    return -torch.expm1(log_p)


EXP_CAP = 30.0


def _capped_exp(u: torch.Tensor) -> torch.Tensor:
    """exp(u) for u <= 30, then the tangent line exp(30)·(1 + u - 30): C¹, monotone, finite.

    The true exp(2000) is not representable; clamping the exponent (not torch.where on exp(u))
    keeps inf out of both the value and the gradient.
    """
    return torch.exp(u.clamp(max=EXP_CAP)) * (1 + F.relu(u - EXP_CAP))


# ---------------------------------------------------------------- cross-entropy


def cross_entropy(logits, targets):
    return F.cross_entropy(logits, targets.long())


def cross_entropy_binary(logits, targets):
    return F.binary_cross_entropy_with_logits(logits, _float_targets(logits, targets))


# ---------------------------------------------------------------- label smoothing


def label_smoothing(logits, targets, eps=0.1):
    return F.cross_entropy(logits, targets.long(), label_smoothing=eps)


def label_smoothing_binary(logits, targets, eps=0.1):
    # Same soft target as 2-class F.cross_entropy(label_smoothing=eps): y(1-eps) + eps/K, K=2.
    soft = _float_targets(logits, targets) * (1 - eps) + eps / 2
    return F.binary_cross_entropy_with_logits(logits, soft)


# ---------------------------------------------------------------- Brier score


def brier(logits, targets):
    p = F.softmax(logits, dim=1)
    return ((p - _onehot(logits, targets)) ** 2).sum(1).mean()


def brier_binary(logits, targets):
    return ((torch.sigmoid(logits) - _float_targets(logits, targets)) ** 2).mean()


# ---------------------------------------------------------------- mean absolute error


def mae(logits, targets):
    # sum_k |p_k - y_k| = (1 - p_y) + sum_{k≠y} p_k = 2(1 - p_y): same value, no abs kink.
    return (2 * _one_minus_exp(_log_p_target(logits, targets))).mean()


def mae_binary(logits, targets):
    # |σ(z) - y| = 1 - σ(m) = σ(-m)
    return torch.sigmoid(-_margin(logits, targets)).mean()


# ---------------------------------------------------------------- Huber on probabilities


def huber(logits, targets, delta=0.5):
    p = F.softmax(logits, dim=1)
    return F.huber_loss(p, _onehot(logits, targets), delta=delta, reduction="none").sum(1).mean()


def huber_binary(logits, targets, delta=0.5):
    return F.huber_loss(torch.sigmoid(logits), _float_targets(logits, targets), delta=delta)


# ---------------------------------------------------------------- hinge


def hinge(logits, targets):
    # Weston-Watkins multiclass hinge; PyTorch divides the sum over k≠y by K.
    return F.multi_margin_loss(logits, targets.long(), margin=1.0)


def hinge_binary(logits, targets):
    return F.relu(1 - _margin(logits, targets)).mean()


def squared_hinge(logits, targets):
    return F.multi_margin_loss(logits, targets.long(), p=2, margin=1.0)


def squared_hinge_binary(logits, targets):
    return (F.relu(1 - _margin(logits, targets)) ** 2).mean()


# ---------------------------------------------------------------- exponential (AdaBoost)


def exponential(logits, targets):
    z_y = logits.gather(1, targets.long().unsqueeze(1))
    others = 1 - _onehot(logits, targets)  # mask, not "-1": subtracting e^0 would lose small terms
    return (_capped_exp(logits - z_y) * others).sum(1).mean()


def exponential_binary(logits, targets):
    return _capped_exp(-_margin(logits, targets)).mean()


# ---------------------------------------------------------------- generalised cross-entropy


def gce(logits, targets, q=0.7):
    # (1 - p_y^q) / q with p_y^q = exp(q log p_y); expm1 keeps q → 0 accurate (→ -log p_y).
    return (_one_minus_exp(q * _log_p_target(logits, targets)) / q).mean()


def gce_binary(logits, targets, q=0.7):
    return (_one_minus_exp(q * F.logsigmoid(_margin(logits, targets))) / q).mean()


# ---------------------------------------------------------------- focal


def _focal(log_p, gamma):
    # Clamp at the smallest normal float: at 1 - p_y = 0, d/du u^γ is inf for γ < 1 and 0·inf = NaN.
    one_minus_p = _one_minus_exp(log_p).clamp(min=torch.finfo(log_p.dtype).tiny)
    return -(one_minus_p**gamma) * log_p


def focal(logits, targets, gamma=2.0):
    return _focal(_log_p_target(logits, targets), gamma).mean()


def focal_binary(logits, targets, gamma=2.0):
    return _focal(F.logsigmoid(_margin(logits, targets)), gamma).mean()


# ---------------------------------------------------------------- registry


@dataclass(frozen=True)
class LossParam:
    name: str  # keyword passed to the loss fn, e.g. "q"
    default: float
    low: float
    high: float
    step: float
    symbol: str  # LaTeX symbol for the UI


@dataclass(frozen=True)
class LossSpec:
    key: str
    multiclass: Callable  # (logits (N,K), targets (N,) int64, **params) -> scalar mean over N
    binary: Callable | None  # (logits (N,), targets (N,) in {0,1}, **params) -> scalar mean
    formula: str  # LaTeX, per-sample multiclass loss in z, p = softmax(z), y
    binary_formula: str  # LaTeX, binary loss in m = ỹz, p = σ(z)
    gradient: str | None  # LaTeX of dℓ/dz where short
    params: tuple[LossParam, ...] = ()
    # Optional closed form of d(mean loss)/dz, (logits, targets) -> tensor like logits. Only a
    # speed-up for the live trainer (no autograd call per step); tests check it against autograd.
    grad_multiclass: Callable | None = None
    grad_binary: Callable | None = None
    # UI name and description: core/i18n.py, keys f"loss.{key}.name" / f"loss.{key}.desc"


_HUBER = (
    r"H_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\"
    r" \delta\,(|r| - \tfrac12 \delta) & \text{otherwise} \end{cases}"
)

_SPECS = [
    LossSpec(
        "cross_entropy",
        cross_entropy,
        cross_entropy_binary,
        formula=r"\ell = -\log p_y = -z_y + \log \sum_k e^{z_k}",
        binary_formula=r"\ell = \log\left(1 + e^{-m}\right)",
        gradient=r"p - y",
        grad_multiclass=lambda z, y: (torch.softmax(z, 1) - _onehot(z, y)) / len(y),
        grad_binary=lambda z, y: (torch.sigmoid(z) - y.to(z.dtype)) / len(y),
    ),
    LossSpec(
        "label_smoothing",
        label_smoothing,
        label_smoothing_binary,
        formula=r"\ell = -\sum_k \left[(1 - \varepsilon)\, y_k + \tfrac{\varepsilon}{K}\right] \log p_k",
        binary_formula=(
            r"\ell = -\left[t \log p + (1 - t) \log(1 - p)\right],"
            r"\quad t = (1 - \varepsilon)\, y + \tfrac{\varepsilon}{2}"
        ),
        gradient=r"p - \left[(1 - \varepsilon)\, y + \tfrac{\varepsilon}{K}\right]",
        params=(LossParam("eps", 0.1, 0.0, 0.5, 0.01, r"\varepsilon"),),
    ),
    LossSpec(
        "brier",
        brier,
        brier_binary,
        formula=r"\ell = \sum_k (p_k - y_k)^2",
        binary_formula=r"\ell = (p - y)^2",
        gradient=None,
    ),
    LossSpec(
        "mae",
        mae,
        mae_binary,
        formula=r"\ell = \sum_k |p_k - y_k| = 2\,(1 - p_y)",
        binary_formula=r"\ell = |p - y| = \sigma(-m)",
        gradient=r"2\, p_y\, (p - y)",
    ),
    LossSpec(
        "huber",
        huber,
        huber_binary,
        formula=r"\ell = \sum_k H_\delta(p_k - y_k),\quad " + _HUBER,
        binary_formula=r"\ell = H_\delta(p - y),\quad " + _HUBER,
        gradient=None,
        params=(LossParam("delta", 0.5, 0.05, 2.0, 0.05, r"\delta"),),
    ),
    LossSpec(
        "hinge",
        hinge,
        hinge_binary,
        formula=(
            r"\ell = \frac{1}{K} \sum_{k \ne y} \max(0,\ 1 - z_y + z_k)"
            r"\quad \text{(Weston--Watkins; PyTorch divides by } K\text{)}"
        ),
        binary_formula=r"\ell = \max(0,\ 1 - m)",
        gradient=None,
    ),
    LossSpec(
        "squared_hinge",
        squared_hinge,
        squared_hinge_binary,
        formula=(
            r"\ell = \frac{1}{K} \sum_{k \ne y} \max(0,\ 1 - z_y + z_k)^2"
            r"\quad \text{(PyTorch divides by } K\text{)}"
        ),
        binary_formula=r"\ell = \max(0,\ 1 - m)^2",
        gradient=None,
    ),
    LossSpec(
        "exponential",
        exponential,
        exponential_binary,
        formula=(
            r"\ell = \sum_{k \ne y} e^{z_k - z_y}"
            r"\quad (e^u \text{ continued linearly for } u > 30)"
        ),
        binary_formula=r"\ell = e^{-m}\quad (e^u \text{ continued linearly for } u > 30)",
        gradient=None,
    ),
    LossSpec(
        "gce",
        gce,
        gce_binary,
        formula=r"\ell = \frac{1 - p_y^{\,q}}{q}",
        binary_formula=r"\ell = \frac{1 - \sigma(m)^q}{q}",
        gradient=r"p_y^{\,q}\, (p - y)",
        params=(LossParam("q", 0.7, 0.05, 1.0, 0.05, r"q"),),
    ),
    LossSpec(
        "focal",
        focal,
        focal_binary,
        formula=r"\ell = -(1 - p_y)^\gamma \log p_y",
        binary_formula=r"\ell = -(1 - \sigma(m))^\gamma \log \sigma(m)",
        gradient=None,
        params=(LossParam("gamma", 2.0, 0.0, 5.0, 0.5, r"\gamma"),),
    ),
]

LOSSES: dict[str, LossSpec] = {spec.key: spec for spec in _SPECS}


def compute_loss(key: str, logits, targets, **params):
    """Dispatch: logits.ndim == 1 -> spec.binary, else spec.multiclass.

    Unknown param names -> TypeError; missing params use the registry defaults.
    """
    spec = LOSSES[key]
    known = {p.name: p.default for p in spec.params}
    unknown = set(params) - set(known)
    if unknown:
        raise TypeError(f"loss {key!r} got unknown parameter(s) {sorted(unknown)}; expects {sorted(known)}")
    logits = torch.as_tensor(logits)
    targets = torch.as_tensor(targets)
    fn = spec.binary if logits.ndim == 1 else spec.multiclass
    if fn is None:
        raise ValueError(f"loss {key!r} has no binary form")
    return fn(logits, targets, **(known | params))


def probabilities(logits):
    """(N,) logits -> (N, 2) [1 - σ(z), σ(z)]; (N, K) -> softmax. For heatmaps and calibration."""
    logits = torch.as_tensor(logits)
    if logits.ndim == 1:
        # σ(-z) rather than 1 - σ(z): keeps the small class probability exact
        return torch.stack([torch.sigmoid(-logits), torch.sigmoid(logits)], dim=1)
    return F.softmax(logits, dim=1)
