"""Curves: the live images' HTML (titles, legends, change notes) and interactive Altair charts for
paused runs (too slow to rebuild every live frame)."""
from __future__ import annotations

import html

import altair as alt

from core.pictures.render import EVENT_COLOURS, METRIC_COLOURS, curve_metrics, event_x, history_images, to_hex, wants_log_y
from core.learning.trainer import History
from ui.common import image_tag, tr

MAX_POINTS = 1500  # thin long histories: the chart stays responsive
MAX_NOTES = 8  # change notes under the live curves
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _points(history: History, metric: str):
    """(step, value) of one metric, thinned to about MAX_POINTS; NaN (e.g. no flipped samples) skipped."""
    stride = max(1, len(history) // MAX_POINTS)
    for i in range(0, len(history), stride):
        v = history.values[metric][i]
        if v == v:
            yield history.step[i], v


def _number(i: int) -> str:
    return CIRCLED[i] if i < len(CIRCLED) else f"({i + 1})"


def _setting(kind: str, value: str) -> str:
    """A recorded setting in this run's language (loss and optimizer are stored as keys)."""
    if kind == "loss":
        return tr(f"loss.{value}.name")
    if kind == "rloss":
        return tr(f"rloss.{value}.name")
    if kind == "solved":
        return tr(f"reg.method.{value}")
    if kind == "optimizer":
        return tr(f"opt.{value}")
    return value


def event_notes(history: History) -> list[tuple[str, str]]:
    """(colour, "① learning rate 0.01 → 0.1 (step 120)") per setting change, translated."""
    return [(to_hex(EVENT_COLOURS.get(kind, (90, 90, 90))),
             tr("curves.event", n=_number(i), what=tr(f"curves.event.{kind}"), old=_setting(kind, old),
                new=_setting(kind, new), step=step))
            for i, (step, kind, old, new) in enumerate(getattr(history, "events", ()))]


def legend_html(metrics) -> str:
    """Coloured swatches + translated metric names: the legend PIL cannot draw in Chinese."""
    return " &nbsp;".join(f'<span class="curve-key" data-metric="{m}" style="white-space:nowrap">'
                          f'<span style="display:inline-block;width:16px;height:3px;vertical-align:middle;'
                          f'background:{to_hex(METRIC_COLOURS[m])}"></span> '
                          f'{html.escape(tr(f"metric.{m}"))}</span>' for m in metrics)


def loss_log_y(history: History, metrics, log_y: bool | None) -> bool:
    """log_y, or with None whether the loss has blown up (core.pictures.render.wants_log_y)."""
    return wants_log_y(history.values[m] for m in metrics) if log_y is None else log_y


def curves_html(history: History, with_flipped: bool, *, size=(420, 170), by_epoch: bool = False,
                log_x: bool = False, ids=("loss-live", "acc-live"), side_by_side: bool = False,
                accuracy: bool = True, log_y: bool | None = False) -> str:
    """Both live curve images (accuracy=False: the loss only, e.g. regression) with their titles, legends
    and change notes, as ONE HTML string: the live view updates the curves with one element update per frame.
    log_y: the loss on a log axis; None: when it has blown up (its title then says so)."""
    log_y = loss_log_y(history, curve_metrics(with_flipped)[0], log_y)
    loss_img, acc_img = history_images(history, with_flipped, size=size, by_epoch=by_epoch, log_x=log_x, log_y=log_y)
    x_title = tr("curves.x_epochs" if by_epoch else "curves.x_steps") + (f' · {tr("curves.log_on")}' if log_x else "")
    small = 'style="font-size:0.8em;color:#555;margin:2px 0"'
    blocks = []
    shown = 2 if accuracy else 1
    loss_title = f'{tr("curves.axis_loss")} · {tr("curves.log_y")}' if log_y else tr("curves.axis_loss")
    for img, element_id, y_title, metrics in list(zip((loss_img, acc_img), ids, (loss_title, tr("curves.axis_acc")),
                                                      curve_metrics(with_flipped)))[:shown]:
        blocks.append(f'<div class="curve-block" style="flex:1;min-width:0;margin-bottom:8px">'
                      f'<div class="curve-title" {small}><b>{html.escape(y_title)}</b> · {html.escape(x_title)}</div>'
                      + image_tag(img, element_id)
                      + f'<div class="curve-legend" {small}>{legend_html(metrics)}</div></div>')
    wrap = '<div style="display:flex;gap:16px">' if side_by_side else "<div>"
    # the latest few only: every live frame carries this HTML (numbers still count from the first)
    notes = "".join(f'<div class="curve-event" style="color:{c}">{html.escape(text)}</div>'
                    for c, text in event_notes(history)[-MAX_NOTES:])
    return wrap + "".join(blocks) + "</div>" + (f'<div class="curve-events" {small}>{notes}</div>' if notes else "")


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
    container.altair_chart(history_chart(history, loss_metrics, "curves.axis_loss", log_x=log_x, log_y=None),
                           width="stretch")
    container.altair_chart(history_chart(history, acc_metrics, "curves.axis_acc", log_x=log_x), width="stretch")


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
