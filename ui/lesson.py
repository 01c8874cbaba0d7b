"""The banner of a lesson (preset) on the page it opened: title, text, what to watch for, and
buttons to reset to the lesson's settings, go back to the lessons or hide the banner.

The landing page stores {"key", "page", "shown"} under "lesson" before it switches page. The
banner stays until the user hides it or leaves the page: Streamlit drops the state of widgets a
finished run did not show, so when the banner's own Hide button is missing from session state
after the banner was shown, another page ran in between.
"""
from __future__ import annotations

import streamlit as st

from core.pages import page
from core.presets import FOLLOW_UPS, lesson_params, preset
from core.config import Warning_
from ui.common import show_url_warnings, tr

HOME = page("home").script


def open_lesson(key: str) -> None:
    """Landing page: open a lesson's page with its settings, at the lesson's speed."""
    from ui.apply import open_page
    p = preset(key)
    st.session_state["lesson"] = {"key": key, "page": p.page, "shown": False}
    open_page(p.page, lesson_params(p))


def _reset_to_lesson(key: str) -> None:
    """Callback (it runs before the page's widgets exist): the lesson's settings, a fresh run."""
    from ui.apply import apply_params
    p = preset(key)
    apply_params(p.page, lesson_params(p))


def lesson_from_link(page: str) -> None:
    """A shared lesson link (?lesson=<key>, the address bar while a lesson is open) opens that
    lesson here: its settings under any the link sets itself, and its banner. Read once per page,
    before the page reads its settings from the URL."""
    ss = st.session_state
    read_key = f"lesson.link_read.{page}"
    if read_key in ss:
        return
    ss[read_key] = True
    key = st.query_params.get("lesson")
    if key is None:
        return
    try:
        p = preset(key)
    except KeyError:
        p = None
    if p is None or p.page != page:  # unknown, or a lesson of another page
        show_url_warnings([Warning_("warn.url.bad_value", {"key": "lesson", "value": str(key)[:40]})])
        return
    for name, value in lesson_params(p).items():
        if name not in st.query_params:
            st.query_params[name] = value
    ss["lesson"] = {"key": key, "page": page, "shown": False}


def open_lesson_key() -> str | None:
    """The lesson whose banner is up (it rides in the URL as lesson=<key>, so the link shares it)."""
    lesson = st.session_state.get("lesson")
    return lesson["key"] if lesson else None


def lesson_banner(page: str) -> None:
    """Draw the banner when a lesson opened this page (or a lesson link did) and the user is still on it."""
    lesson_from_link(page)
    ss = st.session_state
    lesson = ss.get("lesson")
    if lesson is None or lesson["page"] != page:
        return
    hide_key = f"lesson.{page}.hide"
    if lesson["shown"] and hide_key not in ss:  # another page ran since: the user left the lesson
        ss.pop("lesson", None)
        return
    lesson["shown"] = True
    key = lesson["key"]
    with st.container(border=True, key=f"lesson-banner-{page}"):
        st.markdown(f"🎓 **{tr('lesson.badge')}: {tr(f'preset.{key}.title')}**")
        st.markdown(tr(f"preset.{key}.text"))
        st.markdown(tr("lesson.watch", what=f"**{tr(f'preset.{key}.watch')}**"))
        c1, c2, c3, _ = st.columns([1.3, 1.3, 0.8, 2])
        c1.button(tr("lesson.reset"), key=f"lesson.{page}.reset", help=tr("lesson.reset_help"),
                  on_click=_reset_to_lesson, args=(key,), width="stretch")
        back = c2.button(tr("lesson.back"), key=f"lesson.{page}.back", width="stretch")
        hide = c3.button(tr("lesson.dismiss"), key=hide_key, width="stretch")
        follow_up = FOLLOW_UPS.get(key)
        go_on = follow_up is not None and st.button(
            tr("pull.next_lesson", title=tr(f"preset.{follow_up}.title")), key=f"lesson.{page}.next")
    if go_on:
        open_lesson(follow_up)
    if back:
        ss.pop("lesson", None)
        st.switch_page(HOME)
    if hide:
        ss.pop("lesson", None)
        st.rerun()
