"""The live boundary as a canvas drawn in the browser from compact data (core/pictures/frame_data.py).

A Streamlit components.v2 element (its frontend runs ui/live_canvas.js, in the page's light DOM so
document.getElementById finds the canvas and the status line). A play loop updates it many times a
second within ONE script run, into an st.empty() placeholder: the public mount call registers a widget
id per call (a second call with the same key raises a duplicate-key error, a new key per frame grows
the run's widget registry and remounts the element). The canvas sends nothing back, so it needs no
widget: each frame is the same component element (same id: the frontend keeps it mounted and calls the
JS again with the new data) enqueued into the placeholder, one element update per frame.
"""
from __future__ import annotations

import hashlib
import html
import json
import re
import threading
import time
from pathlib import Path

from streamlit.elements.lib.layout_utils import LayoutConfig
from streamlit.proto.BidiComponent_pb2 import BidiComponent as BidiComponentProto

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


def panel(canvas_id: str, frame: dict, *, scale: float = 1.0, after: str = "", fit: int | None = None) -> dict:
    """One canvas: its element id, a frame from core.pictures.frame_data, its CSS width (the frame's layout
    width × scale) and trusted HTML shown under it (already escaped). fit (px): the page's main picture,
    which fills its column (its width and scale then unused) and ends that far above the screen's bottom
    edge (ui/live_canvas.js), so a 1280×720 projector shows it whole with what must be read under it."""
    layout_width = frame["static"]["w"] if "static" in frame else frame["w"]  # a boundary, or a plot
    spec = {"id": canvas_id, "frame": frame, "width": round(layout_width * scale, 1), "after": after}
    if fit is not None:
        spec["fit"] = int(fit)
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


def show(placeholder, panels: list[dict], *, key: str, before: str = "") -> int:
    """Draw the panels (and `before`: trusted, escaped HTML above them, e.g. the status line) in the
    placeholder: one element update. May be called any number of times per script run. Returns the
    characters of JS and data sent (bench/bench_frame_server.py)."""
    proto = BidiComponentProto()
    proto.component_name = COMPONENT_NAME
    proto.isolate_styles = False  # light DOM: page CSS and document.getElementById reach the canvas
    state = vars(placeholder)  # (not getattr: a DeltaGenerator makes up commands for unknown names)
    sent = state.get("_live_canvas_frames", 0)
    module = sent < 2 or sent % MODULE_EVERY == 0
    proto.js_content = JS if module else LOADER
    proto.css_content = CSS
    proto.json = payload(_name_known_statics(panels, state.setdefault("_live_canvas_statics", {}), module), before)
    proto.id = element_id(key)
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
