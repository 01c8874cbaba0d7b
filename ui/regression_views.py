"""The Regression page's lessons as the user sees them (numbers from core/lessons/regression_lessons.py): "Why square?"
(a table of error examples, gradient descent of a constant under MSE and MAE) and the inventory lesson's
numbers in words. Each puts one element with an id and data-* attributes on the page for tests."""
from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core.lessons.regression_lessons import (CHATTER_WINDOW, DESCENT_LR, DESCENT_STEPS, DESCENT_TARGETS, DESCENT_THETA0,
                                     EXAMPLES, chatter, descent_paths, error_summaries, inventory_info,
                                     is_inventory_run, lesson_costs)
from ui.common import tr
from ui.charts import show_altair

DESCENT_COLOURS = {"mse": "#1f77b4", "mae": "#d62728"}


def _num(v: float) -> str:
    return f"{v:.4g}"


def _nums(values) -> str:
    return ", ".join(f"{v:+g}".replace("-", "−") for v in values)


def _signed(v: float) -> str:
    return "0" if v == 0 else f"{v:+.3g}".replace("-", "−")


def _pcts(values) -> str:
    return ", ".join(f"{100 * v:.3g}%" for v in values)


def _cell(text: str, mono: bool = False) -> str:
    style = "padding:2px 10px 2px 0" + (";font-family:monospace" if mono else "")
    return f'<td style="{style}">{html.escape(text)}</td>'


def why_square_table() -> tuple[str, list]:
    """(the examples as an HTML table, their ErrorSummaries)."""
    heads = ("example", "errors", "mean", "mse", "mae", "share_mse", "share_mae")
    rows = ["<tr>" + "".join(f'<th style="text-align:left;padding:2px 10px 2px 0">'
                             f'{html.escape(tr(f"why.col.{h}"))}</th>' for h in heads) + "</tr>"]
    summaries = [error_summaries(e.errors) for e in EXAMPLES]
    for example, s in zip(EXAMPLES, summaries):
        rows.append(f'<tr id="why-{example.key}">' + _cell(tr(f"why.example.{example.key}"))
                    + "".join(_cell(v, mono=True) for v in (
                        _nums(s.errors), _num(s.mean_error), _num(s.mse), _num(s.mae), _pcts(s.mse_share),
                        _pcts(s.mae_share))) + "</tr>")
    return f'<table style="border-collapse:collapse">{"".join(rows)}</table>', summaries


def descent_chart(paths: dict, mean: float, median: float):
    """θ against the step for MSE and MAE (translated names), the mean and the median as dashed rules."""
    import altair as alt

    names = {"mse": tr("why.chart.mse", mean=_num(mean)), "mae": tr("why.chart.mae", median=_num(median))}
    rows = [{"step": i, "theta": float(v), "name": names[k]} for k, path in paths.items() for i, v in enumerate(path)]
    legend = tr("why.chart.legend")
    colour = alt.Color("name:N", title=legend, scale=alt.Scale(domain=[names[k] for k in paths],
                                                                range=[DESCENT_COLOURS[k] for k in paths]))
    lines = alt.Chart(alt.Data(values=rows)).mark_line(point=alt.OverlayMarkDef(size=18)).encode(
        x=alt.X("step:Q", title=tr("why.chart.step")), y=alt.Y("theta:Q", title="θ"), color=colour,
        tooltip=[alt.Tooltip("name:N", title=legend), alt.Tooltip("step:Q", title=tr("why.chart.step")),
                 alt.Tooltip("theta:Q", title="θ", format=".4f")])
    marks = [{"theta": mean, "name": names["mse"]}, {"theta": median, "name": names["mae"]}]
    rules = alt.Chart(alt.Data(values=marks)).mark_rule(strokeDash=[4, 4], opacity=0.6).encode(
        y="theta:Q", color=colour)
    title = tr("why.chart.title", targets=", ".join(f"{v:g}" for v in DESCENT_TARGETS), lr=f"{DESCENT_LR:g}")
    return alt.layer(lines, rules).properties(title=title, height=260)


def why_square_panel() -> None:
    """The examples' table, the descent chart and what it shows, in one element with id "why-square"."""
    table, summaries = why_square_table()
    y = np.array(DESCENT_TARGETS)
    mean, median = float(y.mean()), float(np.median(y))
    paths = descent_paths(y, DESCENT_LR, DESCENT_STEPS, theta0=DESCENT_THETA0)
    mae_tail = paths["mae"][-CHATTER_WINDOW:]
    cancel, one_big = summaries[0], summaries[-1]
    attrs = {"mean-error": cancel.mean_error, "mse": cancel.mse, "mae": cancel.mae,
             "one-big-mse-share": one_big.mse_share[-1], "one-big-mae-share": one_big.mae_share[-1],
             "mse-end": float(paths["mse"][-1]), "mae-end": float(paths["mae"][-1]),
             "mae-chatter": chatter(paths["mae"]), "mse-chatter": chatter(paths["mse"]),
             "lr": DESCENT_LR, "steps": DESCENT_STEPS}
    data = " ".join(f'data-{k}="{v:.6g}"' for k, v in attrs.items())
    note = tr("why.table_note", mean=_num(cancel.mean_error), mae=_num(one_big.mae),
              share=f"{100 * one_big.mse_share[-1]:.0f}%")
    st.html(f'<div id="why-square" {data}><p>{html.escape(tr("why.intro"))}</p>{table}'
            f'<p>{html.escape(note)}</p></div>')
    show_altair(st, descent_chart(paths, mean, median), tr("why.intro"), width="stretch", key="reg.why.chart")
    st.markdown(tr("why.explain", mean=_num(mean), median=_num(median), keep=f"{1 - 2 * DESCENT_LR:g}",
                   lo=_num(float(mae_tail.min())), hi=_num(float(mae_tail.max())),
                   chatter=_num(chatter(paths["mae"]))))


def inventory_panel(run) -> None:
    """The inventory lesson's numbers for a constant model on the demand data (element id "inventory"); for
    other runs, how to start it. The costs: the run's own (asymmetric a, b; pinball τ, 1 − τ), else 4 and 1."""
    if not is_inventory_run(run):
        st.caption(tr("inv.how_to", model=tr("rmodel.constant"), dataset=tr("data1d.demand.name"),
                      loss=tr("rloss.asymmetric.name")))
        return
    config = run.config
    a, b, own = lesson_costs(config.loss, config.loss_kwargs)
    info = inventory_info(run, a, b)
    tau = info["tau"]
    lines = [tr("inv.numbers", theta=_num(info["theta"]), tau=f"{tau:.3g}", quantile=_num(info["quantile"]),
                cost_theta=_num(info["cost_theta"]), cost_quantile=_num(info["cost_quantile"]))]
    if config.loss == "asymmetric":
        lines.append(tr("inv.tau_asymmetric", a=f"{a:g}", b=f"{b:g}", tau=f"{tau:.3g}"))
    elif config.loss == "pinball":
        lines.append(tr("inv.tau_pinball", tau=f"{tau:.3g}"))
    else:
        lines.append(tr("inv.not_asymmetric", loss=tr(f"rloss.{config.loss}.name"), a=f"{a:g}", b=f"{b:g}",
                        tau=f"{tau:.3g}"))
    lines.append(tr("inv.slope", above=info["above"], below=info["at_or_below"], n=info["points"],
                    slope=_signed(info["slope_theta"])))
    advice = info["advice"]
    lines.append(tr(f"inv.{advice}", ratio=f"{b / a:.3g}") if advice == "raise" else tr(f"inv.{advice}"))
    attrs = {"theta": f"{info['theta']:.6g}", "quantile": f"{info['quantile']:.6g}", "tau": f"{tau:.6g}",
             "a": f"{a:g}", "b": f"{b:g}", "slope": f"{info['slope_theta']:.6g}", "advice": advice,
             "own-costs": "1" if own else "0"}
    data = " ".join(f'data-{k}="{html.escape(v)}"' for k, v in attrs.items())
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    st.html(f'<div id="inventory" {data}>{body}</div>')
