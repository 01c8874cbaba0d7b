"""Sidebar widgets of the MNIST page <-> MnistConfig (seeded from the URL on the first visit)."""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.data.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS
from core.runs.mnist_run import MULTICLASS_LOSSES, STANDARD_PAIRS, MnistConfig, parse_hidden
from core.learning.distill import loss_param_specs
from core.runs.config import NOISE_KINDS, field_schema
from core.app.pages import page
from ui.common import (loss_param_sliders, key_labels, optimizer_and_lr_widgets, tr, tr_user, translated_choice, weight_decay_widgets)
from ui.widgets2d import number_slider, seed_number_input, speed_widget, tick_slider

WIDGET_PREFIX = page("mnist").widget_prefix  # session keys of this page's settings: prefix + field


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
    sb.header(tr("w.section.data"))
    dataset = sb.selectbox(tr("w.dataset"), IMAGE_DATASETS, key=WIDGET_PREFIX + "dataset",
                           format_func=DISPLAY_NAMES.get)
    tick_slider(sb, "n_train", "mn.n_train", WIDGET_PREFIX + "n_train", config_class=MnistConfig,
                format_func=lambda v: f"{v:,}", help=tr("mn.n_train_help"))
    seed_number_input(sb, WIDGET_PREFIX + "seed", "w.seed_help", config_class=MnistConfig)

    sb.header(tr("w.section.noise"))
    kind = translated_choice(sb.radio, tr("w.noise_kind"), NOISE_KINDS, WIDGET_PREFIX + "noise_kind",
                             format_func=key_labels("noise.{}"), horizontal=True)
    if kind != "none":
        number_slider(sb, "noise_rate", "w.noise_rate", WIDGET_PREFIX + "noise_rate", config_class=MnistConfig)
    if kind == "pairs":
        sb.caption(tr("mn.pairs", pairs=pairs_text(dataset, class_names_for(dataset))))

    sb.header(tr("w.section.model"))
    model = translated_choice(sb.radio, tr("w.model"), ("mlp", "cnn"), WIDGET_PREFIX + "model",
                              format_func=key_labels("model.{}"), horizontal=True)
    hidden = ss.get(WIDGET_PREFIX + "hidden", defaults.hidden)
    if model == "mlp":
        hidden = sb.text_input(tr("mn.hidden"), key=WIDGET_PREFIX + "hidden", help=tr("mn.hidden_help"))
        try:
            parse_hidden(hidden)
        except ValueError:
            sb.error(tr_user("mn.hidden_bad", value=hidden))
            hidden = defaults.hidden

    sb.header(tr("w.section.loss"))
    loss = translated_choice(sb.selectbox, tr("w.loss"), MULTICLASS_LOSSES, WIDGET_PREFIX + "loss",
                             format_func=key_labels("loss.{}.name"))
    loss_params = loss_param_sliders(sb, WIDGET_PREFIX, loss, loss_param_specs(loss))
    number_slider(sb, "teacher_epochs", "mn.teacher_epochs", WIDGET_PREFIX + "teacher_epochs", config_class=MnistConfig,
                  help=tr("mn.teacher_epochs_help"))

    sb.header(tr("w.section.optimizer"))
    optimizer, lr = optimizer_and_lr_widgets(sb, WIDGET_PREFIX, list(field_schema(MnistConfig, "lr")["ticks"]), defaults.lr)
    batch = tick_slider(sb, "batch_size", "w.batch_size", WIDGET_PREFIX + "batch_size", config_class=MnistConfig)
    wd = weight_decay_widgets(sb, WIDGET_PREFIX, optimizer, list(field_schema(MnistConfig, "weight_decay")["ticks"]))
    speed = speed_widget(sb, WIDGET_PREFIX)  # the other pages' speeds: slow is 60 steps a second

    values = {f.name: ss.get(WIDGET_PREFIX + f.name, f.default) for f in dataclasses.fields(MnistConfig)
              if f.name != "loss_params"}
    values.update(dataset=dataset, model=model, hidden=hidden, loss=loss, loss_params=tuple(sorted(loss_params)),
                  optimizer=optimizer, lr=float(lr), batch_size=int(batch), weight_decay=float(wd), speed=speed,
                  noise_rate=float(values["noise_rate"]))
    warnings: list = []
    config = MnistConfig(**values).validated(warnings)  # what this server can train (core/serving/compute_limits.py)
    for w in warnings:
        sb.warning(tr_user(w.code, **w.fields), icon=":material/warning:")
    return config
