"""The address bar: the page's settings, its view and the language as one link, written once per script
run, so any moment of a page is a link that reproduces it."""
from __future__ import annotations

import streamlit as st

from ui.common import lang
from ui.lesson import open_lesson_key
from ui.view import view_params


def sync_query_params(params: dict[str, str]) -> None:
    """The address bar: the page's settings (and its own view parameters), the language, the view
    (presentation, hidden controls) and the open lesson."""
    # Sent on every script run, even when the server's copy already matches: the update made by a run
    # that a click then interrupted may never reach the browser (seen after a language switch).
    lesson = open_lesson_key()
    st.query_params.from_dict({**params, "lang": lang(), **view_params(), **({"lesson": lesson} if lesson else {})})
