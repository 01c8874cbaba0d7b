"""Loss lab section 3: Fisher consistency for K = 3 classes."""
from __future__ import annotations

import streamlit as st

from ui.common import tr


def fisher_section(config) -> None:
    st.subheader(tr("lab.fisher.title"))
