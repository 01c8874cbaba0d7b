"""How a page is shown, not what it trains: presentation mode and hidden controls (a teacher's link
may hide chosen controls, like TensorFlow Playground's). Like the language, a view rides along in
the URL (present=1, hide=lr,loss) but never changes a run's settings.
"""
from __future__ import annotations

import re

import streamlit as st

from core.config import Warning_
from core.presets import LESSON_CONTROLS
from ui.common import css_class, lang, tr

MAX_HIDDEN = 40
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")
LANGUAGE_CONTROL = "language"

# Presentation: no sidebar, no header bar, larger text, the status line large.
NO_SIDEBAR_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none !important; }
"""
PRESENT_CSS = """
header[data-testid="stHeader"] { display: none !important; }
html { font-size: 18px; }
[data-testid="stMainBlockContainer"] { padding-top: 0.8rem; max-width: 100%; }
.live-status { font-size: 1.1rem; font-weight: 600; }
.curve-title, .curve-legend { font-size: 1rem !important; }
"""
# Every view: less empty space above the title, so a 1280×720 screen holds the live view (the main
# picture fits itself to the screen below it: ui/live_canvas.js); a lesson's banner set tight.
COMPACT_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 1rem; }
[class*="st-key-lesson-banner"] { padding: 0.5rem 0.9rem !important; }
[class*="st-key-lesson-banner"] p { margin-bottom: 0.2rem; line-height: 1.45; }
[class*="st-key-lesson-scroll_top"] { display: none; }
"""


def init_view(info) -> list[Warning_]:
    """Once per session: the view from the URL. A link may hide the controls of the page's settings
    (core/pages.PageInfo.config) and the language switch."""
    ss = st.session_state
    if "view.present" in ss:
        return []
    query = st.query_params
    ss["view.present"] = query.get("present", "") in ("1", "true")
    names, warnings = parse_hidden(query.get("hide", ""), info.config.field_names() | {LANGUAGE_CONTROL})
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
    return params


def control_selectors(info, names) -> list[str]:
    """CSS selectors of the page's widgets for these config fields (both languages' keys)."""
    selectors = []
    for name in names:
        if name == LANGUAGE_CONTROL:
            selectors.append("." + css_class("_lang_widget"))
            continue
        for prefix in info.widget_prefixes:
            key = prefix + name
            selectors += ["." + css_class(key)] + ["." + css_class(f"{key}@{language}") for language in ("en", "zh")]
    return selectors


def hidden_controls_css(info, names) -> str:
    selectors = control_selectors(info, names)
    return (", ".join(selectors) + " { display: none !important; }") if selectors else ""


def only_controls_css(info, names) -> str:
    """Presentation during a lesson that asks to change a setting while it plays: the sidebar stays,
    narrow, with that setting's control alone in it."""
    keep = "".join(f":not({s})" for s in control_selectors(info, names))
    return ('[data-testid="stSidebar"] { min-width: 240px !important; max-width: 240px !important; }'
            f' [data-testid="stSidebar"] [data-testid="stElementContainer"]{keep} {{ display: none !important; }}'
            ' [data-testid="stSidebarNav"], [data-testid="stSidebarHeader"] { display: none !important; }')


def compact_page() -> None:
    """A page without a view of its own (the landing page): the same tight top as the others."""
    st.html(f"<style>{COMPACT_CSS}</style>")


def apply_view(info, lesson: str | None) -> None:
    """Draw the page's view: the style for presentation and for hidden controls (no space taken).
    lesson: the open lesson, whose control a presented page keeps (LESSON_CONTROLS)."""
    css = COMPACT_CSS
    if presenting():
        kept = LESSON_CONTROLS.get(lesson or "", ())
        css += PRESENT_CSS + (only_controls_css(info, kept) if kept else NO_SIDEBAR_CSS)
    css += hidden_controls_css(info, st.session_state.get("view.hide", ()))
    if lang() != "en":  # Streamlit's keyboard hints on buttons ("Space") are English: their tooltips say the key
        css += '[data-testid="stButton"] button kbd { display: none !important; }'
    st.html(f"<style>{css}</style>")
    # (A pixel-ratio reporter, st.components.v2, was tried here: the rerun it fires during a page's first
    # run made Streamlit reset a link-seeded select_slider and multiselect to their first option.)


def _toggled() -> None:
    st.session_state["view.present"] = st.session_state["view.present_toggle"]


def present_toggle(container) -> None:
    """The switch in the main area (presentation hides the sidebar, so the way back must be here)."""
    st.session_state["view.present_toggle"] = presenting()
    container.toggle(tr("view.present"), key="view.present_toggle", help=tr("view.present_help"),
                     on_change=_toggled)
