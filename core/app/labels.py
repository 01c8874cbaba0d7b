"""Run labels and the common yardstick, as data: Msg parts rendered in the reader's language.

A Compare run is labelled by what differs between the runs ("Run 2 · GCE q=0.7 · SGD 0.1"), one
small formatter per overridable field; the page translates the parts at display time, so a label
follows the language. The yardstick measures every run the same way whatever its training loss:
cross-entropy and accuracy of its test logits.
"""
from __future__ import annotations

from functools import partial

import torch
import torch.nn.functional as F

from core.runs.config import LOSS_PARAM_PREFIX
from core.i18n import Msg

SEPARATOR = " · "


def _num(value: str) -> str:
    try:
        return f"{float(value):g}"
    except ValueError:
        return str(value)


# A loss parameter by its symbol, as its formula writes it: the same in every language ("ε=0.1", not "eps=0.1").
_SYMBOLS = {"\\varepsilon": "ε", "\\epsilon": "ε", "\\delta": "δ", "\\gamma": "γ", "\\tau": "τ", "\\alpha": "α"}


def _param_parts(q: dict, registry: dict) -> list[str]:
    spec = registry.get(q.get("loss"))
    symbols = {p.name: _SYMBOLS.get(p.symbol, p.symbol) for p in getattr(spec, "params", ())}
    names = sorted(k[len(LOSS_PARAM_PREFIX):] for k in q if k.startswith(LOSS_PARAM_PREFIX))
    return [f"{symbols.get(n, n)}={_num(q[LOSS_PARAM_PREFIX + n])}" for n in names]


def _loss(q: dict, differs: set) -> list:
    """The loss by its short name, with its parameters ("GCE q=0.7")."""
    from core.learning.losses import LOSSES
    return [_Joined([Msg("lbl.loss." + q["loss"])] + _param_parts(q, LOSSES))]


class _Joined:
    """Parts joined by spaces, each rendered in the label's language."""

    def __init__(self, parts: list):
        self.parts = parts

    def text(self, lang: str = "en") -> str:
        return " ".join(render(p, lang) for p in self.parts)

    def __eq__(self, other) -> bool:
        return isinstance(other, _Joined) and self.parts == other.parts

    def __repr__(self) -> str:
        return f"_Joined({self.parts!r})"


def _optimizer(q: dict, differs: set) -> list:
    """"SGD 0.1" when optimizer and lr differ, "SGD" or "lr 0.1" when only one does."""
    if "optimizer" in differs:
        parts = [Msg("lbl.opt." + q["optimizer"])] + ([_num(q["lr"])] if "lr" in differs else [])
        return [_Joined(parts)]
    return [Msg("lbl.lr", lr=_num(q["lr"]))]


def _model(q: dict, differs: set) -> list:
    out = [Msg("lbl.model." + q["model"])] if "model" in differs else []
    logistic = q.get("model") == "logistic"
    if differs & {"depth", "width", "last_width"} and not logistic:
        if q.get("last_width", "0") != "0":
            out.append(Msg("lbl.layers_last", depth=q["depth"], width=q["width"], last=q["last_width"]))
        else:
            out.append(Msg("lbl.layers", depth=q["depth"], width=q["width"]))
    if "activation" in differs and not logistic:
        out.append(Msg("act." + q["activation"]))
    if "bias" in differs and logistic:
        out.append(Msg("lbl.bias" if q.get("bias", "1") == "1" else "lbl.no_bias"))
    if "features" in differs:  # the inputs by their names: "x₁², x₂²"
        from core.learning.models import FEATURES, parse_features
        try:
            names = ", ".join(FEATURES[k].label for k in parse_features(q.get("features", "x1,x2")))
        except ValueError:
            names = "x₁, x₂"
        out.append(Msg("lbl.features", names=names))
    return out


# field group -> (the fields it covers, formatter); the order of a label
FORMATTERS = (
    (("model", "depth", "width", "last_width", "activation", "bias", "features"), _model),
    (("loss",), _loss),
    (("optimizer", "lr"), _optimizer),
    (("batch_size",), lambda q, d: [Msg("lbl.batch", n=q["batch_size"])]),
    (("weight_decay",), lambda q, d: [Msg("lbl.wd", wd=_num(q["weight_decay"]))]),
    (("wd_mode",), lambda q, d: [Msg("wd." + q["wd_mode"])]),
    (("noise_rate",), lambda q, d: [Msg("lbl.noise", rate=f"{float(q['noise_rate']):.0%}")]),
)


def _rloss(q: dict, differs: set) -> list:
    """A regression loss by its short name, with its parameters ("Huber δ=0.5")."""
    from core.learning.regression_losses import REGRESSION_LOSSES
    return [_Joined([Msg("lbl.rloss." + q["loss"])] + _param_parts(q, REGRESSION_LOSSES))]


def _rmodel(q: dict, differs: set) -> list:
    """A regression model: its kind, and its degree (polynomial) or layers and activation (MLP) where they differ."""
    out = [Msg("lbl.model." + q["model"])] if "model" in differs else []
    if q.get("model") == "polynomial" and "degree" in differs:
        out.append(Msg("lbl.degree", n=q["degree"]))
    if q.get("model") == "mlp":
        if differs & {"depth", "width"}:
            out.append(Msg("lbl.layers", depth=q["depth"], width=q["width"]))
        if "activation" in differs:
            out.append(Msg("act." + q["activation"]))
    return out


# the regression comparison's label (core/compare.OVERRIDABLE["regression"])
REGRESSION_FORMATTERS = (
    (("model", "degree", "depth", "width", "activation"), _rmodel),
    (("loss",), _rloss),
    (("optimizer", "lr"), _optimizer),
    (("batch_size",), lambda q, d: [Msg("lbl.batch", n=q["batch_size"])]),
    (("band",), lambda q, d: [Msg("lbl.band" if q.get("band") == "1" else "lbl.no_band")]),
)


def differing_fields(spec) -> set:
    """Overridable fields whose value is not the same in every run (loss.* params included)."""
    queries = [{**spec.base, **over} for over in spec.overrides]
    keys = set().union(*spec.overrides)
    return {k for k in keys if len({q.get(k) for q in queries}) > 1}


def run_labels(spec) -> list[tuple]:
    """One label per run of a CompareConfig: a tuple of parts (Msg or plain text)."""
    differs = differing_fields(spec)
    loss_params = {k for k in differs if k.startswith(LOSS_PARAM_PREFIX)}
    labels = []
    for i, over in enumerate(spec.overrides, start=1):
        q = {**spec.base, **over}
        # only this run's own loss parameters (the base may carry another loss's)
        if "loss" in over:
            q = {k: v for k, v in q.items() if not k.startswith(LOSS_PARAM_PREFIX) or k in over}
        parts = [Msg("cmp.run_label", n=i)]
        for fields, formatter in (REGRESSION_FORMATTERS if spec.kind == "regression" else FORMATTERS):
            if differs & set(fields) or (fields == ("loss",) and loss_params):
                parts.extend(formatter(q, differs))
        labels.append(tuple(parts))
    return labels


def render(part, lang: str) -> str:
    return part.text(lang) if isinstance(part, (Msg, _Joined, _Trained)) else str(part)


def label_text(parts, lang: str) -> str:
    """A label (or a history title) in a language; a plain string stays as it is."""
    if isinstance(parts, str):
        return parts
    return SEPARATOR.join(render(p, lang) for p in parts)


def yardstick(test_logits: torch.Tensor, y_test: torch.Tensor) -> dict[str, float]:
    """Test cross-entropy and accuracy, the same for every run whatever it trains on. A binary
    model's single logit z is the two-class logits (0, z)."""
    if len(y_test) == 0:
        return {"ce": float("nan"), "acc": float("nan")}
    logits = test_logits.detach().float()
    if logits.ndim == 1:
        logits = torch.stack([torch.zeros_like(logits), logits], dim=1)
    y = y_test.long()
    return {"ce": F.cross_entropy(logits, y).item(), "acc": (logits.argmax(1) == y).float().mean().item()}


def regression_yardstick(predicted, y_test) -> dict[str, float]:
    """Test MAE and RMSE of a regression run's predictions on the clean test targets: the same for every run,
    whatever loss it trains on (each run's own test loss is in its own loss's units)."""
    p = torch.as_tensor(predicted, dtype=torch.float64).reshape(-1)
    y = torch.as_tensor(y_test, dtype=torch.float64).reshape(-1)
    if len(y) == 0:
        return {"mae": float("nan"), "rmse": float("nan")}
    r = p - y
    return {"mae": r.abs().mean().item(), "rmse": r.pow(2).mean().sqrt().item()}


ARROW = "→"
MAX_TRAINED_VALUES = 3  # more changes: the first value, "…", the last


def trained_values(history, kind: str, current: str, same=str) -> list[str]:
    """The values of one setting (a History.events kind: "loss", "rloss", "lr") that the run took steps with,
    in order, each as same(value) gives it. A change no recorded step has used yet is left out: the run has
    not trained with it. `current` when the run has no change of this kind, or no step yet."""
    last = history.step[-1] if history.step else 0
    values, value, since = [], None, 0
    for step, k, old, new in history.events:
        if k != kind:
            continue
        if value is None:
            value = old
        if step > since:  # steps since+1 .. step used `value`
            values.append(value)
        value, since = new, step
    if value is not None and last > since:
        values.append(value)
    values = [same(v) for v in values]
    values = [v for i, v in enumerate(values) if i == 0 or v != values[i - 1]] or [same(current)]
    return values if len(values) <= MAX_TRAINED_VALUES else [values[0], "…", values[-1]]


def _loss_names(prefix: str, values: list[str]):
    parts = [Msg(f"{prefix}.{v}.name") if v != "…" else v for v in values]
    return parts[0] if len(parts) == 1 else _Joined([x for p in parts for x in (ARROW, p)][1:])  # "A → B"


def _lrs(values: list[str]):
    return Msg("lbl.lr", lr=f" {ARROW} ".join(values))  # values already as _num writes them


class _Trained:
    """A title part naming what a run trained with (trained_values), read from its history when shown:
    the title follows the run's steps, also those taken after the page last recorded it."""

    def __init__(self, history, kind: str, current: str, show, same=str):
        self.history, self.kind, self.current, self.show, self.same = history, kind, current, show, same

    def text(self, lang: str = "en") -> str:
        return render(self.show(trained_values(self.history, self.kind, self.current, self.same)), lang)

    def __repr__(self) -> str:
        return f"_Trained({self.kind!r}, {self.current!r})"


def _setting(history, kind: str, current: str, show, same=str):
    """A title part for one setting: as it is now, or (given the run's history) as the run trained with it."""
    return show([same(current)]) if history is None else _Trained(history, kind, current, show, same)


def page_title(page: str, params: dict, history=None) -> tuple:
    """A 2D, MNIST or regression run's history title, as data, from its page and URL params. Given the run's
    History, the loss and lr are those the run trained with ("Cross-entropy → Hinge" once a step used each),
    not a choice made since that no step has used yet."""
    lr = _setting(history, "lr", params.get("lr", ""), _lrs, same=_num)  # an event's "0.01" is the link's "0.01"
    if page == "regression":
        return (Msg("runs.page.regression"), Msg(f"data1d.{params.get('dataset', '')}.name"),
                _setting(history, "rloss", params.get("loss", "mse"), partial(_loss_names, "rloss")), lr)
    loss = (_setting(history, "loss", params.get("loss", "cross_entropy"), partial(_loss_names, "loss")), lr)
    if page == "2d":
        return (Msg("runs.page.2d"), Msg(f"data.{params.get('dataset', '')}.name"), *loss)
    from core.data.mnist_data import DISPLAY_NAMES  # only for MNIST titles (a larger module)
    dataset = params.get("dataset", "")
    noise = params.get("noise_kind", "none")
    return ((DISPLAY_NAMES.get(dataset, dataset), *loss)
            + ((_Joined([Msg("noise." + noise), _num(params.get("noise_rate", "0"))]),) if noise != "none" else ()))


def compare_title(label: tuple) -> tuple:
    """A compared run's history title: the page, then the run's label."""
    return (Msg("nav.compare"), *label)
