"""Colours a class can tell apart on a washed-out projector and with a colour-vision deficiency.

Each palette is simulated (colorspacious, Machado et al. 2009, severity 100: deuteranopia, protanopia,
tritanopia) and the smallest difference between two of its colours is measured in CAM02-UCS ΔE (about
1 is just noticeable; two unrelated colours are 20 or more apart). The smallest values found:
classes of the sidebar's data sets (up to 6): 11.0 (tritanopia, classes 1 and 3); a CSV's up to 10
classes: 8.5 (deuteranopia, classes 2 and 7); the train and test curves: 49.1; Compare's runs: 11.7.
Meaning never rides on colour alone: a flipped label's ring is dashed, a mistake's solid (tested below)."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
from colorspacious import cspace_convert, deltaE

from core.pictures.render import (CLASS_COLOURS, FLIP_RING, METRIC_COLOURS, MISTAKE, RUN_COLOURS, BoundaryPainter,
                                  Grid, PlotBox)
from core.runs.config import Playground2DConfig, field_schema
from core.data.data2d import CSV_MAX_CLASSES

VISIONS = (None, "deuteranomaly", "protanomaly", "tritanomaly")


def seen(rgb255, vision):
    rgb = np.asarray(rgb255, dtype=float) / 255
    if vision is None:
        return rgb
    simulated = cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}, "sRGB1")
    return np.clip(simulated, 0, 1)


def smallest_difference(colours) -> float:
    return min(float(deltaE(seen(a, v), seen(b, v), input_space="sRGB1"))
               for v in VISIONS for a, b in itertools.combinations(colours, 2))


def test_the_measure_tells_a_confusable_pair():
    """Red and green, far apart to most eyes, nearly merge for a deuteranope: the measure must show it."""
    red, green = (200, 60, 50), (90, 140, 50)
    assert float(deltaE(seen(red, None), seen(green, None), input_space="sRGB1")) > 25
    assert smallest_difference([red, green]) < 12


def test_class_colours_stay_apart_for_every_colour_vision():
    most = field_schema(Playground2DConfig, "n_classes")["high"]
    assert most == 6
    assert smallest_difference(CLASS_COLOURS[:most]) >= 10.5
    assert smallest_difference(CLASS_COLOURS[:CSV_MAX_CLASSES]) >= 8.0


@pytest.mark.parametrize("name, colours, least", [
    ("train vs test curves", [METRIC_COLOURS["train_loss"], METRIC_COLOURS["test_loss"]], 40),
    ("accuracy curves", [METRIC_COLOURS[m] for m in ("train_acc", "test_acc", "train_acc_clean", "train_acc_flipped")],
     11),
    ("compared runs", RUN_COLOURS, 11),
])
def test_curve_and_run_colours_stay_apart(name, colours, least):
    assert smallest_difference(colours) >= least, name


def test_a_flipped_label_is_marked_by_a_dashed_ring_a_mistake_by_a_solid_one():
    """Shape, not colour alone: round each point, the fraction of the ring's circle in its colour."""
    bounds = (-1.0, 1.0, -1.0, 1.0)
    frame = PlotBox().scaled(3)
    grid = Grid(bounds, np.full((4, 4, 2), 0.5, np.float32))

    def ring_cover(image, colour, radius_px):
        rgb = np.asarray(image).astype(int)
        cx, cy = painter.to_px(np.array([[0.0, 0.0]]))[0]
        angles = np.linspace(0, 2 * np.pi, 720, endpoint=False)
        xs = np.round(cx + radius_px * np.cos(angles)).astype(int)
        ys = np.round(cy + radius_px * np.sin(angles)).astype(int)
        return float((np.abs(rgb[ys, xs] - np.array(colour)).sum(1) < 60).mean())

    painter = BoundaryPainter(bounds, X_train=[[0.0, 0.0]], y_train=[0], flipped=[True], frame=frame)
    flipped = ring_cover(painter.paint(grid), FLIP_RING, painter.r + frame.px(4) - frame.px(1))
    painter = BoundaryPainter(bounds, X_train=[[0.0, 0.0]], y_train=[0], frame=frame)
    mistake = ring_cover(painter.paint(grid, wrong_train=[True]), MISTAKE, painter.r + frame.px(2) - frame.px(1))
    assert 0.3 < flipped < 0.7, flipped  # dashes and gaps
    assert mistake > 0.9, mistake        # a solid ring
