"""Loss lab sections 1 (loss and gradient against the margin; multiclass p_y view) and 2 (proper
scoring): widgets keyed "lab.<field>" of LossLabConfig, charts from core/lessons/losslab.py."""
from __future__ import annotations

import dataclasses

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from core.learning.losses import LOSSES
from core.lessons.losslab import (SCORE_STEP, ZERO_ONE, brier_decomposition, expected_loss, margin_rows, multiclass_rows,
                          scoring_curves)
from core.lessons.losslab_config import BINARY_LOSSES, CLASS_COUNTS, LossLabConfig, parse_loss_list
from core.app.pages import page
from ui.common import key_labels, tr, translated_choice
from ui.charts import show_altair
from ui.widgets2d import number_slider

WIDGET_PREFIX = page("lab").widget_prefix  # session keys of this page's settings: prefix + field
LIST_FIELDS = ("losses", "score_losses")  # multiselects: a list in the widget, "a,b" in the config
# One colour per loss on every chart of the page (Vega's tableau10), the 0-1 loss in black.
PALETTE = ("#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d",
           "#bab0ac")
ZERO_ONE_COLOUR = "#222222"
AXIS_TOP = 5.0  # e.g. exponential and squared hinge leave the chart there: the tooltip still has the value
# Readable on a projector: each chart the page's full width, the legend under the plot (beside it, it took
# half of a half-width chart), and this height for title, plot, axis and legend together (Streamlit fits the
# whole chart into it): the plot keeps about 270 px.
CHART_HEIGHT = 440
LEGEND_ROW = 20  # px a legend row takes
LEGEND = alt.Legend(orient="bottom", direction="horizontal", columns=4, labelLimit=0, symbolType="stroke",
                    titleOrient="left")
# SVG, not the canvas Streamlit picks for charts of over 2,000 points: the text stays in the page, where a
# test can measure the titles (these charts are drawn once a rerun, never live).
SVG = {"embedOptions": {"renderer": "svg"}}


def _legend_rows(keys) -> int:
    return -(-len(keys) // LEGEND.columns)


def readable(chart, legend_rows: int = 1) -> alt.Chart:
    """A lab chart at its full height, each legend row past the first with room of its own."""
    return chart.properties(height=CHART_HEIGHT + LEGEND_ROW * (legend_rows - 1), usermeta=SVG)


def show_chart(chart, losses, key: str, title: str) -> None:
    """One chart the page's width, its legend (one entry per loss) below it; its text alternative names
    what it plots and the losses drawn."""
    description = f"{title}: {', '.join(loss_name(k) for k in dict.fromkeys(losses))}"
    show_altair(st, readable(chart, _legend_rows(set(losses))), description, width="stretch", key=key)


def config_from_widgets() -> LossLabConfig:
    """The config the widgets hold now (Streamlit updates session state before the script runs, so
    this is what the widgets below will show); fields without a widget value keep their default."""
    ss = st.session_state
    for name in LIST_FIELDS:
        # seeded from a URL or the last config: the multiselect wants a list
        if isinstance(ss.get(WIDGET_PREFIX + name), str):
            ss[WIDGET_PREFIX + name] = parse_loss_list(ss[WIDGET_PREFIX + name])[0]
    values = {}
    for f in dataclasses.fields(LossLabConfig):
        if WIDGET_PREFIX + f.name not in ss:
            continue
        value = ss[WIDGET_PREFIX + f.name]
        values[f.name] = ",".join(value) if f.name in LIST_FIELDS else value
    try:
        return LossLabConfig(**values).validated()
    except TypeError:
        return LossLabConfig()


def loss_name(key: str) -> str:
    return tr("lab.margin.zero_one") if key == ZERO_ONE else tr(f"loss.{key}.name")


def loss_colour(key: str) -> str:
    return ZERO_ONE_COLOUR if key == ZERO_ONE else PALETTE[BINARY_LOSSES.index(key) % len(PALETTE)]


def colour_encoding(keys) -> alt.Color:
    """Colour by translated name, with each loss's own colour whichever losses are shown."""
    keys = list(dict.fromkeys(keys))
    return alt.Color("name:N", title=tr("lab.margin.legend"), legend=LEGEND,
                     scale=alt.Scale(domain=[loss_name(k) for k in keys], range=[loss_colour(k) for k in keys]))


def _params_by_loss(config: LossLabConfig, losses) -> dict[str, dict]:
    return {key: config.params_of(key) for key in losses}


def _line_chart(rows, x: str, y: str, x_title: str, y_title: str, title: str, top: float | None = None,
                extra_tooltip=()) -> alt.Chart:
    """Lines per loss (colour = translated name); hover shows the values. A DataFrame, not inline values:
    Altair validates inline values one by one (slow for a chart's rows), a frame is sent as an Arrow dataset."""
    named = [{**r, "name": loss_name(r["loss"])} for r in rows]
    clipped = top is not None and max(r[y] for r in rows) > top
    scale = alt.Scale(domainMax=top) if clipped else alt.Undefined  # else the data's own range
    hover = alt.selection_point(fields=[x], nearest=True, on="pointerover", empty=False)
    base = alt.Chart(pd.DataFrame(named)).encode(
        x=alt.X(f"{x}:Q", title=x_title),
        y=alt.Y(f"{y}:Q", title=y_title, scale=scale),
        color=colour_encoding(r["loss"] for r in rows),
    )
    tooltip = [alt.Tooltip("name:N", title=tr("lab.margin.legend")), alt.Tooltip(f"{x}:Q", title=x_title, format=".3f"),
               alt.Tooltip(f"{y}:Q", title=y_title, format=".4f"), *extra_tooltip]
    lines = base.mark_line(clip=True)
    points = base.mark_point(clip=True, size=40).encode(
        opacity=alt.condition(hover, alt.value(1), alt.value(0)), tooltip=tooltip).add_params(hover)
    return alt.layer(lines, points).properties(title=title)


def _clip_note(rows, columns) -> None:
    if any(r[c] > AXIS_TOP for r in rows for c in columns):
        st.caption(tr("lab.margin.clip_note", top=f"{AXIS_TOP:g}"))


def margin_widgets(config: LossLabConfig) -> list[str]:
    losses = translated_choice(st.multiselect, tr("lab.margin.losses"), list(BINARY_LOSSES), WIDGET_PREFIX + "losses",
                               default=config.loss_keys(), format_func=key_labels("loss.{}.name"))
    c1, c2 = st.columns(2)
    number_slider(c1, "margin_low", "lab.margin.low", WIDGET_PREFIX + "margin_low", config_class=LossLabConfig)
    number_slider(c2, "margin_high", "lab.margin.high", WIDGET_PREFIX + "margin_high", config_class=LossLabConfig)
    params = [p for key in losses for p in LOSSES[key].params]
    if params:
        columns = st.columns(len(params))
        for column, p in zip(columns, params):
            number_slider(column, p.name, f"loss.param.{p.name}", WIDGET_PREFIX + p.name, config_class=LossLabConfig)
    return losses


def margin_section(config: LossLabConfig) -> None:
    st.subheader(tr("lab.margin.binary"))
    margin_widgets(config)
    losses = config.loss_keys()
    if not losses:
        st.info(tr("lab.margin.none"))
        return
    params = _params_by_loss(config, losses)
    rows = margin_rows(losses, params, config.margin_low, config.margin_high)
    axis_m = tr("lab.margin.axis_m")
    shown = [r["loss"] for r in rows]
    show_chart(_line_chart(rows, "m", "loss_value", axis_m, tr("lab.margin.axis_loss"), tr("lab.margin.loss_chart"),
                           AXIS_TOP), shown, "lab.chart.loss", tr("lab.margin.loss_chart"))
    show_chart(_line_chart([r for r in rows if r["loss"] != ZERO_ONE], "m", "pull", axis_m,
                           tr("lab.margin.axis_pull"), tr("lab.margin.pull_chart"), AXIS_TOP), losses, "lab.chart.pull",
               tr("lab.margin.pull_chart"))
    _clip_note(rows, ("loss_value", "pull"))
    with st.expander(tr("lab.margin.asymptotics"), expanded=True):
        for key in losses:
            st.markdown(f"**{tr(f'loss.{key}.name')}**: {tr(f'lab.margin.asym.{key}')}")

    st.subheader(tr("lab.margin.multi"))
    st.radio(tr("lab.margin.classes"), CLASS_COUNTS, key=WIDGET_PREFIX + "classes", horizontal=True)
    k = config.classes
    multi = multiclass_rows(losses, params, k)
    axis_py, shown = tr("lab.margin.axis_py"), [r["loss"] for r in multi]
    show_chart(_line_chart(multi, "p_y", "loss_value", axis_py, tr("lab.margin.axis_loss_py"),
                           tr("lab.margin.multi_loss_chart", k=k), AXIS_TOP), shown, "lab.chart.multi_loss",
               tr("lab.margin.multi_loss_chart", k=k))
    show_chart(_line_chart(multi, "p_y", "weight", axis_py, tr("lab.margin.axis_weight"),
                           tr("lab.margin.weight_chart", k=k), AXIS_TOP), shown, "lab.chart.weight",
               tr("lab.margin.weight_chart", k=k))
    _clip_note(multi, ("loss_value", "weight"))
    st.caption(tr("lab.margin.multi_note"))


def scoring_section(config: LossLabConfig) -> None:
    st.subheader(tr("lab.tab.score"))
    st.caption(tr("lab.score.intro"))
    c1, c2 = st.columns(2)
    number_slider(c1, "score_p", "lab.score.p", WIDGET_PREFIX + "score_p", config_class=LossLabConfig)
    number_slider(c2, "score_q", "lab.score.q", WIDGET_PREFIX + "score_q", config_class=LossLabConfig)
    translated_choice(st.multiselect, tr("lab.score.losses"), list(BINARY_LOSSES), WIDGET_PREFIX + "score_losses",
                      default=config.scoring_keys(), format_func=key_labels("loss.{}.name"))
    losses = config.scoring_keys()
    if not losses:
        st.info(tr("lab.margin.none"))
        return
    p, q = config.score_p, config.score_q
    curves = scoring_curves(p, losses, params=_params_by_loss(config, losses))
    rows = [{"loss": c.loss, "q": float(x), "expected": float(e)} for c in curves for x, e in zip(c.q, c.expected)]
    axis_q, axis_e = tr("lab.score.axis_q"), tr("lab.score.axis_expected")
    chart = _line_chart(rows, "q", "expected", axis_q, axis_e, tr("lab.score.chart", p=f"{p:g}"))
    minima = [{"loss": c.loss, "name": loss_name(c.loss), "q": c.minimiser, "expected": c.minimum} for c in curves]
    marks = alt.Chart(alt.Data(values=minima)).mark_point(shape="diamond", size=140, filled=True).encode(
        x="q:Q", y="expected:Q", color=colour_encoding(c.loss for c in curves),
        tooltip=[alt.Tooltip("name:N", title=tr("lab.margin.legend")),
                 alt.Tooltip("q:Q", title=tr("lab.score.minimiser"), format=".3f"),
                 alt.Tooltip("expected:Q", title=axis_e, format=".4f")])
    rule = alt.Chart(alt.Data(values=[{"q": q}])).mark_rule(strokeDash=[4, 4], color="#888").encode(x="q:Q")
    show_chart(alt.layer(chart, marks, rule), losses, "lab.chart.score", tr("lab.score.chart", p=f"{p:g}"))
    at_q = {c.loss: float(expected_loss(c.loss, p, np.array([q]), config.params_of(c.loss))[0]) for c in curves}
    st.dataframe([{tr("lab.score.col.loss"): loss_name(c.loss), tr("lab.score.col.minimiser"): round(c.minimiser, 4),
                   tr("lab.score.col.minimum"): round(c.minimum, 4), tr("lab.score.col.at_q"): round(at_q[c.loss], 4),
                   tr("lab.score.col.honest"): tr("lab.score.honest.yes" if c.honest(p) else "lab.score.honest.no")}
                  for c in curves], hide_index=True)
    if any(LOSSES[key].params for key in losses):
        st.caption(tr("lab.score.params_note"))
    st.markdown(tr("lab.score.verdict"))
    d = brier_decomposition(p, q)
    st.markdown(tr("lab.score.brier", q=f"{q:g}", calibration=f"{d.calibration:.4f}",
                   uncertainty=f"{d.uncertainty:.4f}", expected=f"{d.expected:.4f}"))
    st.caption(tr("lab.score.brier_note"))
    st.caption(tr("lab.score.convention", step=f"{SCORE_STEP:g}"))
