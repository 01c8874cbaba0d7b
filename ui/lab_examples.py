"""Loss lab section 4: the worked examples calculator."""
from __future__ import annotations

import streamlit as st

from ui.common import tr


def examples_section(config) -> None:
    st.subheader(tr("lab.ex.title"))
