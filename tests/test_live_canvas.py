"""ui/live_view.py in a Streamlit script run (AppTest): any number of frames into one placeholder in one
run (no duplicate-key error, no widget: nothing comes back), one element per placeholder, the JS module
and the static part with the first frames and every MODULE_EVERY-th, a loader and the token otherwise."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from ui import live_view

SCRIPT = """
import streamlit as st
from core.runs.config import Playground2DConfig
from core.pictures.frame_data import run_frame
from core.runs.playground import build_run
from ui import live_view
run = build_run(Playground2DConfig())
frame = run_frame(run)
slot = st.empty()
for i in range(st.session_state["frames"]):
    live_view.show(slot, [live_view.panel("boundary-live", frame, scale=1.5, label="boundary")], key="p2d.live",
                     before=f'<span id="epoch-counter" data-step="{i}">{i}</span>')
st.session_state["token"] = frame["static"]["token"]
"""


def run_frames(n: int) -> AppTest:
    at = AppTest.from_string(SCRIPT, default_timeout=120)
    at.session_state["frames"] = n
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_many_frames_in_one_run_are_one_element_with_a_fixed_id():
    at = run_frames(30)
    (element,) = at.get("bidi_component")
    assert element.proto.id == live_view.element_id("p2d.live") and element.key == "p2d.live"
    assert element.proto.isolate_styles is False  # light DOM: getElementById finds the canvas
    data = live_view.shown_payload(element)
    assert 'data-step="29"' in data["before"]  # the last frame's status line
    (panel,) = data["panels"]
    assert panel["id"] == "boundary-live" and panel["width"] == 630
    # frame 30 of the run: the loader, and the static part named by its token only
    assert element.proto.js_content == live_view.LOADER
    assert panel["frame"]["static"] == {"token": at.session_state["token"]}
    # sends nothing but a click on a panel that takes them (ui/canvas_edits.py): a trigger, never a state
    assert "setStateValue" not in live_view.JS and live_view.JS.count("setTriggerValue") == 1


def test_the_module_and_static_part_ride_with_the_first_and_every_nth_frame():
    for n in (1, 2, live_view.MODULE_EVERY + 1):
        (element,) = run_frames(n).get("bidi_component")
        assert element.proto.js_content == live_view.JS, n
        static = json.loads(element.proto.json)["panels"][0]["frame"]["static"]
        assert static["w"] == 420 and static["train"]["n"] > 0, n
    (element,) = run_frames(3).get("bidi_component")
    assert element.proto.js_content == live_view.LOADER
    assert len(element.proto.json) < 9_000  # grid, mistakes and status: the points went out before


def test_every_frame_carries_a_newer_sequence_number_exact_in_javascript():
    """live_canvas.js draws no frame older than the last drawn (updates may arrive out of order)."""
    first = run_frames(3).get("bidi_component")[0]
    later = run_frames(1).get("bidi_component")[0]
    a, b = live_view.shown_payload(first)["seq"], live_view.shown_payload(later)["seq"]
    assert 0 < a < b < 2 ** 53
    seqs = [live_view.next_seq() for _ in range(1000)]  # faster than the clock's µs: still increasing
    assert all(x < y for x, y in zip([b] + seqs, seqs))


def test_the_private_streamlit_api_the_live_canvas_uses_is_still_there():
    """ui/live_view.py enqueues its element itself (DeltaGenerator._enqueue with a BidiComponent proto and a
    LayoutConfig): Streamlit's public call would register a widget per frame. A Streamlit upgrade that changes
    these private pieces must fail here, saying what changed, not as a blank live view."""
    import inspect

    from streamlit.delta_generator import DeltaGenerator

    try:
        from streamlit.elements.lib.layout_utils import LayoutConfig
        from streamlit.proto.BidiComponent_pb2 import BidiComponent
    except ImportError as err:
        pytest.fail(f"Streamlit moved a private module ui/live_view.py imports: {err}")
    enqueue = getattr(DeltaGenerator, "_enqueue", None)
    assert enqueue is not None, "Streamlit removed DeltaGenerator._enqueue, which ui/live_view.show calls"
    params = list(inspect.signature(enqueue).parameters)
    assert params[:3] == ["self", "delta_type", "element_proto"] and "layout_config" in params, (
        f"DeltaGenerator._enqueue's parameters changed to {params}: update ui/live_view.show")
    fields = {f.name for f in BidiComponent.DESCRIPTOR.fields}
    needed = {"id", "component_name", "js_content", "css_content", "isolate_styles", "json"}
    assert needed <= fields, f"the BidiComponent proto lost {sorted(needed - fields)}: update ui/live_view.show"
    assert {"width", "height"} <= set(inspect.signature(LayoutConfig).parameters), "LayoutConfig changed"
    # a clickable canvas's later frames take the id of its public mount from the run's widget ids
    from streamlit.runtime.scriptrunner_utils.script_run_context import ScriptRunContext
    from streamlit.runtime.scriptrunner_utils.shared_run_state import SharedRunState
    assert "shared" in getattr(ScriptRunContext, "__dataclass_fields__", {}), \
        "ScriptRunContext.shared is gone: update ui/live_view._mount_clickable"
    ids = getattr(SharedRunState(), "widget_ids_this_run", None)
    assert ids is not None and callable(getattr(ids, "snapshot", None)), \
        "SharedRunState.widget_ids_this_run.snapshot() is gone: update ui/live_view._mount_clickable"


def test_the_play_loop_sees_a_click_waiting_for_its_script_run_to_end(monkeypatch):
    """A click on a live picture (a fragment) asks Streamlit for a rerun of the fragment alone, which does not
    interrupt the script run in progress: the play loop must see it waiting (live_view.rerun_waiting, a private
    part of Streamlit) and end its run, or the click would wait as long as the page plays."""
    from types import SimpleNamespace

    from streamlit.runtime.scriptrunner_utils import script_run_context
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    from ui import live_view
    requests = ScriptRequests()
    monkeypatch.setattr(script_run_context, "get_script_run_ctx", lambda *a, **k: SimpleNamespace(
        script_requests=requests))
    assert not live_view.rerun_waiting()
    assert requests.request_rerun(RerunData(fragment_id="live-picture"))
    assert requests.on_scriptrunner_yield() is None, "a fragment's rerun now interrupts the script run"
    assert live_view.rerun_waiting(), "ScriptRequests changed: update ui/live_view.rerun_waiting"
    monkeypatch.setattr(script_run_context, "get_script_run_ctx", lambda *a, **k: None)
    assert not live_view.rerun_waiting()  # (no script run: AppTest's own runner, a bare call)


def _click_request(fragment_id: str | None = "live-picture", events=None, also=()):
    """A rerun request as the browser sends it for a click on the live canvas mounted with key "p2d.live"."""
    from streamlit.proto.WidgetStates_pb2 import WidgetStates
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData
    states = WidgetStates()
    value = states.widgets.add(id="p2d.lr")  # every widget's value travels with every request
    value.double_value = 0.1
    trigger = states.widgets.add(id="$$STREAMLIT_INTERNAL_KEY_$$ID-0f3a-p2d.live__events")
    trigger.json_trigger_value = json.dumps(
        events if events is not None else [{"event": "click", "value": {"panel": "boundary-live", "x": 1, "y": 2}}])
    for widget_id in also:  # another trigger pulled in the same request (a button)
        states.widgets.add(id=widget_id).trigger_value = True
    return RerunData(fragment_id=fragment_id, widget_states=states)


def test_the_play_loop_takes_a_click_from_its_inbox_without_a_rerun(monkeypatch):
    """While the live picture plays, a request that carries only clicks on it goes to the loop's inbox (applied
    before the next frame) instead of a rerun, which would end the loop and cost the student frames; any other
    request goes on to Streamlit, and so do clicks left when the loop ends."""
    from types import SimpleNamespace

    from streamlit.runtime.scriptrunner_utils import script_run_context
    from streamlit.runtime.scriptrunner_utils.script_requests import RerunData, ScriptRequests

    from ui import live_view
    requests = ScriptRequests()
    monkeypatch.setattr(script_run_context, "get_script_run_ctx", lambda *a, **k: SimpleNamespace(
        script_requests=requests))
    applied = []
    with live_view.ClickInbox("p2d.live", applied.extend) as inbox:
        assert requests.request_rerun(_click_request())
        assert not live_view.rerun_waiting()
        inbox.apply_taken()
        assert applied == [{"panel": "boundary-live", "x": 1, "y": 2}]
        inbox.apply_taken()
        assert len(applied) == 1  # taken once
        for other in (_click_request(also=["p2d.edit_clear"]),  # the Clear button too
                      _click_request(fragment_id=None),  # a run of the whole page
                      _click_request(events=[{"event": "click", "value": {"x": 0, "y": 0}},
                                             {"event": "hover", "value": {}}]),
                      _click_request(events=[{"event": "click", "value": {"x": "9" * 5000}}]),  # too long
                      RerunData(fragment_id="live-picture")):
            assert inbox.clicks_only(other) is None
        assert requests.request_rerun(RerunData(fragment_id="live-picture"))
        assert live_view.rerun_waiting() and not applied[1:]
    assert "request_rerun" not in vars(requests)  # Streamlit's own again

    requests = ScriptRequests()
    with live_view.ClickInbox("p2d.live", applied.extend):
        assert requests.request_rerun(_click_request()) and not live_view.rerun_waiting()
    assert live_view.rerun_waiting(), "a click after the loop's last frame was lost"
    assert "request_rerun" not in vars(requests)


def test_the_click_inbox_still_fits_streamlit():
    """The private parts ClickInbox relies on: a script runner asks its ScriptRequests object for a rerun through
    its request_rerun attribute (so wrapping it on the instance sees every request), and a components.v2
    element's events travel in one trigger named after the element's id (which ends with its key)."""
    import inspect

    from streamlit.components.v2.bidi_component.main import _make_trigger_id
    from streamlit.runtime.scriptrunner.script_runner import ScriptRunner

    from ui import live_view
    assert "self._requests.request_rerun(" in inspect.getsource(ScriptRunner.request_rerun), \
        "ScriptRunner no longer asks ScriptRequests.request_rerun: update ui/live_view.ClickInbox"
    assert _make_trigger_id(live_view.element_id("p2d.live"), "events").endswith("-p2d.live" + live_view.EVENTS), \
        "components.v2 names its event trigger differently: update ui/live_view.EVENTS"


CLICKABLE = """
import streamlit as st
from core.runs.config import Playground2DConfig
from core.pictures.frame_data import run_frame
from core.runs.playground import build_run
from ui import live_view
run = build_run(Playground2DConfig())
frame = run_frame(run)
slot = st.empty()
def clicked():
    st.session_state["clicks"] = st.session_state.get("clicks", 0) + 1
for i in range(st.session_state["frames"]):
    live_view.show(slot, [live_view.panel("boundary-live", frame, clicks=True, label="boundary")], key="p2d.live",
                   before=f'<span id="epoch-counter" data-step="{i}">{i}</span>', on_click=clicked)
"""


def test_a_clickable_canvas_is_mounted_once_per_run_and_later_frames_keep_its_id():
    """Streamlit's public mount registers the click trigger (first frame of the run); every later frame of the run
    is the same element (the id the mount gave it), so the frontend keeps it mounted with its listener."""
    ids = []
    for n in (1, 3, live_view.MODULE_EVERY + 2):
        at = AppTest.from_string(CLICKABLE, default_timeout=120)
        at.session_state["frames"] = n
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        (element,) = at.get("bidi_component")
        ids.append(element.proto.id)
        data = live_view.shown_payload(element)
        assert data["panels"][0]["clicks"] is True and f'data-step="{n - 1}"' in data["before"]
    assert len(set(ids)) == 1 and ids[0].startswith("$$ID-") and ids[0].endswith("-p2d.live")
