"""The live side views' frames (core/inside_frames.py) decode to the numbers core/inside.py computes:
the J map is the trainer's loss, the path is the recorded weights, the points are the hidden layer's
activations; reused frames say "same" only while playing."""
from __future__ import annotations

import numpy as np
import pytest

from core.config import Playground2DConfig
from core.frame_data import unb64
from core.inside import cost_gradient, cost_surface, hidden_view, layers_of
from core.inside_frames import (PLOT, available_views, hidden_frame, parameter_frame, parameter_window,
                                side_frame)
from core.playground import advance, build_run


def to_data(frame, px):
    """Layout pixels -> data units, the inverse of the frame's axes (PLOT at scale 1)."""
    L, T, PW, PH = frame["plot"]
    ticks_x = [(p, float(v)) for p, v in frame["xticks"]]
    ticks_y = [(p, float(v)) for p, v in frame["yticks"]]
    (px0, x0), (px1, x1) = ticks_x[0], ticks_x[-1]
    (py0, y0), (py1, y1) = ticks_y[0], ticks_y[-1]
    px = np.asarray(px, dtype=float).reshape(-1, 2)
    return np.stack([x0 + (px[:, 0] - px0) * (x1 - x0) / (px1 - px0),
                     y0 + (px[:, 1] - py0) * (y1 - y0) / (py1 - py0)], 1)


def logistic(**kw):
    run = build_run(Playground2DConfig(model="logistic", dataset="blobs", **kw))
    advance(run, 30, seconds=None)
    advance(run, 30, seconds=None)
    return run


def test_the_views_offered_follow_the_model():
    assert available_views(logistic().trainer.model) == ("none", "params")
    mlp = build_run(Playground2DConfig(model="mlp", dataset="moons"))
    assert available_views(mlp.trainer.model) == ("none", "hidden", "units")
    three = build_run(Playground2DConfig(model="logistic", dataset="blobs_multi"))
    assert available_views(three.trainer.model) == ("none",)  # three logits: no (w1, w2) plane


def test_the_parameter_frame_decodes_to_the_loss_the_path_and_the_gradient():
    run = logistic()
    t = run.trainer
    f = parameter_frame(run)
    path = run.path.array()
    assert f["info"]["points"] == len(path) == 3  # the start and two evaluations
    w = t.model.net.weight.detach().double().numpy()
    centre, half = parameter_window(path, w)
    # the map: the loss at its cells' centres, quantised to 0..255 between its min and max (log scale)
    n = f["heat"]["nx"]
    w1s = np.linspace(centre[0] - half[0], centre[0] + half[0], n)
    w2s = np.linspace(centre[1] - half[1], centre[1] + half[1], n)
    J = cost_surface(t, w1s, w2s)
    q = unb64(f["heat"]["v"], np.uint8).reshape(n, n)[::-1]  # sent top row (highest w2) first
    expected = (np.log(J) - np.log(J.min())) / (np.log(J.max()) - np.log(J.min())) * 255
    assert np.abs(q - expected).max() <= 0.51
    assert f["heat"]["lo"] == pytest.approx(J.min()) and f["heat"]["hi"] == pytest.approx(J.max())
    # the path and the current point, back in (w1, w2)
    xy = unb64(f["path"], "<i2").reshape(-1, 2) / f["xy_units"]
    np.testing.assert_allclose(to_data(f, xy), path[:, 1:3], atol=2 * half.max() / PLOT.plot_w)
    np.testing.assert_allclose(to_data(f, f["marker"])[0], w, atol=2 * half.max() / PLOT.plot_w)
    # the arrow points along -∇J (screen y grows downwards)
    g, _ = cost_gradient(t)
    x0, y0, x1, y1 = f["arrow"]
    direction = np.array([x1 - x0, -(y1 - y0)])
    cos = direction @ -g / np.linalg.norm(direction) / np.linalg.norm(g)
    assert cos > 0.99
    assert (f["info"]["g1"], f["info"]["g2"]) == pytest.approx(tuple(g))


def test_the_hidden_frame_decodes_to_the_last_hidden_layers_activations_and_its_line():
    run = build_run(Playground2DConfig(model="mlp", dataset="circles", depth=2, width=8, last_width=2,
                                       activation="tanh"))
    advance(run, 200, seconds=None)
    f = hidden_frame(run)
    layers, activation = layers_of(run.trainer.model)
    view = hidden_view(layers, run.trainer.data.X_train.double().numpy(), activation)
    assert view.exact and f["info"]["exact"] and f["xlabel"] == "h₁"
    xy = unb64(f["points"]["xy"], "<i2").reshape(-1, 2) / f["xy_units"]
    span = np.ptp(view.coords, 0).max()
    np.testing.assert_allclose(to_data(f, xy), view.coords, atol=2 * span / PLOT.plot_w)
    labels = unb64(f["points"]["label"], np.uint8)
    np.testing.assert_array_equal(labels, run.trainer.data.y_given.numpy())
    # the output layer's line h·w + b = 0, where drawn, has its two ends on that line
    (normal, offset), = view.lines
    for seg in f["lines"]:
        ends = to_data(f, np.array(seg).reshape(2, 2))
        assert np.abs(ends @ normal + offset).max() < 0.02 * np.abs(normal).sum() * span


def test_principal_components_are_labelled_in_the_given_format():
    run = build_run(Playground2DConfig(model="mlp", dataset="moons", depth=2, width=16))
    f = hidden_frame(run, pc_format="第 {i} 主成分 {share}")
    assert not f["info"]["exact"] and f["xlabel"].startswith("第 1 主成分 ") and f["xlabel"].endswith("%")
    assert f["lines"] == []


def test_a_side_frame_is_reused_only_while_playing_and_rebuilt_after_steps():
    run = logistic()
    first = side_frame(run, "params", every=10.0)
    assert "heat" in first
    advance(run, 5, seconds=None)
    again = side_frame(run, "params", every=10.0)  # young: the browser keeps the last picture
    assert again == {"kind": "plot", "same": first["stamp"], "w": first["w"]}
    paused = side_frame(run, "params", every=0.0)  # paused or stepping: always the model of now
    assert paused["step"] == run.trainer.steps and paused["stamp"] != first["stamp"]
    assert side_frame(run, "params", every=0.0)["stamp"] == paused["stamp"]  # same step: not recomputed
    assert side_frame(run, "hidden") is None and side_frame(run, "none") is None


def test_a_long_path_is_thinned_for_the_browser_keeping_its_ends():
    from core.inside_frames import PATH_SHOWN
    run = logistic()
    for step in range(run.trainer.steps + 1, run.trainer.steps + 3 * PATH_SHOWN):
        run.path.points.append((step, 0.5 + step * 1e-4, 0.25, 0.0))
    f = parameter_frame(run)
    xy = unb64(f["path"], "<i2").reshape(-1, 2)
    assert len(xy) == PATH_SHOWN and f["info"]["points"] == len(run.path.points)
    path = run.path.array()
    half = parameter_window(path, run.trainer.model.net.weight.detach().double().numpy())[1]
    ends = to_data(f, xy[[0, -1]] / f["xy_units"])
    np.testing.assert_allclose(ends, path[[0, -1], 1:3], atol=2 * half.max() / PLOT.plot_w)


def test_the_units_frame_holds_each_units_picture_of_the_first_two_layers_in_rows_per_layer():
    from core.inside_frames import TILE_PX, units_frame
    from core.unit_maps import colour_indices, unit_maps
    run = build_run(Playground2DConfig(model="mlp", dataset="moons", depth=3, width=10, activation="tanh"))
    advance(run, 20, seconds=None)
    f = units_frame(run, layer_format="第 {i} 层 {n}", resolution=12)
    layers, activation = layers_of(run.trainer.model)
    maps = unit_maps(layers, activation, run.bounds, 12)
    assert [len(m) for m in maps] == f["info"]["units"] == [10, 10]  # two of the three layers
    values = unb64(f["values"], np.uint8).reshape(-1, 12, 12)
    np.testing.assert_array_equal(values, np.concatenate([colour_indices(m, activation) for m in maps]))
    tiles = np.array(f["tiles"])
    assert len(tiles) == 20 and tiles[:, 0].max() + TILE_PX <= f["w"] and tiles[:, 1].max() + TILE_PX <= f["h"]
    assert len({tuple(t) for t in f["tiles"]}) == 20  # no two tiles on the same spot
    assert [t for _, t in f["titles"]] == ["第 1 层 10", "第 2 层 10"]
    assert units_frame(logistic()) is None
