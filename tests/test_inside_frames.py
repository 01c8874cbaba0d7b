"""The live side views' frames (core/pictures/inside_frames.py) decode to the numbers core/lessons/inside.py computes:
the J map is the trainer's loss, the path is the recorded weights, the points are the hidden layer's
activations; reused frames say "same" only while playing."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from core.runs.config import Playground2DConfig
from core.pictures.frame_data import unb64
from core.lessons.inside import cost_gradient, cost_surface, hidden_view, layers_of
from core.pictures.inside_frames import (PLOT, arrow_tip, available_views, hidden_frame, parameter_frame, parameter_window,
                                side_frame)
from core.runs.playground import build_run
from core.runs import advance


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
    assert available_views(logistic().trainer.model) == ("none", "params", "network")
    mlp = build_run(Playground2DConfig(model="mlp", dataset="moons"))
    assert available_views(mlp.trainer.model) == ("none", "hidden", "units", "network")
    three = build_run(Playground2DConfig(model="logistic", dataset="blobs_multi"))
    assert available_views(three.trainer.model) == ("none", "network")  # three logits: no (w1, w2) plane


def test_the_parameter_frame_decodes_to_the_loss_the_path_and_the_gradient():
    run = logistic()
    t = run.trainer
    f = parameter_frame(run)
    path = run.path.array()
    assert f["info"]["points"] == len(path) == 3  # the start and two evaluations
    w = t.model.net.weight.detach().double().numpy()
    lo1, lo2, hi1, hi2 = f["info"]["window"]
    half = np.array([hi1 - lo1, hi2 - lo2]) / 2
    # the map: the loss at its cells' centres, quantised to 0..255 between its min and max (log scale)
    n = f["heat"]["nx"]
    w1s = np.linspace(lo1, hi1, n)
    w2s = np.linspace(lo2, hi2, n)
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


def test_the_window_holds_the_path_the_weights_and_the_target_and_only_grows():
    path = np.array([[0, 0.0, 0.0, 0.0], [10, 1.0, 0.5, 0.1]])
    lo, hi = parameter_window(path, np.array([1.0, 0.5]), np.array([4.0, 3.0]))
    # the box (0, 0)-(4, 3) with a quarter of its span more on each side
    np.testing.assert_allclose(lo, [-1.0, -0.75])
    np.testing.assert_allclose(hi, [5.0, 3.75])
    assert parameter_window(path, np.array([1.0, 0.5]), np.array([3.9, 2.0]), (lo, hi)) == (lo, hi)  # inside: kept
    lo2, hi2 = parameter_window(path, np.array([1.0, 0.5]), np.array([6.0, 1.0]), (lo, hi))  # the target moved out
    assert (lo2 <= lo).all() and (hi2 >= hi).all() and hi2[0] > 6.0
    tiny_lo, tiny_hi = parameter_window(path[:1], np.zeros(2))  # one point: at least ±1
    np.testing.assert_allclose(tiny_lo, [-1, -1])
    np.testing.assert_allclose(tiny_hi, [1, 1])
    # -∇J a third of the smaller side long, cut at the edge it would cross, along -g either way
    np.testing.assert_allclose(arrow_tip(np.zeros(2), np.array([-1.0, 0.0]), tiny_lo, tiny_hi), [0.35, 0.0])
    tip = arrow_tip(np.array([0.9, 0.0]), np.array([-1.0, -1.0]), tiny_lo, tiny_hi)
    np.testing.assert_allclose(tip, [1.0, 0.1])
    assert arrow_tip(np.zeros(2), np.zeros(2), tiny_lo, tiny_hi) is None


def restricted_minimum(trainer, b: float) -> np.ndarray:
    """J's minimum over (w1, w2) with the bias at b, by torch's L-BFGS (not the page's damped Newton)."""
    import torch
    from core.lessons.inside import standardised_inputs
    Xs, y = standardised_inputs(trainer)
    X = torch.from_numpy(Xs)
    w = torch.tensor(trainer.model.net.weight.detach().double().numpy(), requires_grad=True)
    opt = torch.optim.LBFGS([w], max_iter=500, tolerance_grad=1e-10, tolerance_change=1e-14,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = trainer.objective((X @ w + b).float(), y, None).double()
        loss.backward()
        return loss
    for _ in range(3):
        opt.step(closure)
    return w.detach().numpy()


WALK = {"dataset": "exam", "input_noise": "6.0", "model": "logistic", "loss": "cross_entropy", "optimizer": "sgd",
        "lr": "0.1", "batch_size": "32"}  # the classroom walk's link: the exam scores overlap, J has a minimum


@pytest.mark.parametrize("seed", range(5))
def test_on_overlapping_exam_scores_the_map_holds_the_weights_and_the_minimum_they_head_to(seed):
    """Before, the map ended at the weights: the minimum never in view, −∇J off the map. Now, at every
    frame, the window holds the current weights and J's minimum in the plane (found here by L-BFGS),
    the arrow stays inside, and the window never shrinks; the same with initial weights moved by 1e-6."""
    from tests.lesson_variants import perturb_
    for draw in (None, 1):
        run = build_run(Playground2DConfig.from_query({**WALK, "seed": str(seed)})[0])
        if draw is not None:
            perturb_(run.trainer.model, draw)
        before = None
        for steps in (0, 100, 400, 1500):
            advance(run, steps - run.trainer.steps, seconds=None)
            f = parameter_frame(run)
            t = run.trainer
            w = t.model.net.weight.detach().double().numpy()
            lo, hi = np.array(f["info"]["window"][:2]), np.array(f["info"]["window"][2:])
            best = restricted_minimum(t, float(t.model.net.bias.detach()[0]))
            assert f["info"]["minimum"] == pytest.approx(best, abs=2e-3 * (1 + np.abs(best).max())), (seed, steps)
            for point in (w, best):
                assert (lo < point).all() and (point < hi).all(), (seed, steps, point, lo, hi)
            # the minimum is ahead of the weights (they have not arrived): the old window stopped at w
            assert np.linalg.norm(best - w) > 0.5, (seed, steps, best, w)
            x0, y0, x1, y1 = f["arrow"]  # on the canvas: inside the plot
            L, T, PW, PH = f["plot"]
            assert all(L - 1 <= x <= L + PW + 1 for x in (x0, x1)) and all(T - 1 <= y <= T + PH + 1 for y in (y0, y1))
            if before is not None:
                assert (lo <= before[0]).all() and (hi >= before[1]).all()  # grows only
            before = (lo, hi)


@pytest.mark.parametrize("seed", range(5))
def test_without_a_finite_minimum_the_map_says_so_and_grows_ahead_of_the_weights(seed):
    """Blobs a line separates: cross-entropy falls for ever as ‖w‖ grows, J has no lowest point."""
    from core.lessons.inside import plane_minimum
    run = build_run(Playground2DConfig(model="logistic", dataset="blobs", seed=seed))
    advance(run, 60, seconds=None)
    assert plane_minimum(run.trainer) is None
    f = parameter_frame(run)
    assert f["info"]["minimum"] is None
    lo, hi = np.array(f["info"]["window"][:2]), np.array(f["info"]["window"][2:])
    w = run.trainer.model.net.weight.detach().double().numpy()
    g, _ = cost_gradient(run.trainer)
    ahead = w - g / np.linalg.norm(g)  # one unit along −∇J: inside too
    assert (lo < w).all() and (w < hi).all() and (lo < ahead).all() and (ahead < hi).all()


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
    from core.pictures.inside_frames import PATH_SHOWN
    run = logistic()
    for step in range(run.trainer.steps + 1, run.trainer.steps + 3 * PATH_SHOWN):
        run.path.points.append((step, 0.5 + step * 1e-4, 0.25, 0.0))
    f = parameter_frame(run)
    xy = unb64(f["path"], "<i2").reshape(-1, 2)
    assert len(xy) == PATH_SHOWN and f["info"]["points"] == len(run.path.points)
    path = run.path.array()
    lo1, lo2, hi1, hi2 = f["info"]["window"]
    half = np.array([hi1 - lo1, hi2 - lo2]) / 2
    ends = to_data(f, xy[[0, -1]] / f["xy_units"])
    np.testing.assert_allclose(ends, path[[0, -1], 1:3], atol=2 * half.max() / PLOT.plot_w)


def test_the_units_frame_holds_each_units_picture_of_the_first_two_layers_in_rows_per_layer():
    from core.pictures.inside_frames import TILE_PX, units_frame
    from core.pictures.unit_maps import colour_indices, unit_maps
    run = build_run(Playground2DConfig(model="mlp", dataset="moons", depth=3, width=10, activation="tanh"))
    advance(run, 20, seconds=None)
    f = units_frame(run, layer_format="第 {i} 层 {n}", resolution=12)
    layers, activation = layers_of(run.trainer.model)
    maps = unit_maps(layers, activation, run.bounds, 12)
    assert [len(m) for m in maps] == f["info"]["units"] == [10, 10]  # two of the three layers
    values = unb64(f["values"], np.uint8).reshape(-1, 12, 12)
    np.testing.assert_array_equal(values, np.concatenate([colour_indices(m, activation) for m in maps]))
    tiles = np.array(f["tiles"])
    size = f["size"]
    assert len(tiles) == 20 and tiles[:, 0].max() + size <= f["w"] and tiles[:, 1].max() + size <= f["h"]
    assert len({tuple(t) for t in f["tiles"]}) == 20  # no two tiles on the same spot
    assert size >= TILE_PX
    assert [t for _, t in f["titles"]] == ["第 1 层 10", "第 2 层 10"]
    assert units_frame(logistic()) is None


def test_a_few_units_get_tiles_large_enough_for_a_projector():
    """Six units (the ReLU lesson's): six to a row across the plot's width, not 36 px stamps."""
    from core.pictures.inside_frames import PLOT, TILE_GAP, units_frame
    run = build_run(Playground2DConfig(model="mlp", dataset="circles", depth=1, width=6, activation="relu"))
    f = units_frame(run, resolution=12)
    tiles = np.array(f["tiles"])
    assert f["size"] >= 50 and len(set(tiles[:, 1])) == 1  # one row
    assert tiles[:, 0].max() + f["size"] <= PLOT.width and np.all(np.diff(tiles[:, 0]) == f["size"] + TILE_GAP)


def test_the_units_frame_counts_units_dead_everywhere_in_view():
    """A ReLU unit whose weights make it 0 over the whole view draws an all-white tile: the frame counts it."""
    from core.pictures.inside_frames import units_frame
    run = build_run(Playground2DConfig(model="mlp", dataset="circles", depth=1, width=6, activation="relu"))
    net = run.trainer.model.net  # a FlatMLP: each layer's weights are views into one flat parameter
    weight, bias = net.weights(net.weight)[0], net.biases(net.bias)[0]
    with torch.no_grad():
        weight[:2] = 0.0
        bias[:2] = -1.0  # relu(-1) = 0 everywhere
        weight[2:] = torch.tensor([1.0, 0.5])
        bias[2:] = 0.1
    run.trainer.forget_logits()
    assert units_frame(run, resolution=12)["info"]["dead"] == 2
    with torch.no_grad():
        bias[:2] = 0.5  # on again: relu(0.5) > 0 everywhere
    assert units_frame(run, resolution=12)["info"]["dead"] == 0
