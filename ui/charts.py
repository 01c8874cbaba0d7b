"""Curves as interactive Altair charts, for paused runs (too slow to rebuild every live frame; the live
curves' HTML is in ui/live_view.py)."""
from __future__ import annotations


import altair as alt

from core.pictures.render import METRIC_COLOURS, curve_metrics, event_x, to_hex
from core.learning.trainer import History
from ui.common import tr
from ui.live_view import chart_alt, event_notes, loss_log_y

MAX_POINTS = 1500  # thin long histories: the chart stays responsive


def show_altair(container, chart, description: str, **kwargs) -> None:
    """Every Altair chart of the app goes through here: `description` is its text alternative (Vega makes
    it the chart's aria-label; without one a screen reader hears "Vega visualization")."""
    container.altair_chart(chart.properties(description=description), **kwargs)


def _points(history: History, metric: str):
    """(step, value) of one metric, thinned to about MAX_POINTS; NaN (e.g. no flipped samples) skipped."""
    stride = max(1, len(history) // MAX_POINTS)
    for i in range(0, len(history), stride):
        v = history.values[metric][i]
        if v == v:
            yield history.step[i], v


def history_chart(history: History, metrics: tuple[str, ...], title_key: str, log_x: bool = False,
                  log_y: bool | None = False) -> alt.Chart:
    """Hover for values; colours as in the live images; a rule + tooltip where a setting changed.
    log_x: logarithmic step axis; step 0 is left out there. log_y: logarithmic value axis (values <= 0
    and infinite ones left out); None: when a curve has blown up (core.pictures.render.wants_log_y)."""
    log_y = loss_log_y(history, metrics, log_y)
    rows = [{"step": s, "metric": tr(f"metric.{m}"), "value": v} for m in metrics for s, v in _points(history, m)
            if (s > 0 or not log_x) and (not log_y or 0 < v < float("inf"))]
    names = [tr(f"metric.{m}") for m in metrics]
    x_scale = alt.Scale(type="log") if log_x else alt.Undefined
    hover = alt.selection_point(fields=["step"], nearest=True, on="pointerover", empty=False)
    y_title = f'{tr(title_key)} · {tr("curves.log_y")}' if log_y else tr(title_key)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("step:Q", title=tr("metric.step"), scale=x_scale),
        y=alt.Y("value:Q", title=y_title, scale=alt.Scale(type="log") if log_y else alt.Undefined),
        color=alt.Color("metric:N", title=None, legend=alt.Legend(orient="bottom"),
                        scale=alt.Scale(domain=names, range=[to_hex(METRIC_COLOURS[m]) for m in metrics])),
    )
    lines = base.mark_line()
    points = base.mark_point(size=40, filled=True).encode(
        opacity=alt.condition(hover, alt.value(1), alt.value(0)),
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("metric:N"),
                 alt.Tooltip("value:Q", format=".3g" if log_y else ".4f")],
    ).add_params(hover)
    chart = lines + points
    events = [{"step": s, "note": text, "colour": colour}
              for s, (colour, text) in zip(event_x(history, False), event_notes(history)) if s > 0 or not log_x]
    if events:
        rules = alt.Chart(alt.Data(values=events)).mark_rule(strokeDash=[4, 3], strokeWidth=1.5).encode(
            x=alt.X("step:Q", scale=x_scale), color=alt.Color("colour:N", scale=None, legend=None),
            tooltip=[alt.Tooltip("note:N", title=tr("curves.event_title"))])
        chart = chart + rules
    return chart.properties(height=220)


def interactive_curves(container, history: History, with_flipped: bool, log_x: bool = False) -> None:
    """Paused: the loss and accuracy curves as Altair charts (hover for values), full width."""
    loss_metrics, acc_metrics = curve_metrics(with_flipped)
    for metrics, title, log_y in ((loss_metrics, "curves.axis_loss", None), (acc_metrics, "curves.axis_acc", False)):
        description = chart_alt(tr(title), tr("metric.step"), {tr(f"metric.{m}"): history.last(m) for m in metrics})
        show_altair(container, history_chart(history, metrics, title, log_x=log_x, log_y=log_y), description,
                    width="stretch")


def overlay_chart(histories: list[tuple[str, History]], metric: str, colours: list[str]) -> alt.Chart:
    """One metric of several runs in one chart, one colour per run (x = optimizer step)."""
    rows = [{"step": s, "run": name, "value": v} for name, h in histories for s, v in _points(h, metric)]
    names = [n for n, _ in histories]
    return alt.Chart(alt.Data(values=rows)).mark_line().encode(
        x=alt.X("step:Q", title=tr("metric.step")),
        y=alt.Y("value:Q", title=tr(f"metric.{metric}")),
        color=alt.Color("run:N", scale=alt.Scale(domain=names, range=colours[:len(names)]),
                        legend=alt.Legend(orient="bottom", title=None)),
        tooltip=["run:N", "step:Q", alt.Tooltip("value:Q", format=".4f")],
    ).properties(height=300)
