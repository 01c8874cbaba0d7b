"""Landing page and entry point: `streamlit run app.py`. Pages live in pages/."""
import streamlit as st

from ui.common import PAGES, setup_page, tr

setup_page()
st.title(tr("app.title"))
st.markdown(tr("home.intro"))
st.subheader(tr("home.teaches"))
st.markdown("\n".join(f"- {tr(k)}" for k in
                      ("home.topic.ce", "home.topic.relu", "home.topic.losses", "home.topic.noise", "home.topic.reg")))
st.subheader(tr("home.pages"))
for path, title_key, icon, blurb_key in PAGES[1:]:
    st.page_link(path, label=tr(title_key), icon=icon)
    st.caption(tr(blurb_key))
st.info(tr("home.howto"))
