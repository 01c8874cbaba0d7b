"""Evaluate a classifier on a grid over the data's range: the decision boundary as data."""
from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import torch

from core.learning.device import model_device
from core.learning.losses import probabilities


@dataclass(frozen=True)
class Grid:
    bounds: tuple[float, float, float, float]   # x_min, x_max, y_min, y_max
    probs: np.ndarray                           # (R, R, K) float32; row 0 is the TOP (y_max), like an image

    @property
    def predicted(self) -> np.ndarray:
        """(R, R) int64 arg-max class (computed when asked: the live canvas needs only the probabilities)."""
        return self.probs.argmax(-1)

    @property
    def resolution(self) -> int:
        return self.probs.shape[0]


def grid_array(bounds, resolution: int) -> np.ndarray:
    """(R*R, 2) float64 points, row-major from the top-left corner (x_min, y_max): row 0 of a picture is
    y_max. The one layout of every grid here (core/lessons/inside.py counts linear regions on it in float64)."""
    x_min, x_max, y_min, y_max = (float(b) for b in bounds)
    xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_max, y_min, resolution)
    gy, gx = np.meshgrid(ys, xs, indexing="ij")
    return np.stack([gx.ravel(), gy.ravel()], 1)


def grid_points(bounds, resolution: int) -> torch.Tensor:
    """(R*R, 2) float32 points, row-major from the top-left corner (x_min, y_max). Shared between
    calls (a live frame asks for the same grid 25 times a second): read it, never write to it."""
    return _grid_points(tuple(float(b) for b in bounds), int(resolution))


@functools.lru_cache(maxsize=64)
def _grid_points(bounds: tuple[float, float, float, float], resolution: int) -> torch.Tensor:
    return torch.from_numpy(grid_array(bounds, resolution)).float()


@torch.no_grad()
def evaluate_grid(model: torch.nn.Module, bounds, resolution: int = 80, to_input=None,
                  batch: int = 8192) -> Grid:
    """Class probabilities at the grid's points; to_input maps (N, 2) grid coordinates to the
    model's inputs (e.g. points of a plane in 784-D), else they are the inputs."""
    was_training = model.training
    model.eval()
    coords = grid_points(bounds, resolution)
    device = model_device(model)
    chunks = [probabilities(model((c if to_input is None else to_input(c)).to(device))).cpu()
              for c in coords.split(batch)]
    probs = chunks[0] if len(chunks) == 1 else torch.cat(chunks)  # chunks: 784-D planes stay small in memory
    model.train(was_training)
    probs = probs.numpy().reshape(resolution, resolution, -1)
    return Grid(tuple(float(b) for b in bounds), probs)


def first_layer_lines(model: torch.nn.Module) -> list[tuple[np.ndarray, float]]:
    """Each first-layer unit's line w·x + b = 0 in raw input units, for an MLP with hidden layers
    (where a ReLU unit switches on); [] for logistic regression and other nets."""
    from core.learning.models import FlatMLP, Standardize  # models need no boundary: no import cycle either way
    net = getattr(model, "net", model)
    if not isinstance(net, FlatMLP) or net.depth == 0 or net.sizes[0] != 2:
        return []
    W = net.weights(net.weight.detach())[0].double().numpy()
    b = net.biases(net.bias.detach())[0].double().numpy()
    std = getattr(model, "standardize", None)
    if isinstance(std, Standardize):
        # w·(x-μ)/σ + b  =  (w/σ)·x + (b - (w/σ)·μ)
        W = W / std.std.double().numpy()
        b = b - W @ std.mean.double().numpy()
    return [(W[i].copy(), float(b[i])) for i in range(len(b))]


def clip_line(w, b: float, bounds) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The segment of the line w·x + b = 0 inside the box bounds = (x_min, x_max, y_min, y_max),
    or None when the line misses the box (or w = 0: no line)."""
    w1, w2 = float(w[0]), float(w[1])
    x_min, x_max, y_min, y_max = (float(v) for v in bounds)
    scale = max(abs(w1), abs(w2))
    if not np.isfinite(scale) or scale == 0 or not np.isfinite(b):
        return None
    w1, w2, b = w1 / scale, w2 / scale, b / scale  # the same line; no overflow below
    # A point and a direction on the line, then the parameter range inside the box (Liang-Barsky).
    p = np.array([-b * w1, -b * w2]) / (w1 * w1 + w2 * w2)  # the line's point nearest the origin
    d = np.array([-w2, w1])
    lo, hi = -np.inf, np.inf
    for k, (a_min, a_max) in enumerate(((x_min, x_max), (y_min, y_max))):
        if abs(d[k]) < 1e-12:
            if not a_min <= p[k] <= a_max:
                return None
            continue
        t0, t1 = sorted(((a_min - p[k]) / d[k], (a_max - p[k]) / d[k]))
        lo, hi = max(lo, t0), min(hi, t1)
    if hi < lo:
        return None
    a, c = p + lo * d, p + hi * d
    return (float(a[0]), float(a[1])), (float(c[0]), float(c[1]))


def unit_segments(model: torch.nn.Module, bounds) -> list:
    """first_layer_lines clipped to the view: one entry per unit, None where its line misses the view."""
    return [clip_line(w, b, bounds) for w, b in first_layer_lines(model)]
