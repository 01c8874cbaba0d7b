"""Classification losses on logits. Each loss is one class holding everything about it side by side:
its value in a multiclass and a binary form, its closed-form gradients, its formulas and its parameters.
`@register` puts it into LOSSES, the registry the UI reads, in the order they are defined here.

Multiclass: logits z (N, K), integer targets y (N,), p = softmax(z).
Binary:     logits z (N,),   targets y in {0, 1}, p = σ(z), margin m = ỹ z with ỹ = 2y - 1.
Every value returns the mean over N. All work from log-probabilities or margins, so they stay
finite (value and gradient) at logits of ±1000 in float32.

The closed-form gradients dℓ/dz of the mean (numpy: z float32, y float for binary / int for multiclass)
are used by the live trainer's numpy steps (core/learning/engines.py) and checked against autograd
(tests/test_losses.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from core.i18n import UserFacingError
from core.learning.models import numpy_sigmoid

# ---------------------------------------------------------------- what a loss holds


@dataclass(frozen=True)
class LossParam:
    name: str  # keyword passed to the loss fn, e.g. "q"
    default: float
    low: float
    high: float
    step: float
    symbol: str  # LaTeX symbol for the UI


class Loss:
    """One classification loss. Each loss below subclasses this, sets its formulas and parameters and writes
    its functions as static methods, all in one place; a form it lacks stays None.
    UI name and description: core/i18n.py, keys f"loss.{key}.name" / f"loss.{key}.desc".
    """

    key: str
    formula: str  # LaTeX, per-sample multiclass loss in z, p = softmax(z), y
    binary_formula: str = ""  # LaTeX, binary loss in m = ỹz, p = σ(z); "" for a multiclass-only loss
    gradient: str | None = None  # LaTeX of dℓ/dz where short
    params: tuple[LossParam, ...] = ()

    multiclass: Callable  # (logits (N,K), targets (N,) int64, **params) -> scalar mean over N
    binary: Callable | None = None  # (logits (N,), targets (N,) in {0,1}, **params) -> scalar mean
    # Closed forms of d(mean loss)/dz, (z, y, **params) -> array like z: the live trainer steps without
    # autograd; tests check them against autograd.
    numpy_grad_multiclass: Callable | None = None
    numpy_grad_binary: Callable | None = None
    # The same in torch (tensors in, tensor out), where the torch fast path has one (no params).
    torch_grad_multiclass: Callable | None = None
    torch_grad_binary: Callable | None = None

    def numpy_grad(self, binary: bool) -> Callable | None:
        return self.numpy_grad_binary if binary else self.numpy_grad_multiclass

    def torch_grad(self, binary: bool) -> Callable | None:
        return self.torch_grad_binary if binary else self.torch_grad_multiclass


LOSSES: dict[str, Loss] = {}


def register(loss_class: type[Loss]) -> type[Loss]:
    LOSSES[loss_class.key] = loss_class()
    return loss_class


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


# ---------------------------------------------------------------- numpy helpers of the gradients


def _np_softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    e /= e.sum(1, keepdims=True)
    return e


def _np_onehot(z, y):
    out = np.zeros_like(z)
    out[np.arange(len(y)), y] = 1.0
    return out


def _np_signed(y):
    return 2.0 * y - 1.0  # ỹ in {-1, +1}; the margin is m = ỹ z


def _np_through_softmax(p, dl_dp):
    """dℓ/dz from dℓ/dp for p = softmax(z): p ⊙ (dℓ/dp - Σ_k p_k dℓ/dp_k)."""
    return p * (dl_dp - (p * dl_dp).sum(1, keepdims=True))


def _np_log_p_target(z, y):
    shifted = z - z.max(1, keepdims=True)
    return shifted[np.arange(len(y)), y] - np.log(np.exp(shifted).sum(1))


def _np_scale_by_target(z, y, weight):
    """dℓ/dz = w_i (p - onehot) for losses of p_y alone (MAE, GCE)."""
    return weight[:, None] * (_np_softmax(z) - _np_onehot(z, y)) / len(y)


def _np_margin_terms(z, y):
    """u_k = 1 - z_y + z_k for k ≠ y (0 where k = y is masked out)."""
    rows = np.arange(len(y))
    u = 1.0 - z[rows, y][:, None] + z
    others = np.ones_like(z, dtype=bool)
    others[rows, y] = False
    return u, others, rows


def _np_to_target_column(g, y, rows):
    g[rows, y] = -g.sum(1)  # z_y enters every term with the opposite sign
    return g


# ---------------------------------------------------------------- cross-entropy


@register
class CrossEntropy(Loss):
    key = "cross_entropy"
    formula = r"\ell = -\log p_y = -z_y + \log \sum_k e^{z_k}"
    binary_formula = r"\ell = \log\left(1 + e^{-m}\right)"
    gradient = r"p - y"

    @staticmethod
    def multiclass(logits, targets):
        return F.cross_entropy(logits, targets.long())

    @staticmethod
    def binary(logits, targets):
        return F.binary_cross_entropy_with_logits(logits, _float_targets(logits, targets))

    @staticmethod
    def numpy_grad_multiclass(z, y, smoothing=0.0):
        g = _np_softmax(z)
        if smoothing:
            g -= smoothing / z.shape[1]
        g[np.arange(len(y)), y] -= 1.0 - smoothing
        return g / len(y)

    @staticmethod
    def numpy_grad_binary(z, y, smoothing=0.0):
        target = y * (1.0 - smoothing) + smoothing / 2 if smoothing else y
        return (numpy_sigmoid(z) - target) / len(y)

    @staticmethod
    def torch_grad_multiclass(z, y):
        return (torch.softmax(z, 1) - _onehot(z, y)) / len(y)

    @staticmethod
    def torch_grad_binary(z, y):
        return (torch.sigmoid(z) - y.to(z.dtype)) / len(y)


# ---------------------------------------------------------------- label smoothing


@register
class LabelSmoothing(Loss):
    key = "label_smoothing"
    formula = r"\ell = -\sum_k \left[(1 - \varepsilon)\, y_k + \tfrac{\varepsilon}{K}\right] \log p_k"
    binary_formula = (
        r"\ell = -\left[t \log p + (1 - t) \log(1 - p)\right],"
        r"\quad t = (1 - \varepsilon)\, y + \tfrac{\varepsilon}{2}"
    )
    gradient = r"p - \left[(1 - \varepsilon)\, y + \tfrac{\varepsilon}{K}\right]"
    params = (LossParam("eps", 0.1, 0.0, 0.5, 0.01, r"\varepsilon"),)

    @staticmethod
    def multiclass(logits, targets, eps=0.1):
        return F.cross_entropy(logits, targets.long(), label_smoothing=eps)

    @staticmethod
    def binary(logits, targets, eps=0.1):
        # Same soft target as 2-class F.cross_entropy(label_smoothing=eps): y(1-eps) + eps/K, K=2.
        soft = _float_targets(logits, targets) * (1 - eps) + eps / 2
        return F.binary_cross_entropy_with_logits(logits, soft)

    @staticmethod
    def numpy_grad_multiclass(z, y, eps=0.1):
        return CrossEntropy.numpy_grad_multiclass(z, y, eps)

    @staticmethod
    def numpy_grad_binary(z, y, eps=0.1):
        return CrossEntropy.numpy_grad_binary(z, y, eps)


# ---------------------------------------------------------------- Brier score


@register
class Brier(Loss):
    key = "brier"
    formula = r"\ell = \sum_k (p_k - y_k)^2"
    binary_formula = r"\ell = (p - y)^2"

    @staticmethod
    def multiclass(logits, targets):
        p = F.softmax(logits, dim=1)
        return ((p - _onehot(logits, targets)) ** 2).sum(1).mean()

    @staticmethod
    def binary(logits, targets):
        return ((torch.sigmoid(logits) - _float_targets(logits, targets)) ** 2).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y):
        p = _np_softmax(z)
        return _np_through_softmax(p, 2.0 * (p - _np_onehot(z, y))) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y):
        p = numpy_sigmoid(z)
        return 2.0 * (p - y) * p * (1.0 - p) / len(y)


# ---------------------------------------------------------------- mean absolute error


@register
class MeanAbsoluteError(Loss):
    key = "mae"
    formula = r"\ell = \sum_k |p_k - y_k| = 2\,(1 - p_y)"
    binary_formula = r"\ell = |p - y| = \sigma(-m)"
    gradient = r"2\, p_y\, (p - y)"

    @staticmethod
    def multiclass(logits, targets):
        # sum_k |p_k - y_k| = (1 - p_y) + sum_{k≠y} p_k = 2(1 - p_y): same value, no abs kink.
        return (2 * _one_minus_exp(_log_p_target(logits, targets))).mean()

    @staticmethod
    def binary(logits, targets):
        # |σ(z) - y| = 1 - σ(m) = σ(-m)
        return torch.sigmoid(-_margin(logits, targets)).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y):
        return _np_scale_by_target(z, y, 2.0 * np.exp(_np_log_p_target(z, y)))

    @staticmethod
    def numpy_grad_binary(z, y):
        s = _np_signed(y)
        return -s * numpy_sigmoid(-s * z) * numpy_sigmoid(s * z) / len(y)


# ---------------------------------------------------------------- Huber on probabilities

_HUBER = (
    r"H_\delta(r) = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\"
    r" \delta\,(|r| - \tfrac12 \delta) & |r| > \delta \end{cases}"
)


@register
class Huber(Loss):
    key = "huber"
    formula = r"\ell = \sum_k H_\delta(p_k - y_k),\quad " + _HUBER
    binary_formula = r"\ell = H_\delta(p - y),\quad " + _HUBER
    params = (LossParam("delta", 0.5, 0.05, 2.0, 0.05, r"\delta"),)

    @staticmethod
    def multiclass(logits, targets, delta=0.5):
        p = F.softmax(logits, dim=1)
        return F.huber_loss(p, _onehot(logits, targets), delta=delta, reduction="none").sum(1).mean()

    @staticmethod
    def binary(logits, targets, delta=0.5):
        return F.huber_loss(torch.sigmoid(logits), _float_targets(logits, targets), delta=delta)

    @staticmethod
    def numpy_grad_multiclass(z, y, delta=0.5):
        p = _np_softmax(z)
        return _np_through_softmax(p, np.clip(p - _np_onehot(z, y), -delta, delta)) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y, delta=0.5):
        p = numpy_sigmoid(z)
        return np.clip(p - y, -delta, delta) * p * (1.0 - p) / len(y)


# ---------------------------------------------------------------- hinge


@register
class Hinge(Loss):
    key = "hinge"
    formula = r"\ell = \frac{1}{K} \sum_{k \ne y} \max(0,\ 1 - z_y + z_k)"  # Weston-Watkins; 1/K as PyTorch
    binary_formula = r"\ell = \max(0,\ 1 - m)"

    @staticmethod
    def multiclass(logits, targets):
        # Weston-Watkins multiclass hinge; PyTorch divides the sum over k≠y by K.
        return F.multi_margin_loss(logits, targets.long(), margin=1.0)

    @staticmethod
    def binary(logits, targets):
        return F.relu(1 - _margin(logits, targets)).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y):
        u, others, rows = _np_margin_terms(z, y)
        g = ((u > 0) & others).astype(z.dtype) / z.shape[1]
        return _np_to_target_column(g, y, rows) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y):
        s = _np_signed(y)
        return -s * (s * z < 1.0) / len(y)


@register
class SquaredHinge(Loss):
    key = "squared_hinge"
    formula = r"\ell = \frac{1}{K} \sum_{k \ne y} \max(0,\ 1 - z_y + z_k)^2"  # 1/K as PyTorch
    binary_formula = r"\ell = \max(0,\ 1 - m)^2"

    @staticmethod
    def multiclass(logits, targets):
        return F.multi_margin_loss(logits, targets.long(), p=2, margin=1.0)

    @staticmethod
    def binary(logits, targets):
        return (F.relu(1 - _margin(logits, targets)) ** 2).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y):
        u, others, rows = _np_margin_terms(z, y)
        g = 2.0 * np.where(others, np.maximum(u, 0.0), 0.0).astype(z.dtype) / z.shape[1]
        return _np_to_target_column(g, y, rows) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y):
        s = _np_signed(y)
        return -2.0 * s * np.maximum(1.0 - s * z, 0.0) / len(y)


# ---------------------------------------------------------------- exponential (AdaBoost)


@register
class Exponential(Loss):
    key = "exponential"
    formula = r"\ell = \sum_{k \ne y} e^{z_k - z_y}"  # (e^u is continued linearly above u = 30: core code)
    binary_formula = r"\ell = e^{-m}"

    @staticmethod
    def multiclass(logits, targets):
        z_y = logits.gather(1, targets.long().unsqueeze(1))
        others = 1 - _onehot(logits, targets)  # mask, not "-1": subtracting e^0 would lose small terms
        return (_capped_exp(logits - z_y) * others).sum(1).mean()

    @staticmethod
    def binary(logits, targets):
        return _capped_exp(-_margin(logits, targets)).mean()

    # e^u continued linearly above EXP_CAP, so its slope is e^min(u, EXP_CAP)
    @staticmethod
    def numpy_grad_multiclass(z, y):
        rows = np.arange(len(y))
        g = np.exp(np.minimum(z - z[rows, y][:, None], EXP_CAP))
        g[rows, y] = 0.0
        return _np_to_target_column(g, y, rows) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y):
        s = _np_signed(y)
        return -s * np.exp(np.minimum(-s * z, EXP_CAP)) / len(y)


# ---------------------------------------------------------------- generalised cross-entropy


@register
class GeneralisedCrossEntropy(Loss):
    key = "gce"
    formula = r"\ell = \frac{1 - p_y^{\,q}}{q}"
    binary_formula = r"\ell = \frac{1 - \sigma(m)^q}{q}"
    gradient = r"p_y^{\,q}\, (p - y)"
    params = (LossParam("q", 0.7, 0.05, 1.0, 0.05, r"q"),)

    @staticmethod
    def multiclass(logits, targets, q=0.7):
        # (1 - p_y^q) / q with p_y^q = exp(q log p_y); expm1 keeps q → 0 accurate (→ -log p_y).
        return (_one_minus_exp(q * _log_p_target(logits, targets)) / q).mean()

    @staticmethod
    def binary(logits, targets, q=0.7):
        return (_one_minus_exp(q * F.logsigmoid(_margin(logits, targets))) / q).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y, q=0.7):
        return _np_scale_by_target(z, y, np.exp(q * _np_log_p_target(z, y)))

    @staticmethod
    def numpy_grad_binary(z, y, q=0.7):
        s = _np_signed(y)
        m = s * z
        # σ(m)^q as exp(q·log σ(m)): σ(m) itself underflows to 0 in float32 below m ≈ -104
        return -s * np.exp(-q * np.logaddexp(0, -m)) * numpy_sigmoid(-m) / len(y)


# ---------------------------------------------------------------- focal


def _focal(log_p, gamma):
    # Clamp at the smallest normal float: at 1 - p_y = 0, d/du u^γ is inf for γ < 1 and 0·inf = NaN.
    one_minus_p = _one_minus_exp(log_p).clamp(min=torch.finfo(log_p.dtype).tiny)
    return -(one_minus_p**gamma) * log_p


_TINY = np.finfo(np.float32).tiny  # _focal clamps 1 - p_y here


def _np_focal_slope(log_p, gamma):
    """dℓ/d(log p) of ℓ = -(1-p)^γ log p, with 1 - p clamped at _TINY as in _focal."""
    one_minus_p = -np.expm1(log_p)
    clamped = np.maximum(one_minus_p, _TINY)
    p = np.exp(log_p)
    # γ p (1-p)^(γ-1) log p, written as (1-p)^γ / (1-p): finite for γ < 1; 0 where clamped
    first = np.where(one_minus_p > _TINY, gamma * p * log_p * clamped**gamma / clamped, 0.0)
    return first - clamped**gamma


@register
class Focal(Loss):
    key = "focal"
    formula = r"\ell = -(1 - p_y)^\gamma \log p_y"
    binary_formula = r"\ell = -(1 - \sigma(m))^\gamma \log \sigma(m)"
    params = (LossParam("gamma", 2.0, 0.0, 5.0, 0.5, r"\gamma"),)

    @staticmethod
    def multiclass(logits, targets, gamma=2.0):
        return _focal(_log_p_target(logits, targets), gamma).mean()

    @staticmethod
    def binary(logits, targets, gamma=2.0):
        return _focal(F.logsigmoid(_margin(logits, targets)), gamma).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y, gamma=2.0):
        slope = _np_focal_slope(_np_log_p_target(z, y), gamma)  # times d log p_y / dz = onehot - p
        return -slope[:, None] * (_np_softmax(z) - _np_onehot(z, y)) / len(y)

    @staticmethod
    def numpy_grad_binary(z, y, gamma=2.0):
        s = _np_signed(y)
        m = s * z
        log_p = -np.logaddexp(0.0, -m)  # log σ(m)
        return _np_focal_slope(log_p, gamma) * numpy_sigmoid(-m) * s / len(y)


# ---------------------------------------------------------------- one-vs-all hinge (multiclass only)


@register
class OneVsAllHinge(Loss):
    # No binary form: with one logit it would be the plain hinge (check_loss_fits refuses K = 2).
    key = "ova_hinge"
    formula = (
        r"\ell = \sum_k \max(0,\ 1 - \tilde y_k z_k),"
        r"\quad \tilde y_k = \begin{cases} +1 & k = y \\ -1 & k \ne y \end{cases}"
    )
    gradient = r"-\tilde y_k\, [\tilde y_k z_k < 1]"

    @staticmethod
    def multiclass(logits, targets):
        # Σ_k max(0, 1 - ỹ_k z_k), ỹ_k = +1 for the true class, -1 otherwise: K binary SVMs side by side.
        signed = 2 * _onehot(logits, targets) - 1
        return F.relu(1 - signed * logits).sum(1).mean()

    @staticmethod
    def numpy_grad_multiclass(z, y):
        signed = 2.0 * _np_onehot(z, y) - 1.0
        return (-signed * (signed * z < 1.0)).astype(z.dtype) / len(y)


# ---------------------------------------------------------------- using the registry


def check_loss_fits(key: str, n_classes: int) -> None:
    """Refuse a multiclass-only loss (no binary form) for 2-class data, with a message for the user."""
    spec = LOSSES.get(key)
    if spec is not None and spec.binary is None and n_classes == 2:
        raise UserFacingError("err.loss.multiclass_only")


def compute_loss(key: str, logits, targets, **params):
    """Dispatch: logits.ndim == 1 -> the loss's binary form, else its multiclass form.

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
