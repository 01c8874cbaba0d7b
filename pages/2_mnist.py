"""MNIST / Fashion-MNIST: loss choice, label noise, live training, and views of the trained net."""
from __future__ import annotations

import streamlit as st

from core.learning import distill
from core.lessons.analysis import weight_tiles
from core.data.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS, DataUnavailable, ensure_available
from core.serving.pace import FRAME_CLOCK, FRAME_SECONDS
from core.runs.config import STEPS_PER_SECOND
from core.learning.engines import device_name
from core.runs.mnist_run import (attach_teacher, build_mnist_run, calibration, confusion, evaluate_if_behind,
                            flipped_examples, live_frame, misclassified, pca_slice, pca_view, three_point_slice,
                            three_point_view, train_for, train_teacher)
from core.learning.models import first_layer_weights
from core.learning.losses import LOSSES
from core.pictures.render import BoundaryPainter, PlotBox
from core.i18n import fmt_loss
from ui.charts import interactive_curves, show_altair
from ui.live_view import curves_html
from ui.common import key_labels, error_text, lazy_expander, show_divergence, translated_choice, tr
from ui import data_presence
from ui.live_page import LivePage
from ui.mnist_page_data import data_folder_note, load_for_page
from ui.mnist_views import (calibration_chart, class_key_html, class_names, confusion_chart, image_grid,
                             weights_image)
from ui.widgets_mnist import config_from_widgets
from ui.view import presenting
from ui.mnist_hidden import mnist_hidden_panel

FPS = 10  # frames/s at most; each frame trains or evaluates for at most its budget (core/serving/pace.py)
CLICK_SECONDS = 0.3  # "Train a little": one click's training, then a whole evaluation

page = LivePage("mnist")
config = page.settings(config_from_widgets(class_names))


def load_or_explain(name: str):
    """The data set, or what to do without it: data not downloaded yet is expected (a new
    installation), so it is information with a download and the other data set when that is here;
    a corrupt file is an error."""
    try:
        return load_for_page(name)
    except DataUnavailable as err:
        missing = err.code == "err.mnist.missing"
        other = next(n for n in IMAGE_DATASETS if n != name)
        offer = missing and data_presence.image_data_present(other)
        if missing:
            st.info(tr("mn.not_here_yet", name=DISPLAY_NAMES[name]) + "\n\n" + error_text(err), icon=":material/folder_open:")
        else:
            st.error(error_text(err), icon=":material/folder_open:")
        if offer:
            def use_other() -> None:  # a callback runs before the sidebar's widgets: they show the switch
                st.session_state["wm.dataset"] = other
            st.button(tr("mn.use_present", name=DISPLAY_NAMES[other]), key="mn.use_present", type="primary",
                      on_click=use_other)
        if err.code != "err.mnist.corrupt" and st.button(tr("mn.download", name=DISPLAY_NAMES[name]),
                                                         type="secondary" if offer else "primary"):
            bar = st.progress(0.0, text=tr("mn.downloading"))
            try:
                ensure_available(name, progress=lambda done, total, file: bar.progress(
                    done / total, text=tr("mnist.progress", done=done, total=total, file=file)))
                st.rerun()
            except DataUnavailable as failed:
                st.error(error_text(failed), icon=":material/warning:")
        key, folder = data_folder_note(name)
        st.caption(tr(key, folder=folder))
        st.stop()


full = load_or_explain(config.dataset)
names = full.class_names if config.dataset == "mnist" else tuple(class_names("fashion"))
if full.test_split_only:
    st.info(tr("mnist.source.test_only"), icon=":material/info:")
if config.n_train > len(full.y_train):  # e.g. 60,000 asked where only the test split is here
    st.caption(tr("mn.n_train_all", asked=f"{config.n_train:,}", have=f"{len(full.y_train):,}"))

run = page.update(config, build_mnist_run, full)
playing = page.playing

# ---- controls ----
step_clicked, c4 = page.controls(4, tenfold=False, room=1.5, step_key="mn.step", step_help=tr("mn.step_help"))
if c4.button(tr("mn.train_teacher", epochs=config.teacher_epochs), key="mn.teacher_button", width="stretch", icon=":material/school:",
             help=tr("mn.teacher_help")):
    st.session_state["mn.playing"] = playing = False
    bar = st.progress(0.0, text=tr("mn.teacher_training"))
    teacher, acc = train_teacher(run, config.teacher_epochs, progress=lambda f: bar.progress(
        f, text=tr("mn.teacher_training")))
    run = attach_teacher(run, teacher, acc)
    st.session_state["mn.run"] = run
    bar.empty()
if config.loss == distill.KEY and run.teacher is None:
    st.warning(tr("mn.need_teacher"), icon=":material/school:")
elif run.teacher is not None:
    st.caption(tr("mn.teacher_ready", acc=run.teacher_test_acc))

st.caption(tr("mn.device", name=device_name(run.trainer.device)))  # a GPU when the server has one

st.latex(distill.FORMULA if run.trainer.loss_key == distill.KEY else LOSSES[run.trainer.loss_key].formula)

status = st.empty()
progress_slot = st.empty()
diverged_box = st.empty()
curves_slot = st.empty()
log_x = st.checkbox(tr("curves.log_x"), key="mn.curves_log", help=tr("curves.log_x_help"))


def show_live(curves: bool = True) -> None:
    t, h = run.trainer, run.trainer.history
    if curves:  # both curves, titles, legends and change notes in one element update
        # presented (no sidebar): larger, still two side by side at 1280 px
        size = (600, 238) if presenting() else (480, 190)
        curves_slot.html(curves_html(h, bool(t.data.flipped.any()), size=size, by_epoch=True, log_x=log_x,
                                     ids=("mn-loss-live", "mn-acc-live"), side_by_side=True))
    frac = t.epoch - int(t.epoch)
    progress_slot.progress(frac, text=tr("mn.epoch_progress", epoch=int(t.epoch) + 1, pct=frac))
    status.markdown(
        f'<span id="mnist-counter" data-step="{t.steps}" data-epoch="{t.epoch:.3f}">'
        + tr("mn.status", step=t.steps, epoch=f"{t.epoch:.2f}", train=fmt_loss(h.at("train_loss", t.steps)),
             test=fmt_loss(h.at("test_loss", t.steps)), acc=h.at("test_acc", t.steps), lr=f"{t.lr:g}")
        + "</span>" + (" · " + tr("mn.step_too_long", ms=round(run.step_seconds * 1000), limit=round(FRAME_SECONDS * 1000))
                       if run.step_seconds > FRAME_SECONDS else ""), unsafe_allow_html=True)


with page.turn.lock:
    if step_clicked and not playing:
        train_for(run, CLICK_SECONDS, clock=FRAME_CLOCK)
    elif not playing:  # paused after playing: the status line measures the weights the tabs show
        evaluate_if_behind(run)
    show_divergence(diverged_box, run.trainer)
    show_live()

if playing:
    drawn = [len(run.trainer.history)]  # points the curves show: a new evaluation redraws them at once

    def show_playing(curves_due: bool) -> None:
        new = len(run.trainer.history) != drawn[0]
        drawn[0] = len(run.trainer.history)
        show_live(curves=curves_due or new)

    page.play(FPS, STEPS_PER_SECOND[config.speed], lambda steps, seconds, _share: live_frame(run, seconds, max_steps=steps),
              show_playing, stop=lambda: run.trainer.diverged is not None)

# ---- views of the paused network ----
tabs = st.tabs([tr(k) for k in ("mn.tab.curves", "mn.tab.confusion", "mn.tab.mistakes", "mn.tab.flipped",
                                "mn.tab.boundary", "mn.tab.calibration", "mn.tab.weights", "exp.section")])
h = run.trainer.history
slice_image = None  # the boundary tab's picture, offered as the PNG export
with tabs[0]:
    interactive_curves(st, h, bool(run.trainer.data.flipped.any()), log_x)
with tabs[1]:
    show_altair(st, confusion_chart(confusion(run), names), tr("mn.confusion_help"), width="content")
    st.caption(tr("mn.confusion_help"))
with tabs[2]:
    items = misclassified(run)
    if items:
        mistakes = " · ".join(f"#{n + 1}: {tr('mn.true')} {names[t]} → {tr('mn.pred')} {names[p]}"
                              for n, (_, t, p) in enumerate(items))
        st.image(image_grid([run.data.images_test[i] for i, _, _ in items]), width=600,
                 alt=tr("a11y.image_grid", what=tr("mn.tab.mistakes"), items=mistakes))
        st.caption(mistakes)
    else:
        st.success(tr("mn.no_mistakes"))
with tabs[3]:
    items = flipped_examples(run)
    if items:
        flips = " · ".join(f"#{n + 1}: {tr('mn.given')} {names[g]}, {tr('mn.true')} {names[t]}, "
                           f"{tr('mn.pred')} {names[p]}" for n, (_, g, t, p) in enumerate(items))
        st.image(image_grid([run.data.images_train[i] for i, _, _, _ in items]), width=600,
                 alt=tr("a11y.image_grid", what=tr("mn.tab.flipped"), items=flips))
        st.caption(flips)
        st.caption(tr("mn.flipped_help"))
    else:
        st.info(tr("mn.no_flips"))
with tabs[4]:
    st.markdown(tr("mn.boundary_help"))
    mode = translated_choice(st.radio, tr("mn.plane"), ("pca", "three"), "mn.plane_mode", horizontal=True,
                             format_func=key_labels("mn.plane.{}"))
    frame = PlotBox(width=460, height=460)
    # planes once per data subset, the model's grid once per trained state (core/runs/mnist_run.py)
    if mode == "pca":
        _, coords, bounds = pca_view(run, shown=1500)
        grid = pca_slice(run, shown=1500, resolution=110)
        painter = BoundaryPainter(bounds, X_test=coords.numpy(), y_test=run.data.y_test[:1500].numpy(),
                                  frame=frame, point_radius=2.0)
        slice_image = painter.paint(grid)
        st.image(slice_image, width=460, alt=tr("mn.pca_caption"))
        st.html(class_key_html(names))
        st.caption(tr("mn.pca_caption"))
    else:
        cols = st.columns(3)
        picks = [cols[i].number_input(tr("mn.pick", n=i + 1), 0, len(run.data.y_test) - 1,
                                      value=int((run.data.y_test == c).nonzero()[0, 0]) if (run.data.y_test == c).any() else i,
                                      key=f"mn.pick{i}") for i, c in enumerate((0, 1, 7))]
        for col, i in zip(cols, picks):
            label = f"#{i}: {names[int(run.data.y_test[i])]}"
            col.image(run.data.images_test[i].numpy(), width=84, caption=label, alt=label)
        try:
            _, anchors, bounds = three_point_view(run, tuple(picks))
            grid = three_point_slice(run, tuple(picks), resolution=120)
            painter = BoundaryPainter(bounds, X_train=anchors.numpy(),
                                      y_train=run.data.y_test[picks].numpy(), frame=frame, point_radius=5)
            slice_image = painter.paint(grid)
            st.image(slice_image, width=460, alt=tr("mn.three_caption"))
            st.html(class_key_html(names))
            st.caption(tr("mn.three_caption"))
        except ValueError as err:
            st.warning(tr("mn.three_bad", reason=str(err)))
with tabs[5]:
    rel = calibration(run)
    st.metric(tr("mn.ece"), f"{rel.ece:.4f}")
    show_altair(st, calibration_chart(rel), f'{tr("mn.ece")} {rel.ece:.4f}. {tr("mn.calibration_help")}', width="content")
    st.caption(tr("mn.calibration_help"))
with tabs[6]:
    W = first_layer_weights(run.trainer.model)
    if W is not None:
        side = 28 if W.shape[1] == 784 else 5
        st.image(weights_image(weight_tiles(W, n=64, side=side)), width=560, alt=tr("mn.weights_help"))
        st.caption(tr("mn.weights_help"))
with tabs[7]:
    page.run_files(run.trainer, image=slice_image, expander=False)
hidden_box = lazy_expander(tr("mh.section"), "mn.open_hidden")  # built only while open
if hidden_box.open:
    with hidden_box:
        mnist_hidden_panel(run, names)
