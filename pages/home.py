"""Landing page: what the playground teaches and where to find it."""
import streamlit as st

from ui.common import tr

st.title(tr("app.title"))
st.markdown(tr("home.intro"))
st.subheader(tr("home.teaches"))
st.markdown("\n".join(f"- {tr(k)}" for k in
                      ("home.topic.ce", "home.topic.relu", "home.topic.losses", "home.topic.noise", "home.topic.reg")))
st.subheader(tr("home.pages"))
st.page_link("pages/playground_2d.py", label=tr("nav.2d"), icon="🎯")
st.caption(tr("home.page.2d"))
st.info(tr("home.howto"))
