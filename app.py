"""Entry point: `streamlit run app.py`. Streamlit's navigation over the page registry
(core/app/pages.py), with titles in the reader's language; each page is a script in pages/."""
import streamlit as st

from core.app.pages import PAGES
from ui.common import tr

# Titles in the session's language (the link's, once a page has read it: ui/address.py)
# Hidden: the sidebar's links are drawn by ui.common.navigation_links. Streamlit's own menu shows the
# pages/ folder's file names instead of these titles when a session starts on a page other than home.
navigation = st.navigation([st.Page(p.script, title=tr(p.title_key), icon=p.icon, url_path=p.url_path or None,
                                    default=p.key == "home") for p in PAGES], position="hidden")
navigation.run()
