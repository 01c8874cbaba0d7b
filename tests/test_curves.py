"""Curves that say something: no words in the images (Chinese would be empty boxes), one
colour per metric live and paused, no "-0" ticks, a log step axis, markers where a setting changed."""
from __future__ import annotations

import json

import numpy as np
import pytest

from core.i18n import STRINGS
from core.pictures.render import (CURVE_STYLES, EVENT_COLOURS, METRIC_COLOURS, _fmt_power, _log_ticks, _log_y_ticks,
                         curves_image, fmt_tick, history_images, nice_ticks, wants_log_y)
from core.learning.trainer import History
from tests.test_pages import assert_ok, open_2d, step
from tests.test_pages_mnist import SMALL, empty_root, env, open_mnist, with_mnist  # noqa: F401 (fixtures)
from ui.charts import history_chart

W, H = 420, 170
LEFT, RIGHT, TOP, BOTTOM = 44, 8, 6, 20  # curves_image's margins
PW = W - LEFT - RIGHT


def pixels(img) -> np.ndarray:
    return np.asarray(img.convert("RGB")).astype(int)


def columns_with(img, colour, rows=slice(TOP + 2, H - BOTTOM - 2)) -> np.ndarray:
    """x positions of the plot-area columns holding this exact colour."""
    a = pixels(img)[rows]
    return np.nonzero((a == np.array(colour)).all(-1).any(0))[0]


def make_history(steps, loss, events=()) -> History:
    h = History()
    for s, v in zip(steps, loss):
        h.step.append(s)
        h.epoch.append(s / 100)
        for m in h.values:
            h.values[m].append((v + 0.2 * m.startswith("test")) if "loss" in m else 0.5)
    h.events = list(events)
    return h


# ---- 1: no words drawn into the image ----------------------------------------------------------

def test_no_title_band_text_even_when_a_title_is_passed():
    """The band above the plot holds nothing but white: the old title text (boxes in Chinese) is gone."""
    img = curves_image([0, 10, 20], {"train_loss": [1.0, 0.5, 0.2]}, width=W, height=H,
                       title="横轴：轮数 x: epochs")
    band = pixels(img)[:TOP - 1, LEFT:]  # where the title was; the y tick "1" may reach up at the left
    assert (band == 255).all()


def test_live_images_have_no_title_band_text():
    h = make_history([0, 5, 10], [0.7, 0.4, 0.3])
    for img in history_images(h, True, by_epoch=True):
        assert (pixels(img)[:TOP - 1, LEFT:] == 255).all()


# ---- 2: one colour per metric, live and paused --------------------------------------------------

def test_live_and_paused_use_the_same_colours():
    h = make_history([0, 1, 2], [0.7, 0.5, 0.4])
    metrics = ("train_acc", "test_acc", "train_acc_clean", "train_acc_flipped")
    spec = history_chart(h, metrics, "curves.axis_acc").to_dict()
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert scale["domain"] == [STRINGS[f"metric.{m}"]["en"] for m in metrics]
    assert scale["range"] == ["#%02x%02x%02x" % METRIC_COLOURS[m] for m in metrics]
    assert all(CURVE_STYLES[m][0] == METRIC_COLOURS[m] for m in METRIC_COLOURS)
    # and the live image draws train/test in exactly those colours
    loss_img, _ = history_images(h, False)
    for m in ("train_loss", "test_loss"):
        assert len(columns_with(loss_img, METRIC_COLOURS[m])) > 50


# ---- 3: ticks -----------------------------------------------------------------------------------

@pytest.mark.parametrize("lo, hi", [(-0.3, 0.3), (-1e-17, 1.0), (-0.25, 0.75), (-3.0, 7.0), (0.0, 0.7)])
def test_no_minus_zero_or_float_dust_in_tick_labels(lo, hi):
    labels = [fmt_tick(v) for v in nice_ticks(lo, hi, 4)]
    assert "-0" not in labels and not any("e-1" in s for s in labels), labels
    assert "0" in labels or lo > 0


def test_fmt_negative_zero():
    assert fmt_tick(-0.0) == "0"


def test_step_axis_has_whole_steps_only():
    """After one step the x axis shows 0 and 1, never 0.5 (half a step is not a step)."""
    assert nice_ticks(0.0, 1.0, 4, min_step=1.0) == [0.0, 1.0]
    assert all(float(v).is_integer() for v in nice_ticks(0.0, 3.0, 4, min_step=1.0))


def test_first_point_is_not_hidden_in_the_frame():
    """Step 0 alone: a dot below the top frame line, in the training colour (headroom above the max)."""
    img = curves_image([0], {"train_loss": [0.69]}, width=W, height=H)
    a = pixels(img)
    ys = np.nonzero((a == np.array(METRIC_COLOURS["train_loss"])).all(-1))[0]
    assert len(ys) and ys.min() > TOP + 1


# ---- 4: log step axis ---------------------------------------------------------------------------

def test_log_axis_maps_steps_by_their_logarithm():
    """Steps 1..1000 with a vertical jump at 10 and 100: the jumps sit at 1/3 and 2/3 of the width."""
    steps = np.arange(1, 1001)
    loss = np.where(steps < 10, 1.0, np.where(steps < 100, 0.5, 0.1))
    img = curves_image(steps, {"train_loss": loss}, width=W, height=H, log_x=True, integer_x=True)
    a = pixels(img)[TOP + 2:H - BOTTOM - 2]
    blue = (a == np.array(METRIC_COLOURS["train_loss"])).all(-1)
    tall = np.nonzero(blue.sum(0) > 10)[0]  # the two vertical drops
    third = LEFT + PW / 3
    assert any(abs(x - third) <= 2 for x in tall) and any(abs(x - (LEFT + 2 * PW / 3)) <= 2 for x in tall)
    linear = curves_image(steps, {"train_loss": loss}, width=W, height=H, integer_x=True)
    drops = np.nonzero(((pixels(linear)[TOP + 2:H - BOTTOM - 2] == np.array(METRIC_COLOURS["train_loss"]))
                        .all(-1)).sum(0) > 10)[0]
    assert drops.max() < LEFT + PW * 0.12  # on a linear axis both drops are squeezed at the left


def test_log_axis_leaves_out_step_0():
    only_zero = curves_image([0], {"train_loss": [0.7]}, log_x=True)
    assert len(columns_with(only_zero, METRIC_COLOURS["train_loss"], slice(0, 200))) == 0
    img = curves_image([0, 1, 10], {"train_loss": [0.7, 0.6, 0.5]}, width=W, height=H, log_x=True)
    xs = columns_with(img, METRIC_COLOURS["train_loss"])
    assert xs.min() >= LEFT - 1 and len(xs) > 100


def test_log_ticks():
    assert _log_ticks(1, 1000) == [1, 10, 100, 1000]
    assert _log_ticks(1, 30) == [1, 2, 5, 10, 20]


def test_paused_chart_log_axis():
    h = make_history([0, 1, 10], [0.7, 0.6, 0.5])
    spec = history_chart(h, ("train_loss",), "curves.axis_loss", log_x=True).to_dict()
    assert spec["layer"][0]["encoding"]["x"]["scale"] == {"type": "log"}
    assert sorted(r["step"] for r in spec["data"]["values"]) == [1, 10]


# ---- 4b: a blown-up loss on a log value axis ------------------------------------------------------
BLOW_UP = [1.03, 4.03, 401.0, 1.71e3, 4.54e16, 3.1e19]  # lr_too_high, seed 0, one step at a time


def test_log_value_axis_only_for_a_loss_that_blew_up():
    assert wants_log_y([BLOW_UP])
    assert wants_log_y([[0.7, 0.7], [1.0, 2e3]])  # any of the curves
    assert not wants_log_y([[0.7, 0.3, 1e-6, 0.0]])  # falling towards 0: the usual linear axis
    assert not wants_log_y([[1.0, 900.0], [float("nan"), float("inf")], []])


def test_log_value_axis_draws_each_step_of_the_climb():
    """On a linear axis the climb is flat and then one spike; on the log axis every step rises visibly."""
    steps = list(range(len(BLOW_UP)))

    def heights(img):  # the train curve's row at each step's column (its top pixel there)
        a = (pixels(img) == np.array(METRIC_COLOURS["train_loss"])).all(-1)
        cols = [round(LEFT + s / steps[-1] * PW) for s in steps]
        return [H - BOTTOM - np.nonzero(a[:, min(max(c, LEFT + 1), LEFT + PW - 2)])[0].min() for c in cols]
    linear = heights(curves_image(steps, {"train_loss": BLOW_UP}, width=W, height=H))
    log = heights(curves_image(steps, {"train_loss": BLOW_UP}, width=W, height=H, log_y=True))
    assert max(linear[:5]) - min(linear[:5]) <= 3  # flat until the last step
    assert all(b > a + 3 for a, b in zip(log, log[1:])), log  # each step higher
    assert log[-1] - log[0] > 0.8 * (H - TOP - BOTTOM)
    assert _log_y_ticks(1.0, 3.1e19) == [1.0, 1e4, 1e8, 1e12, 1e16]  # five labels, not twenty
    assert [_fmt_power(v) for v in (1e16, 1e-5, 100.0)] == ["1e16", "1e-5", "100"]


def test_paused_chart_and_live_title_say_log_scale_once_the_loss_blew_up():
    from ui.live_view import curves_html
    h = make_history(range(len(BLOW_UP)), BLOW_UP)
    spec = history_chart(h, ("train_loss", "test_loss"), "curves.axis_loss", log_y=None).to_dict()
    y = spec["layer"][0]["encoding"]["y"]
    assert y["scale"] == {"type": "log"} and y["title"] == "loss · log scale"
    assert "loss · log scale</b>" in curves_html(h, False, log_y=None)
    calm = make_history([0, 1, 2], [0.7, 0.5, 0.4])
    calm_y = history_chart(calm, ("train_loss",), "curves.axis_loss", log_y=None).to_dict()["layer"][0]["encoding"]["y"]
    assert "scale" not in calm_y
    assert "log scale" not in curves_html(calm, False, log_y=None)
    assert "log scale" not in curves_html(h, False)  # only where a page asks for it (the 2D page)


# ---- 5: a marker where a setting changed --------------------------------------------------------

def test_history_mark_merges_a_dragged_slider():
    h = History()
    h.mark(10, "lr", "0.01", "0.03")
    h.mark(10, "lr", "0.03", "0.1")
    h.mark(20, "loss", "cross_entropy", "mae")
    assert h.events == [(10, "lr", "0.01", "0.1"), (20, "loss", "cross_entropy", "mae")]
    h.mark(20, "loss", "mae", "cross_entropy")  # back where it was at that step: no change
    assert h.events == [(10, "lr", "0.01", "0.1")]


def test_trainer_records_lr_loss_and_optimizer_changes():
    from core.runs.config import Playground2DConfig
    from core.runs.playground import build_run
    from core.runs import advance
    run = build_run(Playground2DConfig())
    t = run.trainer
    t.set_lr(t.lr)  # unchanged: nothing recorded
    assert t.history.events == []
    advance(run, 5, None)
    t.set_lr(0.1)
    t.configure(loss="mae", optimizer="sgd")
    assert t.history.events == [(5, "lr", "0.01", "0.1"), (5, "loss", "cross_entropy", "mae"),
                                (5, "optimizer", "adam", "sgd")]


def test_marker_line_at_the_right_x():
    steps = list(range(0, 101))
    h = make_history(steps, [1.0 - s / 200 for s in steps], events=[(25, "lr", "0.01", "0.1")])
    loss_img, acc_img = history_images(h, False)
    for img in (loss_img, acc_img):
        xs = columns_with(img, EVENT_COLOURS["lr"])
        assert list(xs) == [round(LEFT + 0.25 * PW)]
    # on the epoch axis the marker follows the epoch of that step
    loss_img, _ = history_images(h, False, by_epoch=True)
    assert list(columns_with(loss_img, EVENT_COLOURS["lr"])) == [round(LEFT + 0.25 * PW)]


def test_paused_chart_has_a_rule_with_the_note():
    h = make_history([0, 10, 20], [0.7, 0.6, 0.5], events=[(10, "optimizer", "adam", "sgd")])
    spec = history_chart(h, ("train_loss",), "curves.axis_loss").to_dict()
    rule = spec["layer"][-1]
    assert rule["mark"]["type"] == "rule"
    rows = rule["data"]["values"]
    assert rows[0]["step"] == 10 and rows[0]["note"] == "① optimizer Adam → SGD (step 10)"


# ---- pages: captions in both languages ----------------------------------------------------------

def html_bodies(at) -> str:
    return "".join(e.proto.body for e in at.get("html"))


def test_2d_curves_caption_in_english_and_chinese():
    at = open_2d()
    assert_ok(at)
    step(at)
    at.select_slider(key="w2d.lr").set_value(0.1).run()  # the sidebar's learning rate, after step 1
    step(at)
    body = html_bodies(at)
    for key in ("metric.train_loss", "metric.test_acc", "curves.x_steps", "curves.axis_loss"):
        assert STRINGS[key]["en"] in body, key
    assert "① learning rate 0.01 → 0.1" in body
    assert 'id="loss-live"' in body and 'id="acc-live"' in body
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    body = html_bodies(at)
    for key in ("metric.train_loss", "metric.test_acc", "curves.x_steps", "curves.axis_loss"):
        assert STRINGS[key]["zh"] in body, key
    assert "① 学习率 0.01 → 0.1" in body
    assert at.checkbox(key="p2d.curves_log").label == STRINGS["curves.log_x"]["zh"]


def test_2d_log_checkbox_switches_live_and_paused_axes():
    at = open_2d()
    step(at)
    at.checkbox(key="p2d.curves_log").check().run()
    assert_ok(at)
    assert STRINGS["curves.log_on"]["en"] in html_bodies(at)
    assert not at.get("vega_lite_chart")  # a closed expander's charts are not built (lazy)
    at.session_state["p2d.open_curves"] = True  # the reader opens it
    at.run()
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]  # the paused charts
    assert len(specs) == 2 and all(s["layer"][0]["encoding"]["x"]["scale"] == {"type": "log"} for s in specs)
    at.checkbox(key="p2d.curves_log").uncheck().run()
    assert STRINGS["curves.log_on"]["en"] not in html_bodies(at)
    assert all("scale" not in json.loads(c.proto.spec)["layer"][0]["encoding"]["x"] for c in at.get("vega_lite_chart"))


def test_mnist_curves_caption_and_change_note_in_both_languages(with_mnist):
    at = open_mnist(SMALL)
    assert_ok(at)
    next(b for b in at.button if b.key in ("mn.step", "mn.step_button")).click().run()  # the key is being renamed
    before = at.selectbox(key="wm.optimizer@en").value
    after = "sgd" if before != "sgd" else "adam"
    at.selectbox(key="wm.optimizer@en").set_value(after).run()  # a change after one step
    assert_ok(at)
    body = html_bodies(at)
    assert f"① optimizer {STRINGS['opt.' + before]['en']} → {STRINGS['opt.' + after]['en']}" in body
    assert 'id="mn-loss-live"' in body and 'id="mn-acc-live"' in body
    for key in ("metric.train_loss", "metric.test_acc", "curves.x_epochs"):
        assert STRINGS[key]["en"] in body, key
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    body = html_bodies(at)
    for key in ("metric.train_loss", "metric.test_acc", "curves.x_epochs"):
        assert STRINGS[key]["zh"] in body, key
    assert f"① 优化器 {STRINGS['opt.' + before]['zh']} → {STRINGS['opt.' + after]['zh']}" in body
    assert at.checkbox(key="mn.curves_log").label == STRINGS["curves.log_x"]["zh"]


def test_live_caption_keeps_the_latest_notes_numbered_from_the_first():
    from ui.live_view import MAX_NOTES, curves_html
    lrs = [f"{0.01 * (i + 1):g}" for i in range(MAX_NOTES + 3)]
    h = make_history(range(0, 200), [0.5] * 200,
                     events=[(10 * (i + 1), "lr", lrs[i - 1] if i else "0.005", lrs[i]) for i in range(len(lrs))])
    body = curves_html(h, False)
    assert body.count('class="curve-event"') == MAX_NOTES
    assert "① learning rate" not in body and f"⑪ learning rate {lrs[-2]} → {lrs[-1]} (step 110)" in body
