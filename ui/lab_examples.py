"""Loss lab section 4: the worked examples calculator (core/lessons/worked.py computes; this draws).

The tables are edited in place (st.data_editor) and are not part of the URL."""
from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from core.i18n import UserFacingError
from core.lessons.worked import (CLASSIFICATION_LABELS, CLASSIFICATION_PROBS, REGRESSION_PRED, REGRESSION_TRUE,
                         classification, regression)
from ui.common import error_text, tr

DIGITS = 4


def shown(value: float) -> str:
    """0.028 rather than 0.0280; ∞ for −log 0."""
    if math.isinf(value):
        return "∞"
    return f"{value:.{DIGITS}f}".rstrip("0").rstrip(".")


def _cells(frame: pd.DataFrame) -> list[list]:
    return [list(row) for row in frame.itertuples(index=False)]


def _edited_table(key: str, start: pd.DataFrame, **kwargs) -> pd.DataFrame:
    """st.data_editor whose edits outlive a visit to another tab: the page builds only the open tab,
    so Streamlit drops the editor's state (edits relative to its data) while it is not shown. The
    edited table is kept and becomes the data of the editor drawn next without a state; while it has
    one, its data stays what those edits were made on."""
    ss = st.session_state
    if key not in ss:
        ss[key + ".data"] = ss.get(key + ".kept", start)
    table = st.data_editor(ss.get(key + ".data", start), key=key, **kwargs)
    ss[key + ".kept"] = table.reset_index(drop=True)
    return table


def _regression() -> None:
    st.markdown(f"#### {tr('lab.ex.reg.title')}")
    st.caption(tr("lab.ex.edit_note"))
    start = pd.DataFrame({"y": REGRESSION_TRUE, "y_hat": REGRESSION_PRED})
    table = _edited_table("lab.ex.reg_table", start, num_rows="dynamic", hide_index=True, column_config={
        "y": st.column_config.NumberColumn(tr("lab.ex.reg.true"), format="%g"),
        "y_hat": st.column_config.NumberColumn(tr("lab.ex.reg.pred"), format="%g")})
    try:
        result = regression(_cells(table))
    except UserFacingError as err:
        st.error(error_text(err))
        return
    st.dataframe([{"y": r.true, "ŷ": r.pred, tr("lab.ex.reg.error"): round(r.error, 6),
                   tr("lab.ex.reg.squared"): round(r.squared, 6), tr("lab.ex.reg.absolute"): round(r.absolute, 6)}
                  for r in result.rows], hide_index=True)
    c1, c2, c3 = st.columns(3)
    c1.metric(tr("lab.ex.reg.mse"), shown(result.mse))
    c2.metric(tr("lab.ex.reg.half_mse"), shown(result.half_mse))
    c3.metric(tr("lab.ex.reg.mae"), shown(result.mae))
    st.markdown(tr("lab.ex.reg.explain", n=len(result.rows)))


def _classification() -> None:
    st.markdown(f"#### {tr('lab.ex.cls.title')}")
    st.caption(tr("lab.ex.edit_note"))
    start = pd.DataFrame({"p0": [p[0] for p in CLASSIFICATION_PROBS], "p1": [p[1] for p in CLASSIFICATION_PROBS],
                          "label": CLASSIFICATION_LABELS})
    table = _edited_table("lab.ex.cls_table", start, num_rows="dynamic", hide_index=True, column_config={
        "p0": st.column_config.NumberColumn(tr("lab.ex.cls.p", k=0), format="%g"),
        "p1": st.column_config.NumberColumn(tr("lab.ex.cls.p", k=1), format="%g"),
        "label": st.column_config.NumberColumn(tr("lab.ex.cls.label"), format="%d")})
    try:
        result = classification(_cells(table))
    except UserFacingError as err:
        st.error(error_text(err))
        return
    st.dataframe([{tr("lab.ex.cls.label"): r.label, "p_y": round(r.p_label, 6), "−log p_y": round(r.ce, 6),
                   tr("lab.ex.cls.softmax_p"): round(r.p_as_logits, 6), tr("lab.ex.cls.ce_wrong"): round(r.ce_as_logits, 6)}
                  for r in result.rows], hide_index=True)
    c1, c2 = st.columns(2)
    c1.metric(tr("lab.ex.cls.mean_ce"), shown(result.mean_ce))
    c2.metric(tr("lab.ex.cls.mistake"), shown(result.ce_probs_as_logits))
    st.markdown(tr("lab.ex.cls.explain"))


def examples_section(config) -> None:
    st.subheader(tr("lab.ex.title"))
    st.caption(tr("lab.ex.intro"))
    _regression()
    _classification()
