"""One frozen config object describes a run, and round-trips through URL query params.

Like TensorFlow Playground's state.ts: a declarative schema (dataclass fields with
metadata) drives parsing, validation and serialisation. Bad values never raise:
from_query() falls back to defaults and returns warnings for the page to show.
"""
from __future__ import annotations

import dataclasses
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping

from core.learning.distill import loss_param_specs
from core.i18n import DEFAULT_LANGUAGE, LANGUAGES
from core.learning.losses import LOSSES
from core.learning.models import ACTIVATIONS, MODELS_2D, PLAIN_FEATURES, features_text, hidden_sizes, parse_features
from core.data.noise import NOISE_KINDS  # noqa: F401  (the schema's choices; pages import them from here)
from core.learning.engines import OPTIMIZERS, WEIGHT_DECAY_MODES

LOSS_PARAM_PREFIX = "loss."


def choice(default: str, choices) -> Any:
    return field(default=default, metadata={"choices": tuple(choices)})


def number(default, low, high, step=None, ticks: tuple = ()) -> Any:
    """A numeric field: [low, high] is what a URL may set AND what the page's widget offers
    (the one source of truth for both); step is a slider's step, ticks a select-slider's marks."""
    return field(default=default, metadata={"low": low, "high": high, "step": step, "ticks": tuple(ticks)})


def field_schema(config_class, name: str) -> dict:
    """The schema of one field (choices, or low/high/step/ticks), for the widgets."""
    return next(f for f in dataclasses.fields(config_class) if f.name == name).metadata


def ticks_with(config_class, name: str, value) -> list:
    """A select-slider's marks, plus a value a link set between them (it must stay selectable)."""
    marks = list(field_schema(config_class, name)["ticks"])
    return marks if value in marks else sorted(marks + [value])


@dataclass(frozen=True)
class Warning_:
    """A problem found in URL params; `code` is an i18n key, `fields` fill it."""
    code: str
    fields: dict


def _parse_scalar(f: dataclasses.Field, raw: Any):
    """Parse one URL value for field f, or raise ValueError."""
    if isinstance(raw, (list, tuple)):
        if len(raw) != 1:
            raise ValueError("repeated")
        raw = raw[0]
    text = str(raw).strip()
    kind = type(f.default)
    if kind in (int, float) and (not text.isascii() or "_" in text):
        raise ValueError("not an ASCII number")  # int("١٢") and int("1_0") are numbers in Python, not in a link
    if kind is bool:
        if text.lower() in ("1", "true", "yes", "on"):
            return True
        if text.lower() in ("0", "false", "no", "off"):
            return False
        raise ValueError("not a boolean")
    if kind is int:
        value = int(text)  # rejects "1.5", "abc"
    elif kind is float:
        value = float(text) + 0.0  # "-0" is 0.0: a link never keeps a sign the widgets cannot show
        if not math.isfinite(value):
            raise ValueError("not finite")
    else:
        value = text
    meta = f.metadata
    if "choices" in meta and value not in meta["choices"]:
        raise ValueError("not a choice")
    if "low" in meta and not (meta["low"] <= value <= meta["high"]):
        raise ValueError("out of range")
    return value


class QueryConfig:
    """Mixin: to_query()/from_query() for frozen dataclasses whose fields carry metadata."""

    @staticmethod
    def loss_param_specs(loss: str):
        """The parameters of a loss of this config's registry (a regression config has its own)."""
        return loss_param_specs(loss)

    def to_query(self) -> dict[str, str]:
        out = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if f.name == "loss_params":
                for k, v in value:
                    out[LOSS_PARAM_PREFIX + k] = repr(float(v))
            elif isinstance(value, bool):
                out[f.name] = "1" if value else "0"
            elif isinstance(value, float):
                out[f.name] = repr(value)
            else:
                out[f.name] = str(value)
        return out

    @classmethod
    def from_query(cls, params: Mapping[str, Any], ignore: tuple[str, ...] | None = None):
        """(config, warnings). Unknown keys and bad values are reported, never raised. ignore: keys of
        another schema (by default the view's, ViewConfig)."""
        ignore = VIEW_PARAMS if ignore is None else ignore
        warnings: list[Warning_] = []
        values: dict[str, Any] = {}
        known = {f.name: f for f in dataclasses.fields(cls)}
        raw_loss_params = {}
        for key, raw in params.items():
            if key in ignore:
                continue
            if key.startswith(LOSS_PARAM_PREFIX) and "loss_params" in known:
                raw_loss_params[key[len(LOSS_PARAM_PREFIX):]] = raw
                continue
            f = known.get(key)
            if f is None or f.name == "loss_params":
                warnings.append(Warning_("warn.url.unknown", {"key": key}))
                continue
            try:
                values[key] = _parse_scalar(f, raw)
            except (ValueError, TypeError):
                warnings.append(Warning_("warn.url.bad_value", {"key": key, "value": str(raw)[:40]}))
        if "loss_params" in known:
            loss = values.get("loss", known["loss"].default)
            values["loss_params"] = _parse_loss_params(loss, raw_loss_params, warnings, cls.loss_param_specs)
        config = cls(**values)
        return config.validated(warnings), warnings

    def validated(self, warnings: list | None = None):
        """Cross-field checks; returns a fixed config (and appends warnings)."""
        return self

    @classmethod
    def field_names(cls) -> set[str]:
        """The settings a link may name (and hide: hide=lr,loss)."""
        return {f.name for f in dataclasses.fields(cls)}

    def widget_values(self, prefix: str) -> dict[str, Any]:
        """The session keys of the page's widgets and the values that show this config: prefix + field,
        and each loss parameter per loss (prefix + "loss.<loss>.<name>"), so each loss keeps its own."""
        out = {}
        for f in dataclasses.fields(self):
            if f.name == "loss_params":
                out.update({f"{prefix}loss.{self.loss}.{name}": value for name, value in self.loss_params})
            else:
                out[prefix + f.name] = getattr(self, f.name)
        return out

    def replace(self, **changes):
        return dataclasses.replace(self, **changes)


def default_loss_params(loss: str, specs_of=loss_param_specs) -> tuple[tuple[str, float], ...]:
    return tuple((p.name, float(p.default)) for p in specs_of(loss))


def normalised_loss_params(loss: str, given, specs_of=loss_param_specs) -> tuple[tuple[str, float], ...]:
    """Exactly the loss's parameters: the given values that belong to it, defaults for the rest
    (so replace(loss=...) can never carry a foreign parameter into the URL)."""
    names = {p.name for p in specs_of(loss)}
    kept = dict(default_loss_params(loss, specs_of))
    kept.update({k: float(v) for k, v in given if k in names})
    return tuple(sorted(kept.items()))


def _parse_loss_params(loss: str, raw: Mapping[str, Any], warnings: list,
                       specs_of=loss_param_specs) -> tuple[tuple[str, float], ...]:
    specs = {p.name: p for p in specs_of(loss)}
    out = dict(default_loss_params(loss, specs_of))
    for name, value in raw.items():
        spec = specs.get(name)
        if spec is None:
            warnings.append(Warning_("warn.url.unknown", {"key": LOSS_PARAM_PREFIX + name}))
            continue
        try:
            if isinstance(value, (list, tuple)):
                raise ValueError("repeated")
            v = float(value) if str(value).isascii() else math.nan
            if not (math.isfinite(v) and spec.low <= v <= spec.high):
                raise ValueError
            out[name] = v
        except (ValueError, TypeError, IndexError):
            warnings.append(Warning_("warn.url.bad_value", {"key": LOSS_PARAM_PREFIX + name, "value": str(value)[:40]}))
    return tuple(sorted(out.items()))


def edits_validated(config, warnings: list | None, regression: bool = False):
    """config with its hand edits (core/data/edits.py) in their written form; malformed or too many: the valid
    prefix kept, and said. (Whether they fit the data, the run checks: core/runs/playground.py.)"""
    from core.data.edits import format_edits, parse_prefix
    if not config.edits:
        return config
    kept, problem = parse_prefix(config.edits, regression)
    if problem is not None and warnings is not None:
        warnings.append(Warning_("warn.url.edits",
                                 {"key": "edits", "kept": len(kept), "value": str(config.edits)[:40]}))
    canonical = format_edits(kept, regression)
    return config if canonical == config.edits else config.replace(edits=canonical)


DATASET_KEYS = ("blobs", "xor", "circles", "moons", "spiral", "exam", "blobs_multi", "spiral_multi", "upload")
SPEEDS = ("slow", "normal", "fast", "fastest")
STEPS_PER_SECOND = {"slow": 60, "normal": 300, "fast": 900, "fastest": 2400}
LR_TICKS = (1e-5, 3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0)
WD_TICKS = (0.0, 1e-5, 1e-4, 1e-3, 3e-3, 0.01, 0.03, 0.1, 0.3, 1.0)
MAX_PAIRS_CHARS = 200
FULL_BATCH = 5000  # the 2D batch slider's last mark: the whole training set (at most 2,000 points)
BATCH_TICKS_2D = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, FULL_BATCH)


def input_noise_max(dataset: str) -> float:
    """The input-noise top: the exam data set is in score points, the others in unit lengths."""
    return 30.0 if dataset == "exam" else 2.0


@dataclass(frozen=True)
class Playground2DConfig(QueryConfig):
    # data
    dataset: str = choice("moons", DATASET_KEYS)
    n_samples: int = number(400, 20, 2000, step=20)
    input_noise: float = number(0.2, 0.0, 30.0)  # per data set at most input_noise_max(dataset)
    test_fraction: float = number(0.3, 0.05, 0.9, step=0.05)
    n_classes: int = number(3, 3, 6, step=1)
    noise_kind: str = choice("none", NOISE_KINDS)
    noise_rate: float = number(0.2, 0.0, 1.0, step=0.01)
    noise_pairs: str = "0>1"
    seed: int = number(0, 0, 2**31 - 1, step=1)
    # hand edits of the training points, applied WITHOUT a rebuild (not in data_key): "a0.51,1.2,1;f17,0;r30"
    # (core/data/edits.py; a click on the live boundary adds one)
    edits: str = ""
    # model
    model: str = choice("mlp", MODELS_2D)
    depth: int = number(2, 1, 6, step=1)
    width: int = number(16, 1, 64, step=1)
    last_width: int = number(0, 0, 64, step=1)  # units of the MLP's last hidden layer; 0: width, like the others
    activation: str = choice("relu", tuple(ACTIVATIONS))
    bias: bool = True  # logistic regression only: False is w·x, its bias fixed at 0
    features: str = ",".join(PLAIN_FEATURES)  # the feature inputs (core.learning.models.FEATURES), registry order
    # training: these act on a running model without a reset
    loss: str = choice("cross_entropy", tuple(LOSSES))
    loss_params: tuple = ()
    optimizer: str = choice("adam", tuple(OPTIMIZERS))
    lr: float = number(0.01, 1e-5, 100.0, ticks=LR_TICKS)
    batch_size: int = number(16, 1, FULL_BATCH, ticks=BATCH_TICKS_2D)
    weight_decay: float = number(0.0, 0.0, 1.0, ticks=WD_TICKS)
    wd_mode: str = choice("l2", WEIGHT_DECAY_MODES)
    speed: str = choice("normal", SPEEDS)

    def __post_init__(self):
        if self.loss in LOSSES:
            object.__setattr__(self, "loss_params", normalised_loss_params(self.loss, self.loss_params))
        if not self.takes_n_classes():
            # its own class count rules: one value, so links and data keys never differ by an unused number
            object.__setattr__(self, "n_classes", self.__dataclass_fields__["n_classes"].default)

    def to_query(self) -> dict[str, str]:
        out = super().to_query()
        if not self.takes_n_classes():
            del out["n_classes"]  # a two-class data set's link names no class count (an old link's still loads)
        return out

    def validated(self, warnings: list | None = None):
        from core.data.data2d import CSV_MAX_CLASSES
        from core.data.noise import parse_pairs
        fixed = self
        try:  # the feature inputs: known, each once, at least one; written in the registry's order
            canonical = features_text(parse_features(self.features))
            if canonical != self.features:
                fixed = fixed.replace(features=canonical)
        except ValueError:
            if warnings is not None:
                warnings.append(Warning_("warn.url.bad_value", {"key": "features", "value": str(self.features)[:40]}))
            fixed = fixed.replace(features=type(self)().features)
        fixed = edits_validated(fixed, warnings)
        top = input_noise_max(self.dataset)
        if self.input_noise > top:
            if warnings is not None:
                warnings.append(Warning_("warn.url.bad_value", {"key": "input_noise", "value": repr(self.input_noise)}))
            fixed = fixed.replace(input_noise=type(self)().input_noise)
        if self.noise_pairs != type(self)().noise_pairs:
            # Used: valid for this data set's classes. Unused: still shown and shared, so at least
            # well-formed pairs of classes any data set could have (no junk kept in links).
            classes = self.class_count() if self.noise_kind == "pairs" else CSV_MAX_CLASSES
            try:
                if len(self.noise_pairs) > MAX_PAIRS_CHARS:
                    raise ValueError("too long")
                parse_pairs(self.noise_pairs, classes)
            except ValueError:
                if warnings is not None:
                    warnings.append(Warning_("warn.url.bad_value", {"key": "noise_pairs", "value": self.noise_pairs[:40]}))
                fixed = fixed.replace(noise_pairs="0>1")
        return fixed

    def takes_n_classes(self) -> bool:
        """Only the adjustable multiclass sets read n_classes (the others have their own; an upload, the file's)."""
        from core.data.data2d import DATASETS
        spec = DATASETS.get(self.dataset)
        return spec is not None and spec.classes_adjustable

    def class_count(self, uploaded_classes: int | None = None) -> int:
        from core.data.data2d import DATASETS
        if self.dataset == "upload":
            return uploaded_classes or 2
        spec = DATASETS[self.dataset]
        return self.n_classes if spec.classes_adjustable else spec.n_classes

    @property
    def loss_kwargs(self) -> dict[str, float]:
        return dict(self.loss_params)

    def data_key(self) -> tuple:
        """Fields whose change rebuilds the data (and so the model)."""
        return (self.dataset, self.n_samples, self.input_noise, self.test_fraction, self.n_classes,
                self.noise_kind, self.noise_rate, self.noise_pairs, self.seed)

    def model_key(self) -> tuple:
        """Fields whose change rebuilds the model with fresh initial weights."""
        return (self.model, self.depth, self.width, self.last_width, self.activation, self.bias, self.features,
                self.seed)

    def feature_keys(self) -> tuple[str, ...]:
        """The feature inputs as registry keys (the plain (x₁, x₂) for a value validated() would refuse)."""
        try:
            return parse_features(self.features)
        except ValueError:
            return PLAIN_FEATURES

    def hidden_sizes(self) -> list[int]:
        """The MLP's hidden layer sizes (the logistic model has none)."""
        return hidden_sizes(self.depth, self.width, self.last_width) if self.model == "mlp" else []


# ---- the view: how a page is shown, not what it trains ----
SIDE_VIEWS = ("none", "params", "hidden", "units", "network")  # what the 2D page can show beside the boundary
SHOW_NAMES = ("unit_lines", "regions", "pull", "explain")  # the 2D page's view checkboxes
LANGUAGE_CONTROL = "language"  # hide=language: the language switch
MAX_NAMES = 40
_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}")


@dataclass(frozen=True)
class ViewConfig(QueryConfig):
    """The view's part of a link, in the same schema as a run's settings (TensorFlow Playground's state.ts
    keeps both in one table): parsed once from the address, written once with the settings. Like the
    language, a view never changes a run; a value the page cannot show falls back to the default view."""
    lang: str = DEFAULT_LANGUAGE  # the reader's language (another value: the default, said nowhere)
    present: str = ""             # "1": presentation (no sidebar, larger text)
    hide: str = ""                # the controls a teacher's link hides, by setting name, and "language"
    lesson: str = ""              # the lesson whose banner is up
    side: str = choice("none", SIDE_VIEWS)  # the 2D page's view beside the boundary
    show: str = ""                # the 2D page's view checkboxes that are ticked

    @classmethod
    def from_link(cls, params: Mapping[str, Any]) -> tuple["ViewConfig", list[Warning_]]:
        """The view of a link's parameters (the others are the page's settings)."""
        return cls.from_query({k: v for k, v in params.items() if k in VIEW_PARAMS}, ignore=())

    @property
    def language(self) -> str:
        return self.lang if self.lang in LANGUAGES else DEFAULT_LANGUAGE

    @property
    def presenting(self) -> bool:
        return self.present in ("1", "true")

    def hidden(self, allowed: set[str]) -> tuple[tuple[str, ...], list[Warning_]]:
        """The names of hide= among `allowed` (the page's settings and "language"), each once; the rest reported."""
        names, warnings = [], []
        for name in _names(self.hide):
            if _NAME.fullmatch(name) and name in allowed:
                if name not in names:
                    names.append(name)
            else:
                warnings.append(Warning_("warn.view.hide_unknown", {"value": name}))
        return tuple(names), warnings

    def shown(self) -> tuple[tuple[str, ...], list[Warning_]]:
        """The view checkboxes show= ticks; an unknown name is reported."""
        names = [n for n in _names(self.show)[:len(SHOW_NAMES) + 4]]
        return (tuple(n for n in names if n in SHOW_NAMES),
                [Warning_("warn.url.bad_value", {"key": "show", "value": n[:40]}) for n in names if n not in SHOW_NAMES])

    def to_query(self) -> dict[str, str]:
        """The language, and what else differs from the default view: a plain link stays plain."""
        default = ViewConfig()
        return {f.name: str(getattr(self, f.name)) for f in dataclasses.fields(self)
                if f.name == "lang" or getattr(self, f.name) != getattr(default, f.name)}


def _names(text: str) -> list[str]:
    return [n.strip() for n in str(text).split(",") if n.strip()][:MAX_NAMES]


# URL params of the view, not of the run: no run setting may take one of these names
VIEW_PARAMS = tuple(f.name for f in dataclasses.fields(ViewConfig))
