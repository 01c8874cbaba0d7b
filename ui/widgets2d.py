"""Sidebar widgets of the 2D page <-> Playground2DConfig, in groups the Compare page shares.

Widget values live in st.session_state under "<prefix><field>" keys; on the first visit
they are seeded from the URL, so a shared link reproduces the run. Every range and
choice list comes from the config schema (core/runs/config.py), the one source of truth that
the URL parser uses too: a value a link may set is always one the widget can show.
"""
from __future__ import annotations

import dataclasses

import streamlit as st

from core.runs.config import (FULL_BATCH, NOISE_KINDS, SPEEDS, Playground2DConfig, input_noise_max, field_schema,
                         ticks_with)
from core.data.data2d import DATASETS, DataError
from core.learning.losses import LOSSES
from core.learning.models import ACTIVATIONS, FEATURES, MODELS, MODELS_2D, features_text, parse_features
from core.data.noise import parse_pairs
from core.app.pages import page
from ui.common import (error_text, loss_param_sliders, key_labels, optimizer_and_lr_widgets,
                       tr, translated_choice, weight_decay_widgets)

WIDGET_PREFIX = page("2d").widget_prefix  # session keys of this page's settings: prefix + field


def number_slider(container, name: str, label_key: str, key: str, config_class=Playground2DConfig, **kwargs):
    """A slider over exactly the schema's range of `name`."""
    m = field_schema(config_class, name)
    return container.slider(tr(label_key), m["low"], m["high"], step=m["step"], key=key, **kwargs)


def tick_slider(container, name: str, label_key: str, key: str, config_class=Playground2DConfig, **kwargs):
    """A select-slider over the schema's marks of `name` (plus an in-range value a link set between them)."""
    value = st.session_state.get(key, getattr(config_class(), name))
    return container.select_slider(tr(label_key), ticks_with(config_class, name, value), key=key, **kwargs)


def translated_tick_slider(container, name: str, label_key: str, key: str, config_class=Playground2DConfig, **kwargs):
    """tick_slider whose marks are shown in words (e.g. "full batch"): one widget per language."""
    value = st.session_state.get(key, getattr(config_class(), name))
    return translated_choice(container.select_slider, tr(label_key), ticks_with(config_class, name, value), key,
                             **kwargs)


def seed_number_input(container, key: str, help_key: str, config_class=Playground2DConfig):
    m = field_schema(config_class, "seed")
    return container.number_input(tr("w.seed"), m["low"], m["high"], step=1, key=key, help=tr(help_key))


def batch_label():
    full = tr("w.full_batch")
    return lambda v: full if v >= FULL_BATCH else str(v)


def _reset_input_noise(prefix: str) -> None:
    key = st.session_state[prefix + "dataset"]
    if key in DATASETS:
        st.session_state[prefix + "input_noise"] = float(DATASETS[key].default_noise)


def data_widgets(container, prefix: str, allow_upload: bool) -> dict:
    """Data set, classes, samples, input noise, test share: {field: value}."""
    ss = st.session_state
    options = list(DATASETS) + (["upload"] if allow_upload else [])
    dataset = translated_choice(container.selectbox, tr("w.dataset"), options, prefix + "dataset",
                                format_func=key_labels("data.{}.name"), on_change=_reset_input_noise, args=(prefix,))
    out = {"dataset": dataset}
    if dataset in DATASETS:
        container.caption(tr(f"data.{dataset}.desc"))
        if DATASETS[dataset].classes_adjustable:
            out["n_classes"] = number_slider(container, "n_classes", "w.n_classes", prefix + "n_classes")
        out["n_samples"] = number_slider(container, "n_samples", "w.n_samples", prefix + "n_samples")
        top = input_noise_max(dataset)
        if ss.get(prefix + "input_noise", 0.0) > top:
            ss[prefix + "input_noise"] = top
        out["input_noise"] = float(container.slider(tr("w.input_noise"), 0.0, top, step=top / 100,
                                                    key=prefix + "input_noise", help=tr("w.input_noise_help")))
    out["test_fraction"] = number_slider(container, "test_fraction", "w.test_fraction", prefix + "test_fraction")
    return out


def noise_kind_widgets(container, prefix: str, n_classes: int) -> dict:
    """Label-noise kind (+ its caption) and, for class pairs, the pairs text (checked for n_classes)."""
    ss = st.session_state
    kind = translated_choice(container.radio, tr("w.noise_kind"), NOISE_KINDS, prefix + "noise_kind",
                             format_func=key_labels("noise.{}"), horizontal=True)
    container.caption(tr(f"noise.{kind}.desc"))
    out = {"noise_kind": kind}
    if kind == "pairs":
        pairs = container.text_input(tr("w.noise_pairs"), key=prefix + "noise_pairs", help=tr("w.noise_pairs_help"))
        try:
            parse_pairs(pairs, n_classes)
            out["noise_pairs"] = pairs
        except DataError as err:
            container.error(tr("w.noise_pairs_bad", reason=error_text(err)))
            out["noise_pairs"] = Playground2DConfig().noise_pairs
    else:
        out["noise_pairs"] = ss.get(prefix + "noise_pairs", Playground2DConfig().noise_pairs)
    return out


def noise_rate_slider(container, prefix: str) -> float:
    return float(number_slider(container, "noise_rate", "w.noise_rate", prefix + "noise_rate"))


def _feature_key(prefix: str, key: str) -> str:
    return f"{prefix}features.{key}"


def _features_ticked(prefix: str) -> None:
    """A feature checkbox changed: the ticked ones become the setting, unless none is left (then the last one
    stays ticked, and the page says why)."""
    ss = st.session_state
    ticked = [k for k in FEATURES if ss.get(_feature_key(prefix, k))]
    if ticked:
        ss[prefix + "features"] = features_text(ticked)
    else:
        ss[prefix + "features_none"] = True


def feature_widgets(container, prefix: str) -> str:
    """TensorFlow Playground's feature inputs as checkboxes (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂), in one
    block keyed like the setting (hide=features hides it). The setting (prefix + "features", as in a link) is
    the source: each run the boxes show it, so a link, a lesson or a reset sets them. At least one stays ticked."""
    ss = st.session_state
    try:
        chosen = set(parse_features(ss.get(prefix + "features", Playground2DConfig().features)))
    except ValueError:
        chosen = set(parse_features(Playground2DConfig().features))
    ss[prefix + "features"] = features_text(chosen)
    with container.container(key=prefix + "features"):
        st.caption(tr("w.features"), help=tr("w.features_help"))
        cols = st.columns(4)
        for i, (key, feature) in enumerate(FEATURES.items()):
            ss[_feature_key(prefix, key)] = key in chosen
            cols[i % 4].checkbox(feature.label, key=_feature_key(prefix, key), on_change=_features_ticked,
                                 args=(prefix,))
        if ss.pop(prefix + "features_none", False):
            st.caption(tr("w.features_one"))
    return ss[prefix + "features"]


def model_widgets(container, prefix: str) -> dict:
    model = translated_choice(container.selectbox, tr("w.model"), list(MODELS_2D), prefix + "model",
                              format_func=key_labels("model.{}"))
    out = {"model": model, "features": feature_widgets(container, prefix)}
    if MODELS[model].has_hidden_layers:
        out["depth"] = number_slider(container, "depth", "w.depth", prefix + "depth")
        out["width"] = number_slider(container, "width", "w.width", prefix + "width")
        out["last_width"] = last_width_slider(container, prefix)
        out["activation"] = translated_choice(container.selectbox, tr("w.activation"), list(ACTIVATIONS),
                                              prefix + "activation", format_func=key_labels("act.{}"))
    else:
        out["bias"] = container.checkbox(tr("w.bias"), key=prefix + "bias", help=tr("w.bias_help"))
    return out


def last_width_slider(container, prefix: str) -> int:
    """Units of the last hidden layer; 0 (shown in words) means as many as the others."""
    m = field_schema(Playground2DConfig, "last_width")
    same = tr("w.last_width_same")
    return int(translated_choice(container.select_slider, tr("w.last_width"), list(range(m["low"], m["high"] + 1)),
                                 prefix + "last_width", format_func=lambda v: same if v == 0 else str(v),
                                 help=tr("w.last_width_help")))


def batch_widget(container, prefix: str) -> int:
    return int(translated_tick_slider(container, "batch_size", "w.batch_size", prefix + "batch_size",
                                      format_func=batch_label()))


def speed_widget(container, prefix: str) -> str:
    return translated_choice(container.select_slider, tr("w.speed"), SPEEDS, prefix + "speed",
                             format_func=key_labels("speed.{}"))


def config_from_widgets(upload=None) -> Playground2DConfig:
    sb = st.sidebar
    ss = st.session_state
    defaults = Playground2DConfig()

    sb.header(tr("w.section.data"))
    values = data_widgets(sb, WIDGET_PREFIX, allow_upload=True)
    seed_number_input(sb, WIDGET_PREFIX + "seed", "w.seed_help")
    dataset = values["dataset"]
    n_classes = values.get("n_classes", ss.get(WIDGET_PREFIX + "n_classes", defaults.n_classes))

    sb.header(tr("w.section.noise"))
    upload_classes = len(set(upload.y.tolist())) if upload is not None else None
    classes = defaults.replace(dataset=dataset, n_classes=n_classes).class_count(upload_classes)
    values.update(noise_kind_widgets(sb, WIDGET_PREFIX, classes))
    if values["noise_kind"] != "none":
        noise_rate_slider(sb, WIDGET_PREFIX)

    sb.header(tr("w.section.model"))
    model_widgets(sb, WIDGET_PREFIX)

    sb.header(tr("w.section.loss"))
    loss = translated_choice(sb.selectbox, tr("w.loss"), list(LOSSES), WIDGET_PREFIX + "loss",
                             format_func=key_labels("loss.{}.name"))
    loss_params = loss_param_sliders(sb, WIDGET_PREFIX, loss, LOSSES[loss].params)

    sb.header(tr("w.section.optimizer"))
    optimizer, lr = optimizer_and_lr_widgets(sb, WIDGET_PREFIX, list(field_schema(Playground2DConfig, "lr")["ticks"]),
                                             defaults.lr)
    batch = batch_widget(sb, WIDGET_PREFIX)
    wd = weight_decay_widgets(sb, WIDGET_PREFIX, optimizer, list(field_schema(Playground2DConfig, "weight_decay")["ticks"]))
    speed_widget(sb, WIDGET_PREFIX)

    # Fields whose widget is hidden now (e.g. depth of a logistic model) keep their last value.
    config_values = {f.name: ss.get(WIDGET_PREFIX + f.name, f.default) for f in dataclasses.fields(Playground2DConfig)
                     if f.name != "loss_params"}
    config_values.update(values)
    config_values.update(n_classes=n_classes, loss=loss, loss_params=tuple(sorted(loss_params)), optimizer=optimizer,
                         lr=float(lr), batch_size=batch, weight_decay=float(wd))
    config_values["input_noise"] = float(config_values["input_noise"])
    config = Playground2DConfig(**config_values)
    last = ss.get(page("2d").state + ".config")
    if config.edits and last is not None and last.data_key() != config.data_key():
        ss[WIDGET_PREFIX + "edits"] = ""  # hand edits of the points (core/data/edits.py) belong to the old data
        config = config.replace(edits="")
    return config
