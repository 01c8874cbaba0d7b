"""Models: logistic regression and an MLP, built deterministically from a seed.

Initialisation uses an explicit torch.Generator, never the global RNG, because
several browser sessions build models at once in one server process.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import torch
from torch import nn

ACTIVATIONS: dict[str, Callable[[], nn.Module]] = {
    "relu": nn.ReLU,
    "tanh": nn.Tanh,
    "sigmoid": nn.Sigmoid,
    "linear": nn.Identity,
}


class Standardize(nn.Module):
    """(x - mean) / std with the training set's statistics, so raw units (exam scores) train well."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor):
        super().__init__()
        self.register_buffer("mean", mean.clone().float())
        self.register_buffer("std", std.clone().float().clamp_min(1e-6))

    def forward(self, x):
        return (x - self.mean) / self.std


class Classifier(nn.Module):
    """Wraps a net; with two classes it has one logit z and p(class 1) = σ(z)."""

    def __init__(self, net: nn.Module, n_classes: int, standardize: Standardize | None = None):
        super().__init__()
        self.standardize = standardize if standardize is not None else nn.Identity()
        self.net = net
        self.n_classes = n_classes
        self.binary = n_classes == 2

    def forward(self, x):
        z = self.net(self.standardize(x))
        return z.squeeze(-1) if self.binary else z


def output_dim(n_classes: int) -> int:
    return 1 if n_classes == 2 else n_classes


def _linear(n_in: int, n_out: int, generator: torch.Generator) -> nn.Linear:
    layer = nn.Linear(n_in, n_out)
    # PyTorch's default init (U(±1/sqrt(fan_in))), drawn from our own generator.
    bound = 1.0 / math.sqrt(n_in)
    with torch.no_grad():
        layer.weight.uniform_(-bound, bound, generator=generator)
        layer.bias.uniform_(-bound, bound, generator=generator)
    return layer


def build_logistic(in_dim: int, n_classes: int, generator: torch.Generator, **_) -> nn.Module:
    return _linear(in_dim, output_dim(n_classes), generator)


def build_mlp(in_dim: int, n_classes: int, generator: torch.Generator, *,
              depth: int = 2, width: int = 16, activation: str = "relu", **_) -> nn.Module:
    layers: list[nn.Module] = []
    n_in = in_dim
    for _ in range(depth):
        layers += [_linear(n_in, width, generator), ACTIVATIONS[activation]()]
        n_in = width
    layers.append(_linear(n_in, output_dim(n_classes), generator))
    return nn.Sequential(*layers)


@dataclass(frozen=True)
class ModelSpec:
    key: str
    build: Callable[..., nn.Module]
    has_hidden_layers: bool


MODELS: dict[str, ModelSpec] = {
    "logistic": ModelSpec("logistic", build_logistic, has_hidden_layers=False),
    "mlp": ModelSpec("mlp", build_mlp, has_hidden_layers=True),
}


def build_model(key: str, in_dim: int, n_classes: int, seed: int, *,
                mean: torch.Tensor | None = None, std: torch.Tensor | None = None,
                **shape) -> Classifier:
    generator = torch.Generator().manual_seed(seed)
    net = MODELS[key].build(in_dim, n_classes, generator, **shape)
    standardize = Standardize(mean, std) if mean is not None else None
    return Classifier(net, n_classes, standardize)


def linear_boundary(model: Classifier) -> tuple[torch.Tensor, float] | None:
    """For binary logistic regression: (w, b) of w·x + b = 0 in raw input units, else None."""
    if not (model.binary and isinstance(model.net, nn.Linear)):
        return None
    w = model.net.weight.detach()[0]
    b = float(model.net.bias.detach()[0])
    if isinstance(model.standardize, Standardize):
        # w·(x-μ)/σ + b  =  (w/σ)·x + (b - w·μ/σ)
        w_raw = w / model.standardize.std
        return w_raw, b - float((w_raw * model.standardize.mean).sum())
    return w, b
