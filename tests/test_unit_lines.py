"""ReLU pieces: each first-layer unit's line w·x + b = 0, computed in core (hand-computed cases)
and drawn in the 2D frame the page shows when the checkbox is on (on when the lesson opens)."""
from pathlib import Path

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from core.pictures.render import PlotBox, UNIT_COLOURS, clip_line, first_layer_lines, unit_segments
from core.runs.playground import build_run, draw_boundary
from core.lessons.presets import preset
from core.pictures.frame_data import TITLED
from tests.support import live_canvases, open_lesson_in_apptest
from tests.test_presets import configs_of
from ui.live_view import shown_payload

APP = str(Path(__file__).resolve().parents[1] / "app.py")


def open_lesson(key: str) -> AppTest:
    return open_lesson_in_apptest(APP, key)


def test_clip_line_hand_computed_cases():
    box = (-1.0, 1.0, -2.0, 2.0)
    # x = 0.5 (w = (2, 0), b = -1): vertical, full height
    a, b = clip_line(np.array([2.0, 0.0]), -1.0, box)
    assert sorted([a, b]) == [pytest.approx((0.5, -2.0)), pytest.approx((0.5, 2.0))]
    # y = x: enters at (-1, -1), leaves at (1, 1)
    a, b = clip_line(np.array([1.0, -1.0]), 0.0, box)
    assert sorted([a, b]) == [pytest.approx((-1.0, -1.0)), pytest.approx((1.0, 1.0))]
    # y = 3: above the box
    assert clip_line(np.array([0.0, 1.0]), -3.0, box) is None
    # x + y = 2.5: clipped by the top and the right side, at (0.5, 2) and (1, 1.5)
    a, b = clip_line(np.array([1.0, 1.0]), -2.5, box)
    assert sorted([a, b]) == [pytest.approx((0.5, 2.0)), pytest.approx((1.0, 1.5))]
    assert clip_line(np.array([0.0, 0.0]), 1.0, box) is None  # no line at all
    # huge weights describe the same line (no overflow)
    a, b = clip_line(np.array([1e200, 0.0]), -0.5e200, box)
    assert a[0] == pytest.approx(0.5) and b[0] == pytest.approx(0.5)


def test_first_layer_lines_are_where_each_unit_switches_on():
    (config,) = configs_of(preset("relu_pieces"))
    run = build_run(config)
    run.trainer.step(200)
    lines = first_layer_lines(run.trainer.model)
    assert len(lines) == config.width == 6
    # pre-activations of the first layer, computed through the model's own modules
    model = run.trainer.model
    X = run.trainer.data.X_test
    W, b = model.net.weights(model.net.weight.detach())[0], model.net.biases(model.net.bias.detach())[0]
    pre = model.standardize(X) @ W.T + b
    for i, (w, c) in enumerate(lines):
        raw = X.double().numpy() @ w + c
        assert np.allclose(raw, pre[:, i].double().numpy(), atol=1e-4)
    # logistic regression has no hidden units: nothing to draw
    logistic = build_run(config.replace(model="logistic"))
    assert first_layer_lines(logistic.trainer.model) == [] and unit_segments(logistic.trainer.model, logistic.bounds) == []
    # deeper nets: the first layer's units
    deep = build_run(config.replace(depth=3, width=5))
    assert len(first_layer_lines(deep.trainer.model)) == 5


def unit_pixels(img) -> int:
    rgb = np.asarray(img)[..., :3].astype(int)
    return int(sum((np.abs(rgb - np.array(c)).sum(-1) == 0).sum() for c in UNIT_COLOURS))


def test_unit_lines_are_drawn_in_the_frame_only_when_asked():
    (config,) = configs_of(preset("relu_pieces"))
    run = build_run(config)
    run.trainer.step(300)
    frame = PlotBox()
    plain = draw_boundary(run, frame=frame)
    lined = draw_boundary(run, frame=frame, unit_lines=True)
    assert unit_pixels(plain) == 0
    segments = [s for s in unit_segments(run.trainer.model, run.bounds) if s is not None]
    assert len(segments) >= 4  # most of the six lines cross the view
    # each drawn unit leaves pixels of its own colour, about as many as its segment is long (points cover some)
    rgb = np.asarray(lined)[..., :3].astype(int)
    painter = run.painter
    for i, seg in enumerate(unit_segments(run.trainer.model, run.bounds)):
        count = int((np.abs(rgb - np.array(UNIT_COLOURS[i])).sum(-1) == 0).sum())
        if seg is None:
            assert count == 0
            continue
        (x0, y0), (x1, y1) = painter.to_px(np.asarray(seg))
        length = float(np.hypot(x1 - x0, y1 - y0))
        assert 0.5 * length < count < 3 * length + 10, (i, count, length)


def live_frame(at: AppTest, element_id: str) -> dict:
    """The frame data of the live canvas the page shows (ui/live_view.py, drawn in the browser)."""
    (frame,) = [p["frame"] for el in live_canvases(at) for p in shown_payload(el)["panels"]
                if p["id"] == element_id]
    return frame


def test_relu_lesson_opens_with_the_unit_lines_on_and_the_checkbox_turns_them_off():
    at = open_lesson("relu_pieces")
    assert at.checkbox(key="p2d.unit_lines").value is True
    at.button(key="p2d.step10_button").click().run()  # the lines move with training; no play loop in AppTest
    run = at.session_state["p2d.run"]
    with_lines = live_frame(at, "boundary-live")
    at.checkbox(key="p2d.unit_lines").uncheck().run()
    assert at.checkbox(key="p2d.unit_lines").value is False
    assert at.session_state["p2d.run"].trainer.steps == run.trainer.steps == 10  # the same weights
    without = live_frame(at, "boundary-live")
    assert with_lines["step"] == without["step"] == 10
    assert without["units"] is None
    # each unit's segment, in the frame's pixels, in its own colour: where the PIL frame draws it
    draw_boundary(run, frame=TITLED)  # the 2D page's layout (axis titles in its margins)
    segments = unit_segments(run.trainer.model, run.bounds)
    assert len(with_lines["units"]) == len(segments) == 6
    drawn = 0
    for i, (unit, seg) in enumerate(zip(with_lines["units"], segments)):
        assert unit["colour"] == "#%02x%02x%02x" % UNIT_COLOURS[i]
        if seg is None:
            assert unit["seg"] is None
            continue
        assert np.allclose(np.reshape(unit["seg"], (2, 2)), run.painter.to_px(np.asarray(seg)), atol=0.01)
        drawn += 1
    assert drawn >= 4
    # a lesson that does not teach the units opens the 2D page with the lines off
    other = open_lesson("lr_too_high")
    assert other.checkbox(key="p2d.unit_lines").value is False
