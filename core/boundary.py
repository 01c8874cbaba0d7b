"""Evaluate a classifier on a grid over the data's range: the decision boundary as data."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.losses import probabilities


@dataclass(frozen=True)
class Grid:
    bounds: tuple[float, float, float, float]   # x_min, x_max, y_min, y_max
    probs: np.ndarray                           # (R, R, K) float32; row 0 is the TOP (y_max), like an image
    predicted: np.ndarray                       # (R, R) int64 arg-max class

    @property
    def resolution(self) -> int:
        return self.probs.shape[0]


def grid_points(bounds, resolution: int) -> torch.Tensor:
    """(R*R, 2) float32 points, row-major from the top-left corner (x_min, y_max)."""
    x_min, x_max, y_min, y_max = bounds
    xs = torch.linspace(x_min, x_max, resolution)
    ys = torch.linspace(y_max, y_min, resolution)
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    return torch.stack([gx.reshape(-1), gy.reshape(-1)], dim=1)


@torch.no_grad()
def evaluate_grid(model: torch.nn.Module, bounds, resolution: int = 80, to_input=None,
                  batch: int = 8192) -> Grid:
    """Class probabilities at the grid's points; to_input maps (N, 2) grid coordinates to the
    model's inputs (e.g. points of a plane in 784-D), else they are the inputs."""
    was_training = model.training
    model.eval()
    coords = grid_points(bounds, resolution)
    chunks = [probabilities(model(c if to_input is None else to_input(c))) for c in coords.split(batch)]
    probs = chunks[0] if len(chunks) == 1 else torch.cat(chunks)  # chunks: 784-D planes stay small in memory
    model.train(was_training)
    probs = probs.numpy().reshape(resolution, resolution, -1)
    return Grid(tuple(float(b) for b in bounds), probs, probs.argmax(-1))
