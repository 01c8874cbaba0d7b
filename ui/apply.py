"""Load URL-style params into a page's widgets: used by presets, imported run files and reopen."""
from __future__ import annotations

import streamlit as st

from core.compare import CompareSpec
from core.config import Playground2DConfig
from core.mnist_run import MnistConfig
from core.pages import page
from core.regression_config import RegressionConfig



def _seed_2d(config) -> None:
    from ui.widgets2d import seed_widgets
    seed_widgets(config, overwrite=True)


def _seed_mnist(config) -> None:
    from ui.widgets_mnist import seed_widgets
    seed_widgets(config, overwrite=True)


def _seed_regression(config) -> None:
    from ui.widgets_regression import seed_widgets
    seed_widgets(config, overwrite=True)


def _seed_compare(spec) -> None:
    from ui.widgets_compare import seed_from_spec
    seed_from_spec(spec)


# Per page with runs (core/pages.py): its URL config class, how its widgets take a config, and the
# session key the page keeps its last config under.
SEEDERS = {
    "2d": (Playground2DConfig, _seed_2d, "p2d.config"),
    "mnist": (MnistConfig, _seed_mnist, "mn.config"),
    "compare": (CompareSpec, _seed_compare, "cmp.spec"),
    "regression": (RegressionConfig, _seed_regression, "reg.config"),
}


def apply_params(page_key: str, params: dict[str, str], fresh: bool = True) -> list:
    """Seed the page's widgets from params (validated; bad values -> defaults + warnings).
    fresh: drop the page's current run, so training starts from the seed's initial weights."""
    if page_key not in SEEDERS:
        raise ValueError(f"unknown page {page_key!r}")
    ss = st.session_state
    info = page(page_key)
    config_class, seed, config_key = SEEDERS[page_key]
    if fresh:
        ss.pop(info.run_key, None)
    config, warnings = config_class.from_query(params)
    seed(config)
    ss[config_key], ss[f"{info.state}.url_warnings"] = config, warnings
    ss[f"{info.state}.url_query"] = config.to_query()  # checked once against what the widgets then show
    ss[f"{info.state}.playing"] = False
    if page_key == "2d" and "side" in params:  # a view param: the view beside the boundary (a lesson's)
        from core.inside_frames import VIEWS
        from ui.inside_views import SIDE_KEY
        if params["side"] in VIEWS:
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
