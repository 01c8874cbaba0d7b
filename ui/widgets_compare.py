"""Widgets of the comparison page: shared settings (sidebar) and per-run settings (columns)."""
from __future__ import annotations

import streamlit as st

from core.compare import MAX_RUNS, OVERRIDABLE, CompareSpec, default_spec
from core.config import LOSS_PARAM_PREFIX, SPEEDS
from core.data2d import DATASETS
from core.losses import LOSSES
from core.mnist_data import DISPLAY_NAMES, IMAGE_DATASETS
from core.models import ACTIVATIONS, MODELS_2D
from core.optim import WEIGHT_DECAY_MODES
from ui.common import loss_param_sliders, names, optimizer_and_lr_widgets, tr, with_value
from ui.widgets2d import LR_CHOICES, WD_CHOICES, input_noise_max

P = "cmp."
RUN_FIELDS = ("loss", "optimizer", "lr", "weight_decay", "wd_mode", "noise_rate")  # edited per run
BATCH_CHOICES = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512]


def _typed(config, key: str):
    return getattr(config, key)


def seed_from_spec(spec: CompareSpec) -> None:
    """Put a spec (from the URL, a preset or an imported file) into the widgets."""
    ss = st.session_state
    ss[P + "kind"] = spec.kind
    ss[P + "runs"] = len(spec.overrides)
    base = spec.config_class.from_query(spec.base)[0]
    for key in spec.base:
        if not key.startswith(LOSS_PARAM_PREFIX) and hasattr(base, key):
            ss[f"{P}{spec.kind}.{key}"] = _typed(base, key)
    for i, config in enumerate(spec.configs(), start=1):
        for key in RUN_FIELDS:
            ss[f"{P}r{i}.{key}"] = _typed(config, key)
        for name, value in config.loss_params:
            ss[f"{P}r{i}.loss.{config.loss}.{name}"] = value
    for i in range(len(spec.overrides) + 1, MAX_RUNS + 1):  # runs not in the spec start like the base
        for key in RUN_FIELDS:
            ss[f"{P}r{i}.{key}"] = _typed(base, key)


def spec_from_url() -> list:
    ss = st.session_state
    if "cmp.spec" in ss:
        return ss.get("cmp.url_warnings", [])
    params = st.query_params.to_dict()
    spec, warnings = CompareSpec.from_query(params) if params.keys() - {"lang"} else (default_spec(), [])
    seed_from_spec(spec)
    ss["cmp.spec"] = spec
    ss["cmp.url_warnings"] = warnings
    return warnings


def _kind_changed() -> None:
    seed_from_spec(default_spec(st.session_state[P + "kind"]))


def spec_from_widgets() -> CompareSpec:
    sb, ss = st.sidebar, st.session_state
    kind = sb.radio(tr("cmp.kind"), ("2d", "mnist"), key=P + "kind", horizontal=True,
                    format_func=names("cmp.kind.{}"), on_change=_kind_changed)
    n_runs = sb.slider(tr("cmp.n_runs"), 2, MAX_RUNS, key=P + "runs")
    k = f"{P}{kind}."
    base = {}
    sb.header(tr("cmp.shared"))
    if kind == "2d":
        dataset = sb.selectbox(tr("p2d.dataset"), list(DATASETS), key=k + "dataset",
                               format_func=names("data.{}.name"))
        if DATASETS[dataset].classes_adjustable:
            base["n_classes"] = sb.slider(tr("p2d.n_classes"), 3, 6, key=k + "n_classes")
        base["dataset"] = dataset
        base["n_samples"] = sb.slider(tr("p2d.n_samples"), 20, 2000, step=20, key=k + "n_samples")
        top = input_noise_max(dataset)
        if ss.get(k + "input_noise", 0.0) > top:
            ss[k + "input_noise"] = top
        base["input_noise"] = sb.slider(tr("p2d.input_noise"), 0.0, top, step=top / 100, key=k + "input_noise")
        base["model"] = sb.selectbox(tr("p2d.model"), list(MODELS_2D), key=k + "model",
                                     format_func=names("model.{}"))
        if base["model"] == "mlp":
            base["depth"] = sb.slider(tr("p2d.depth"), 1, 6, key=k + "depth")
            base["width"] = sb.slider(tr("p2d.width"), 1, 64, key=k + "width")
            base["activation"] = sb.selectbox(tr("p2d.activation"), list(ACTIVATIONS), key=k + "activation",
                                              format_func=names("act.{}"))
        base["speed"] = sb.select_slider(tr("p2d.speed"), SPEEDS, key=k + "speed", format_func=names("speed.{}"))
        losses = list(LOSSES)
    else:
        base["dataset"] = sb.selectbox(tr("p2d.dataset"), IMAGE_DATASETS, key=k + "dataset", format_func=DISPLAY_NAMES.get)
        base["n_train"] = sb.select_slider(tr("mn.n_train"), [500, 1000, 2000, 5000, 10_000, 20_000, 60_000],
                                           key=k + "n_train", format_func=lambda v: f"{v:,}")
        base["model"] = sb.radio(tr("p2d.model"), ("mlp", "cnn"), key=k + "model", horizontal=True,
                                 format_func=names("model.{}"))
        losses = list(LOSSES)
    base["noise_kind"] = sb.radio(tr("p2d.noise_kind"), ("none", "symmetric", "pairs"), key=k + "noise_kind",
                                  format_func=names("noise.{}"), horizontal=True)
    base["batch_size"] = sb.select_slider(tr("p2d.batch_size"), with_value(BATCH_CHOICES, ss.get(k + "batch_size", 16)),
                                          key=k + "batch_size")
    base["seed"] = sb.number_input(tr("p2d.seed"), 0, 2**31 - 1, step=1, key=k + "seed", help=tr("cmp.seed_help"))

    runs = []
    cols = st.columns(n_runs)
    for i, col in enumerate(cols, start=1):
        r = f"{P}r{i}."
        with col.expander(tr("cmp.run_settings", n=i), expanded=False):
            run = {"loss": st.selectbox(tr("p2d.loss"), losses, key=r + "loss", format_func=names("loss.{}.name"))}
            for name, value in loss_param_sliders(st, r, run["loss"], LOSSES[run["loss"]].params):
                run[LOSS_PARAM_PREFIX + name] = value
            run["optimizer"], run["lr"] = optimizer_and_lr_widgets(st, r, LR_CHOICES, 0.01)
            run["weight_decay"] = st.select_slider(tr("p2d.weight_decay"), with_value(WD_CHOICES, ss.get(r + "weight_decay", 0.0)),
                                                   key=r + "weight_decay", format_func=lambda v: f"{v:g}")
            run["wd_mode"] = st.radio(tr("p2d.wd_mode"), WEIGHT_DECAY_MODES, key=r + "wd_mode", horizontal=True,
                                      format_func=names("wd.{}"))
            if base["noise_kind"] != "none":
                run["noise_rate"] = st.slider(tr("p2d.noise_rate"), 0.0, 1.0, step=0.01, key=r + "noise_rate")
        runs.append({key: str(v) if not isinstance(v, float) else repr(v) for key, v in run.items()})

    base_q = {key: (repr(v) if isinstance(v, float) else str(v)) for key, v in base.items()}
    spec = CompareSpec(kind, {**base_q, **runs[0]}, tuple(runs))
    return spec.normalised()
