"""The live view: the one play loop of every live page, the live boundary canvas, and the live curves.

The live boundary is a canvas drawn in the browser from compact data (core/pictures/frame_data.py).

A Streamlit components.v2 element (its frontend runs ui/live_canvas.js, in the page's light DOM so
document.getElementById finds the canvas and the status line). A play loop updates it many times a
second within ONE script run, into an st.empty() placeholder: the public mount call registers a widget
id per call (a second call with the same key raises a duplicate-key error, a new key per frame grows
the run's widget registry and remounts the element). A canvas that sends nothing back needs no
widget: each frame is the same component element (same id: the frontend keeps it mounted and calls the
JS again with the new data) enqueued into the placeholder, one element update per frame. One that takes
clicks (show(..., on_click=...): the 2D boundary, the regression fit) is mounted by the public call once per
script run, which registers its click trigger and callback, and its later frames reuse that element's id.
"""
from __future__ import annotations

import base64
import hashlib
import html
import json
import re
import threading
import time
from collections import deque
from pathlib import Path
from typing import Callable

import streamlit as st
from PIL import Image
from streamlit.elements.lib.layout_utils import LayoutConfig
from streamlit.proto.BidiComponent_pb2 import BidiComponent as BidiComponentProto
from streamlit.proto.Common_pb2 import ChatInputValue, StringTriggerValue
from streamlit.runtime.scriptrunner_utils import script_run_context
from streamlit.runtime.scriptrunner_utils.script_requests import ScriptRequestType

from core.learning.trainer import History
from core.pictures.render import EVENT_COLOURS, METRIC_COLOURS, curve_metrics, encode, history_images, to_hex, wants_log_y
from core.serving.pace import FRAME_CLOCK, FRAME_TURN, Pace, Ticker, fair_share
from ui.common import RunTurn, tr

COMPONENT_NAME = "playground.live_canvas"


def _compact(js: str) -> str:
    """The JS without comment lines and indentation: it travels with every frame (the frontend needs
    it in each element; it imports it once, cached by its hash)."""
    lines = (re.sub(r"\s+// .*$", "", line).strip() for line in js.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


JS = _compact(Path(__file__).with_name("live_canvas.js").read_text(encoding="utf-8"))
# The frontend needs the JS in every element update (it imports each distinct text once, cached by its
# hash). The module travels with a placeholder's first frames (a placeholder lives for one script run)
# and every MODULE_EVERY-th, and leaves its function on the page; the other frames carry this loader
# (~100 bytes instead of ~10 kB). Should the browser skip the module's frames (two updates rendered as
# one), the next module frame, a second later, draws again.
LOADER = "export default function (c) { const f = globalThis.__playgroundLiveCanvas; if (f) return f(c); }"
MODULE_EVERY = 25
CSS = ".live-canvas canvas { touch-action: manipulation; }"


def element_id(key: str) -> str:
    """A fixed id per placeholder key ("$$ID-<hash>-<key>", Streamlit's form): the frontend's React key."""
    return f"$$ID-{hashlib.md5(key.encode()).hexdigest()}-{key}"


def panel(canvas_id: str, frame: dict, *, label: str, scale: float = 1.0, after: str = "", fit: int | None = None,
          clicks: bool = False) -> dict:
    """One canvas: its element id, a frame from core.pictures.frame_data, its text alternative (`label`: what
    it shows now, e.g. the step and the test accuracy; the canvas is role="img" and live_canvas.js keeps its
    aria-label current at most once a second), its CSS width (the frame's layout
    width × scale) and trusted HTML shown under it (already escaped). fit (px): the page's main picture,
    which fills its column (its width and scale then unused) and ends that far above the screen's bottom
    edge (ui/live_canvas.js), so a 1280×720 projector shows it whole with what must be read under it."""
    layout_width = frame["static"]["w"] if "static" in frame else frame["w"]  # a boundary, or a plot
    spec = {"id": canvas_id, "frame": frame, "width": round(layout_width * scale, 1), "after": after, "label": label}
    if fit is not None:
        spec["fit"] = int(fit)
    if clicks:  # a click on its plot sends its data coordinates (show(..., on_click=...))
        spec["clicks"] = True
    return spec


_SEQ_LOCK = threading.Lock()
_last_seq = [0]


def status_html(element_id: str, text: str, style: str = "font-size:0.85em;margin-bottom:4px",
                css_class: str = "", **data) -> str:
    """A line of the status above a live picture: its text (escaped) and its numbers as data-* attributes,
    which the browser tests and benchmarks read. css_class: a line styled as a whole (the step counter: a
    span in it carries the id and the data)."""
    attributes = "".join(f' data-{name.replace("_", "-")}="{html.escape(str(value))}"' for name, value in data.items())
    if css_class:
        return (f'<div class="{css_class}" style="{style}"><span id="{element_id}"{attributes}>{html.escape(text)}'
                '</span></div>')
    return f'<div id="{element_id}"{attributes} style="{style}">{html.escape(text)}</div>'


def next_seq() -> int:
    """Increasing across every frame of this process and across restarts (wall-clock µs, < 2**53 so
    exact in JS). The frontend imports each update's module before it calls it, so two quick updates
    can be drawn out of order; live_canvas.js drops a frame older than the one it drew."""
    with _SEQ_LOCK:
        _last_seq[0] = max(time.time_ns() // 1000, _last_seq[0] + 1)
        return _last_seq[0]


def payload(panels: list[dict], before: str = "", seq: int | None = None) -> str:
    return json.dumps({"seq": next_seq() if seq is None else seq, "before": before, "panels": panels},
                      separators=(",", ":"), allow_nan=False)


# A live picture that takes clicks (on_click): Streamlit's public mount, once per script run and placeholder,
# registers the element's click trigger and its callback (the browser calls setTriggerValue("click", ...):
# live_canvas.js); the later frames of the run are enqueued under the very id that mount gave the element, so
# the frontend keeps one element mounted, with its listener, and a click reaches the callback registered.
_mount = st.components.v2.component(COMPONENT_NAME, js=JS, css=CSS, isolate_styles=False)
CLICK = "click"  # the trigger's name: on_click_change
EVENTS = "__events"  # an element's trigger widget ("$$STREAMLIT_INTERNAL_KEY_<element id>__events") holds its events
# A request's trigger kinds and each one's value when not pulled (as Streamlit's script_requests coalesces them)
_TRIGGERS = {"trigger_value": False, "string_trigger_value": StringTriggerValue(data=None),
             "chat_input_value": ChatInputValue(data=None), "json_trigger_value": ""}


def clicked(key: str) -> dict | None:
    """In the click callback: the click's value ({"panel", "x", "y"} in data units) sent by live_canvas.js."""
    value = st.session_state.get(key)
    value = value.get(CLICK) if hasattr(value, "get") else None
    return value if isinstance(value, dict) else None


def _mount_clickable(placeholder, data: str, key: str, on_click: Callable[[], None]) -> str:
    """The public mount of the live canvas in the placeholder; returns the element id Streamlit gave it."""
    ctx = script_run_context.get_script_run_ctx()
    before = ctx.shared.widget_ids_this_run.snapshot() if ctx is not None else frozenset()
    with placeholder:
        _mount(key=key, data=json.loads(data), on_click_change=on_click)
    new = (ctx.shared.widget_ids_this_run.snapshot() - before) if ctx is not None else frozenset()
    mounted = [i for i in new if i.startswith("$$ID-") and i.endswith("-" + key)]
    return mounted[0] if len(mounted) == 1 else element_id(key)


def show(placeholder, panels: list[dict], *, key: str, before: str = "",
         on_click: Callable[[], None] | None = None) -> int:
    """Draw the panels (and `before`: trusted, escaped HTML above them, e.g. the status line) in the
    placeholder: one element update. May be called any number of times per script run. Returns the
    characters of JS and data sent (bench/bench_frame_server.py). on_click: the callback of a click on a
    panel that takes clicks (panel(..., clicks=True)); it reads the click with clicked(key)."""
    proto = BidiComponentProto()
    proto.component_name = COMPONENT_NAME
    proto.isolate_styles = False  # light DOM: page CSS and document.getElementById reach the canvas
    state = vars(placeholder)  # (not getattr: a DeltaGenerator makes up commands for unknown names)
    sent = state.get("_live_canvas_frames", 0)
    module = sent < 2 or sent % MODULE_EVERY == 0
    proto.js_content = JS if module else LOADER
    proto.css_content = CSS
    proto.json = payload(_name_known_statics(panels, state.setdefault("_live_canvas_statics", {}), module), before)
    if on_click is not None and "_live_canvas_id" not in state:  # (a module frame: the mount carries the JS)
        state["_live_canvas_id"] = _mount_clickable(placeholder, proto.json, key, on_click)
        state["_live_canvas_frames"] = sent + 1
        return len(proto.json) + len(JS)
    proto.id = state.get("_live_canvas_id") or element_id(key)
    placeholder._enqueue("bidi_component", proto, layout_config=LayoutConfig(width="stretch", height="content"))
    state["_live_canvas_frames"] = sent + 1
    return len(proto.json) + len(proto.js_content)


def _name_known_statics(panels: list[dict], sent: dict, module: bool) -> list[dict]:
    """Frames whose static part (points, axes: core.pictures.frame_data.cached_static) went out with an earlier
    module frame of this placeholder name it by its token alone; the browser keeps it (live_canvas.js)."""
    out = []
    for p in panels:
        static = p["frame"].get("static")
        if static is None:  # a plot frame (core/pictures/inside_frames.py) sends all of itself, or "same"
            out.append(p)
            continue
        if module or sent.get(p["id"]) != static["token"]:
            sent[p["id"]] = static["token"] if module else None  # known once a module frame carried it
            out.append(p)
        else:
            out.append(dict(p, frame=dict(p["frame"], static={"token": static["token"]})))
    return out


def shown_payload(element) -> dict:
    """The data of a live canvas element as AppTest sees it (at.get("bidi_component")[i])."""
    return json.loads(element.proto.json)


# The one play loop of every live page (2D, Regression, Compare, MNIST).
#
# One long script run: a widget change interrupts it (rerun) and the run object in session state
# carries on; a closed tab stops it (Streamlit raises at the next element update). While it plays,
# the session counts as a player (fair_share), each frame computes in turn with every other
# session's (FRAME_TURN) and with this session's newer script runs (RunTurn), and the loop ends at
# the frame after a newer script run of the page has started, or when a rerun of its fragment waits for it to
# end (rerun_waiting: the Clear button under the picture); clicks on the picture reach it without a rerun, through
# its inbox (ClickInbox). Each frame's server CPU time is shown
# in a hidden marker (#frame-cpu: updated with the curves, and at once for a new longest frame), which
# bench/bench_hostile.py reads.

class ClickInbox:
    """The clicks on a playing live picture, taken on their way to a rerun. Streamlit starts a click's rerun (of
    the live picture's fragment) only once the play loop's script run has ended; the loop, the fragment and the
    browser's drawing of its elements then start again, and a student adding points loses frames at each click.
    While the loop plays, the inbox takes a rerun request that carries nothing but clicks on this picture
    (its key's trigger) and keeps them for the loop, which applies them between frames; any other request
    goes on to Streamlit. (Streamlit has no public way: this wraps the session's ScriptRequests.request_rerun
    on its instance while the loop plays; tests/test_live_canvas.py checks the private parts.)"""

    MAX_PAYLOAD = 4096  # characters of one request's click events (a click is ~60)
    MAX_KEPT = 64  # clicks waiting for the next frame (a student clicks a few times a second)

    def __init__(self, key: str, apply: Callable[[list[dict]], None]):
        self.apply = apply  # apply(clicks), in a frame of the loop (its turn's lock held)
        self.suffix = f"-{key}{EVENTS}"  # the aggregator trigger of the element mounted with this key
        self._taken: deque[tuple] = deque(maxlen=self.MAX_KEPT)  # (request, its clicks)
        self._lock = threading.Lock()  # the server's thread adds, the loop's takes
        self._open = False
        self._requests = None

    def clicks_only(self, data) -> list[dict] | None:
        """The clicks of a rerun request (RerunData) on this picture, or None: it asks for anything else."""
        states = getattr(data, "widget_states", None)
        if not getattr(data, "fragment_id", None) or states is None:
            return None
        clicks = None
        for state in states.widgets:
            kind = state.WhichOneof("value")
            if kind not in _TRIGGERS or getattr(state, kind) == _TRIGGERS[kind]:
                continue  # a value (sent with every request) or a trigger not pulled
            if clicks is not None or kind != "json_trigger_value" or not state.id.endswith(self.suffix) \
                    or len(state.json_trigger_value) > self.MAX_PAYLOAD:
                return None
            try:
                events = json.loads(state.json_trigger_value)
            except ValueError:
                return None
            events = events if isinstance(events, list) else [events]
            clicks = [e.get("value") for e in events if isinstance(e, dict) and e.get("event") == CLICK]
            if not clicks or len(clicks) != len(events) or not all(isinstance(c, dict) for c in clicks):
                return None
        return clicks

    def __enter__(self) -> "ClickInbox":
        requests = getattr(script_run_context.get_script_run_ctx(), "script_requests", None)
        if requests is not None:
            self._passed_on = passed_on = requests.request_rerun

            def request_rerun(data) -> bool:  # (on the server's thread)
                clicks = self.clicks_only(data)
                with self._lock:
                    if clicks is not None and self._open:
                        self._taken.append((data, clicks))
                        return True
                return passed_on(data)
            self._open = True
            requests.request_rerun = request_rerun
            self._requests = requests
        return self

    def __exit__(self, *exc) -> None:
        """Clicks that came after the loop's last frame go on as the reruns they asked for."""
        if self._requests is not None:
            with self._lock:
                self._open = False
                left = [data for data, _ in self._taken]
                self._taken.clear()
            vars(self._requests).pop("request_rerun", None)
            self._requests = None
            for data in left:
                self._passed_on(data)

    def take(self) -> list[dict]:
        """The clicks that came since the last call, oldest first."""
        with self._lock:
            taken = [click for _, clicks in self._taken for click in clicks]
            self._taken.clear()
        return taken

    def apply_taken(self) -> None:
        taken = self.take()
        if taken:
            self.apply(taken)


def rerun_waiting() -> bool:
    """A rerun that does not interrupt this script run is waiting for its end: a click on a live picture run as
    a fragment (ui/live_page.LivePage.live) reruns only the fragment, and Streamlit starts that rerun once the
    script run in progress has ended, so the play loop ends its run at the next frame. (Streamlit has no public
    way to ask; tests/test_live_canvas.py checks the private one.)"""
    requests = getattr(script_run_context.get_script_run_ctx(), "script_requests", None)
    return requests is not None and getattr(requests, "_state", None) is ScriptRequestType.RERUN


def play_loop(turn: RunTurn, fps: float, frame: Callable[[bool], None], stop: Callable[[], bool],
              on_stop: Callable[[], None] | None = None, marker=None, inbox: ClickInbox | None = None) -> None:
    """Call frame(curves_due) fps times a second until stop() (then on_stop(), e.g. a message, and a
    rerun that shows the paused page) or a newer script run. `marker`: an st.empty() for #frame-cpu;
    inbox: the clicks on the live picture, applied before a frame."""
    ticker = Ticker(fps)
    marker = marker if marker is not None else st.empty()
    longest = 0.0
    with fair_share():
        while not turn.superseded() and not rerun_waiting():
            if stop():
                if on_stop is not None:
                    on_stop()
                st.rerun()
            curves = ticker.curves_due()  # curves change slowly: 5 times a second, less in a full class
            with FRAME_TURN, turn.lock:  # one frame computes at a time in this process (core/serving/pace.py)
                if turn.superseded():  # (while this thread waited for its turn)
                    break
                start = FRAME_CLOCK()
                if inbox is not None:
                    inbox.apply_taken()
                frame(curves)
                ms = (FRAME_CLOCK() - start) * 1000
            if curves or ms > longest:  # a few times a second, not one more element update every frame
                longest = max(longest, ms)
                marker.html(f'<span id="frame-cpu" data-last-ms="{ms:.1f}" data-longest-ms="{longest:.1f}" '
                            'style="display:none"></span>')
            ticker.wait(until=rerun_waiting)  # a click's rerun starts at once, not a frame later
    # An element update: a waiting rerun of the whole page (a widget outside the live picture) takes over here,
    # as it would at the next frame, so nothing after the loop runs for it; a fragment's rerun runs once this
    # script run has ended.
    marker.empty()


def play_paced(turn: RunTurn, fps: float, steps_per_second: float, train: Callable[[int, float, float], None],
               show: Callable[[bool], None], stop: Callable[[], bool], on_stop: Callable[[], None] | None = None,
               inbox: ClickInbox | None = None) -> None:
    """play_loop with steps owed by the clock (a busy server shows fewer frames, not a slower lesson):
    each frame calls train(steps owed, CPU seconds, least share of them for training) within this session's
    fair share of the process while others play (core/serving/pace.py), then show(curves_due)."""
    pace = Pace(steps_per_second, fps)

    def frame(curves: bool) -> None:
        steps = pace.due()
        seconds, train_share = pace.allowance()
        train(steps, seconds, train_share)
        show(curves)
    play_loop(turn, fps, frame, stop, on_stop, inbox=inbox)


# ---- live images and the live curves' HTML (titles, legends, change notes) ----

MAX_NOTES = 8  # change notes under the live curves
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def image_tag(img: Image.Image, element_id: str, alt: str) -> str:
    """An inline JPEG <img> with its text alternative; width/height give its box the aspect ratio before
    it is decoded, so a new frame causes no second layout (and no jump)."""
    data = base64.b64encode(encode(img, "JPEG")).decode("ascii")
    return (f'<img id="{element_id}" width="{img.width}" height="{img.height}" alt="{html.escape(alt, quote=True)}" '
            f'src="data:image/jpeg;base64,{data}" style="max-width:100%;height:auto;display:block"/>')


def chart_alt(title: str, x_title: str, latest: dict[str, float | None]) -> str:
    """A chart's text alternative: what it plots and each curve's latest value."""
    values = "; ".join(f"{name} {value:.4g}" for name, value in latest.items() if value is not None and value == value)
    return tr("a11y.chart", title=title, x=x_title, latest=values or "—")


def live_image(placeholder, img: Image.Image, element_id: str, alt: str, caption: str = "", before: str = "") -> None:
    """Show an image inline as a data URI (with optional HTML before it, e.g. a status line).

    st.image would store every frame in the media file manager until the script
    run ends, and a playing loop is one long run: memory would grow without bound.
    One element per update: each element update costs the browser a page render.
    """
    cap = f'<div class="live-caption">{caption}</div>' if caption else ""
    placeholder.html(before + image_tag(img, element_id, alt) + cap)


def _number(i: int) -> str:
    return CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})"


def _setting(kind: str, value: str) -> str:
    """A recorded setting in this run's language (loss and optimizer are stored as keys)."""
    if kind == "loss":
        return tr(f"loss.{value}.name")
    if kind == "rloss":
        return tr(f"rloss.{value}.name")
    if kind == "solved":
        return tr(f"reg.method.{value}")
    if kind == "optimizer":
        return tr(f"opt.{value}")
    return value


def event_notes(history: History) -> list[tuple[str, str]]:
    """(colour, "① learning rate 0.01 → 0.1 (step 120)") per setting change, translated."""
    return [(to_hex(EVENT_COLOURS.get(kind, (90, 90, 90))),
             tr("curves.event", n=_number(i), what=tr(f"curves.event.{kind}"), old=_setting(kind, old),
                new=_setting(kind, new), step=step))
            for i, (step, kind, old, new) in enumerate(getattr(history, "events", ()))]


def legend_html(metrics) -> str:
    """Coloured swatches + translated metric names: the legend PIL cannot draw in Chinese."""
    return " &nbsp;".join(f'<span class="curve-key" data-metric="{m}" style="white-space:nowrap">'
                          f'<span style="display:inline-block;width:16px;height:3px;vertical-align:middle;'
                          f'background:{to_hex(METRIC_COLOURS[m])}"></span> '
                          f'{html.escape(tr(f"metric.{m}"))}</span>' for m in metrics)


def loss_log_y(history: History, metrics, log_y: bool | None) -> bool:
    """log_y, or with None whether the loss has blown up (core.pictures.render.wants_log_y)."""
    return wants_log_y(history.values[m] for m in metrics) if log_y is None else log_y


def curves_html(history: History, with_flipped: bool, *, size=(420, 170), by_epoch: bool = False,
                log_x: bool = False, ids=("loss-live", "acc-live"), side_by_side: bool = False,
                accuracy: bool = True, log_y: bool | None = False) -> str:
    """Both live curve images (accuracy=False: the loss only, e.g. regression) with their titles, legends
    and change notes, as ONE HTML string: the live view updates the curves with one element update per frame.
    log_y: the loss on a log axis; None: when it has blown up (its title then says so)."""
    log_y = loss_log_y(history, curve_metrics(with_flipped)[0], log_y)
    loss_img, acc_img = history_images(history, with_flipped, size=size, by_epoch=by_epoch, log_x=log_x, log_y=log_y)
    x_title = tr("curves.x_epochs" if by_epoch else "curves.x_steps") + (f' · {tr("curves.log_on")}' if log_x else "")
    small = 'style="font-size:0.8em;color:#555;margin:2px 0"'
    blocks = []
    shown = 2 if accuracy else 1
    loss_title = f'{tr("curves.axis_loss")} · {tr("curves.log_y")}' if log_y else tr("curves.axis_loss")
    for img, element_id, y_title, metrics in list(zip((loss_img, acc_img), ids, (loss_title, tr("curves.axis_acc")),
                                                      curve_metrics(with_flipped)))[:shown]:
        blocks.append(f'<div class="curve-block" style="flex:1;min-width:0;margin-bottom:8px">'
                      f'<div class="curve-title" {small}><b>{html.escape(y_title)}</b> · {html.escape(x_title)}</div>'
                      + image_tag(img, element_id, chart_alt(
                          y_title, x_title, {tr(f"metric.{m}"): history.last(m) for m in metrics}))
                      + f'<div class="curve-legend" {small}>{legend_html(metrics)}</div></div>')
    wrap = '<div style="display:flex;gap:16px">' if side_by_side else "<div>"
    # the latest few only: every live frame carries this HTML (numbers still count from the first)
    notes = "".join(f'<div class="curve-event" style="color:{c}">{html.escape(text)}</div>'
                    for c, text in event_notes(history)[-MAX_NOTES:])
    return wrap + "".join(blocks) + "</div>" + (f'<div class="curve-events" {small}>{notes}</div>' if notes else "")
