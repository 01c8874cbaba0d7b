"""How a page is shown, not what it trains: presentation mode and hidden controls (a teacher's link
may hide chosen controls, like TensorFlow Playground's). Like the language, a view rides along in
the URL (present=1, hide=lr,loss) but never changes a run's settings.
"""
from __future__ import annotations

import dataclasses
import re

import streamlit as st

from core.config import Warning_

MAX_HIDDEN = 40
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
# The page widgets' key prefixes (CSS classes "st-key-<key with . -> ->"), per page.
WIDGET_PREFIXES = {"p2d": ("w2d.",), "mn": ("wm.",), "lab": ("lab.",), "reg": ("wr.",),
                   "cmp": ("cmp.2d.", "cmp.mnist.", "cmp.regression.", *(f"cmp.r{i}." for i in range(1, 5)),
                           *(f"cmp.reg.r{i}." for i in range(1, 5)))}
LANGUAGE_CONTROL = "language"

# Presentation: no sidebar, no header bar, larger text, the status line large.
PRESENT_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"] { display: none !important; }
html { font-size: 18px; }
[data-testid="stMainBlockContainer"] { padding-top: 0.8rem; max-width: 100%; }
.live-status { font-size: 1.1rem; font-weight: 600; }
.curve-title, .curve-legend { font-size: 1rem !important; }
#boundary-live { width: min(100%, calc(100vh - 200px)) !important; }
"""
# Every view: less empty space above the title, so a 1280×720 screen holds the live view.
# The boundary fills its column but never runs below the screen's edge (it keeps its square).
COMPACT_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 1rem; }
#boundary-live { width: min(100%, calc(100vh - 330px)) !important; height: auto !important; min-width: 240px; }
"""


def init_view(*config_classes) -> list[Warning_]:
    """Once per session: the view from the URL. A link may hide the controls of the page's config
    classes' fields (and the language switch)."""
    ss = st.session_state
    if "view.present" in ss:
        return []
    query = st.query_params
    ss["view.present"] = query.get("present", "") in ("1", "true")
    fields = {f.name for cls in config_classes for f in dataclasses.fields(cls)}
    names, warnings = parse_hidden(query.get("hide", ""), fields | {LANGUAGE_CONTROL})
    ss["view.hide"] = names
    return warnings


def parse_hidden(text: str, allowed: set[str]) -> tuple[tuple[str, ...], list[Warning_]]:
    names, warnings = [], []
    for name in [n.strip() for n in text.split(",") if n.strip()][:MAX_HIDDEN]:
        if _NAME.fullmatch(name) and name in allowed:
            if name not in names:
                names.append(name)
        else:
            warnings.append(Warning_("warn.view.hide_unknown", {"value": name}))
    return tuple(names), warnings


def presenting() -> bool:
    return bool(st.session_state.get("view.present", False))


def view_params() -> dict[str, str]:
    """The view's part of the URL (empty for the default view)."""
    ss = st.session_state
    params = {}
    if presenting():
        params["present"] = "1"
    if ss.get("view.hide"):
        params["hide"] = ",".join(ss["view.hide"])
    from ui.lesson import open_lesson_key
    if open_lesson_key() is not None:
        params["lesson"] = open_lesson_key()
    return params


def _css_class(key: str) -> str:
    return "st-key-" + re.sub(r"[^a-zA-Z0-9_-]", "-", key)


def hidden_controls_css(state: str, names) -> str:
    selectors = []
    for name in names:
        if name == LANGUAGE_CONTROL:
            selectors.append("." + _css_class("_lang_widget"))
            continue
        for prefix in WIDGET_PREFIXES.get(state, ()):
            key = prefix + name
            selectors += ["." + _css_class(key)] + ["." + _css_class(f"{key}@{lang}") for lang in ("en", "zh")]
    return (", ".join(selectors) + " { display: none !important; }") if selectors else ""


def apply_view(state: str) -> None:
    """Draw the page's view: the style for presentation and for hidden controls (no space taken)."""
    css = COMPACT_CSS + (PRESENT_CSS if presenting() else "")
    css += hidden_controls_css(state, st.session_state.get("view.hide", ()))
    st.html(f"<style>{css}</style>")
    # (A pixel-ratio reporter, st.components.v2, was tried here: the rerun it fires during a page's first
    # run made Streamlit reset a link-seeded select_slider and multiselect to their first option.)


# The live boundary canvas is 1.5× as wide in presentation, for a projector (page CSS may still fit it
# to the screen); the browser draws it at its own pixel ratio (ui/live_canvas.js), so it stays sharp.
HIDPI_SCALE = 1.5


def boundary_scale() -> float:
    return HIDPI_SCALE if presenting() else 1.0


def _toggled() -> None:
    st.session_state["view.present"] = st.session_state["view.present_toggle"]


def present_toggle(container) -> None:
    """The switch in the main area (presentation hides the sidebar, so the way back must be here)."""
    from ui.common import tr
    st.session_state["view.present_toggle"] = presenting()
    container.toggle(tr("view.present"), key="view.present_toggle", help=tr("view.present_help"),
                     on_change=_toggled)
