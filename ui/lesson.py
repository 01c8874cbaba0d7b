"""The banner of a lesson (preset) on the page it opened: title, text, what to watch for, and
buttons to reset to the lesson's settings, go back to the lessons or hide the banner.

The landing page stores {"key", "page", "shown"} under "lesson" before it switches page. The
banner stays until the user hides it or leaves the page: Streamlit drops the state of widgets a
finished run did not show, so when the banner's own Hide button is missing from session state
after the banner was shown, another page ran in between.
"""
from __future__ import annotations

import secrets

import streamlit as st

from core.app.pages import page as page_info
from core.lessons.presets import FOLLOW_UPS, lesson_params, preset
from core.runs.config import Warning_
from ui.apply import apply_params, open_page
from ui.common import show_url_warnings, tr
from ui.address import link_view
from ui.view import presenting

HOME = page_info("home").script


def open_lesson(key: str) -> None:
    """Landing page: open a lesson's page with its settings, at the lesson's speed."""
    p = preset(key)
    st.session_state["lesson"] = {"key": key, "page": p.page, "shown": False}
    open_page(p.page, lesson_params(p))


def _reset_to_lesson(key: str) -> None:
    """Callback (it runs before the page's widgets exist): the lesson's settings, a fresh run."""
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
    key = link_view().lesson
    if not key:
        return
    try:
        p = preset(key)
    except KeyError:
        p = None
    if p is None:
        show_url_warnings([Warning_("warn.url.bad_value", {"key": "lesson", "value": str(key)[:40]})])
        return
    if p.page != page:  # a lesson of another page (a link edited by hand): that page opens it
        open_lesson(key)
    for name, value in lesson_params(p).items():
        if name not in st.query_params:
            st.query_params[name] = value
    ss["lesson"] = {"key": key, "page": page, "shown": False}


def open_lesson_key() -> str | None:
    """The lesson whose banner is up (it rides in the URL as lesson=<key>, so the link shares it)."""
    lesson = st.session_state.get("lesson")
    return lesson["key"] if lesson else None


def _active_lesson(page: str) -> str | None:
    """The lesson whose banner belongs on this page now (a lesson link read first), or None."""
    lesson_from_link(page)
    ss = st.session_state
    lesson = ss.get("lesson")
    if lesson is None or lesson["page"] != page:
        return None
    if lesson["shown"] and f"lesson.{page}.hide" not in ss:  # another page ran since: the user left the lesson
        ss.pop("lesson", None)
        return None
    return lesson["key"]


def page_heading(page: str) -> None:
    """The page's title and intro, or, when a lesson opened the page, the lesson's banner in their
    place: on a 1280×720 projector the lesson's picture must fit under it. Presentation shows no title."""
    key = _active_lesson(page)
    if key is None:
        if not presenting():  # a page's strings are under its state prefix ("p2d.title", "reg.intro")
            st.title(tr(f"{page_info(page).state}.title"))
            st.caption(tr(f"{page_info(page).state}.intro"))
        return
    _banner(page, key)


# A lesson opened from a card low on the landing page would keep its scroll position: the page starts at
# its top, where the banner and the picture are, once per opening. The element goes with every run of the
# banner: sent once, a rerun right after it (a page's first runs) could replace it before the browser ran it.
# It sits in the sidebar, hidden (ui/view.COMPACT_CSS), so it takes no room above the picture and a page's live
# canvas stays its first components.v2 element; it sends nothing back, so it never reruns the page.
_SCROLL_TOP_JS = """export default function ({data}) {
  const opening = data && data.opening;
  if (!opening || globalThis.__lessonScrolledFor === opening) return;
  globalThis.__lessonScrolledFor = opening;
  for (const el of document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"], section.main'))
    el.scrollTop = 0;
  window.scrollTo(0, 0);
}"""
_scroll_top = None


def _to_page_top(opening: str) -> None:
    global _scroll_top
    if _scroll_top is None:
        _scroll_top = st.components.v2.component("playground.scroll_top", js=_SCROLL_TOP_JS)
    with st.sidebar:
        _scroll_top(key="lesson.scroll_top", data={"opening": opening})


def _banner(page: str, key: str) -> None:
    """Title and buttons on one line, the text, what to watch for. While the page plays, the text folds
    away (the title and what to watch for stay), so the picture gets the room."""
    ss = st.session_state
    if not ss["lesson"]["shown"]:
        ss["lesson"]["opening"] = secrets.token_hex(8)  # this opening of the lesson: to the page top once
    ss["lesson"]["shown"] = True
    _to_page_top(ss["lesson"].get("opening", ""))
    playing = bool(ss.get(f"{page_info(page).state}.playing", False))
    with st.container(border=True, key=f"lesson-banner-{page}", gap="small"):
        head, c1, c2, c3 = st.columns([4.2, 1.3, 1.3, 0.9], vertical_alignment="center")
        head.markdown(f":material/school: **{tr('lesson.badge')}: {tr(f'preset.{key}.title')}**")
        c1.button(tr("lesson.reset"), key=f"lesson.{page}.reset", help=tr("lesson.reset_help"),
                  icon=":material/restart_alt:", on_click=_reset_to_lesson, args=(key,), width="stretch")
        back = c2.button(tr("lesson.back"), key=f"lesson.{page}.back", icon=":material/arrow_back:", width="stretch")
        hide = c3.button(tr("lesson.dismiss"), key=f"lesson.{page}.hide", icon=":material/close:", width="stretch")
        if not playing:
            st.markdown(tr(f"preset.{key}.text"))
        st.markdown(tr("lesson.watch", what=f"**{tr(f'preset.{key}.watch')}**"))
        follow_up = FOLLOW_UPS.get(key)
        go_on = follow_up is not None and st.button(
            tr("pull.next_lesson", title=tr(f"preset.{follow_up}.title")), key=f"lesson.{page}.next",
            icon=":material/arrow_forward:")
    if go_on:
        open_lesson(follow_up)
    if back:
        ss.pop("lesson", None)
        st.switch_page(HOME)
    if hide:
        ss.pop("lesson", None)
        st.rerun()
