"""What-if comparison: 2-4 runs in lockstep on identical data, label noise (or outliers) and initial weights.
Regression runs share one plot: their fits overlaid on the same points (core/pictures/compare_frames.py)."""
from __future__ import annotations

import html

import streamlit as st

from core.lessons.analysis import reliability, weight_norm
from core.runs.compare import COMPARE_CURVES, REGRESSION_CURVES, YARDSTICKS, advance_regression, build_regression_runs
from core.pictures.compare_frames import overlay_frame
from core.runs.config import STEPS_PER_SECOND
from core.app.labels import compare_title, label_text, regression_yardstick, run_labels, yardstick
from core.i18n import data_number, fmt, fmt_loss
from core.learning.losses import probabilities
from core.data.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS, DataUnavailable
from core.serving.pace import FRAME_CLOCK, too_slow
from core.lessons.presets import CURVE_FIRST
from core.runs.mnist_run import build_mnist_run, evaluate_if_behind, train_for, train_lockstep
from core.pictures.frame_data import run_frame
from core.runs.playground import build_run, load_dataset
from core.runs.regression_run import predict
from core.pictures.render import RUN_COLOURS, PlotBox, curves_image, to_hex
from core.runs import advance_lockstep, update
from ui import data_presence, live_view
from ui.common import key_labels, error_text, lang, lazy_expander, translated_choice, tr
from ui.charts import show_altair
from ui.live_view import chart_alt, live_image
from ui.live_page import LivePage
from ui.mnist_page_data import data_folder_note, load_for_page
from ui.mnist_views import calibration_chart
from ui.widgets_compare import compare_config_from_widgets
from ui.lesson import open_lesson_key

FPS = 12

page = LivePage("compare")
spec = page.settings(compare_config_from_widgets())
configs = spec.configs()
label_parts = run_labels(spec)  # what differs between the runs, as data: translated just below
labels = [label_text(parts, lang()) for parts in label_parts]
regression = spec.kind == "regression"

full = None
if spec.kind == "mnist":
    try:
        full = load_for_page(configs[0].dataset)
    except DataUnavailable as err:
        st.error(error_text(err), icon=":material/folder_open:")
        key, folder = data_folder_note(configs[0].dataset)  # where the files go, without server paths
        st.caption(tr("cmp.mnist_data_hint") + " " + tr(key, folder=folder))
        other = next(n for n in IMAGE_DATASETS if n != configs[0].dataset)
        if err.code == "err.mnist.missing" and data_presence.image_data_present(other):
            def use_other() -> None:  # a callback: the sidebar's data set widget shows the switch
                st.session_state["cmp.mnist.dataset"] = other
            st.button(tr("mn.use_present", name=DISPLAY_NAMES[other]), key="cmp.use_present", type="primary",
                      on_click=use_other)
        st.stop()


def rebuild(old: dict | None) -> tuple[dict, list[str]]:
    """The runs on identical data: one shared data set (2D, Regression) or subset (MNIST); each run
    updated in place where it can be (core/runs.update)."""
    if old is None or old["kind"] != spec.kind or len(old["runs"]) != len(configs):
        old = {"kind": spec.kind, "runs": [None] * len(configs)}
    if regression:  # one Regression1D for all: the same points and outliers
        runs, changes = build_regression_runs(old["runs"], configs)
        return {"kind": spec.kind, "runs": runs}, changes
    shared = {}  # 2D: the one data set the runs built now share, loaded once

    def build_2d(config, source=None, old=None):
        if old is None and "data" not in shared:
            shared["data"] = load_dataset(config)
        return build_run(config, old=old, dataset=None if old else shared["data"])

    build, source = (build_mnist_run, full) if spec.kind == "mnist" else (build_2d, None)
    runs, changes = zip(*(update(run, config, build, source) for run, config in zip(old["runs"], configs)))
    return {"kind": spec.kind, "runs": list(runs)}, list(changes)


had_runs = st.session_state.get("cmp.run") is not None
state, changes = page.update_with(rebuild, cannot_build="reg.cannot_build")
runs = state["runs"]
for run, config, parts in zip(runs, configs, label_parts):  # each compared run joins the history once trained
    page.track(run.trainer, config, "same", title=compare_title(parts))
if had_runs and any(c in ("new", "data", "model") for c in changes):
    page.note("cmp.restarted")

playing = page.playing
step_clicked, _ = page.controls(3)  # 0, 1 or 10 steps

status = st.empty()
# The lesson's picture right under the controls: its curve first when that is what it asks to watch.
curve_part, runs_part = st.container(), st.container()
if open_lesson_key() not in CURVE_FIRST:
    curve_part, runs_part = runs_part, curve_part
with curve_part:
    metric_choice = translated_choice(st.radio, tr("cmp.metric"), REGRESSION_CURVES if regression else COMPARE_CURVES,
                                      "cmp.metric", horizontal=True, format_func=key_labels("cmp.curve.{}"),
                                      label_visibility="collapsed")  # the chart's title names the curve
    curve_slot = st.empty()
    st.caption(tr("cmp.curve_legend") + " " + tr("cmpr.yardstick_note" if regression else "lbl.yardstick_note"))
slots = []
with runs_part:
    if regression:  # one plot for all runs; the status lines above it, the legend under it, in one element
        overlay_slot = st.empty()
    else:
        cols = st.columns(len(runs))
        for i, (col, label) in enumerate(zip(cols, labels)):
            colour = to_hex(RUN_COLOURS[i])
            # the colour on the swatch only: orange or green text on white is below 4.5:1
            col.html(f'<div style="font-weight:600"><span style="color:{colour}">■</span> {label}</div>')
            slots.append((col.empty(), col.empty()))
frame = PlotBox(width=320, height=320, left=34, bottom=22)


def measure(i: int, run) -> dict:
    """The common yardstick of run i, computed once per evaluation (MNIST test logits are costly),
    with its test-set reliability (ECE) and weight size ‖w‖; ‖w‖ is recorded for its curve."""
    t = run.trainer
    # MNIST: the last evaluation's (a fixed test subset for big models), not a pass over the test set per frame
    key = (id(t), len(t.history)) if spec.kind == "mnist" else (id(t), t.steps, len(t.history))
    cache = st.session_state.setdefault("cmp.yardstick", {})
    if i not in cache or cache[i][0] != key:
        if spec.kind == "2d":
            logits, y = t.current_logits()[1], t.data.y_test
        else:  # the last evaluation's test rows (a fixed subset for big models): no extra pass over the test set
            last = t.history.step[-1] if t.history.step else None
            logits, y = t.evaluator.test_logits_at(last) or (t.logits_batched(t.data.X_test), t.data.y_test)
        ys = yardstick(logits, y)
        ys["rel"] = reliability(probabilities(logits.detach().float()), y.long())
        ys["wnorm"] = weight_norm(t.model)
        cache[i] = (key, ys)
        record_point(i, t, wnorm=ys["wnorm"], yardstick=ys["ce"])
    return cache[i][1]


def record_point(i: int, t, **values: float) -> None:
    """Run i's measures at its current step, for the curves the page draws from them (the yardstick that
    measures every run alike, ‖w‖), once per step; a rebuilt run starts new curves."""
    record = st.session_state.setdefault("cmp.curves", {})
    if i not in record or record[i]["id"] != id(t):
        record[i] = {"id": id(t), "step": [], "epoch": [], **{name: [] for name in values}}
    kept = record[i]
    if not kept["step"] or kept["step"][-1] < t.steps:
        kept["step"].append(t.steps)
        kept["epoch"].append(t.epoch)
        for name, value in values.items():
            kept[name].append(value)


def show_curves() -> None:
    """The chosen metric of every run over the steps: a cheap picture, redrawn less often than the frame."""
    if metric_choice in YARDSTICKS.values():  # recorded by the page as it measures each run alike
        record = st.session_state.get("cmp.curves", {})
        kept = [record.get(i, {"step": [], "epoch": [], "yardstick": []}) for i in range(len(runs))]
        n = min(len(r["step"]) for r in kept)  # runs step in lockstep: the same steps (a diverged run stops early)
        x = kept[0]["step" if spec.kind != "mnist" else "epoch"][:n]
        series = {label: r["yardstick"][:n] for label, r in zip(labels, kept)}
    else:
        x = runs[0].trainer.history.step if spec.kind != "mnist" else runs[0].trainer.history.epoch
        series = {label: run.trainer.history.values[metric_choice] for label, run in zip(labels, runs)}
    styles = {label: (RUN_COLOURS[i], False) for i, label in enumerate(labels)}
    y_range = (0.0, 1.0) if "acc" in metric_choice else None
    # under a lesson's banner the curve it asks to watch must end above a 1280×720 screen's edge
    img = curves_image(x, series, width=760, height=200 if open_lesson_key() else 240, y_range=y_range, styles=styles)
    x_title = tr("curves.x_steps" if spec.kind != "mnist" else "curves.x_epochs")
    alt = chart_alt(tr("cmp.curve." + metric_choice), x_title, {label: values[-1] if values else None
                                                                for label, values in series.items()})
    live_image(curve_slot, img, "compare-curves", alt,  # titles in HTML: PIL draws no Chinese
               before=f'<div style="font-size:0.8em;color:#555"><b>{html.escape(tr("cmp.curve." + metric_choice))}</b>'
                      f' · {html.escape(x_title)}</div>')


def measure_regression(run, i: int | None = None) -> dict:
    """The regression yardstick: test MAE and RMSE of the run's predictions on the clean test points
    (i: run i's MAE joins its yardstick curve)."""
    d = run.data
    ys = regression_yardstick(predict(run, d.x_test.numpy().reshape(-1)), d.y_test)
    if i is not None:
        record_point(i, run.trainer, yardstick=ys["mae"])
    return ys


def show_overlay() -> None:
    """Every regression run's status line, then ONE plot with all the fits, then its legend: one element update."""
    t0 = FRAME_CLOCK()
    colours = [to_hex(RUN_COLOURS[i]) for i in range(len(runs))]
    lines = []

    for i, (run, label, colour) in enumerate(zip(runs, labels, colours), start=1):
        t, ys = run.trainer, measure_regression(run, i - 1)
        h = t.history
        text = tr("cmpr.status", step=t.steps, train=fmt_loss(h.at("train_loss", t.steps)),
                  test=fmt_loss(h.at("test_loss", t.steps)),
                  mae=fmt(ys["mae"], ".4f"), rmse=fmt(ys["rmse"], ".4f"))
        lines.append(f'<div class="cmpr-status" id="compare-status-{i}" data-step="{t.steps}" '
                     f'data-train-loss="{data_number(h.at("train_loss", t.steps))}" '
                     f'data-test-loss="{data_number(h.at("test_loss", t.steps))}" '
                     f'data-mae="{ys["mae"]:.9g}"><b><span style="color:{colour}">■</span> {html.escape(label)}</b>: '
                     f'{html.escape(text)}</div>')
    legend = ('<div class="cmpr-legend" style="font-size:0.85em">' + html.escape(tr("cmpr.legend")) + " "
              + " ".join(f'<span class="cmpr-legend-run" style="font-weight:600;white-space:nowrap">'
                         f'<span style="color:{c}">—</span> {html.escape(label)}</span>'
                         for c, label in zip(colours, labels)) + "</div>")
    frame = overlay_frame(runs, colours, x_title="x", y_title="y")
    runs[0].timings["boundary_ms"] = (FRAME_CLOCK() - t0) * 1000  # the next frame's budget leaves room for it
    fits = tr("a11y.fits", step=f"{runs[0].trainer.steps:,}", runs="; ".join(labels))
    live_view.show(overlay_slot, [live_view.panel("compare-overlay", frame, after=legend, label=fits)],
                     key="cmp.live.overlay", before='<div style="margin-bottom:6px">' + "".join(lines) + "</div>")


def show(curves: bool = True) -> None:
    """The runs' boundaries and numbers, the status line, and (curves=True) the curves picture."""
    if regression:
        show_overlay()
    for i, (run, (image_slot, number_slot)) in enumerate(zip(runs, slots)):
        h = run.trainer.history
        ys = measure(i, run)
        # ‖w‖ and ECE ride in the image's element (2D): no extra element update per frame
        sizes = (f'<span id="compare-wnorm-{i + 1}" data-wnorm="{ys["wnorm"]:.9g}" data-step="{run.trainer.steps}"'
                 f' data-test-ce="{data_number(ys["ce"])}" data-test-acc="{data_number(ys["acc"])}"'
                 ' style="font-size:0.85em">'
                 + html.escape(tr("cmp.wnorm", norm=fmt(ys["wnorm"], ".3f"), ece=fmt(ys["rel"].ece, ".3f"))) + "</span>")
        if spec.kind == "2d":
            boundary = run_frame(run, resolution=50, frame=frame)  # data: the browser draws the canvas
            # fit: room under it for its ‖w‖ line and numbers, which lessons ask to read
            label = tr("a11y.run_boundary", run=labels[i], step=f"{run.trainer.steps:,}", acc=fmt(ys["acc"], ".0%"))
            live_view.show(image_slot, [live_view.panel(f"compare-boundary-{i + 1}", boundary, label=label,
                                                            fit=90, after=f'<div class="live-caption">{sizes}</div>')],
                             key=f"cmp.live.{i + 1}")
        else:
            image_slot.html(sizes)
        number_slot.markdown(tr("lbl.numbers", loss=tr(f"lbl.loss.{configs[i].loss}"), own=fmt(h.last("train_loss"), ".3f"),
                                ce=fmt(ys["ce"], ".3f"), acc=fmt(ys["acc"], ".1%"), mem=fmt(h.last("train_acc_flipped"), ".1%")))
    if curves:
        show_curves()
    steps = runs[0].trainer.steps
    status.markdown(f'<span id="compare-counter" data-step="{steps}">'
                    + tr("cmp.status", step=steps, epoch=f"{runs[0].trainer.epoch:.2f}") + "</span>"
                    + (" · " + tr("budget.too_slow", done=runs[0].timings["steps"], wanted=runs[0].timings["wanted"])
                       if spec.kind != "mnist" and too_slow(runs[0].timings) else ""),
                    unsafe_allow_html=True)


def lockstep_frame(steps: int, seconds: float, train_share: float) -> None:
    """Every run advances by the same number of optimizer steps, owed by the clock, within one time budget
    for all (MNIST: or a part of the evaluations when due)."""
    if spec.kind != "mnist":
        (advance_regression if regression else advance_lockstep)(runs, steps, seconds=seconds,
                                                                 min_train_share=train_share)
    else:
        train_lockstep(runs, seconds, max_steps=steps)


with page.turn.lock:
    if step_clicked and not playing:
        # exactly that many optimizer steps for every run, then an evaluation (no frame time budget)
        if regression:
            advance_regression(runs, step_clicked, seconds=None)
        elif spec.kind == "2d":
            advance_lockstep(runs, step_clicked, seconds=None)
        else:
            for run in runs:
                train_for(run, None, max_steps=step_clicked)
    elif not playing and spec.kind == "mnist":  # paused after playing: numbers of the weights as they are
        for run in runs:
            evaluate_if_behind(run)
    show()
for run, label in zip(runs, labels):
    d = run.trainer.diverged
    if d is not None:
        st.error(tr("cmp.diverged_restored", run=label, step=d.step, lr=f"{d.lr:g}", restored=d.restored_step),
                 icon=":material/error:")

if playing:  # until every run has diverged: nothing left to train
    page.play(FPS, STEPS_PER_SECOND[configs[0].speed], lockstep_frame, lambda curves: show(curves=curves),
              stop=lambda: all(r.trainer.diverged is not None for r in runs))
elif regression:
    rows = []
    for label, run, config in zip(labels, runs, configs):
        h, ys = run.trainer.history, measure_regression(run)
        rows.append({tr("cmp.col.run"): label, tr("cmp.col.steps"): run.trainer.steps,
                     tr("lbl.col.loss"): tr(f"rloss.{config.loss}.name"),
                     tr("lbl.col.own_loss"): fmt(h.last("train_loss"), ".4f"),
                     tr("cmpr.col.test_loss"): fmt(h.last("test_loss"), ".4f"),
                     tr("cmpr.col.mae"): fmt(ys["mae"], ".4f"), tr("cmpr.col.rmse"): fmt(ys["rmse"], ".4f")})
    st.subheader(tr("cmp.table"))
    st.dataframe(rows, hide_index=True)
else:
    rows = []
    for i, (label, run, config) in enumerate(zip(labels, runs, configs)):
        h, ys = run.trainer.history, measure(i, run)
        # text cells: "—" where a metric does not apply (no flipped points), never an empty "nan"
        rows.append({tr("cmp.col.run"): label, tr("cmp.col.steps"): run.trainer.steps,
                     tr("lbl.col.loss"): tr(f"lbl.loss.{config.loss}"),
                     tr("lbl.col.own_loss"): fmt(h.last("train_loss"), ".4f"),
                     tr("lbl.col.test_ce"): fmt(ys["ce"], ".4f"), tr("metric.test_acc"): fmt(ys["acc"], ".2%"),
                     tr("cmp.col.wnorm"): fmt(ys["wnorm"], ".3f"), tr("cmp.col.ece"): fmt(ys["rel"].ece, ".3f"),
                     **{tr(f"metric.{m}"): fmt(h.last(m), ".2%") for m in ("train_acc", "train_acc_clean", "train_acc_flipped")}})
    st.subheader(tr("cmp.table"))
    st.dataframe(rows, hide_index=True)
    record = st.session_state.get("cmp.curves", {})
    if all(i in record for i in range(len(runs))):
        series = {label: record[i]["wnorm"] for i, label in enumerate(labels)}
        steps_of = {label: record[i]["step"] for i, label in enumerate(labels)}  # runs record in lockstep
        img = curves_image(steps_of[labels[0]], series, width=760, height=160, integer_x=True,
                           styles={label: (RUN_COLOURS[i], False) for i, label in enumerate(labels)})
        alt = chart_alt(tr("cmp.wnorm_curve"), tr("curves.x_steps"),
                        {label: values[-1] if values else None for label, values in series.items()})
        live_image(st.empty(), img, "compare-wnorm-curve", alt,
                   before=f'<div style="font-size:0.8em;color:#555"><b>{html.escape(tr("cmp.wnorm_curve"))}</b>'
                          f' · {html.escape(tr("curves.x_steps"))}</div>')
    lesson = st.session_state.get("lesson") or {}
    # Lazy: the charts are built only while the expander is open (each costs the server noticeably). The
    # calibration lesson opens it; its own key, so an earlier "closed" does not carry into the lesson.
    calibration_lesson = lesson.get("key") == "smoothing_calibration"
    box = lazy_expander(tr("cmp.calibration"), "cmp.open_calibration" + (".lesson" if calibration_lesson else ""),
                        expanded=calibration_lesson)
    if box.open:
        with box:
            st.caption(tr("cmp.calibration_note"))
            for i, (col, label) in enumerate(zip(st.columns(len(runs)), labels)):
                rel = measure(i, runs[i])["rel"]
                # ● not ■: the ■ headings are the runs' own, above their boundaries
                col.html(f'<div style="font-weight:600"><span style="color:{to_hex(RUN_COLOURS[i])}">●</span> '
                         f'{html.escape(label)}</div>')
                col.markdown(tr("cmp.ece", ece=fmt(rel.ece, ".3f")))
                show_altair(col, calibration_chart(rel).properties(width="container", height=240),
                            f'{tr("mn.ece")} {rel.ece:.4f}', width="stretch")
