"""Sidebar widgets of the 2D page <-> Playground2DConfig.

Widget values live in st.session_state under "w2d.<field>" keys; on the first
visit they are seeded from the URL, so a shared link reproduces the run.
"""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.config import SPEEDS, Playground2DConfig, Warning_
from core.data2d import DATASETS, DataError
from core.losses import LOSSES
from core.models import ACTIVATIONS, MODELS, MODELS_2D
from core.noise import parse_pairs
from ui.common import (names, config_from_url_once, error_text, loss_param_sliders, optimizer_and_lr_widgets, seed_config_widgets, tr,
                       weight_decay_widgets, with_value)

P = "w2d."
LR_CHOICES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0]
BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 5000]  # 5000 = the whole training set
WD_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
FULL_BATCH = BATCH_CHOICES[-1]


def batch_label():
    full = tr("p2d.full_batch")
    return lambda v: full if v >= FULL_BATCH else str(v)


def seed_widgets(config: Playground2DConfig, overwrite: bool) -> None:
    seed_config_widgets(config, P, overwrite)


def seed_widgets_from_url() -> list[Warning_]:
    return config_from_url_once(Playground2DConfig, P, "p2d")


def _dataset_changed() -> None:
    key = st.session_state[P + "dataset"]
    if key in DATASETS:
        st.session_state[P + "input_noise"] = float(DATASETS[key].default_noise)


def input_noise_max(dataset: str) -> float:
    """The input-noise slider's top: the exam data set is in score points, the others in unit lengths."""
    return 30.0 if dataset == "exam" else 2.0


def config_from_widgets(upload=None) -> Playground2DConfig:
    sb = st.sidebar
    ss = st.session_state
    defaults = Playground2DConfig()

    sb.header(tr("p2d.section.data"))
    dataset = sb.selectbox(tr("p2d.dataset"), list(DATASETS) + ["upload"], key=P + "dataset",
                           format_func=names("data.{}.name"), on_change=_dataset_changed)
    if dataset in DATASETS:
        sb.caption(tr(f"data.{dataset}.desc"))
    n_classes = ss.get(P + "n_classes", defaults.n_classes)
    if dataset in DATASETS and DATASETS[dataset].classes_adjustable:
        n_classes = sb.slider(tr("p2d.n_classes"), 3, 6, key=P + "n_classes")
    if dataset != "upload":
        sb.slider(tr("p2d.n_samples"), 20, 2000, step=20, key=P + "n_samples")
        top = input_noise_max(dataset)
        if ss.get(P + "input_noise", 0.0) > top:
            ss[P + "input_noise"] = top
        sb.slider(tr("p2d.input_noise"), 0.0, top, step=top / 100, key=P + "input_noise",
                  help=tr("p2d.input_noise_help"))
    sb.slider(tr("p2d.test_fraction"), 0.1, 0.9, step=0.05, key=P + "test_fraction")
    sb.number_input(tr("p2d.seed"), 0, 2**31 - 1, step=1, key=P + "seed", help=tr("p2d.seed_help"))

    sb.header(tr("p2d.section.noise"))
    noise_kind = sb.radio(tr("p2d.noise_kind"), ("none", "symmetric", "pairs"), key=P + "noise_kind",
                          format_func=names("noise.{}"), horizontal=True)
    sb.caption(tr(f"noise.{noise_kind}.desc"))
    noise_pairs = ss.get(P + "noise_pairs", defaults.noise_pairs)
    if noise_kind != "none":
        sb.slider(tr("p2d.noise_rate"), 0.0, 1.0, step=0.01, key=P + "noise_rate")
    if noise_kind == "pairs":
        noise_pairs = sb.text_input(tr("p2d.noise_pairs"), key=P + "noise_pairs", help=tr("p2d.noise_pairs_help"))
        upload_classes = len(set(upload.y.tolist())) if upload is not None else None
        n = defaults.replace(dataset=dataset, n_classes=n_classes).class_count(upload_classes)
        try:
            parse_pairs(noise_pairs, n)
        except DataError as err:
            sb.error(tr("p2d.noise_pairs_bad", reason=error_text(err)))
            noise_pairs = defaults.noise_pairs

    sb.header(tr("p2d.section.model"))
    model = sb.selectbox(tr("p2d.model"), list(MODELS_2D), key=P + "model", format_func=names("model.{}"))
    if MODELS[model].has_hidden_layers:
        sb.slider(tr("p2d.depth"), 1, 6, key=P + "depth")
        sb.slider(tr("p2d.width"), 1, 64, key=P + "width")
        sb.selectbox(tr("p2d.activation"), list(ACTIVATIONS), key=P + "activation",
                     format_func=names("act.{}"))

    sb.header(tr("p2d.section.loss"))
    loss = sb.selectbox(tr("p2d.loss"), list(LOSSES), key=P + "loss", format_func=names("loss.{}.name"))
    loss_params = loss_param_sliders(sb, P, loss, LOSSES[loss].params)

    sb.header(tr("p2d.section.optimizer"))
    optimizer, lr = optimizer_and_lr_widgets(sb, P, LR_CHOICES, defaults.lr)
    batch = sb.select_slider(tr("p2d.batch_size"), with_value(BATCH_CHOICES, ss.get(P + "batch_size", defaults.batch_size)),
                             key=P + "batch_size",
                             format_func=batch_label())
    wd = weight_decay_widgets(sb, P, optimizer, WD_CHOICES)
    sb.select_slider(tr("p2d.speed"), SPEEDS, key=P + "speed", format_func=names("speed.{}"))

    values = {f.name: ss.get(P + f.name, f.default) for f in dataclasses.fields(Playground2DConfig)
              if f.name != "loss_params"}
    values.update(dataset=dataset, n_classes=n_classes, noise_pairs=noise_pairs, loss=loss,
                  loss_params=tuple(sorted(loss_params)), optimizer=optimizer, lr=float(lr),
                  batch_size=int(batch), weight_decay=float(wd))
    values["input_noise"] = float(values["input_noise"])
    return Playground2DConfig(**values)
