"""The live 2D playground: widgets -> Playground2DConfig -> core run -> frames."""
from __future__ import annotations

import html

import streamlit as st

from core.serving.budget import FRAME_CLOCK, note_drawing, too_slow
from core.serving.pace import busy
from core.runs.config import STEPS_PER_SECOND
from core.data.data2d import parse_points_csv
from core.learning.losses import LOSSES
from core.runs.playground import Upload, build_run, draw_boundary
from core.runs import advance
from core.pictures.frame_data import BUSY_RESOLUTION, RESOLUTION, TITLED, axis_titles, run_frame
from core.pictures.render import curve_metrics, hex_colour
from ui.charts import curves_html, history_chart
from core.app.labels import data_number, fmt_loss
from ui.runs import export_panel, import_panel
from ui import live_canvas
from ui.common import lazy_expander, lazy_section, show_divergence, tr, lang
from ui.live_page import LivePage
from ui.widgets2d import config_from_widgets
from ui.inside_views import (boundary_equation_html, forward_pass_panel, hidden_space_panel,
                             explain_toggle, explained_step_html, implicit_bias_panel, parameter_space_panel,
                             side_panel, side_view_choice, side_view_from_url, toggles_from_url, view_params)
from core.lessons.step_explained import explain_step
from core.learning.models import Standardize
from ui.unit_views import unit_maps_panel

FPS = 25  # frames/s target; the loop sleeps to keep this pace (see bench/bench_live.py)
REGIONS_EVERY_S = 0.25  # while playing, the linear regions are redrawn at most 4 times a second

page = LivePage("2d", view_warnings=lambda: side_view_from_url() + toggles_from_url())
upload = page.upload(parse_points_csv, Upload)
config = config_from_widgets(upload)
page.settings(config, view=view_params(),
              upload_needed=config.dataset == "upload" and upload is None)
run = page.update(config, build_run, upload)  # a multiclass-only loss on 2-class data: said, and stopped
playing = page.playing
step_clicked, _ = page.controls()  # 0, 1 or 10 steps
diverged_box = st.empty()

left, right = st.columns([1.1, 1])
with left:
    boundary_slot = st.empty()
    k = run.data.n_classes
    swatches = " ".join(f'<span style="color:{hex_colour(c)}">●</span> {c}' for c in range(k))
    st.html(f'<div style="font-size:0.85em">{swatches} &nbsp; {tr("p2d.legend")}</div>')
    relu_units = config.model == "mlp" and config.activation == "relu"  # units that switch on along a line
    if relu_units:
        if "p2d.unit_lines" not in st.session_state:  # on when the ReLU lesson opens the page
            st.session_state["p2d.unit_lines"] = (st.session_state.get("lesson") or {}).get("key") == "relu_pieces"
        st.checkbox(tr("p2d.unit_lines"), key="p2d.unit_lines", help=tr("p2d.unit_lines_help"))
        st.checkbox(tr("p2d.regions"), key="p2d.regions", help=tr("p2d.regions_help"))
    if "p2d.pull" not in st.session_state:  # on when the pull lesson opens the page
        st.session_state["p2d.pull"] = (st.session_state.get("lesson") or {}).get("key") == "exp_pull"
    st.checkbox(tr("pull.toggle"), key="p2d.pull", help=tr("pull.help"))
    if st.session_state.get("p2d.pull"):  # what a disc's size means, beside the picture
        st.caption(tr("pull.legend"))
    side = side_view_choice(run.trainer.model)  # a second live view, drawn under the boundary
    explain = explain_toggle(run.trainer.model)  # Step shows its batch, gradient and update
unit_lines = relu_units and st.session_state.get("p2d.unit_lines", False)
regions = relu_units and st.session_state.get("p2d.regions", False)
pull = st.session_state.get("p2d.pull", False)
with right:  # curves first: at 1280×720 both fit beside the boundary, the formula below them
    curves_slot = st.empty()
    log_x = st.checkbox(tr("curves.log_x"), key="p2d.curves_log", help=tr("curves.log_x_help"))
    spec = LOSSES[config.loss]
    binary = k == 2
    st.markdown(f"**{tr(f'loss.{config.loss}.name')}** — {tr(f'loss.{config.loss}.desc')}")
    st.latex(spec.binary_formula if binary else spec.formula)
    if binary:  # the margin form needs its m defined, and cross-entropy its familiar probability form
        st.caption(tr("p2d.margin_def") + (" " + tr("p2d.ce_prob_form") if config.loss == "cross_entropy" else ""))
    if spec.gradient and not binary:
        st.latex(r"\frac{\partial \ell}{\partial z} = " + spec.gradient)
    if config.weight_decay > 0:
        st.caption(tr(f"p2d.wd_{run.trainer.optimization.wd_mode}", wd=config.weight_decay))


def show_frame(curves: bool = True, live: bool = False) -> None:
    """One frame = one element update (status line + boundary), curves in a second one:
    each update costs the browser a render, and the browser is the bottleneck (bench/bench_live.py)."""
    t0 = FRAME_CLOCK()
    boundary = run_frame(run, resolution=BUSY_RESOLUTION if busy() else RESOLUTION,  # data: the browser draws it
                         unit_lines=unit_lines, pull=pull, regions=regions,
                         regions_every=REGIONS_EVERY_S if live else 0.0,
                         old_line=explained.line_old if explained is not None and not live else None,
                         frame=TITLED, titles=axis_titles(config.dataset, lang()))
    if curves:
        # one element update: images + translated titles, legends and change notes
        curves_slot.html(curves_html(run.trainer.history, bool(run.trainer.data.flipped.any()), log_x=log_x,
                                     log_y=None))  # a blown-up loss on a log axis: its climb, not one spike
    side_part = side_panel(run, side, live) if side != "none" else None  # (throttled while playing)
    note_drawing(run.timings, (FRAME_CLOCK() - t0) * 1000)
    run.timings["frame_ms"] = run.timings["draw_ms"] + run.timings["train_ms"]
    t = run.trainer
    h = t.history
    status = (
        f'<div class="live-status" style="margin-bottom:6px"><span id="epoch-counter" data-step="{t.steps}" '
        f'data-train-ms="{run.timings["train_ms"]:.2f}" data-draw-ms="{run.timings["draw_ms"]:.2f}" '
        f'data-frame-ms="{run.timings["frame_ms"]:.2f}" data-test-loss="{data_number(h.at("test_loss", t.steps))}" '
        f'data-test-acc="{data_number(h.at("test_acc", t.steps))}">'
        + html.escape(tr("p2d.status", step=t.steps, epoch=f"{t.epoch:.1f}", train=fmt_loss(h.at("train_loss", t.steps)),
                         test=fmt_loss(h.at("test_loss", t.steps)), acc=h.at("test_acc", t.steps), lr=f"{t.lr:g}"))
        + "</span></div>")
    if boundary["line"] is not None:  # binary logistic regression: its boundary as an equation, live
        status += boundary_equation_html(run.trainer.model)
    if boundary["regions"] is not None:
        r = boundary["regions"]
        text = tr("p2d.regions_count", count=r["count"], among=r["among"])
        if r["bound"] is not None:
            text += " " + tr("p2d.regions_bound", n=config.hidden_sizes()[0], bound=r["bound"])
        status += (f'<div id="regions-count" data-count="{r["count"]}" data-among="{r["among"]}" '
                   f'data-bound="{r["bound"] if r["bound"] is not None else ""}" '
                   f'style="font-size:0.85em;margin-bottom:4px">{html.escape(text)}</div>')
    if too_slow(run.timings):  # the frame's time budget has cut the steps for a while: say why
        status += ('<div id="slow-note" style="font-size:0.8em;color:#9a6700;margin-bottom:4px">'
                   + html.escape(tr("budget.too_slow", done=run.timings["steps"], wanted=run.timings["wanted"]))
                   + "</div>")
    panels = [live_canvas.panel("boundary-live", boundary, fit=10)] + ([side_part] if side_part else [])
    live_canvas.show(boundary_slot, panels, key="p2d.live", before=status)


with page.turn.lock:
    if step_clicked and not playing:
        if explain and step_clicked == 1 and run.trainer.diverged is None:
            st.session_state["p2d.explained"] = (id(run.trainer), explain_step(
                run.trainer, lambda: advance(run, 1, seconds=None)))
        else:
            advance(run, step_clicked, seconds=None)  # exactly that many steps: a class follows each update
# the explained step while it is the model's latest (not after more steps, a reset or playing)
trainer_id, explained = st.session_state.get("p2d.explained", (None, None))
if not (explain and not playing and explained is not None and trainer_id == id(run.trainer)
        and explained.step == run.trainer.steps):
    explained = None

show_divergence(diverged_box, run.trainer)
with page.turn.lock:
    show_frame()

if playing:
    page.play(FPS, STEPS_PER_SECOND[config.speed],
              lambda steps, seconds, share: advance(run, steps, seconds=seconds, min_train_share=share),
              lambda curves: show_frame(curves=curves, live=True),
              stop=lambda: run.trainer.diverged is not None, on_stop=lambda: show_divergence(diverged_box, run.trainer))
else:
    if explained is not None:
        st.html(explained_step_html(explained, isinstance(run.trainer.model.standardize, Standardize), config.loss))
    # Paused: interactive curves (hover for values) and the raw numbers. Lazy: a closed expander's
    # content is not built (two Altair charts cost ~0.4 s of server CPU on every paused rerun).
    curves_box = lazy_expander(tr("p2d.interactive_curves"), "p2d.open_curves")
    if curves_box.open:
        h = run.trainer.history
        loss_m, acc_m = curve_metrics(bool(run.trainer.data.flipped.any()))
        curves_box.altair_chart(history_chart(h, loss_m, "curves.axis_loss", log_x=log_x, log_y=None), width="stretch")
        curves_box.altair_chart(history_chart(h, acc_m, "curves.axis_acc", log_x=log_x), width="stretch")
    lazy_section(tr("fp.section"), "p2d.open_forward", forward_pass_panel, run)
    lazy_section(tr("ps.section"), "p2d.open_params", parameter_space_panel, run)
    lazy_section(tr("ib.section"), "p2d.open_implicit", implicit_bias_panel, config.seed)
    lazy_section(tr("hs.section"), "p2d.open_hidden", hidden_space_panel, run)
    lazy_section(tr("um.section"), "p2d.open_units", unit_maps_panel, run)
    with st.expander(tr("p2d.history_table")):
        st.dataframe([{tr(f"metric.{k}"): v for k, v in row.items()} for row in run.trainer.history.rows()[-200:]],
                     hide_index=True)  # headers in the reader's language
    with st.expander(tr("exp.section")):
        export_panel("2d", config.to_query(), run.trainer, page.title, image=lambda: draw_boundary(run))  # drawn on click
        import_panel("2d", run.trainer)
