"""The landing page's content (app.py draws it)."""
from __future__ import annotations

import streamlit as st

from core.presets import PRESETS
from ui.common import PAGES, tr
from ui.lesson import open_lesson


def landing_page() -> None:
    st.session_state.pop("lesson", None)  # back on the landing page: no lesson is open any more
    st.title(tr("app.title"))
    st.markdown(tr("home.intro"))

    st.subheader(tr("home.presets"))
    st.caption(tr("home.presets_help"))
    columns = st.columns(2)
    for i, preset in enumerate(PRESETS):
        with columns[i % 2].container(border=True):
            st.markdown(f"**{tr(f'preset.{preset.key}.title')}**")
            st.caption(tr(f"preset.{preset.key}.text"))
            if st.button(tr("home.open_preset"), key=f"preset.{preset.key}"):
                open_lesson(preset.key)  # its page, its settings, at a speed a person can watch, with its banner

    st.subheader(tr("home.teaches"))
    st.markdown("\n".join(f"- {tr(k)}" for k in
                          ("home.topic.ce", "home.topic.relu", "home.topic.losses", "home.topic.noise", "home.topic.reg")))
    st.subheader(tr("home.pages"))
    for path, title_key, icon, blurb_key in PAGES[1:]:
        st.page_link(path, label=tr(title_key), icon=icon)
        st.caption(tr(blurb_key))
    st.info(tr("home.howto"))
