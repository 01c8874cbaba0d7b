"""Sidebar widgets of the Regression page <-> RegressionConfig. Every range and choice list comes from the
config schema (core/runs/regression_config.py), which the URL parser uses too; widget keys are "wr.<field>"."""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.runs.config import SPEEDS, field_schema
from core.data.data1d import DATASETS_1D, OUTLIER_SIDES
from core.learning.models import ACTIVATIONS
from core.app.pages import page
from core.runs.regression_config import DATASET_KEYS_1D, FULL_BATCH_1D, RegressionConfig
from core.learning.regression_losses import REGRESSION_LOSSES
from core.learning.regression_models import REGRESSION_MODELS
from ui.common import (tr_user, key_labels, loss_param_sliders, optimizer_and_lr_widgets,
                       tr, translated_choice, weight_decay_widgets)
from ui.widgets2d import number_slider, translated_tick_slider

WIDGET_PREFIX = page("regression").widget_prefix  # session keys of this page's settings: prefix + field


def _slider(container, name: str, label_key: str, **kwargs):
    return number_slider(container, name, label_key, WIDGET_PREFIX + name, config_class=RegressionConfig, **kwargs)


def config_from_widgets() -> RegressionConfig:
    sb, ss = st.sidebar, st.session_state
    values: dict = {}

    sb.header(tr("w.section.data"))
    dataset = translated_choice(sb.selectbox, tr("w.dataset"), list(DATASET_KEYS_1D), WIDGET_PREFIX + "dataset",
                                format_func=key_labels("data1d.{}.name"))
    values["dataset"] = dataset
    sb.caption(tr(f"data1d.{dataset}.desc"))
    if dataset in DATASETS_1D:
        values["n_samples"] = _slider(sb, "n_samples", "w.n_samples")
        values["noise"] = float(_slider(sb, "noise", "rw.noise", help=tr("rw.noise_help")))
        if DATASETS_1D[dataset].has_df:
            values["df"] = _slider(sb, "df", "rw.df", help=tr("rw.df_help"))
    values["test_fraction"] = float(_slider(sb, "test_fraction", "w.test_fraction"))
    m = field_schema(RegressionConfig, "seed")
    sb.number_input(tr("w.seed"), m["low"], m["high"], step=1, key=WIDGET_PREFIX + "seed", help=tr("w.seed_help"))
    values["leak"] = sb.checkbox(tr("rw.leak"), key=WIDGET_PREFIX + "leak", help=tr("rw.leak_help"))

    sb.header(tr("rw.section.outliers"))
    values["outlier_fraction"] = float(_slider(sb, "outlier_fraction", "rw.outlier_fraction",
                                               help=tr("rw.outlier_fraction_help")))
    if values["outlier_fraction"] > 0:
        values["outlier_size"] = float(_slider(sb, "outlier_size", "rw.outlier_size", help=tr("rw.outlier_size_help")))
        values["outlier_side"] = translated_choice(sb.radio, tr("rw.outlier_side"), list(OUTLIER_SIDES),
                                                   WIDGET_PREFIX + "outlier_side", horizontal=True,
                                                   format_func=key_labels("outliers.side.{}"))

    sb.header(tr("w.section.model"))
    model = translated_choice(sb.selectbox, tr("w.model"), list(REGRESSION_MODELS), WIDGET_PREFIX + "model",
                              format_func=key_labels("rmodel.{}"))
    values["model"] = model
    if model == "polynomial":
        values["degree"] = _slider(sb, "degree", "rmodel.param.degree")
    elif model == "mlp":
        values["depth"] = _slider(sb, "depth", "w.depth")
        values["width"] = _slider(sb, "width", "w.width")
        values["activation"] = translated_choice(sb.selectbox, tr("w.activation"), list(ACTIVATIONS),
                                                 WIDGET_PREFIX + "activation", format_func=key_labels("act.{}"))

    sb.header(tr("w.section.loss"))
    loss = translated_choice(sb.selectbox, tr("w.loss"), list(REGRESSION_LOSSES), WIDGET_PREFIX + "loss",
                             format_func=key_labels("rloss.{}.name"))
    loss_params = loss_param_sliders(sb, WIDGET_PREFIX, loss, REGRESSION_LOSSES[loss].params,
                                     label_prefix="rloss.param")
    values["band"] = sb.checkbox(tr("rw.band"), key=WIDGET_PREFIX + "band", help=tr("rw.band_help"))

    sb.header(tr("w.section.optimizer"))
    optimizer, lr = optimizer_and_lr_widgets(sb, WIDGET_PREFIX, list(field_schema(RegressionConfig, "lr")["ticks"]),
                                             RegressionConfig().lr)
    wd = weight_decay_widgets(sb, WIDGET_PREFIX, optimizer, list(field_schema(RegressionConfig, "weight_decay")["ticks"]))
    full = tr("w.full_batch")
    batch = int(translated_tick_slider(sb, "batch_size", "w.batch_size", WIDGET_PREFIX + "batch_size",
                                       config_class=RegressionConfig,
                                       format_func=lambda v: full if v >= FULL_BATCH_1D else str(v)))
    translated_choice(sb.select_slider, tr("w.speed"), SPEEDS, WIDGET_PREFIX + "speed",
                      format_func=key_labels("speed.{}"))

    # Fields whose widget is hidden now (e.g. the degree of an MLP) keep their last value.
    config_values = {f.name: ss.get(WIDGET_PREFIX + f.name, f.default) for f in dataclasses.fields(RegressionConfig)
                     if f.name != "loss_params"}
    config_values.update(values)
    config_values.update(loss=loss, loss_params=tuple(sorted(loss_params)), optimizer=optimizer, lr=float(lr),
                         batch_size=batch, weight_decay=float(wd))
    for name in ("noise", "test_fraction", "outlier_fraction", "outlier_size"):
        config_values[name] = float(config_values[name])
    warnings: list = []
    # what this server can train (core/serving/compute_limits.py)
    config = RegressionConfig(**config_values).validated(warnings)
    last = ss.get(page("regression").state + ".config")
    if config.edits and last is not None and last.data_key() != config.data_key():
        ss[WIDGET_PREFIX + "edits"] = ""  # points added by hand (core/data/edits.py) belong to the old data
        config = config.replace(edits="")
    for w in warnings:
        sb.warning(tr_user(w.code, **w.fields), icon=":material/warning:")
    return config
