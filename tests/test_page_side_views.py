"""The views beside the 2D boundary as the page shows them (AppTest): the side canvas panel and its
numbers, the radio that chooses it, its part of the link, both languages."""
from __future__ import annotations

import json
import re

import pytest

from core.i18n import STRINGS
from tests.test_pages import assert_ok, open_2d, run_of, step

SIDE = re.compile(r'<div id="side-view" data-view="(\w+)" data-step="(\d+)"([^>]*)>(.*?)</div>', re.S)


def side_shown(at) -> tuple[dict, dict] | None:
    """(the side panel's frame, its marker's attributes and text) from the live canvas element."""
    payload = json.loads(at.get("bidi_component")[0].proto.json)
    panels = {p["id"]: p for p in payload["panels"]}
    if "side-live" not in panels:
        return None
    m = SIDE.search(panels["side-live"]["after"])
    assert m, panels["side-live"]["after"]
    marks = dict(re.findall(r'data-([\w-]+)="([^"]*)"', m.group(3)))
    return panels["side-live"]["frame"], {"view": m.group(1), "step": int(m.group(2)), "text": m.group(4), **marks}


def test_parameter_space_from_a_link_shows_the_models_weights_and_follows_each_step():
    at = open_2d({"model": "logistic", "dataset": "blobs", "side": "params"})
    assert_ok(at)
    frame, marks = side_shown(at)
    w = run_of(at).trainer.model.net.weight.detach().double().numpy()
    assert marks["view"] == "params" and marks["step"] == 0 and marks["points"] == "1"
    assert (float(marks["w1"]), float(marks["w2"])) == pytest.approx(tuple(w), rel=1e-6)
    assert frame["kind"] == "plot" and "heat" in frame and "−∇J" in marks["text"]
    step(at, 2)
    frame, marks = side_shown(at)
    t = run_of(at).trainer
    assert marks["step"] == t.steps == frame["step"] == 2
    assert int(marks["points"]) == len(run_of(at).path.points) == 3
    assert float(marks["w1"]) == pytest.approx(float(t.model.net.weight.detach()[0]), rel=1e-6)
    assert at.query_params["side"] == "params"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_parameter_space_on_the_walks_link_shows_where_the_weights_are_heading(lang):
    """The classroom walk's link (overlapping exam scores): the caption names J's minimum in this plane and
    the window holds it with the weights; on blobs a line separates, and the caption says J has none."""
    import html

    import numpy as np
    from core.i18n import translate
    from core.lessons.inside import plane_minimum
    from ui.inside_views import vector
    at = open_2d({"dataset": "exam", "input_noise": "6.0", "model": "logistic", "loss": "cross_entropy",
                  "optimizer": "sgd", "lr": "0.1", "batch_size": "32", "side": "params", "lang": lang})
    for _ in range(3):
        at.button(key="p2d.step10_button").click().run()
    assert_ok(at)
    _, marks = side_shown(at)
    low = np.array([float(v) for v in marks["minimum"].split(",")])
    lo1, lo2, hi1, hi2 = (float(v) for v in marks["window"].split(","))
    w = np.array([float(marks["w1"]), float(marks["w2"])])
    for point in (w, low):
        assert lo1 < point[0] < hi1 and lo2 < point[1] < hi2, (point, marks["window"])
    np.testing.assert_allclose(low, plane_minimum(run_of(at).trainer), rtol=1e-4)
    assert translate("ps.minimum", lang, w=vector(low)) in html.unescape(marks["text"])
    blobs = open_2d({"model": "logistic", "dataset": "blobs", "side": "params", "lang": lang})
    _, marks = side_shown(blobs)
    assert marks["minimum"] == "none" and STRINGS["ps.no_minimum"][lang] in html.unescape(marks["text"])


def test_the_radio_offers_the_models_views_and_writes_the_link():
    at = open_2d()  # an MLP: the hidden space, no parameter space
    radio = at.radio(key="p2d.side@en")
    assert radio.options == [STRINGS[f"side.{k}"]["en"] for k in ("none", "hidden", "units", "network")]
    assert side_shown(at) is None and "side" not in at.query_params
    radio.set_value("hidden").run()
    assert_ok(at)
    frame, marks = side_shown(at)
    assert marks["view"] == "hidden" and marks["exact"] == "0" and int(marks["points"]) == len(
        run_of(at).trainer.data.y_given)
    assert at.query_params["side"] == "hidden"
    at.radio(key="p2d.side@en").set_value("none").run()
    assert side_shown(at) is None and "side" not in at.query_params


def test_in_chinese_the_captions_and_axis_titles_are_chinese():
    at = open_2d({"side": "hidden", "lang": "zh"})
    assert_ok(at)
    frame, marks = side_shown(at)
    assert marks["text"] == STRINGS["side.hidden_pca"]["zh"]
    assert frame["xlabel"].startswith("主成分 1（方差 ")
    assert at.radio(key="p2d.side@zh").options[1] == STRINGS["side.hidden"]["zh"]


def test_a_view_the_model_lacks_or_a_bad_value_falls_back_to_none_with_a_message():
    at = open_2d({"side": "params"})  # the default MLP has no (w1, w2) plane
    assert_ok(at)
    assert side_shown(at) is None and "side" not in at.query_params
    at = open_2d({"side": "<b>bogus</b>"})
    assert_ok(at)
    assert any("side" in w.value and "bogus" in w.value for w in at.warning)
    assert side_shown(at) is None


def test_switching_the_model_keeps_the_page_working():
    at = open_2d({"model": "logistic", "dataset": "blobs", "side": "params"})
    at.selectbox(key="w2d.model@en").set_value("mlp").run()
    assert_ok(at)
    assert side_shown(at) is None  # parameter space is not offered for the MLP: nothing beside
    assert "side" not in at.query_params and at.query_params["model"] == "mlp"  # the link says so, in one write
    at.radio(key="p2d.side@en").set_value("hidden").run()
    assert_ok(at)
    assert side_shown(at)[1]["view"] == "hidden"


EXPLAINED = re.compile(r'<div id="step-explained" ([^>]*)>')


def explained_shown(at) -> dict | None:
    bodies = [e.proto.body for e in at.get("html") if 'id="step-explained"' in e.proto.body]
    if not bodies:
        return None
    marks = dict(re.findall(r'data-([\w-]+)="([^"]*)"', EXPLAINED.search(bodies[0]).group(1)))
    return {**marks, "text": re.sub(r"<[^>]+>", " ", bodies[0])}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_explain_each_step_shows_the_batch_the_gradient_and_the_step_taken(lang):
    at = open_2d({"model": "logistic", "dataset": "blobs", "optimizer": "sgd", "lr": "0.5", "lang": lang})
    at.checkbox(key="p2d.explain").check().run()
    assert explained_shown(at) is None  # nothing stepped yet
    step(at)
    shown = explained_shown(at)
    t = run_of(at).trainer
    w = t.model.net.weight.detach().double().numpy()
    assert shown["step"] == "1" and shown["plain"] == "1" and int(shown["batch"]) == t.batch_size
    assert (float(shown["w1"]), float(shown["w2"])) == pytest.approx(tuple(w), rel=1e-6)
    # plain SGD: the textbook step w − α·∇J is the step taken
    assert (float(shown["p1"]), float(shown["p2"])) == pytest.approx(tuple(w), rel=1e-5, abs=1e-7)
    assert STRINGS["se.title"][lang].format(step=1) in shown["text"]
    assert STRINGS["se.taken_same"][lang].split("{")[0] in shown["text"]
    frame = json.loads(at.get("bidi_component")[0].proto.json)["panels"][0]["frame"]
    assert frame["old_line"] is not None and frame["old_line"] != frame["line"]  # the line before, dashed
    step(at)
    assert explained_shown(at)["step"] == "2"
    at.checkbox(key="p2d.explain").uncheck().run()
    assert explained_shown(at) is None
    assert json.loads(at.get("bidi_component")[0].proto.json)["panels"][0]["frame"]["old_line"] is None


def test_adam_is_said_to_take_a_different_step_and_ten_steps_are_not_explained():
    at = open_2d({"model": "logistic", "dataset": "blobs", "optimizer": "adam", "lr": "0.1"})
    at.checkbox(key="p2d.explain").check().run()
    step(at)
    shown = explained_shown(at)
    assert shown["plain"] == "0" and STRINGS["se.taken_other"]["en"].split("{")[0] in shown["text"]
    at.button(key="p2d.step10_button").click().run()
    assert_ok(at)
    assert explained_shown(at) is None  # ten steps at once: no single step to explain
    assert "p2d.explain" not in [c.key for c in open_2d().checkbox]  # an MLP: no such checkbox


def test_without_bias_the_map_is_the_whole_cost_and_says_so():
    at = open_2d({"model": "logistic", "dataset": "blobs", "bias": "0", "side": "params"})
    assert_ok(at)
    step(at, 3)
    frame, marks = side_shown(at)
    assert float(marks["b"]) == 0.0 and marks["text"].startswith(STRINGS["side.params_note_no_bias"]["en"][:60])
    from core.lessons.inside import cost_surface
    t = run_of(at).trainer
    w = t.model.net.weight.detach().double().numpy()
    J = cost_surface(t, [w[0]], [w[1]])[0, 0]
    t.forget_logits()
    assert J == pytest.approx(t.evaluate()["train_loss"], rel=1e-5)  # the map's value is the loss itself


def test_an_explained_step_without_bias_does_not_speak_of_b():
    at = open_2d({"model": "logistic", "dataset": "blobs", "optimizer": "sgd", "bias": "0", "lang": "zh"})
    at.checkbox(key="p2d.explain").check().run()
    step(at)
    text = explained_shown(at)["text"]
    assert STRINGS["se.taken_same_no_bias"]["zh"].split("{")[0] in text and "∂J/∂b" not in text


def test_each_unit_view_shows_the_first_two_layers_units():
    at = open_2d({"depth": "3", "width": "5", "side": "units", "lang": "zh"})
    assert_ok(at)
    frame, marks = side_shown(at)
    assert frame["kind"] == "tiles" and marks["units"] == "5,5" and len(frame["tiles"]) == 10
    assert frame["titles"][0][1] == STRINGS["um.layer"]["zh"].format(i=1, n=5)
    assert marks["text"].startswith(STRINGS["side.units_note"]["zh"][:10])


def test_view_checkboxes_ride_along_in_the_link():
    at = open_2d({"depth": "1", "width": "4", "show": "regions,unit_lines"})
    assert_ok(at)
    assert at.checkbox(key="p2d.regions").value and at.checkbox(key="p2d.unit_lines").value
    assert not at.checkbox(key="p2d.pull").value
    assert at.query_params["show"] == "unit_lines,regions"
    frame = json.loads(at.get("bidi_component")[0].proto.json)["panels"][0]["frame"]
    assert frame["regions"] is not None and frame["units"] is not None  # what the link asked for is drawn
    at.checkbox(key="p2d.pull").check().run()
    assert at.query_params["show"] == "unit_lines,regions,pull"
    at.checkbox(key="p2d.regions").uncheck().run()
    at.checkbox(key="p2d.unit_lines").uncheck().run()
    at.checkbox(key="p2d.pull").uncheck().run()
    assert "show" not in at.query_params


def test_an_unknown_checkbox_name_in_the_link_is_reported_as_text():
    at = open_2d({"model": "logistic", "dataset": "blobs", "show": "explain,**bold**"})
    assert_ok(at)
    assert at.checkbox(key="p2d.explain").value
    assert any("**bold**" in w.value or "\\*\\*bold" in w.value for w in at.warning)
