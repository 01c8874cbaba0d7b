"""Loss lab: the shape of every loss, proper scoring, Fisher consistency, worked examples.

Stateless (no runs): widgets -> LossLabConfig -> core/lessons/losslab.py -> charts, and the URL follows.
"""
from __future__ import annotations


import streamlit as st

from core.lessons.losslab_config import SECTION_FIELDS, SECTIONS
from core.app.pages import page
from ui.address import write_address
from ui.common import config_from_url_once, setup_page, show_url_warnings, tr, widget_key
from ui.lab_examples import examples_section
from ui.lab_fisher import fisher_section
from ui.lab_margin import config_from_widgets, margin_section, scoring_section
from ui.view import apply_view, current_view, init_view

LAB = page("lab")
setup_page()
show_url_warnings(init_view(LAB))
apply_view(LAB, None)
st.title(tr("lab.title"))
st.caption(tr("lab.intro"))
show_url_warnings(config_from_url_once(LAB))
config = config_from_widgets()

# Only the open tab is built (switching tabs reruns): all four on every render were slow.
# The open section is kept by name under "lab.section" (a config field: it rides in the link and
# survives a language switch); the tabs' own state holds its translated label.
BUILD = {"margin": (margin_section, "lab.tab.margin"), "score": (scoring_section, "lab.tab.score"),
         "fisher": (fisher_section, "lab.fisher.title"), "examples": (examples_section, "lab.ex.title")}
TABS_KEY = "lab.tabs"


def label_of(section: str) -> str:
    return tr(BUILD[section][1])


def _tab_clicked(shown_key: str) -> None:
    """A click: its label (of the language shown) names the section. Also kept apart until the script
    reads it: a click during the session's first run finds no "lab.config" yet, and the link then
    seeds the section again over it."""
    by_label = {label_of(name): name for name in SECTIONS}
    if st.session_state.get(shown_key) in by_label:
        st.session_state["lab.section"] = st.session_state["lab.clicked"] = by_label[st.session_state[shown_key]]


clicked = st.session_state.pop("lab.clicked", None)
section = clicked or (config.section if config.section in SECTIONS else SECTIONS[0])
# One tab widget per language, defaulting to the open section: an old-language label can only reach
# the old widget, and a browser that missed this run's state still shows the right tab.
shown_key = widget_key(TABS_KEY)
if st.session_state.get(shown_key) != label_of(section):  # set from a link, a test or another language
    st.session_state[shown_key] = label_of(section)
tabs = st.tabs([label_of(name) for name in SECTIONS], key=shown_key, default=label_of(section),
               on_change=_tab_clicked, args=(shown_key,))
section = next((name for name, tab in zip(SECTIONS, tabs) if tab.open), section)
config = config.replace(section=section)
st.session_state["lab.section"] = section
with tabs[SECTIONS.index(section)]:
    BUILD[section][0](config)
# The closed tabs' widgets were not drawn, so Streamlit drops their state but may keep an older
# value under their keys: forget those keys, and the next run seeds them from "lab.config" (the
# scoring tab also uses the margin tab's loss parameters). Translated choices keep their value
# under a key of their own (ui.common.translated_choice), which Streamlit never drops.
TRANSLATED = ("losses", "score_losses", "fisher_loss")
for name in (f for other in SECTIONS if other != section for f in SECTION_FIELDS[other]):
    if name not in TRANSLATED:
        st.session_state.pop("lab." + name, None)
st.session_state["lab.config"] = config  # restores the widgets after a visit to another page
write_address(config.to_query(), current_view(None))
