"""Sidebar widgets of the MNIST page <-> MnistConfig (seeded from the URL on the first visit)."""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS
from core.mnist_run import MULTICLASS_LOSSES, STANDARD_PAIRS, MnistConfig, parse_hidden
from core.distill import loss_param_specs
from ui.common import (names, config_from_url_once, loss_param_sliders, optimizer_and_lr_widgets, seed_config_widgets, tr,
                       weight_decay_widgets, with_value)

P = "wm."
LR_CHOICES = [1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
BATCH_CHOICES = [1, 8, 16, 32, 64, 128, 256, 512, 1024]
WD_CHOICES = [0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0]
N_TRAIN_CHOICES = [500, 1000, 2000, 5000, 8000, 10_000, 20_000, 30_000, 60_000]


def seed_widgets(config: MnistConfig, overwrite: bool) -> None:
    seed_config_widgets(config, P, overwrite)


def seed_widgets_from_url() -> list:
    return config_from_url_once(MnistConfig, P, "mn")


def pairs_text(dataset: str, class_names) -> str:
    seen, parts = set(), []
    for a, b in STANDARD_PAIRS[dataset]:
        if (b, a) in seen:
            continue
        seen.add((a, b))
        arrow = "↔" if (b, a) in STANDARD_PAIRS[dataset] else "→"
        parts.append(f"{class_names[a]}{arrow}{class_names[b]}")
    return ", ".join(parts)


def config_from_widgets(class_names_for) -> MnistConfig:
    sb, ss = st.sidebar, st.session_state
    defaults = MnistConfig()
    sb.header(tr("p2d.section.data"))
    dataset = sb.selectbox(tr("p2d.dataset"), IMAGE_DATASETS, key=P + "dataset", format_func=DISPLAY_NAMES.get)
    sb.select_slider(tr("mn.n_train"), with_value(N_TRAIN_CHOICES, ss.get(P + "n_train", defaults.n_train)),
                     key=P + "n_train", format_func=lambda v: f"{v:,}", help=tr("mn.n_train_help"))
    sb.number_input(tr("p2d.seed"), 0, 2**31 - 1, step=1, key=P + "seed", help=tr("p2d.seed_help"))

    sb.header(tr("p2d.section.noise"))
    kind = sb.radio(tr("p2d.noise_kind"), ("none", "symmetric", "pairs"), key=P + "noise_kind",
                    format_func=names("noise.{}"), horizontal=True)
    if kind != "none":
        sb.slider(tr("p2d.noise_rate"), 0.0, 1.0, step=0.05, key=P + "noise_rate")
    if kind == "pairs":
        sb.caption(tr("mn.pairs", pairs=pairs_text(dataset, class_names_for(dataset))))

    sb.header(tr("p2d.section.model"))
    model = sb.radio(tr("p2d.model"), ("mlp", "cnn"), key=P + "model", format_func=names("model.{}"),
                     horizontal=True)
    hidden = ss.get(P + "hidden", defaults.hidden)
    if model == "mlp":
        hidden = sb.text_input(tr("mn.hidden"), key=P + "hidden", help=tr("mn.hidden_help"))
        try:
            parse_hidden(hidden)
        except ValueError:
            sb.error(tr("mn.hidden_bad", value=hidden[:30]))
            hidden = defaults.hidden

    sb.header(tr("p2d.section.loss"))
    loss = sb.selectbox(tr("p2d.loss"), MULTICLASS_LOSSES, key=P + "loss", format_func=names("loss.{}.name"))
    loss_params = loss_param_sliders(sb, P, loss, loss_param_specs(loss))
    sb.slider(tr("mn.teacher_epochs"), 1, 10, key=P + "teacher_epochs", help=tr("mn.teacher_epochs_help"))

    sb.header(tr("p2d.section.optimizer"))
    optimizer, lr = optimizer_and_lr_widgets(sb, P, LR_CHOICES, defaults.lr)
    batch = sb.select_slider(tr("p2d.batch_size"), with_value(BATCH_CHOICES, ss.get(P + "batch_size", defaults.batch_size)),
                             key=P + "batch_size")
    wd = weight_decay_widgets(sb, P, optimizer, WD_CHOICES)

    values = {f.name: ss.get(P + f.name, f.default) for f in dataclasses.fields(MnistConfig)
              if f.name != "loss_params"}
    values.update(dataset=dataset, model=model, hidden=hidden, loss=loss, loss_params=tuple(sorted(loss_params)),
                  optimizer=optimizer, lr=float(lr), batch_size=int(batch), weight_decay=float(wd),
                  noise_rate=float(values["noise_rate"]))
    return MnistConfig(**values)
