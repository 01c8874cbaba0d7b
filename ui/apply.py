"""Load URL-style params into a page's widgets: used by presets, imported run files and reopen."""
from __future__ import annotations

import streamlit as st

from core.runs.config import SIDE_VIEWS
from core.app.pages import page
from ui.inside_views import SIDE_KEY
from ui.common import seed_config_widgets


def apply_params(page_key: str, params: dict[str, str], fresh: bool = True) -> list:
    """Seed the page's widgets from params (validated; bad values -> defaults + warnings).
    fresh: drop the page's current run, so training starts from the seed's initial weights."""
    info = page(page_key)
    if not info.live:
        raise ValueError(f"not a page with runs: {page_key!r}")
    ss = st.session_state
    if fresh:
        ss.pop(info.run_key, None)
    config, warnings = info.config.from_query(params)
    seed_config_widgets(config, info.widget_prefix, overwrite=True)
    ss[f"{info.state}.config"], ss[f"{info.state}.url_warnings"] = config, warnings
    ss[f"{info.state}.url_query"] = config.to_query()  # checked once against what the widgets then show
    ss[f"{info.state}.playing"] = False
    if page_key == "2d" and params.get("side") in SIDE_VIEWS:  # a lesson's view beside the boundary
        ss[SIDE_KEY], ss["p2d.side_url_read"] = params["side"], True
    return warnings


def page_script(key: str) -> str:
    return page(key).script


def open_page(page: str, params: dict[str, str], reopen_id: int | None = None) -> None:
    """Go to a page with these settings; reopen_id: also restore that history record's weights and curves."""
    apply_params(page, params)
    if reopen_id is not None:
        st.session_state["runs.reopen"] = (page, reopen_id)
    st.switch_page(page_script(page))
