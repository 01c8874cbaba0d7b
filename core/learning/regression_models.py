"""Regression models x (N, 1) float32 -> ŷ (N,), built deterministically from a seed.

Every model is a `Regressor`: ŷ = net(standardize(x)).squeeze(-1), the shape of core.learning.models.Classifier
with one output. `standardize` is a fixed map without parameters (the training set's mean and std
are given at build time); `net` holds every trained parameter.

- linear:     ŷ = w·x̃ + b with x̃ = (x − μ)/σ, still a line w/σ·x + (b − wμ/σ) in raw units (`line`);
- polynomial: ŷ = b + Σ_k w_k x̃^k, k = 1..d (1 <= d <= 15), the powers computed inside the model;
- mlp:        core.learning.models.FlatMLP with one output on x̃ (depth, width, activation);
- constant:   ŷ = θ whatever x (one parameter: the inventory example's order quantity).

Why the polynomial standardises x first: conditioning. On raw x in [0, 100] the features x, …, x^15
span 30 orders of magnitude, float32 holds about 7 digits, and gradient descent's step must suit the
largest feature, so the small powers never move. On x̃ (mostly within ±2) the powers stay below
2^15 ≈ 3·10^4 and least squares and Adam both work (monomials stay correlated at high degree, so
degree 15 is still slow for gradient descent: the over-fitting lesson solves it exactly, `fit_least_squares`).

Initialisation uses an explicit torch.Generator, never the global RNG (as core/learning/models.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch import nn

from core.learning.models import ACTIVATIONS, FlatMLP, Standardize, hidden_sizes

MAX_DEGREE = 15


class Powers(nn.Module):
    """(N, 1) -> (N, d): x, x², …, x^d as a running product (exact signs, no pow of negatives)."""

    def __init__(self, degree: int):
        super().__init__()
        self.degree = int(degree)

    def forward(self, x):
        return torch.cumprod(x.expand(-1, self.degree), dim=1)


class Constant(nn.Module):
    """ŷ = θ for every row; θ is the model's only parameter."""

    def __init__(self, theta0: float = 0.0):
        super().__init__()
        self.theta = nn.Parameter(torch.tensor([float(theta0)]))
        self.theta.no_decay = True  # an intercept: weight decay would pull the order towards 0 (core/learning/engines.py)

    def forward(self, x):
        return self.theta.expand(len(x), 1)


class Regressor(nn.Module):
    """ŷ = net(standardize(x)).squeeze(-1): x (N, 1) (or (N,)) -> ŷ (N,)."""

    def __init__(self, key: str, net: nn.Module, standardize: nn.Module):
        super().__init__()
        self.key = key
        self.standardize = standardize
        self.net = net

    def forward(self, x):
        if x.ndim == 1:
            x = x.unsqueeze(1)
        if x.ndim != 2 or x.shape[1] != 1:
            raise ValueError(f"a regression model takes x of shape (N, 1), got {tuple(x.shape)}")
        weight = next(self.net.parameters(), None)  # the polynomial computes in float64 (build_polynomial)
        dtype = x.dtype if weight is None else weight.dtype
        return self.net(self.standardize(x.to(dtype))).squeeze(-1).to(x.dtype)

    def features(self, x: torch.Tensor) -> torch.Tensor:
        """What the net's linear head sees for linear/polynomial models: x̃ or (x̃, …, x̃^d), (N, d)."""
        return self.standardize(x.view(-1, 1))


def _standardize(x_mean, x_std) -> Standardize:
    return Standardize(torch.as_tensor(x_mean, dtype=torch.float32).reshape(1),
                       torch.as_tensor(x_std, dtype=torch.float32).reshape(1))


def build_linear(generator: torch.Generator, x_mean, x_std, **_) -> Regressor:
    return Regressor("linear", FlatMLP([1, 1], "linear", generator), _standardize(x_mean, x_std))


def build_polynomial(generator: torch.Generator, x_mean, x_std, *, degree: int = 3, **_) -> Regressor:
    degree = int(degree)
    if not 1 <= degree <= MAX_DEGREE:
        raise ValueError(f"polynomial degree must be 1..{MAX_DEGREE}, got {degree}")
    features = nn.Sequential(_standardize(x_mean, x_std), Powers(degree))
    # in float64: an exact fit of a high degree has coefficients of ~1e6 whose terms cancel (float32 keeps 7
    # digits: a "zero" training loss read 7.2); the output goes back to the inputs' float32
    return Regressor("polynomial", FlatMLP([degree, 1], "linear", generator), features).double()


def build_mlp(generator: torch.Generator, x_mean, x_std, *, depth: int = 2, width: int = 16,
              activation: str = "tanh", **_) -> Regressor:
    if activation not in ACTIVATIONS:
        raise ValueError(f"unknown activation {activation!r}")
    sizes = [1] + hidden_sizes(int(depth), int(width)) + [1]
    return Regressor("mlp", FlatMLP(sizes, activation, generator), _standardize(x_mean, x_std))


def build_constant(generator: torch.Generator, x_mean, x_std, *, theta0: float = 0.0, **_) -> Regressor:
    return Regressor("constant", Constant(theta0), nn.Identity())


@dataclass(frozen=True)
class RegressionModelSpec:
    key: str
    build: Callable[..., Regressor]  # (generator, x_mean, x_std, **shape) -> Regressor; unknown shape keys ignored
    has_hidden_layers: bool
    linear_in_params: bool  # ŷ = features(x)·w + b: least squares has a closed form (fit_least_squares)
    # UI name: core/i18n.py, key f"rmodel.{key}"


REGRESSION_MODELS: dict[str, RegressionModelSpec] = {
    "linear": RegressionModelSpec("linear", build_linear, False, True),
    "polynomial": RegressionModelSpec("polynomial", build_polynomial, False, True),
    "mlp": RegressionModelSpec("mlp", build_mlp, True, False),
    "constant": RegressionModelSpec("constant", build_constant, False, True),
}


def build_regression_model(key: str, seed: int, x_mean=0.0, x_std=1.0, **shape) -> Regressor:
    """The model `key` with weights drawn from `seed`; x_mean, x_std: the training inputs' statistics
    (0 and 1: raw x). shape: degree (polynomial); depth, width, activation (mlp); theta0 (constant)."""
    generator = torch.Generator().manual_seed(seed)
    return REGRESSION_MODELS[key].build(generator, x_mean, x_std, **shape)


def line(model: Regressor) -> tuple[float, float]:
    """(slope, intercept) of a linear model in raw x units: w·(x − μ)/σ + b = (w/σ)·x + (b − wμ/σ)."""
    if model.key != "linear":
        raise ValueError("only the linear model is a line")
    w, b = float(model.net.weight.detach()[0]), float(model.net.bias.detach()[0])
    std = model.standardize
    slope = w / float(std.std[0])
    return slope, b - slope * float(std.mean[0])


@torch.no_grad()
def fit_least_squares(model: Regressor, x: torch.Tensor, y: torch.Tensor) -> None:
    """Set a linear/polynomial/constant model's parameters to the least-squares (MSE) minimiser on (x, y),
    solved in float64 (lstsq: the minimum-norm solution when there are more parameters than points)."""
    if not REGRESSION_MODELS[model.key].linear_in_params:
        raise ValueError(f"{model.key!r} is not linear in its parameters")
    y64 = np.asarray(y, dtype=np.float64).reshape(-1)
    if model.key == "constant":
        model.net.theta.fill_(float(y64.mean()))
        return
    phi = model.features(torch.as_tensor(x, dtype=torch.float32)).double().numpy()
    design = np.hstack([phi, np.ones((len(phi), 1))])
    coef = np.linalg.lstsq(design, y64, rcond=None)[0]
    model.net.weight.copy_(torch.from_numpy(coef[:-1]))
    model.net.bias.copy_(torch.from_numpy(coef[-1:]))
