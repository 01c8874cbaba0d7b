"""How a page is shown, not what it trains: presentation mode and hidden controls (a teacher's link
may hide chosen controls, like TensorFlow Playground's). Like the language, a view rides along in
the URL (present=1, hide=lr,loss) but never changes a run's settings.
"""
from __future__ import annotations


import streamlit as st

from core.runs.config import LANGUAGE_CONTROL, ViewConfig, Warning_
from ui.address import link_view
from core.lessons.presets import LESSON_CONTROLS
from ui.common import css_class, lang, tr


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
# .katex-display: a formula a pixel wider than its column (glyph rounding) would become a scroll box
# that a keyboard cannot reach (WCAG 2.1.1); it is shown whole instead. Links and typed-in fields show
# keyboard focus with a ring in the theme's primary colour (Streamlit's own is a faint tint there, 2.4.7).
COMPACT_CSS = """
[data-testid="stMainBlockContainer"] { padding-top: 2.2rem; padding-bottom: 1rem; }
[class*="st-key-lesson-banner"] { padding: 0.5rem 0.9rem !important; }
[class*="st-key-lesson-banner"] p { margin-bottom: 0.2rem; line-height: 1.45; }
[class*="st-key-lesson-scroll_top"] { display: none; }
.katex-display { overflow: visible !important; }
a:focus-visible, input[role="combobox"]:focus-visible, input[type="number"]:focus-visible {
  outline: 2px solid #7f1d2a !important; outline-offset: 2px; }
"""


def init_view(info) -> list[Warning_]:
    """Once per session: the view from the URL. A link may hide the controls of the page's settings
    (core/pages.PageInfo.config) and the language switch."""
    ss = st.session_state
    if "view.present" in ss:
        return []
    view = link_view()
    ss["view.present"] = view.presenting
    names, warnings = view.hidden(info.config.field_names() | {LANGUAGE_CONTROL})
    ss["view.hide"] = names
    return warnings


def presenting() -> bool:
    return bool(st.session_state.get("view.present", False))


def current_view(lesson: str | None, side: str = "none", show: tuple[str, ...] = ()) -> ViewConfig:
    """The view the session shows now, for the address: the language, presentation, hidden controls, the
    open lesson, and the 2D page's side view and ticked checkboxes."""
    return ViewConfig(lang=lang(), present="1" if presenting() else "", hide=",".join(st.session_state.get("view.hide", ())),
                      lesson=lesson or "", side=side, show=",".join(show))


def control_selectors(info, names) -> list[str]:
    """CSS selectors of the page's widgets for these config fields (both languages' keys)."""
    selectors = []
    for name in names:
        if name == LANGUAGE_CONTROL:
            selectors.append("." + css_class("_lang_widget"))
            continue
        for prefix in info.widget_prefixes:
            key = prefix + name
            selectors += ["." + css_class(key), "." + css_class(f"{key}.group"), "." + css_class(f"{key}.live")] + [
                "." + css_class(f"{key}@{language}") for language in ("en", "zh")]
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
    # No element here may send values back: the rerun it fires during a page's first run makes Streamlit
    # reset a link-seeded select_slider and multiselect to their first option.


def _toggled() -> None:
    st.session_state["view.present"] = st.session_state["view.present_toggle"]


def present_toggle(container) -> None:
    """The switch in the main area (presentation hides the sidebar, so the way back must be here)."""
    st.session_state["view.present_toggle"] = presenting()
    container.toggle(tr("view.present"), key="view.present_toggle", help=tr("view.present_help"),
                     on_change=_toggled)
