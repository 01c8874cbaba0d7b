"""Loss lab section 3: Fisher consistency for K = 3 classes (core/lessons/fisher.py does the minimising)."""
from __future__ import annotations

import math

import altair as alt
import streamlit as st

from core.lessons.fisher import FISHER_LOSSES, K, PRESET_P, STEPS, FisherResult, minimise_all, normalised
from core.i18n import UserFacingError
from core.lessons.losslab_config import LossLabConfig
from core.app.pages import page
from ui.common import error_text, key_labels, tr, translated_choice
from ui.charts import show_altair
from ui.lab_margin import readable

WIDGET_PREFIX = page("lab").widget_prefix  # session keys of this page's settings: prefix + field
P_FIELDS = ("fisher_p1", "fisher_p2", "fisher_p3")
TABLE_DIGITS = 3


@st.cache_data(max_entries=64, show_spinner=False)
def _results(p: tuple[float, ...]) -> list[FisherResult]:
    return minimise_all(p)  # deterministic: the same p always gives the same f*


def _load_preset() -> None:
    for name, value in zip(P_FIELDS, PRESET_P):
        st.session_state[WIDGET_PREFIX + name] = value


def _classes(indices) -> str:
    return ", ".join(str(k + 1) for k in indices)  # classes are numbered 1..3 on the page, as p1..p3


def _probability_widgets() -> None:
    columns = st.columns(K + 1, vertical_alignment="bottom")
    for k, (column, name) in enumerate(zip(columns, P_FIELDS), start=1):
        field = next(f for f in LossLabConfig.__dataclass_fields__.values() if f.name == name)
        column.number_input(tr("lab.fisher.p", k=k), field.metadata["low"], field.metadata["high"],
                            step=field.metadata["step"], key=WIDGET_PREFIX + name, format="%.2f")
    columns[K].button(tr("lab.fisher.preset"), key="lab.fisher_preset", on_click=_load_preset,
                      help=tr("lab.fisher.preset_help"))


def _table(results: list[FisherResult]) -> None:
    rows = []
    for r in results:
        row = {tr("lab.fisher.col.loss"): tr(f"loss.{r.loss}.name")}
        row.update({f"f*{k + 1}": round(v, TABLE_DIGITS) for k, v in enumerate(r.f)})
        row[tr("lab.fisher.col.argmax_f")] = _classes(r.top_f)
        row[tr("lab.fisher.col.argmax_p")] = _classes(r.top_p)
        row[tr("lab.fisher.col.verdict")] = tr(f"lab.fisher.verdict.{r.verdict}")
        rows.append(row)
    st.dataframe(rows, hide_index=True, width="stretch")


def _chart(result: FisherResult) -> alt.Chart:
    """f*_k per class beside log p_k − mean (cross-entropy's minimiser up to a constant)."""
    finite = [math.log(v) for v in result.p if v > 0]
    centre = sum(finite) / len(finite)
    score, log_p = tr("lab.fisher.series.score"), tr("lab.fisher.series.log_p")
    rows = []
    for k in range(K):
        cls = tr("lab.fisher.class", k=k + 1)
        rows.append({"class": cls, "series": score, "value": result.f[k], "p": result.p[k]})
        if result.p[k] > 0:
            rows.append({"class": cls, "series": log_p, "value": math.log(result.p[k]) - centre, "p": result.p[k]})
    return alt.Chart(alt.Data(values=rows)).mark_bar().encode(
        x=alt.X("class:N", title=tr("lab.fisher.axis_class"), axis=alt.Axis(labelAngle=0)),
        xOffset="series:N",
        y=alt.Y("value:Q", title=tr("lab.fisher.axis_score")),
        color=alt.Color("series:N", title="", legend=alt.Legend(orient="bottom", direction="horizontal",
                                                                labelLimit=0)),
        tooltip=[alt.Tooltip("class:N", title=tr("lab.fisher.axis_class")), alt.Tooltip("series:N", title=""),
                 alt.Tooltip("value:Q", title=tr("lab.fisher.axis_score"), format=".4f"),
                 alt.Tooltip("p:Q", title="p", format=".3f")],
    ).properties(title=tr("lab.fisher.chart", loss=tr(f"loss.{result.loss}.name")))


def fisher_section(config: LossLabConfig) -> None:
    st.subheader(tr("lab.fisher.title"))
    st.markdown(tr("lab.fisher.intro"))
    _probability_widgets()
    try:
        p = normalised(getattr(config, name) for name in P_FIELDS)
    except UserFacingError as err:
        st.error(error_text(err))
        return
    st.caption(tr("lab.fisher.normalised", p=", ".join(f"{v:.3f}" for v in p)))
    results = _results(p)
    _table(results)
    st.caption(tr("lab.fisher.how", steps=STEPS))
    if min(p) == 0:
        st.caption(tr("lab.fisher.zero_note"))
    loss = translated_choice(st.selectbox, tr("lab.fisher.loss"), list(FISHER_LOSSES), WIDGET_PREFIX + "fisher_loss",
                             format_func=key_labels("loss.{}.name"))
    chosen = next(r for r in results if r.loss == loss)
    st.markdown(tr("lab.fisher.summary", loss=tr(f"loss.{loss}.name"), f=", ".join(f"{v:.3f}" for v in chosen.f),
                   top_f=_classes(chosen.top_f), top_p=_classes(chosen.top_p),
                   verdict=tr(f"lab.fisher.verdict.{chosen.verdict}")))
    show_altair(st, readable(_chart(chosen)), tr("lab.fisher.summary", loss=tr(f"loss.{loss}.name"),
                f=", ".join(f"{v:.3f}" for v in chosen.f), top_f=_classes(chosen.top_f), top_p=_classes(chosen.top_p),
                verdict=tr(f"lab.fisher.verdict.{chosen.verdict}")).replace("*", ""), width="stretch")
    st.markdown(tr(f"lab.fisher.explain.{loss}"))
