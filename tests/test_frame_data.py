"""core/pictures/frame_data.py: a live frame as data for the browser's canvas, checked against what the PIL
frame (core/render.BoundaryPainter via core/playground.draw_boundary) is drawn from: the same grid,
the same misclassified and flipped masks, the same point positions, lines and pull radii."""
from __future__ import annotations

import json

import numpy as np
import pytest

from core.pictures import frame_data as fd
from core.pictures.render import PlotBox, evaluate_grid, hex_colour, pull_sizes, unit_segments
from core.runs.config import Playground2DConfig
from core.learning.models import linear_boundary
from core.runs.playground import build_run, draw_boundary
from core.lessons.pull import trainer_pull
from core.learning.trainer import predict


def trained(**changes):
    run = build_run(Playground2DConfig().replace(**changes))
    run.trainer.step(60)
    run.trainer.evaluate()
    return run


@pytest.fixture(scope="module")
def mlp_run():
    return trained(noise_kind="symmetric", noise_rate=0.2)  # some flipped labels: their rings must be marked


def test_the_grid_is_the_pil_frames_grid_quantised_to_bytes(mlp_run):
    run = mlp_run
    frame = fd.run_frame(run)
    reference = evaluate_grid(run.trainer.model, run.bounds, 70)  # what draw_boundary shades
    probs = fd.decode_probs(frame)
    assert probs.shape == reference.probs.shape == (70, 70, 2)
    assert np.abs(probs - reference.probs).max() <= 0.5 / 255 + 1e-6
    assert frame["grid"]["c"] == 1  # two classes: class 1 only, class 0 is its complement
    assert (probs.argmax(-1) != reference.predicted).mean() < 0.01  # ties at the boundary only


def test_masks_points_and_flips_are_the_painters_inputs(mlp_run):
    run = mlp_run
    frame = fd.run_frame(run)
    draw_boundary(run, frame=PlotBox())  # builds run.painter, the PIL reference at scale 1
    painter, d = run.painter, run.trainer.data
    train_logits, test_logits = run.trainer.current_logits()
    static = frame["static"]
    wrong_train = fd.unbits(frame["wrong_train"], d.n_train)
    wrong_test = fd.unbits(frame["wrong_test"], len(d.y_test))
    assert np.array_equal(wrong_train, (predict(train_logits) != d.y_given).numpy())
    assert np.array_equal(wrong_test, (predict(test_logits) != d.y_test).numpy())
    assert 0 < wrong_train.sum() < d.n_train  # flipped labels are misclassified by a fitting model
    flips = fd.unbits(static["train"]["flip"], d.n_train)
    assert np.array_equal(flips, d.flipped.numpy()) and flips.sum() > 0
    assert np.array_equal(fd.unb64(static["train"]["label"], np.uint8), d.y_given.numpy())
    assert np.array_equal(fd.unb64(static["test"]["label"], np.uint8), d.y_test.numpy())
    assert np.abs(fd.decode_points(static["train"]) - painter.train_px).max() <= 0.5 / fd.XY_UNITS
    assert np.abs(fd.decode_points(static["test"]) - painter.test_px).max() <= 0.5 / fd.XY_UNITS
    f = painter.frame
    assert static["plot"] == [f.left, f.top, f.plot_w, f.plot_h] and (static["w"], static["h"]) == (f.width, f.height)
    assert frame["colours"] == [hex_colour(0), hex_colour(1)]
    assert frame["step"] == run.trainer.steps == 60


def test_one_evaluation_per_frame_and_no_forward_pass_for_the_points(mlp_run, monkeypatch):
    run = mlp_run
    calls = {"grid": 0, "logits": 0}
    real_grid, real_logits = fd.evaluate_grid, run.trainer.logits

    def count_grid(*a, **k):
        calls["grid"] += 1
        return real_grid(*a, **k)

    def count_logits(*a, **k):
        calls["logits"] += 1
        return real_logits(*a, **k)

    monkeypatch.setattr(fd, "evaluate_grid", count_grid)
    monkeypatch.setattr(run.trainer, "logits", count_logits)
    fd.run_frame(run, unit_lines=True, pull=True)
    assert calls == {"grid": 1, "logits": 0}  # the trainer's last evaluation supplies the points' logits
    assert run.timings["boundary_ms"] > 0


def test_static_parts_are_built_once_per_data_set(mlp_run):
    a, b = fd.run_frame(mlp_run), fd.run_frame(mlp_run)
    assert a["static"] is b["static"]
    other = trained(seed=3)
    assert fd.run_frame(other)["static"]["token"] != a["static"]["token"]


def test_logistic_line_unit_lines_and_pull_as_the_pil_frame_draws_them():
    run = trained(model="logistic")
    frame = fd.run_frame(run, pull=True)
    w, b = linear_boundary(run.trainer.model)
    w = w.double().numpy().reshape(-1)
    x0, y0, x1, y1 = frame["line"]
    layout = fd.Layout(run.bounds)
    x_min, x_max, y_min, y_max = layout.bounds
    to_data = lambda px, py: (x_min + (px - layout.frame.left) / layout.sx, y_max - (py - layout.frame.top) / layout.sy)
    for px, py in ((x0, y0), (x1, y1)):
        x, y = to_data(px, py)
        assert abs(w[0] * x + w[1] * y + b) < 1e-2 * np.abs(w).sum()  # on the line w·x + b = 0
    draw_boundary(run, frame=PlotBox(), pull=True)
    radii = fd.unb64(frame["pull"], np.uint8) / fd.RADIUS_UNITS
    assert np.abs(radii - run.painter.pull_radii(trainer_pull(run.trainer))).max() <= 0.5 / fd.RADIUS_UNITS + 1e-9
    capped = fd.unbits(frame["pull_capped"], len(radii))  # the discs the cap cut: a thick edge
    assert capped.tolist() == pull_sizes(trainer_pull(run.trainer))[1].tolist()
    assert fd.run_frame(run)["pull_capped"] is None
    assert frame["units"] is None  # logistic regression has no hidden units

    relu = trained(model="mlp", activation="relu", width=6)
    assert fd.run_frame(relu)["line"] is None and fd.run_frame(relu)["units"] is None  # only when asked
    units = fd.run_frame(relu, unit_lines=True)["units"]
    segments = unit_segments(relu.trainer.model, relu.bounds)
    assert len(units) == len(segments) == 6
    for u, seg in zip(units, segments):
        if seg is None:
            assert u["seg"] is None
        else:
            assert np.allclose(np.reshape(u["seg"], (2, 2)), layout_px(relu, seg), atol=0.01)


def layout_px(run, seg):
    draw_boundary(run, frame=PlotBox())
    return run.painter.to_px(np.asarray(seg))


def test_multiclass_frames_carry_every_class_and_stay_small():
    run = trained(dataset="blobs_multi", n_classes=4)
    frame = fd.run_frame(run)
    assert frame["k"] == 4 and frame["grid"]["c"] == 4 and len(frame["colours"]) == 4
    assert frame["line"] is None
    probs = fd.decode_probs(frame)
    assert np.allclose(probs.sum(-1), 1.0, atol=4 / 255)
    text = json.dumps(frame, allow_nan=False)  # JSON as sent: no NaN or inf anywhere
    assert len(text) < 40_000
    default = json.dumps(fd.run_frame(trained()), allow_nan=False)
    assert len(default) < 16_000  # the default view: a fraction of a JPEG frame (~40 kB as a data URI)


def test_a_smaller_layout_places_points_as_the_painter_of_that_layout(mlp_run):
    """The Compare page's frame: 320 px with narrower margins, a coarser grid."""
    layout = PlotBox(width=320, height=320, left=34, bottom=22)
    frame = fd.run_frame(mlp_run, resolution=50, frame=layout)
    draw_boundary(mlp_run, resolution=50, frame=layout)
    static = frame["static"]
    assert (static["w"], static["plot"]) == (320, [34, layout.top, layout.plot_w, layout.plot_h])
    assert np.abs(fd.decode_points(static["train"]) - mlp_run.painter.train_px).max() <= 0.5 / fd.XY_UNITS
    assert fd.decode_probs(frame).shape == (50, 50, 2)
    assert fd.run_frame(mlp_run)["static"]["w"] == 420  # the 2D page's layout is cached apart


def test_axis_titles_travel_in_the_static_part_in_both_languages(mlp_run):
    """The 2D page's canvas names its axes: the exam data set's two scores, any other data set's features;
    translated on the server, so a language switch sends a new static part."""
    assert fd.axis_titles("exam", "en") == ("exam 1 score", "exam 2 score")
    assert fd.axis_titles("exam", "zh") == ("考试 1 成绩", "考试 2 成绩")
    assert fd.axis_titles("spiral", "zh") == fd.axis_titles("upload", "en") == ("x₁", "x₂")
    en = fd.run_frame(mlp_run, frame=fd.TITLED, titles=fd.axis_titles("exam", "en"))["static"]
    assert (en["xlabel"], en["ylabel"]) == ("exam 1 score", "exam 2 score")
    assert fd.run_frame(mlp_run, frame=fd.TITLED, titles=fd.axis_titles("exam", "en"))["static"] is en  # cached
    zh = fd.run_frame(mlp_run, frame=fd.TITLED, titles=fd.axis_titles("exam", "zh"))["static"]
    assert (zh["xlabel"], zh["ylabel"]) == ("考试 1 成绩", "考试 2 成绩")
    assert zh["token"] != en["token"]  # the browser must not draw the English part it cached
    assert fd.run_frame(mlp_run)["static"]["xlabel"] is None  # a layout without room for titles has none
    # room for the titles in the margins; the plot stays nearly as large, the points where a painter of it puts them
    assert fd.static_frame(zh) == fd.TITLED
    wide = PlotBox()
    assert fd.TITLED.left >= wide.left + 8 and fd.TITLED.bottom >= wide.bottom + 10
    assert fd.TITLED.plot_w >= 0.97 * wide.plot_w and fd.TITLED.plot_h >= 0.97 * wide.plot_h
    draw_boundary(mlp_run, frame=fd.TITLED)
    assert np.abs(fd.decode_points(zh["train"]) - mlp_run.painter.train_px).max() <= 0.5 / fd.XY_UNITS


def test_live_regions_are_redrawn_less_often_than_frames_but_fresh_when_paused():
    from core.runs import advance
    run = build_run(Playground2DConfig(depth=1, width=6))
    advance(run, 5, seconds=None)
    first = fd.live_regions(run, 40, every=0.0)
    assert first is fd.live_regions(run, 40, every=0.0)  # the same weights: computed once
    advance(run, 5, seconds=None)
    assert fd.live_regions(run, 40, every=60.0) is first  # playing: a young patchwork is kept
    fresh = fd.live_regions(run, 40, every=0.0)  # paused or stepping: always the current weights
    assert fresh is not first
    assert fd.live_regions(run, 50, every=60.0)["n"] == 50  # another grid: computed again
    logistic = build_run(Playground2DConfig(model="logistic"))
    assert fd.live_regions(logistic, 40) is None  # no hidden units, no regions
