"""Interactive Altair charts for paused runs (too slow to rebuild every live frame)."""
from __future__ import annotations

import altair as alt

from core.trainer import History
from ui.common import tr

MAX_POINTS = 1500  # thin long histories: the chart stays responsive


def _points(history: History, metric: str):
    """(step, value) of one metric, thinned to about MAX_POINTS; NaN (e.g. no flipped samples) skipped."""
    stride = max(1, len(history) // MAX_POINTS)
    for i in range(0, len(history), stride):
        v = history.values[metric][i]
        if v == v:
            yield history.step[i], v


def history_chart(history: History, metrics: tuple[str, ...], title_key: str) -> alt.Chart:
    rows = [{"step": s, "metric": tr(f"metric.{m}"), "value": v} for m in metrics for s, v in _points(history, m)]
    hover = alt.selection_point(fields=["step"], nearest=True, on="pointerover", empty=False)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("step:Q", title=tr("metric.step")),
        y=alt.Y("value:Q", title=tr(title_key)),
        color=alt.Color("metric:N", title=None, legend=alt.Legend(orient="bottom")),
    )
    lines = base.mark_line()
    points = base.mark_point(size=40, filled=True).encode(
        opacity=alt.condition(hover, alt.value(1), alt.value(0)),
        tooltip=[alt.Tooltip("step:Q"), alt.Tooltip("metric:N"), alt.Tooltip("value:Q", format=".4f")],
    ).add_params(hover)
    return (lines + points).properties(height=220)


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
