"""The live 2D playground: widgets -> Playground2DConfig -> core run -> frames."""
from __future__ import annotations


import streamlit as st

from core.serving.pace import busy, drawing, too_slow
from core.runs.config import STEPS_PER_SECOND
from core.data.data2d import parse_points_csv
from core.learning.losses import LOSSES
from core.runs.playground import Upload, build_run, draw_boundary
from core.runs import advance
from core.pictures.frame_data import BUSY_RESOLUTION, RESOLUTION, TITLED, axis_titles, run_frame
from core.pictures.render import hex_colour
from ui.charts import interactive_curves
from ui.live_view import curves_html
from core.i18n import data_number, fmt, fmt_loss
from ui import live_view
from ui.common import lazy_section, loss_heading, show_divergence, tr, lang
from ui.live_page import LivePage
from ui.widgets2d import config_from_widgets
from ui.inside_views import (boundary_equation_html, forward_pass_panel, hidden_space_panel,
                             explain_toggle, explained_step_html, implicit_bias_panel, parameter_space_panel,
                             side_panel, side_view_choice, side_view_from_url, step_explained, explained_now,
                             toggles_from_url, view_params, view_toggles)
from core.learning.models import Standardize, plain_inputs
from ui.unit_views import unit_maps_panel
from ui.canvas_edits import edit_widgets, edits_below, on_click, unused_edits_note

FPS = 25  # frames/s target; the loop sleeps to keep this pace (see bench/bench_live.py)
REGIONS_EVERY_S = 0.25  # while playing, the linear regions are redrawn at most 4 times a second

page = LivePage("2d", view_warnings=lambda: side_view_from_url() + toggles_from_url())
upload = page.upload(parse_points_csv, Upload)
config = config_from_widgets(upload)
linked_view = view_params()
page.settings(config, view=linked_view)
run = page.update(config, build_run, upload)  # a multiclass-only loss on 2-class data: said, and stopped
edit_widgets(st.sidebar, page.state, page.info.widget_prefix, run.data.n_classes)  # what a click on the boundary does
step_clicked, _ = page.controls()  # 0, 1 or 10 steps
unused_edits_note(run)
click_edit = on_click(page.state, page.info.widget_prefix, "p2d.live")  # a click on the boundary edits the data
diverged_box = st.empty()

left, right = st.columns([1.1, 1])
with left:
    live_box = st.container()  # the live picture: a fragment; a click on it while playing reruns nothing (page.live)
    k = run.data.n_classes
    swatches = " ".join(f'<span style="color:{hex_colour(c)}">●</span> {c}' for c in range(k))
    st.html(f'<div style="font-size:0.85em">{swatches} &nbsp; {tr("p2d.legend")}</div>')
    unit_lines, regions, pull = view_toggles(config)
    side = side_view_choice(run.trainer.model)  # a second live view, drawn under the boundary
    if side != linked_view["side"]:  # a view this model lacks fell back: the link says so
        page.write_link(config, view_params())
    explain = explain_toggle(run.trainer.model)  # Step shows its batch, gradient and update
with right:  # curves first: at 1280×720 both fit beside the boundary, the formula below them
    curves_slot = st.empty()
    log_x = st.checkbox(tr("curves.log_x"), key="p2d.curves_log", help=tr("curves.log_x_help"))
    loss, binary = LOSSES[config.loss], k == 2
    loss_heading(tr(f"loss.{config.loss}.name"), tr(f"loss.{config.loss}.desc"),
                 loss.binary_formula if binary else loss.formula, None if binary else loss.gradient)
    if binary:  # the margin form needs its m defined, and cross-entropy its familiar probability form
        st.caption(tr("p2d.margin_def") + (" " + tr("p2d.ce_prob_form") if config.loss == "cross_entropy" else ""))
    if config.weight_decay > 0:
        st.caption(tr(f"p2d.wd_{run.trainer.optimization.wd_mode}", wd=config.weight_decay))


def show_frame(boundary_slot, curves: bool = True, live: bool = False) -> None:
    """One element update (status line + boundary), the curves in a second: the browser's renders cost most."""
    with drawing(run.timings):  # the next frame's budget leaves room for it
        boundary = run_frame(run, resolution=BUSY_RESOLUTION if busy() else RESOLUTION,  # data: the browser draws it
                             unit_lines=unit_lines, pull=pull, regions=regions,
                             regions_every=REGIONS_EVERY_S if live else 0.0,
                             old_line=explained.line_old if explained is not None and not live else None,
                             frame=TITLED, titles=axis_titles(config.dataset, lang()))
        if curves:  # one element update: images + translated titles, legends and change notes
            curves_slot.html(curves_html(run.trainer.history, bool(run.trainer.data.flipped.any()), log_x=log_x,
                                         log_y=None))  # a blown-up loss on a log axis: its climb, not one spike
        side_part = side_panel(run, side, live) if side != "none" else None  # (throttled while playing)
    t, h, ms = run.trainer, run.trainer.history, run.timings
    status = live_view.status_html(
        "epoch-counter", tr("p2d.status", step=t.steps, epoch=f"{t.epoch:.1f}", train=fmt_loss(h.at("train_loss", t.steps)),
                            test=fmt_loss(h.at("test_loss", t.steps)), acc=h.at("test_acc", t.steps), lr=f"{t.lr:g}"),
        "margin-bottom:6px", "live-status", step=t.steps, train_ms=f'{ms["train_ms"]:.2f}', draw_ms=f'{ms["draw_ms"]:.2f}',
        frame_ms=f'{ms["frame_ms"]:.2f}', test_loss=data_number(h.at("test_loss", t.steps)),
        test_acc=data_number(h.at("test_acc", t.steps)), n_train=t.data.n_train,
        edited=0 if t.data.edited is None else int(t.data.edited.sum()))
    if boundary["line"] is not None or not plain_inputs(run.trainer.model):
        # binary logistic regression: its boundary as an equation, live (with feature inputs w·φ(x) + b = 0)
        status += boundary_equation_html(run.trainer.model)
    if (r := boundary["regions"]) is not None:
        text = tr("p2d.regions_count", count=r["count"], among=r["among"]) + (
            " " + tr("p2d.regions_bound", n=config.hidden_sizes()[0], bound=r["bound"]) if r["bound"] is not None else "")
        status += live_view.status_html("regions-count", text, count=r["count"], among=r["among"],
                                          bound="" if r["bound"] is None else r["bound"])
    # the frame's time budget has cut the steps for a while: said under the picture, which it must not push down
    slow = live_view.status_html("slow-note", tr("budget.too_slow", done=ms["steps"], wanted=ms["wanted"]),
                                   "font-size:0.8em;color:#9a6700;margin-top:4px") if too_slow(ms) else ""
    acc = h.at("test_acc", t.steps)
    label = tr("a11y.boundary", step=f"{t.steps:,}", acc=fmt(acc, ".0%"))
    panels = [live_view.panel("boundary-live", boundary, fit=10, after=slow, clicks=True, label=label)] + (
        [side_part] if side_part else [])
    live_view.show(boundary_slot, panels, key="p2d.live", before=status, on_click=click_edit)


with page.turn.lock:
    if step_clicked and not page.playing:
        step_explained(run, step_clicked, explain, advance)
    explained = explained_now(run, explain, page.playing)
page.live(live_box, show_frame, dict(
    fps=FPS, steps_per_second=STEPS_PER_SECOND[config.speed],
    train=lambda steps, seconds, share: advance(run, steps, seconds=seconds, min_train_share=share),
    stop=lambda: run.trainer.diverged is not None, on_stop=lambda: show_divergence(diverged_box, run.trainer)),
    build_run, upload, view=view_params, below=edits_below(page.state, page.info.widget_prefix), clicks=click_edit)
show_divergence(diverged_box, run.trainer)

if not page.playing:
    if explained is not None:
        st.html(explained_step_html(explained, isinstance(run.trainer.model.standardize, Standardize), config.loss))
    # Paused: interactive curves and the raw numbers; each section is built only while open (lazy)
    lazy_section(tr("p2d.interactive_curves"), "p2d.open_curves", interactive_curves, st, run.trainer.history,
                 bool(run.trainer.data.flipped.any()), log_x)
    lazy_section(tr("fp.section"), "p2d.open_forward", forward_pass_panel, run)
    lazy_section(tr("ps.section"), "p2d.open_params", parameter_space_panel, run)
    lazy_section(tr("ib.section"), "p2d.open_implicit", implicit_bias_panel, config.seed)
    lazy_section(tr("hs.section"), "p2d.open_hidden", hidden_space_panel, run)
    lazy_section(tr("um.section"), "p2d.open_units", unit_maps_panel, run)
    with st.expander(tr("p2d.history_table")):
        st.dataframe([{tr(f"metric.{k}"): v for k, v in row.items()} for row in run.trainer.history.rows()[-200:]],
                     hide_index=True)  # headers in the reader's language
    page.run_files(run.trainer, image=lambda: draw_boundary(run))  # the picture drawn on click
