"""Load URL-style params into a page's widgets: used by presets, imported run files and reopen."""
from __future__ import annotations

import streamlit as st

from core.compare import CompareSpec
from core.config import Playground2DConfig
from core.mnist_run import MnistConfig

PAGE_FILES = {"2d": "pages/1_playground_2d.py", "mnist": "pages/2_mnist.py", "compare": "pages/3_compare.py"}


def apply_params(page: str, params: dict[str, str], fresh: bool = True) -> list:
    """Seed the page's widgets from params (validated; bad values -> defaults + warnings).
    fresh: drop the page's current run, so training starts from the seed's initial weights."""
    ss = st.session_state
    if fresh:
        ss.pop({"2d": "p2d.run", "mnist": "mn.run", "compare": "cmp.state"}.get(page, ""), None)
    if page == "2d":
        from ui.widgets2d import seed_widgets
        config, warnings = Playground2DConfig.from_query(params)
        seed_widgets(config, overwrite=True)
        ss["p2d.config"], ss["p2d.url_warnings"] = config, warnings
        ss["p2d.url_query"] = config.to_query()
        ss["p2d.playing"] = False
    elif page == "mnist":
        from ui.widgets_mnist import seed_widgets
        config, warnings = MnistConfig.from_query(params)
        seed_widgets(config, overwrite=True)
        ss["mn.config"], ss["mn.url_warnings"] = config, warnings
        ss["mn.url_query"] = config.to_query()
        ss["mn.playing"] = False
    elif page == "compare":
        from ui.widgets_compare import seed_from_spec
        spec, warnings = CompareSpec.from_query(params)
        seed_from_spec(spec)
        ss["cmp.spec"], ss["cmp.url_warnings"] = spec, warnings
        ss["cmp.url_query"] = spec.to_query()
        ss["cmp.playing"] = False
        ss.pop("cmp.state", None)
    else:
        raise ValueError(f"unknown page {page!r}")
    return warnings


def open_page(page: str, params: dict[str, str], reopen_id: int | None = None) -> None:
    """Go to a page with these settings; reopen_id: also restore that history record's weights and curves."""
    apply_params(page, params)
    if reopen_id is not None:
        st.session_state["runs.reopen"] = (page, reopen_id)
    st.switch_page(PAGE_FILES[page])
