"""Widgets of the comparison page: shared settings (sidebar) and per-run settings (columns).

The 2D widget groups are the 2D page's own (ui/widgets2d.py), under this page's key prefix;
every field a link may override per run (core/compare.OVERRIDABLE) has a per-run widget. The regression
runs' widgets have keys of their own ("cmp.reg.r<i>.<field>"): their losses, models and batch marks are not
the classifiers' (a Huber delta of one must not become the other's).
"""
from __future__ import annotations

import streamlit as st

from core.runs.compare import MAX_RUNS, OVERRIDABLE, CompareConfig, default_comparison, run_prefix
from core.runs.config import LOSS_PARAM_PREFIX, NOISE_KINDS, Playground2DConfig
from core.data.data1d import DATASETS_1D, OUTLIER_SIDES
from core.learning.losses import LOSSES
from core.data.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS
from core.runs.mnist_run import MnistConfig, parse_hidden
from core.learning.models import ACTIVATIONS
from core.learning.engines import OPTIMIZERS, WEIGHT_DECAY_MODES
from core.app.pages import page
from core.runs.regression_config import FULL_BATCH_1D, RegressionConfig
from core.learning.regression_losses import REGRESSION_LOSSES
from core.learning.regression_models import REGRESSION_MODELS
from ui.common import seed_config_widgets, loss_param_sliders, key_labels, tr, tr_user, translated_choice
from ui.widgets2d import (batch_widget, data_widgets, model_widgets, noise_kind_widgets, number_slider,
                          seed_number_input, speed_widget, tick_slider, translated_tick_slider)

WIDGET_PREFIX = page("compare").widget_prefix  # session keys of this page's settings: prefix + field
KIND_CLASSES = {"2d": Playground2DConfig, "mnist": MnistConfig, "regression": RegressionConfig}
KIND_CHOICES = ("2d", "mnist", "regression")


def _kind_changed() -> None:
    seed_config_widgets(default_comparison(st.session_state[WIDGET_PREFIX + "kind"]), WIDGET_PREFIX, overwrite=True)


def _shared_2d(sb, k: str) -> dict:
    base = data_widgets(sb, k, allow_upload=False)
    seed_number_input(sb, k + "seed", "cmp.seed_help")
    n_classes = base.setdefault("n_classes", st.session_state.get(k + "n_classes", Playground2DConfig().n_classes))
    classes = Playground2DConfig(dataset=base["dataset"], n_classes=n_classes).class_count()
    base.update(noise_kind_widgets(sb, k, classes))
    base["speed"] = speed_widget(sb, k)
    base["seed"] = st.session_state[k + "seed"]
    return base


def parse_ok(hidden) -> bool:
    try:
        parse_hidden(hidden)
        return True
    except (TypeError, ValueError):
        return False


def _shared_mnist(sb, k: str) -> dict:
    base = {"dataset": sb.selectbox(tr("w.dataset"), IMAGE_DATASETS, key=k + "dataset", format_func=DISPLAY_NAMES.get)}
    base["n_train"] = tick_slider(sb, "n_train", "mn.n_train", k + "n_train", config_class=MnistConfig,
                                  format_func=lambda v: f"{v:,}")
    base["model"] = translated_choice(sb.radio, tr("w.model"), ("mlp", "cnn"), k + "model", horizontal=True,
                                      format_func=key_labels("model.{}"))
    mlp = base["model"] == "mlp"
    # shown for an MLP only; a CNN keeps the link's sizes, so its link is kept whole
    hidden = sb.text_input(tr("mn.hidden"), key=k + "hidden", help=tr("mn.hidden_help")) if mlp \
        else st.session_state.get(k + "hidden")
    if parse_ok(hidden):
        base["hidden"] = hidden
    elif mlp:
        sb.error(tr_user("mn.hidden_bad", value=hidden))
    base["noise_kind"] = translated_choice(sb.radio, tr("w.noise_kind"), NOISE_KINDS,
                                           k + "noise_kind", format_func=key_labels("noise.{}"), horizontal=True)
    base["seed"] = seed_number_input(sb, k + "seed", "cmp.seed_help", config_class=MnistConfig)
    base["speed"] = speed_widget(sb, k)
    return base


def _shared_regression(sb, k: str) -> dict:
    """The data and its outliers, shared by every regression run (no upload: the runs share generated data)."""
    dataset = translated_choice(sb.selectbox, tr("w.dataset"), list(DATASETS_1D), k + "dataset",
                                format_func=key_labels("data1d.{}.name"))
    base = {"dataset": dataset}
    sb.caption(tr(f"data1d.{dataset}.desc"))
    base["n_samples"] = number_slider(sb, "n_samples", "w.n_samples", k + "n_samples", config_class=RegressionConfig)
    base["noise"] = float(number_slider(sb, "noise", "rw.noise", k + "noise", config_class=RegressionConfig,
                                        help=tr("rw.noise_help")))
    if DATASETS_1D[dataset].has_df:
        base["df"] = number_slider(sb, "df", "rw.df", k + "df", config_class=RegressionConfig, help=tr("rw.df_help"))
    base["test_fraction"] = float(number_slider(sb, "test_fraction", "w.test_fraction", k + "test_fraction",
                                                config_class=RegressionConfig))
    base["seed"] = seed_number_input(sb, k + "seed", "cmpr.seed_help", config_class=RegressionConfig)
    base["leak"] = sb.checkbox(tr("rw.leak"), key=k + "leak", help=tr("rw.leak_help"))
    sb.subheader(tr("rw.section.outliers"))
    base["outlier_fraction"] = float(number_slider(sb, "outlier_fraction", "rw.outlier_fraction",
                                                   k + "outlier_fraction", config_class=RegressionConfig,
                                                   help=tr("rw.outlier_fraction_help")))
    if base["outlier_fraction"] > 0:
        base["outlier_size"] = float(number_slider(sb, "outlier_size", "rw.outlier_size", k + "outlier_size",
                                                   config_class=RegressionConfig, help=tr("rw.outlier_size_help")))
        base["outlier_side"] = translated_choice(sb.radio, tr("rw.outlier_side"), list(OUTLIER_SIDES),
                                                 k + "outlier_side", horizontal=True,
                                                 format_func=key_labels("outliers.side.{}"))
    base["speed"] = speed_widget(sb, k)
    for key in ("df", "outlier_size", "outlier_side"):  # hidden now: keeps its last value
        if key not in base and k + key in st.session_state:
            base[key] = st.session_state[k + key]
    return base


def _run_widgets_regression(r: str) -> dict:
    """One regression run's own settings: exactly core/compare.OVERRIDABLE["regression"]."""
    run = {"model": translated_choice(st.selectbox, tr("w.model"), list(REGRESSION_MODELS), r + "model",
                                      format_func=key_labels("rmodel.{}"))}
    if run["model"] == "polynomial":
        run["degree"] = number_slider(st, "degree", "rmodel.param.degree", r + "degree", config_class=RegressionConfig)
    elif run["model"] == "mlp":
        run["depth"] = number_slider(st, "depth", "w.depth", r + "depth", config_class=RegressionConfig)
        run["width"] = number_slider(st, "width", "w.width", r + "width", config_class=RegressionConfig)
        run["activation"] = translated_choice(st.selectbox, tr("w.activation"), list(ACTIVATIONS), r + "activation",
                                              format_func=key_labels("act.{}"))
    run["loss"] = translated_choice(st.selectbox, tr("w.loss"), list(REGRESSION_LOSSES), r + "loss",
                                    format_func=key_labels("rloss.{}.name"))
    for name, value in loss_param_sliders(st, r, run["loss"], REGRESSION_LOSSES[run["loss"]].params,
                                          label_prefix="rloss.param"):
        run[LOSS_PARAM_PREFIX + name] = value
    run["band"] = st.checkbox(tr("rw.band"), key=r + "band", help=tr("rw.band_help"))
    run["optimizer"] = translated_choice(st.selectbox, tr("w.optimizer"), list(OPTIMIZERS), r + "optimizer",
                                         format_func=key_labels("opt.{}"))
    run["lr"] = tick_slider(st, "lr", "w.lr", r + "lr", config_class=RegressionConfig, format_func=lambda v: f"{v:g}")
    full = tr("w.full_batch")
    run["batch_size"] = int(translated_tick_slider(st, "batch_size", "w.batch_size", r + "batch_size",
                                                   config_class=RegressionConfig,
                                                   format_func=lambda v: full if v >= FULL_BATCH_1D else str(v)))
    run.update(_decay_widgets(r, RegressionConfig))
    for key in OVERRIDABLE["regression"]:  # hidden now (e.g. the degree of an MLP): keeps its last value
        if key not in run and r + key in st.session_state:
            run[key] = st.session_state[r + key]
    return run


def _decay_widgets(r: str, cls) -> dict:
    """A run's weight decay λ and its mode (always shown, also for AdamW, which ignores the mode: a hidden
    widget would lose its per-run key)."""
    return {"weight_decay": tick_slider(st, "weight_decay", "w.weight_decay", r + "weight_decay", config_class=cls,
                                        format_func=lambda v: f"{v:g}"),
            "wd_mode": translated_choice(st.radio, tr("w.wd_mode"), WEIGHT_DECAY_MODES, r + "wd_mode",
                                         horizontal=True, format_func=key_labels("wd.{}"), help=tr("w.wd_mode_help"))}


def _run_widgets(kind: str, r: str, noise: bool) -> dict:
    """One run's own settings (exactly the overridable fields, each with a widget)."""
    cls = KIND_CLASSES[kind]
    run = {}
    if kind == "2d":
        run.update(model_widgets(st, r))
    run["loss"] = translated_choice(st.selectbox, tr("w.loss"), list(LOSSES), r + "loss",
                                    format_func=key_labels("loss.{}.name"))
    for name, value in loss_param_sliders(st, r, run["loss"], LOSSES[run["loss"]].params):
        run[LOSS_PARAM_PREFIX + name] = value
    run["optimizer"] = translated_choice(st.selectbox, tr("w.optimizer"), list(OPTIMIZERS), r + "optimizer",
                                         format_func=key_labels("opt.{}"))
    run["lr"] = tick_slider(st, "lr", "w.lr", r + "lr", config_class=cls, format_func=lambda v: f"{v:g}")
    run["batch_size"] = (batch_widget(st, r) if kind == "2d" else
                         tick_slider(st, "batch_size", "w.batch_size", r + "batch_size", config_class=cls))
    run.update(_decay_widgets(r, cls))
    if noise:
        run["noise_rate"] = float(number_slider(st, "noise_rate", "w.noise_rate", r + "noise_rate", config_class=cls))
    for key in OVERRIDABLE[kind]:  # hidden now (e.g. depth of a logistic run): keeps its last value
        if key not in run and r + key in st.session_state:
            run[key] = st.session_state[r + key]
    return run


def compare_config_from_widgets() -> CompareConfig:
    sb = st.sidebar
    kind = translated_choice(sb.radio, tr("cmp.kind"), KIND_CHOICES, WIDGET_PREFIX + "kind", horizontal=True,
                             format_func=key_labels("cmp.kind.{}"), on_change=_kind_changed)
    n_runs = sb.slider(tr("cmp.n_runs"), 2, MAX_RUNS, key=WIDGET_PREFIX + "runs")
    sb.header(tr("cmp.shared"))
    shared = {"2d": _shared_2d, "mnist": _shared_mnist, "regression": _shared_regression}[kind]
    base = shared(sb, f"{WIDGET_PREFIX}{kind}.")

    runs = []
    sb.header(tr("cmp.per_run"))  # in the sidebar: the main area keeps its height for the pictures
    for i in range(1, n_runs + 1):
        with sb.expander(tr("cmp.run_settings", n=i), expanded=False):
            if kind == "regression":
                run = _run_widgets_regression(run_prefix(WIDGET_PREFIX, kind, i))
            else:
                run = _run_widgets(kind, run_prefix(WIDGET_PREFIX, kind, i), base["noise_kind"] != "none")
        runs.append({key: repr(v) if isinstance(v, float) else str(v) for key, v in run.items()})

    base_q = {key: (repr(v) if isinstance(v, float) else str(v)) for key, v in base.items()}
    spec = CompareConfig(kind, {**base_q, **runs[0]}, tuple(runs))
    warnings: list = []
    spec = spec.normalised(warnings)  # what this server can train (core/serving/compute_limits.py)
    for w in warnings:
        sb.warning(tr_user(w.code, **w.fields), icon=":material/warning:")
    return spec
