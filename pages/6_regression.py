"""Regression, live: widgets -> RegressionConfig -> core run -> canvas frames."""
from __future__ import annotations

import html

import streamlit as st

from core.runs.config import STEPS_PER_SECOND
from core.serving.pace import drawing
from core.data.data1d import parse_xy_csv
from core.i18n import data_number, fmt_loss
from core.runs.regression_config import QUANTILE_BAND, RegressionConfig
from core.lessons.presets import preset
from core.pictures.regression_frames import AXIS_TITLES, fit_frame, legend_keys, residual_frame, residual_note
from core.lessons.regression_lessons import inventory_frame, is_inventory_run, lesson_costs, zero_lesson_numbers
from core.learning.regression_losses import REGRESSION_LOSSES, asymmetric_tau
from core.learning.regression_models import REGRESSION_MODELS
from core.runs.regression_run import Upload1D, band_coverage, build_regression_run, solve_least_squares
from core.runs import advance
from ui import live_view
from ui.live_view import curves_html
from ui.common import lang, lazy_expander, lazy_section, loss_heading, show_divergence, tr
from ui.live_page import LivePage
from ui.regression_views import inventory_panel, why_square_panel
from ui.widgets_regression import config_from_widgets
from ui.canvas_edits import edit_widgets, edits_below, on_click, unused_edits_note

FPS = 25

page = LivePage("regression")
upload = page.upload(parse_xy_csv, Upload1D)
config = config_from_widgets()
page.settings(config)
run = page.update(config, build_regression_run, upload, cannot_build="reg.cannot_build")
edit_widgets(st.sidebar, page.state, page.info.widget_prefix, None)  # a click on the fit adds a point
playing = page.playing
step_clicked, _ = page.controls()  # 0, 1 or 10 steps
unused_edits_note(run)
click_edit = on_click(page.state, page.info.widget_prefix, "reg.live", regression=True)
diverged_box = st.empty()

left, right = st.columns([1.1, 1])
with left:
    live_box = st.container()  # the live picture: a fragment; a click on it while playing reruns nothing (page.live)
    st.html(f'<div style="font-size:0.85em">{html.escape("  ".join(tr(k) for k in legend_keys(run)))}</div>')
with right:
    curves_slot = st.empty()
    loss = REGRESSION_LOSSES[config.loss]
    loss_heading(tr(f"rloss.{config.loss}.name"), tr(f"rloss.{config.loss}.desc"), loss.formula, loss.gradient,
                 wrt=r"\hat y")
    if config.loss == "asymmetric":
        a, b = config.loss_kwargs["a"], config.loss_kwargs["b"]
        st.caption(tr("reg.asymmetric_tau", a=f"{a:g}", b=f"{b:g}", tau=f"{asymmetric_tau(a, b):.3f}"))
    if config.leak:
        st.warning(tr("reg.leak_on"), icon=":material/warning:")


def show_diverged(box) -> None:
    """A run whose very first evaluation overflowed has no step to go back to: no learning rate
    fixes the loss of its initial weights, the model (its degree) or the data must change."""
    t = run.trainer
    if t.diverged is None or len(t.history):
        show_divergence(box, t)
    elif config.model == "polynomial":
        box.error(tr("reg.diverged_start_degree", degree=config.degree), icon=":material/error:")
    else:
        box.error(tr("reg.diverged_start"), icon=":material/error:")


def show_frame(live_slot, curves: bool = True, live: bool = False) -> None:
    """One element update: the status line, the fit and the residuals (canvas data); curves in a second one."""
    t = run.trainer
    h = t.history
    with drawing(run.timings):  # the next frame's budget leaves room for it
        if curves:
            curves_slot.html(curves_html(h, False, accuracy=False))
        x_key, y_key = AXIS_TITLES.get(run.data.key, (None, None))
        x_title, y_title = tr(x_key) if x_key else "x", tr(y_key) if y_key else "y"
        fit = fit_frame(run, x_title=x_title, y_title=y_title)
        residuals = residual_frame(run, x_title=x_title, y_title=tr("reg.residual_axis"))
    # the model's own step (after a divergence: the restored one); None: no finite loss yet (diverged at step 0)
    train, test = h.at("train_loss", t.steps), h.at("test_loss", t.steps)
    text = tr("reg.status", step=t.steps, epoch=f"{t.epoch:.1f}", train=fmt_loss(train), test=fmt_loss(test),
              lr=f"{t.lr:g}") \
        if train is not None else tr("reg.status_no_loss", step=t.steps, epoch=f"{t.epoch:.1f}", lr=f"{t.lr:g}")
    ms = run.timings
    status = live_view.status_html("reg-counter", text, "margin-bottom:6px", "live-status", step=t.steps,
                                     train_loss=data_number(train), test_loss=data_number(test),
                                     train_ms=f'{ms["train_ms"]:.2f}', draw_ms=f'{ms["draw_ms"]:.2f}',
                                     frame_ms=f'{ms["frame_ms"]:.2f}', playing=int(live), n_train=t.data.n_train)
    coverage = band_coverage(run)
    if coverage is not None:
        status += live_view.status_html("band-coverage", tr(
            "reg.coverage", lo=QUANTILE_BAND[0], hi=QUANTILE_BAND[-1], share=f"{coverage:.0%}",
            nominal=f"{QUANTILE_BAND[-1] - QUANTILE_BAND[0]:.0%}"), "font-size:0.85em", coverage=f"{coverage:.6f}")
    # what the chart shows now, sentence by sentence (Chinese puts no space between sentences)
    note = ("" if lang() == "zh" else " ").join(tr(key, **fields) for key, fields in residual_note(run))
    panels = [live_view.panel("reg-fit", fit, fit=10, clicks=True,
                              label=tr("a11y.fit", step=f"{t.steps:,}", test=fmt_loss(test))),
              live_view.panel("reg-residuals", residuals, label=tr("a11y.residuals", note=note),
                                after=f'<div id="residual-note" style="font-size:0.8em">{html.escape(note)}</div>')]
    if is_inventory_run(run):  # the constant order θ on the demand: its cost L(θ), live
        a, b, _ = lesson_costs(config.loss, config.loss_kwargs)
        panels.append(live_view.panel("reg-inventory", inventory_frame(run, a, b, x_title=tr("inv.chart_x"),
                                                                          y_title=tr("inv.chart_y")),
                                        label=f'{tr("inv.chart_y")}: {tr("inv.legend")}',
                                        after=f'<div style="font-size:0.8em">{html.escape(tr("inv.legend"))}</div>'))
    live_view.show(live_slot, panels, key="reg.live", before=status, on_click=click_edit)


with page.turn.lock:
    if step_clicked and not playing:
        advance(run, step_clicked)
page.live(live_box, show_frame, dict(
    fps=FPS, steps_per_second=STEPS_PER_SECOND[config.speed],
    train=lambda steps, seconds, share: advance(run, steps, seconds=seconds, min_train_share=share),
    stop=lambda: run.trainer.diverged is not None, on_stop=lambda: show_diverged(diverged_box)),
    build_regression_run, upload, below=edits_below(page.state, page.info.widget_prefix, regression=True),
    clicks=click_edit)
show_diverged(diverged_box)

if not playing:
    solvable = REGRESSION_MODELS[config.model].linear_in_params
    zero_box = lazy_expander(tr("reg.zero_section"), "reg.open_zero", expanded=config.degree >= 12 and
                             config.model == "polynomial")
    if zero_box.open:
        with zero_box:
            lesson = zero_lesson_numbers(RegressionConfig.from_query(preset("reg_zero").params)[0])
            st.markdown(tr("reg.zero_overfit", **lesson))
            st.markdown(tr("reg.zero_leak"))
            st.caption(tr("reg.zero_try", lesson=tr("preset.reg_zero.title"), **lesson))
            if solvable and st.button(tr("reg.solve"), key="reg.solve", help=tr("reg.solve_help")):
                solve_least_squares(run)
                st.session_state["reg.solved"] = run.trainer.steps
                st.rerun()
    if st.session_state.get("reg.solved") == run.trainer.steps and run.trainer.history.events and \
            run.trainer.history.events[-1][1] == "solved" and run.trainer.history.last("train_loss") is not None:
        h = run.trainer.history
        st.success(tr("reg.solved", train=h.last("train_loss"), test=h.last("test_loss")))
    lazy_section(tr("inv.title"), "reg.open_inventory", inventory_panel, run)
    lazy_section(tr("why.title"), "reg.open_why", why_square_panel)
    page.run_files(run.trainer)
