"""The address bar, read once and written once per script run: a link's view part (core/config.ViewConfig:
language, presentation, hidden controls, lesson, the 2D page's side view and checkboxes) is parsed here,
once per script run before the page draws (ui/common.setup_page); each page's settings are parsed by its
own config class; and the page writes both back as one link, so any moment of a page is a link that
reproduces it."""
from __future__ import annotations

import streamlit as st

from core.runs.config import ViewConfig, Warning_


def read_address() -> None:
    """First thing of every page's script run: the view part of the address, parsed."""
    view, warnings = ViewConfig.from_link(st.query_params.to_dict())
    st.session_state["view.link"] = (view, warnings)


def link_view() -> ViewConfig:
    """The view the address asked for in this script run (the readers decide when it applies)."""
    return st.session_state.get("view.link", (ViewConfig(), []))[0]


def link_warnings(key: str) -> list[Warning_]:
    """The problems the parse found with one view parameter of the address."""
    return [w for w in st.session_state.get("view.link", (None, []))[1] if w.fields.get("key") == key]


def link_settings(config_class):
    """(config, warnings): the page's settings the address asks for, in its schema (core/config.QueryConfig)."""
    return config_class.from_query(st.query_params.to_dict())


def write_address(params: dict[str, str], view: ViewConfig) -> None:
    """The address bar: the page's settings and the view, as one link."""
    # Sent on every script run, even when the server's copy already matches: the update made by a run
    # that a click then interrupted may never reach the browser (seen after a language switch).
    st.query_params.from_dict({**params, **view.to_query()})
