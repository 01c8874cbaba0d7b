"""Entry point: language, navigation, shared page set-up. Run with `streamlit run app.py`."""
import streamlit as st
import torch

from core.i18n import t
from ui.common import init_language, lang, language_switch

# Small models: one thread per session keeps two sessions from starving each other on 2 cores.
torch.set_num_threads(1)

st.set_page_config(page_title="Loss playground", page_icon="📉", layout="wide")
init_language()
language_switch()

pages = [
    st.Page("pages/home.py", title=t("nav.home", lang()), icon="🏠", default=True, url_path="home"),
    st.Page("pages/playground_2d.py", title=t("nav.2d", lang()), icon="🎯", url_path="playground_2d"),
]
st.navigation(pages).run()
