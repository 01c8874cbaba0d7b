"""Regression losses on predictions ŷ (N,) and targets y (N,), plus the registry the UI reads.

The same shape as the classification registry (core/learning/losses.py): each loss is one class whose value
returns the mean over N, whose closed-form gradient d(mean loss)/dŷ (numpy) sits beside it and is checked
against autograd (tests/test_regression_losses.py), and whose LaTeX shows the per-sample loss.

Conventions
- The residual is r = ŷ − y: r > 0 is over-prediction (too much stock), r < 0 under-prediction.
- MSE is the plain mean of r² (F.mse_loss), no ½: its per-sample gradient is 2r.
- Huber is torch's F.huber_loss: ½r² for |r| ≤ δ, δ(|r| − ½δ) beyond (so Huber → ½·MSE as δ → ∞).
- Pinball (quantile) loss with τ in (0, 1): ℓ = max(τ(y − ŷ), (τ − 1)(y − ŷ)); under-predicting
  costs τ per unit, over-predicting 1 − τ, so the best constant is the τ-quantile of y.
- Asymmetric linear cost: a per unit short (ŷ < y), b per unit over (ŷ > y); it equals
  (a + b)·pinball(τ = a/(a + b)) (`asymmetric_tau`), so its best constant is that quantile.
- At a kink (r = 0 for MAE, pinball, asymmetric) the gradients take autograd's value there (0),
  so the numpy gradients and autograd agree everywhere.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Callable

import numpy as np
import torch
import torch.nn.functional as F

from core.learning.losses import LossParam

LOG2 = math.log(2.0)


class RegressionLoss:
    """One regression loss. Each loss below subclasses this, sets its formulas and parameters and writes its
    value and gradient as static methods, all in one place.
    UI name and description: core/i18n.py, keys f"rloss.{key}.name" / f"rloss.{key}.desc";
    parameter labels f"rloss.param.{name}".
    """

    key: str
    formula: str  # LaTeX, per-sample loss in r = ŷ − y
    gradient: str  # LaTeX, per-sample dℓ/dŷ (the mean's gradient divides it by N)
    params: tuple[LossParam, ...] = ()
    fn: Callable  # (pred (N,), target (N,), **params) -> scalar mean over N
    numpy_grad: Callable  # (pred (N,), target (N,), **params) -> d(mean loss)/dŷ, (N,) like pred


REGRESSION_LOSSES: dict[str, RegressionLoss] = {}


def register(loss_class: type[RegressionLoss]) -> type[RegressionLoss]:
    REGRESSION_LOSSES[loss_class.key] = loss_class()
    return loss_class


_R = r"\quad r = \hat y - y"
# A long identity takes two aligned lines: in the Regression page's formula column (about 380 px at
# 1280×720) one line was cut at the right edge. The thin space after "aligned" holds the 2 px KaTeX's
# last column juts out past it, which would otherwise give the formula a scroll bar.
_R_LINE = r",\quad r = \hat y - y"


def _target(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
    """target as pred's dtype; refuses shapes that differ ((N, 1) against (N,) would broadcast to N×N)."""
    if pred.shape != target.shape:
        raise ValueError(f"prediction shape {tuple(pred.shape)} differs from target shape {tuple(target.shape)}")
    return target.to(pred.dtype)


def _residual(pred: np.ndarray, target: np.ndarray) -> np.ndarray:
    """r = ŷ − y in numpy, shapes checked as in _target."""
    if pred.shape != target.shape:
        raise ValueError(f"prediction shape {pred.shape} differs from target shape {target.shape}")
    return pred - target


def _mean_grad(per_sample: np.ndarray, like: np.ndarray) -> np.ndarray:
    """Per-sample dℓ/dŷ → d(mean)/dŷ, in the prediction's dtype."""
    return (per_sample / len(like)).astype(like.dtype, copy=False)


def asymmetric_tau(a: float, b: float) -> float:
    """τ = a/(a + b): the quantile that an under-prediction cost a and an over-prediction cost b pick.

    Inventory: shortage cost 4, surplus cost 1 -> τ = 0.8, stock the demand's 0.8 quantile."""
    _check_costs(a, b)
    return a / (a + b)


def _check_costs(a: float, b: float) -> None:
    if a < 0 or b < 0 or a + b <= 0:
        raise ValueError(f"costs must be >= 0 and not both 0, got a={a}, b={b}")


def _check_tau(tau: float) -> None:
    if not 0.0 < tau < 1.0:
        raise ValueError(f"tau must lie in (0, 1), got {tau}")


def _two_sided(pred, target, under: float, over: float):
    """under·max(y − ŷ, 0) + over·max(ŷ − y, 0), mean over N: pinball and asymmetric both."""
    r = pred - _target(pred, target)
    return (under * F.relu(-r) + over * F.relu(r)).mean()


def _two_sided_grad(pred, target, under: float, over: float):
    r = _residual(pred, target)
    return _mean_grad(over * (r > 0) - under * (r < 0), pred)


# ---------------------------------------------------------------- the losses


@register
class SquaredError(RegressionLoss):
    key = "mse"
    formula = r"\ell = r^2" + _R + r"\quad (\text{MSE} = \tfrac1N \textstyle\sum_i r_i^2)"  # no ½: the gradient 2r says so
    gradient = r"2r"

    @staticmethod
    def fn(pred, target):
        """mean of r² (no ½)."""
        return F.mse_loss(pred, _target(pred, target))

    @staticmethod
    def numpy_grad(pred, target):
        return _mean_grad(2.0 * _residual(pred, target), pred)


@register
class AbsoluteError(RegressionLoss):
    key = "mae"
    formula = r"\ell = |r|" + _R
    gradient = r"\operatorname{sign}(r)"

    @staticmethod
    def fn(pred, target):
        return F.l1_loss(pred, _target(pred, target))

    @staticmethod
    def numpy_grad(pred, target):
        return _mean_grad(np.sign(_residual(pred, target)), pred)


@register
class Huber(RegressionLoss):
    key = "huber"
    formula = (r"\ell = \begin{cases} \tfrac12 r^2 & |r| \le \delta \\"
               r" \delta\,(|r| - \tfrac12 \delta) & |r| > \delta \end{cases}" + _R)
    gradient = r"\operatorname{clip}(r, -\delta, \delta)"
    params = (LossParam("delta", 1.0, 0.1, 5.0, 0.1, r"\delta"),)

    @staticmethod
    def fn(pred, target, delta=1.0):
        return F.huber_loss(pred, _target(pred, target), delta=delta)

    @staticmethod
    def numpy_grad(pred, target, delta=1.0):
        return _mean_grad(np.clip(_residual(pred, target), -delta, delta), pred)


@register
class LogCosh(RegressionLoss):
    key = "log_cosh"
    formula = (r"\begin{aligned} \ell &= \log\cosh r" + _R_LINE
               + r" \\ &= |r| + \log\left(1 + e^{-2|r|}\right) - \log 2 \end{aligned}\,")
    gradient = r"\tanh r"

    @staticmethod
    def fn(pred, target):
        # log cosh r = |r| + log(1 + e^{−2|r|}) − log 2: cosh overflows float32 past |r| ≈ 89, this never does
        a = (pred - _target(pred, target)).abs()
        return (a + torch.log1p(torch.exp(-2.0 * a)) - LOG2).mean()

    @staticmethod
    def numpy_grad(pred, target):
        return _mean_grad(np.tanh(_residual(pred, target)), pred)


@register
class Pinball(RegressionLoss):
    key = "pinball"
    formula = (r"\begin{aligned} \ell &= \max\big(\tau\,(y - \hat y),\ (\tau - 1)\,(y - \hat y)\big)"
               r" \\ &= \max\big(-\tau r,\ (1 - \tau)\, r\big)" + _R_LINE + r" \end{aligned}\,")
    gradient = r"\begin{cases} 1 - \tau & r > 0 \\ -\tau & r < 0 \end{cases}"
    params = (LossParam("tau", 0.9, 0.01, 0.99, 0.01, r"\tau"),)

    @staticmethod
    def fn(pred, target, tau=0.9):
        _check_tau(tau)
        return _two_sided(pred, target, tau, 1.0 - tau)

    @staticmethod
    def numpy_grad(pred, target, tau=0.9):
        _check_tau(tau)
        return _two_sided_grad(pred, target, tau, 1.0 - tau)


@register
class AsymmetricLinear(RegressionLoss):
    key = "asymmetric"
    formula = (r"\begin{aligned} \ell &= a \max(y - \hat y, 0) + b \max(\hat y - y, 0)"
               r" \\ &= (a + b)\, \rho_\tau(r),\quad \tau = \tfrac{a}{a + b}" + _R_LINE + r" \end{aligned}\,")
    gradient = r"\begin{cases} b & r > 0 \\ -a & r < 0 \end{cases}"
    params = (LossParam("a", 4.0, 0.1, 10.0, 0.1, r"a"), LossParam("b", 1.0, 0.1, 10.0, 0.1, r"b"))

    @staticmethod
    def fn(pred, target, a=4.0, b=1.0):
        _check_costs(a, b)
        return _two_sided(pred, target, a, b)

    @staticmethod
    def numpy_grad(pred, target, a=4.0, b=1.0):
        _check_costs(a, b)
        return _two_sided_grad(pred, target, a, b)


# ---------------------------------------------------------------- using the registry


def _params(key: str, params: dict) -> dict:
    known = {p.name: p.default for p in REGRESSION_LOSSES[key].params}
    unknown = set(params) - set(known)
    if unknown:
        raise TypeError(f"loss {key!r} got unknown parameter(s) {sorted(unknown)}; expects {sorted(known)}")
    return known | params


def compute_regression_loss(key: str, pred, target, **params) -> torch.Tensor:
    """The mean loss; unknown param names -> TypeError, missing ones take the registry defaults."""
    pred, target = torch.as_tensor(pred), torch.as_tensor(target)
    return REGRESSION_LOSSES[key].fn(pred, target, **_params(key, params))


def loss_params_text(key: str, params: dict) -> str:
    """The loss's parameters as a reader sees them in any language, e.g. "a = 4, b = 1", "τ = 0.9"."""
    values = _params(key, params)
    return ", ".join(f"{_symbol_text(p.symbol)} = {values[p.name]:g}" for p in REGRESSION_LOSSES[key].params)


def _symbol_text(symbol: str) -> str:
    """A LaTeX symbol as text: \\tau -> τ, a -> a (a command that names no Greek letter: its name)."""
    if not symbol.startswith("\\"):
        return symbol
    try:
        return unicodedata.lookup(f"GREEK SMALL LETTER {symbol[1:].upper()}")
    except KeyError:
        return symbol[1:]


def regression_loss_grad(key: str, pred: np.ndarray, target: np.ndarray, **params) -> np.ndarray:
    """d(mean loss)/dŷ in numpy, params as in compute_regression_loss."""
    return REGRESSION_LOSSES[key].numpy_grad(np.asarray(pred), np.asarray(target), **_params(key, params))
