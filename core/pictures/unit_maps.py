"""What TensorFlow Playground draws inside its neurons: each hidden unit's output over the plane.
Pure numpy on core.lessons.inside's layers (input standardisation folded in, so the grid is in the data's units)."""
from __future__ import annotations

import numpy as np

from core.lessons.inside import Layers, forward, grid

SHOWN_LAYERS = 2   # the first two hidden layers: deeper units are harder to read and cost more pictures
NONNEGATIVE = ("relu", "sigmoid")  # outputs ≥ 0: coloured zero-to-max, not around 0
# (negative, zero, positive): blue-white-orange, the playground's two class colours
NEG, ZERO, POS = np.array([33.0, 102.0, 172.0]), np.array([255.0, 255.0, 255.0]), np.array([230.0, 97.0, 1.0])


def unit_maps(layers: Layers, activation: str, bounds, resolution: int = 40,
              n_layers: int = SHOWN_LAYERS, to_inputs=None) -> list[np.ndarray]:
    """Per hidden layer (the first n_layers), an array (units, R, R): each unit's output at the points of
    core.lessons.inside.grid(bounds, R), row 0 = the top (y_max), like the boundary picture. [] without hidden layers."""
    k = min(n_layers, len(layers) - 1)
    if k <= 0:
        return []
    # layers[:k + 1]: the k hidden layers and one more, which forward() takes for the output (not computed further)
    return network_maps(layers[:k + 1], activation, bounds, resolution, to_inputs)[0]


def network_maps(layers: Layers, activation: str, bounds, resolution: int = 40,
                 to_inputs=None) -> tuple[list[np.ndarray], np.ndarray]:
    """(every hidden layer's maps as unit_maps gives them, the logits' maps (K, R, R)): the whole net over the
    grid in one forward pass (the network diagram's thumbnails and its output node). to_inputs: the grid's points
    (N, 2) -> the first layer's inputs, for a model with feature inputs (x₁², sin x₁, ...):
    functools.partial(core.lessons.inside.feature_points, model); None: the points themselves."""
    points = grid(bounds, resolution)
    logits, hidden = forward(layers, points if to_inputs is None else to_inputs(points), activation)
    return ([h.T.reshape(h.shape[1], resolution, resolution) for h in hidden],
            logits.T.reshape(logits.shape[1], resolution, resolution))


def colour_scale(maps: np.ndarray, activation: str) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) per unit of a layer's maps (units, R, R): 0 to the unit's max for non-negative activations,
    else ±max|output| (centred at 0). Each unit on its own scale, so a weak unit still shows its shape."""
    peak = np.abs(maps).reshape(len(maps), -1).max(1)
    peak = np.where(peak > 0, peak, 1.0)  # a dead unit: all white, no division by 0
    lo = np.zeros_like(peak) if activation in NONNEGATIVE else -peak
    return lo, peak


LEVELS = 65  # odd, so 0 has its own colour (white, index 32); 33 steps per side. 255 levels made the
# pictures 2.5× larger (~260 KB of HTML for 128 units) for steps the eye does not see at 56 px


def _palette() -> np.ndarray:
    """LEVELS colours: index 0 = NEG, the middle one white (0), the last POS, linear in between."""
    t = np.linspace(-1.0, 1.0, LEVELS)[:, None]
    return np.rint(np.where(t >= 0, ZERO + t * (POS - ZERO), ZERO - t * (NEG - ZERO))).astype(np.uint8)


PALETTE = _palette()


def colour_indices(maps: np.ndarray, activation: str) -> np.ndarray:
    """uint8 palette indices (units, R, R) of each unit's output on its colour_scale: palette PNGs encode
    several times faster than RGB ones and are smaller."""
    _, hi = colour_scale(maps, activation)
    t = np.clip(maps / hi[:, None, None], -1.0, 1.0)  # in [-1, 1]; 0 is white on both scales
    return np.rint((t + 1.0) * (LEVELS // 2)).astype(np.uint8)


def colour(maps: np.ndarray, activation: str) -> np.ndarray:
    """uint8 RGB pictures (units, R, R, 3): white at 0, orange towards the positive end of the unit's scale,
    blue towards the negative end."""
    return PALETTE[colour_indices(maps, activation)]
