"""A click on the 2D page's live boundary edits the training data (AppTest): the click is sent the way the browser
sends it (the live canvas element's trigger "click", a json_trigger_value under the element's id), so its callback
(ui/canvas_edits.py) runs in the rerun as in a real session; the run is edited in place (no reset) and the
link carries the edit."""
from __future__ import annotations

import json

from streamlit.proto.WidgetStates_pb2 import WidgetState

from core.data.edits import parse_edits
from tests.test_pages import assert_ok, open_2d, run_of, step

EVENTS = "$$STREAMLIT_INTERNAL_KEY_{}__events"  # streamlit.components.v2: the element's trigger widget


def link_edits(at) -> str:
    value = dict(at.query_params).get("edits", "")
    return value if isinstance(value, str) else value[0]


def live_element(at):
    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith("-p2d.live")]
    return element


def click(at, x: float, y: float):
    """The browser's setTriggerValue("click", {...}) on the live canvas, then the rerun it causes."""
    states = at._tree.get_widget_states()
    state = WidgetState(id=EVENTS.format(live_element(at).proto.id))
    state.json_trigger_value = json.dumps([{"event": "click", "value": {"panel": "boundary-live", "x": x, "y": y,
                                                                        "n": 1}}])
    states.widgets.append(state)
    at._run(states)
    assert_ok(at)
    return at


def test_a_click_adds_a_point_of_the_chosen_class_without_a_reset():
    at = open_2d({"dataset": "blobs", "model": "logistic", "n_samples": "60"})
    assert_ok(at)
    step(at, 2)
    run = run_of(at)
    n, steps = run.trainer.data.n_train, run.trainer.steps
    assert steps == 2
    at.selectbox(key="p2d.edit_class").set_value(1).run()
    x0, x1, y0, y1 = run.bounds
    click(at, x0 + 0.3 * (x1 - x0), y0 + 0.6 * (y1 - y0))
    assert run_of(at) is run and run.trainer.steps == steps  # the same run, not reset
    t = run.trainer
    assert t.data.n_train == n + 1 and int(t.data.y_given[-1]) == 1 and bool(t.data.edited[-1])
    (edit,) = parse_edits(link_edits(at))  # in the link
    assert edit.kind == "add" and edit.label == 1
    assert abs(float(t.data.X_train[-1, 0]) - edit.x) < 1e-6
    status = json.loads(live_element(at).proto.json)["before"]
    assert f'data-n-train="{n + 1}"' in status and 'data-edited="1"' in status
    step(at, 1)  # trains on
    assert run_of(at) is run and run.trainer.steps == steps + 1


def test_remove_mode_takes_the_nearest_point_and_a_miss_changes_nothing():
    at = open_2d({"dataset": "blobs", "model": "logistic", "n_samples": "60"})
    run = run_of(at)
    n = run.trainer.data.n_train
    at.radio(key=[r.key for r in at.radio if r.key and "edit_mode" in r.key][0]).set_value("remove").run()
    x, y = (float(v) for v in run.trainer.data.X_train[5])
    click(at, x + 1e-3, y)
    assert run.trainer.data.n_train == n - 1 and parse_edits(link_edits(at))[0].index == 5
    x0, x1, y0, y1 = run.bounds
    far = (x0 + 0.001 * (x1 - x0), y1 - 0.001 * (y1 - y0))  # a corner of the view, far from every point
    if min(((run.trainer.data.X_train.double() - run.trainer.data.X_train.new_tensor(far)) ** 2).sum(1)) > 0.5:
        click(at, *far)
        assert run.trainer.data.n_train == n - 1
        assert any("No training point" in w.value for w in at.main.warning)  # under the picture: a click
        # reruns the picture's fragment alone, so what it says must be there, not in the sidebar


def test_the_edit_count_and_clear_sit_under_the_picture_and_clear_takes_every_edit_back():
    at = open_2d({"dataset": "blobs", "model": "logistic", "n_samples": "60"})
    run = run_of(at)
    n = run.trainer.data.n_train
    # there from the start (a playing loop shows a click's edit without a rerun, so it cannot add a button)
    assert "0 of at most 50 edits" in [c.value for c in at.main.caption]
    assert [b for b in at.button if b.key == "p2d.edit_clear"]
    x0, x1, y0, y1 = run.bounds
    click(at, x0 + 0.3 * (x1 - x0), y0 + 0.6 * (y1 - y0))
    click(at, x0 + 0.6 * (x1 - x0), y0 + 0.3 * (y1 - y0))
    assert run.trainer.data.n_train == n + 2
    assert "2 of at most 50 edits" in [c.value for c in at.main.caption]
    assert "2 of at most 50 edits" not in [c.value for c in at.sidebar.caption]
    at.button(key="p2d.edit_clear").click().run()
    assert_ok(at)
    assert run_of(at) is run and run.trainer.data.n_train == n and not link_edits(at)
    assert "0 of at most 50 edits" in [c.value for c in at.main.caption]


def test_a_click_on_the_regression_fit_adds_an_outlier_by_hand_without_a_reset():
    from tests.test_page_regression import open_regression
    at = open_regression({"dataset": "linear", "model": "linear", "band": "1"})
    assert_ok(at)
    at.button(key="reg.step_button").click().run()
    run = at.session_state["reg.run"]
    t, steps, n = run.trainer, run.trainer.steps, run.trainer.data.n_train
    x0, x1, y0, y1 = run.data.bounds()
    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith("-reg.live")]
    states = at._tree.get_widget_states()
    state = WidgetState(id=EVENTS.format(element.proto.id))
    x, y = x0 + 0.5 * (x1 - x0), y0 + 0.95 * (y1 - y0)  # far above the line: an outlier
    state.json_trigger_value = json.dumps([{"event": "click", "value": {"panel": "reg-fit", "x": x, "y": y}}])
    states.widgets.append(state)
    at._run(states)
    assert_ok(at)
    assert at.session_state["reg.run"] is run and t.steps == steps
    assert t.data.n_train == n + 1 and abs(float(t.data.y_given[-1]) - y) < 1e-3 * abs(y1 - y0)
    assert all(m.trainer.data.n_train == n + 1 for m in run.band)  # the band's members train on it too
    assert bool(run.data.outliers[-1])  # ringed like the outliers
    (edit,) = parse_edits(link_edits(at), regression=True)
    assert edit.kind == "add"
    fit = next(p for p in json.loads(element.proto.json)["panels"] if p["id"] == "reg-fit")
    assert fit.get("clicks") is True
    (element,) = [e for e in at.get("bidi_component") if e.proto.id.endswith("-reg.live")]
    fit = next(p for p in json.loads(element.proto.json)["panels"] if p["id"] == "reg-fit")
    assert fit["frame"]["points"]["n"] == n + 1 + len(run.data.y_test)
    # the view stays the one clicked on (the axes do not jump), so a click at its very edge is taken too
    assert fit["frame"]["bounds"] == [float(v) for v in (x0, x1, y0, y1)]
    state = WidgetState(id=EVENTS.format(element.proto.id))
    state.json_trigger_value = json.dumps([{"event": "click", "value": {"panel": "reg-fit", "x": x,
                                                                        "y": y1 - 1e-3 * (y1 - y0)}}])
    states = at._tree.get_widget_states()
    states.widgets.append(state)
    at._run(states)
    assert_ok(at)
    assert t.data.n_train == n + 2 and len(parse_edits(link_edits(at), regression=True)) == 2
