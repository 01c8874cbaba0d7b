"""Each hidden unit's output over the plane (core/pictures/unit_maps.py): by hand, and against the torch model."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.lessons.inside import HAND_NET, grid, layers_of
from core.learning.models import build_model
from core.pictures.unit_maps import NEG, POS, ZERO, colour, colour_indices, colour_scale, unit_maps

BOUNDS = (-1.0, 1.0, -1.0, 1.0)


def test_hand_net_units_by_hand():
    # R = 3: columns x = -1, 0, 1; rows y = 1, 0, -1 (row 0 is the top, y_max)
    (maps,) = unit_maps(HAND_NET, "relu", BOUNDS, resolution=3)
    assert maps.shape == (3, 3, 3)
    for row, y in enumerate((1.0, 0.0, -1.0)):
        for col, x in enumerate((-1.0, 0.0, 1.0)):
            assert maps[0, row, col] == max(0.0, x - y)        # h1 = max(0, x1 - x2)
            assert maps[1, row, col] == max(0.0, y - x)        # h2 = max(0, x2 - x1)
            assert maps[2, row, col] == max(0.0, x + y - 1.0)  # h3 = max(0, x1 + x2 - 1)
    assert maps[0, 2, 2] == 2.0 and maps[1, 0, 0] == 2.0 and maps[2, 0, 2] == 1.0  # corners
    assert maps[2, 1, 1] == 0.0  # the centre: x1 + x2 - 1 = -1, off


def test_hand_net_other_activation_keeps_negative_values():
    (maps,) = unit_maps(HAND_NET, "tanh", BOUNDS, resolution=3)
    assert maps[0, 0, 0] == pytest.approx(np.tanh(-2.0))  # (x, y) = (-1, 1): tanh(x1 - x2)
    assert maps[2, 2, 0] == pytest.approx(np.tanh(-3.0))  # (-1, -1): tanh(x1 + x2 - 1)


@pytest.mark.parametrize("activation,depth", [("relu", 3), ("tanh", 2), ("sigmoid", 1)])
def test_maps_equal_the_models_own_hidden_activations(activation, depth):
    mean, std = torch.tensor([3.0, -2.0]), torch.tensor([2.0, 0.5])  # standardisation folded in: raw units
    model = build_model("mlp", 2, 2, seed=5, mean=mean, std=std, depth=depth, width=7, activation=activation)
    bounds = (-1.0, 7.0, -4.0, 0.5)
    layers, act = layers_of(model)
    maps = unit_maps(layers, act, bounds, resolution=9)
    assert len(maps) == min(depth, 2) and all(m.shape == (7, 9, 9) for m in maps)
    pts = torch.tensor(grid(bounds, 9), dtype=torch.float32)
    with torch.no_grad():
        logits, inputs = model.net.forward_cached(model.standardize(pts))
        torch.testing.assert_close(logits.squeeze(-1), model(pts))  # the model's own pass
    for i, m in enumerate(maps):
        torch_units = inputs[i + 1].double().numpy()  # the input of layer i + 1: hidden layer i's output
        np.testing.assert_allclose(m.reshape(7, -1).T, torch_units, atol=1e-5)


def test_no_hidden_layer_no_maps():
    model = build_model("logistic", 2, 2, seed=0)
    assert unit_maps(*layers_of(model), BOUNDS) == []


def test_colours_white_at_zero_orange_at_the_top_blue_at_the_bottom():
    maps = np.array([[[0.0, 2.0, -4.0]], [[0.0, 0.0, 0.0]]])  # 2 units, R = 1×3 for the test
    lo, hi = colour_scale(maps, "tanh")
    assert list(lo) == [-4.0, -1.0] and list(hi) == [4.0, 1.0]  # centred at 0; a dead unit: ±1
    rgb = colour(maps, "tanh")
    assert rgb.dtype == np.uint8 and rgb.shape == (2, 1, 3, 3)
    assert list(rgb[0, 0, 0]) == [255, 255, 255] and list(rgb[0, 0, 2]) == list(NEG.astype(int))
    half = (ZERO + POS) / 2  # half way to orange (a level of its own: 0.5 × 32 steps)
    assert np.abs(rgb[0, 0, 1] - half).max() <= 0.5
    assert (rgb[1] == 255).all()
    lo, hi = colour_scale(np.array([[[0.0, 3.0]]]), "relu")
    assert list(lo) == [0.0] and list(hi) == [3.0]  # zero to max
    assert list(colour(np.array([[[0.0, 3.0]]]), "relu")[0, 0, 1]) == list(POS.astype(int))


def test_widest_net_maps_its_first_two_layers():
    """The page's widest net (its speed: bench/bench_unit_maps.py): 2 layers × 64 units at 40 × 40."""
    model = build_model("mlp", 2, 2, seed=0, depth=6, width=64)
    layers, act = layers_of(model)
    maps = unit_maps(layers, act, BOUNDS, 40)
    assert [m.shape for m in maps] == [(64, 40, 40)] * 2
    assert all(colour_indices(m, act).shape[:3] == m.shape for m in maps)
