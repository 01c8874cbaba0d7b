"""Loss lab: the shape of every loss, proper scoring, Fisher consistency, worked examples.

Stateless (no runs): widgets -> LossLabConfig -> core/losslab.py -> charts, and the URL follows.
"""
from __future__ import annotations


import streamlit as st

from core.losslab_config import LossLabConfig
from ui.common import config_from_url_once, setup_page, show_url_warnings, sync_query_params, tr
from ui.lab_examples import examples_section
from ui.lab_fisher import fisher_section
from ui.lab_margin import config_from_widgets, margin_section, scoring_section
from ui.view import apply_view, init_view

setup_page()
show_url_warnings(init_view(LossLabConfig))
apply_view("lab")
st.title(tr("lab.title"))
st.caption(tr("lab.intro"))
show_url_warnings(config_from_url_once(LossLabConfig, "lab.", "lab"))
config = config_from_widgets()

margin_tab, score_tab, fisher_tab, examples_tab = st.tabs(
    [tr("lab.tab.margin"), tr("lab.tab.score"), tr("lab.fisher.title"), tr("lab.ex.title")])
with margin_tab:
    margin_section(config)
with score_tab:
    scoring_section(config)
with fisher_tab:
    fisher_section(config)
with examples_tab:
    examples_section(config)

st.session_state["lab.config"] = config  # restores the widgets after a visit to another page
sync_query_params(config.to_query())
