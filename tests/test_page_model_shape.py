"""The 2D page's model-shape settings: logistic regression without bias, and the MLP's
last hidden layer width; each from a link, in its widget, and in what the page prints."""
from __future__ import annotations

import re

from core.i18n import STRINGS
from core.learning.models import linear_boundary
from tests.test_pages import assert_ok, open_2d, run_of, step
from ui.common import widget_key
from ui.live_view import shown_payload


def status_of(at) -> str:
    return shown_payload(at.get("bidi_component")[0])["before"].replace("&#x27;", "'")


def test_a_no_bias_link_shows_the_box_unchecked_and_prints_b_0_in_the_datas_units():
    at = open_2d({"model": "logistic", "bias": "0", "dataset": "blobs"})
    assert_ok(at)
    box = at.checkbox(key="w2d.bias")
    assert box.value is False and box.label == STRINGS["w.bias"]["en"]
    assert not [s for s in at.select_slider if s.key == widget_key("w2d.last_width")]  # an MLP setting only
    step(at, 5)
    net = run_of(at).trainer.model.net
    assert not net.has_bias and net.bias.item() == 0.0 and run_of(at).trainer.steps == 5
    m = re.search(r'id="boundary-equation" data-w1="([^"]+)" data-w2="([^"]+)" data-b="([^"]+)"', status_of(at))
    assert m and float(m[3]) == 0.0  # blobs are drawn around (0, 0) and not centred: w·x = 0 in data units
    w, b = linear_boundary(run_of(at).trainer.model)
    assert b == 0.0 and [float(m[1]), float(m[2])] == [float(f"{float(v):.9g}") for v in w]
    assert at.query_params["bias"] == "0"


def test_unchecking_bias_rebuilds_the_model_and_the_link_follows():
    at = open_2d({"model": "logistic", "dataset": "blobs"})
    assert at.checkbox(key="w2d.bias").value is True and run_of(at).trainer.model.net.has_bias
    step(at, 3)
    at.checkbox(key="w2d.bias").uncheck().run()
    assert_ok(at)
    run = run_of(at)
    assert not run.trainer.model.net.has_bias and run.trainer.steps == 0  # a new model, fresh weights
    assert at.query_params["bias"] == "0"


def test_the_last_hidden_layer_width_from_a_link_sets_the_model_and_the_regions_bound():
    at = open_2d({"model": "mlp", "depth": "1", "width": "6", "last_width": "3", "activation": "relu"})
    assert_ok(at)
    shown = at.select_slider(key=widget_key("w2d.last_width"))
    assert shown.value == 3 and shown.label == STRINGS["w.last_width"]["en"]
    assert not [c for c in at.checkbox if c.key == "w2d.bias"]  # a logistic setting only
    assert run_of(at).trainer.model.net.sizes == [2, 3, 1]  # one hidden layer: it is the last one
    at.checkbox(key="p2d.regions").check().run()
    step(at, 1)
    # three lines cut the plane into at most 1 + 3 + 3 regions, whatever the other layers' width says
    assert STRINGS["p2d.regions_bound"]["en"].format(n=3, bound=7) in status_of(at)
    at.select_slider(key=widget_key("w2d.last_width")).set_value(0).run()
    assert_ok(at)
    assert run_of(at).trainer.model.net.sizes == [2, 6, 1] and at.query_params["last_width"] == "0"


def test_model_shape_labels_in_chinese():
    at = open_2d({"model": "mlp", "depth": "2", "last_width": "2", "lang": "zh"})
    assert_ok(at)
    shown = at.select_slider(key="w2d.last_width@zh")  # one widget per language (ui/common.widget_key)
    assert shown.label == STRINGS["w.last_width"]["zh"] and shown.value == 2
    assert run_of(at).trainer.model.net.sizes == [2, 16, 2, 1]
    zh = open_2d({"model": "logistic", "lang": "zh"})
    assert zh.checkbox(key="w2d.bias").label == STRINGS["w.bias"]["zh"]
