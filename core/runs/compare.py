"""What-if comparisons: 2 to 4 runs on identical data, label noise and initial weights.

URL schema: "kind" (2d | mnist | regression), "runs" (2..4), the base config's own keys, and
per-run overrides "r1.<key>" .. "r4.<key>". Run i's config is the page config parsed
from {**base, **overrides_i}. Keys that would change the data are not overridable,
so every run sees the same points; the shared seed gives the same initial weights
(whenever the architecture is the same) and the same label flips (2D, MNIST) or outliers (regression:
the runs share one Regression1D object, build_regression_runs).
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass

from core.runs.config import LOSS_PARAM_PREFIX, VIEW_PARAMS, Playground2DConfig, Warning_
from core.serving.compute_limits import fit_to_server, server_limits
from core.runs.mnist_run import MnistConfig, fit_to_server as fit_mnist_to_server
from core.runs.regression_config import BATCH_TICKS_1D, RegressionConfig
from core.runs.regression_run import build_regression_run
from core.runs import advance_lockstep, update

KINDS = {"2d": Playground2DConfig, "mnist": MnistConfig, "regression": RegressionConfig}
MAX_RUNS = 4
COMPARE_METRICS = ("test_acc", "test_loss", "train_loss", "train_acc_flipped")  # what every run's history holds
REGRESSION_METRICS = ("test_loss", "train_loss")  # a regression comparison: losses only (no accuracy)
# What the Compare page's curve shows: first, one yardstick for every run whatever loss it trains on (test
# cross-entropy; test MAE for regression), then the runs' own metrics (own losses are in different units).
YARDSTICKS = {"classification": "test_ce", "regression": "test_mae"}
COMPARE_CURVES = (YARDSTICKS["classification"],) + COMPARE_METRICS
REGRESSION_CURVES = (YARDSTICKS["regression"],) + REGRESSION_METRICS
# What a run may set for itself ("r<i>.<key>"); each has a per-run widget on the page.
OVERRIDABLE = {
    "2d": ("model", "features", "depth", "width", "last_width", "activation", "bias", "loss", "optimizer", "lr",
           "batch_size", "weight_decay", "wd_mode", "noise_rate"),
    "mnist": ("loss", "optimizer", "lr", "batch_size", "weight_decay", "wd_mode", "noise_rate"),
    # nothing that changes the points or the outliers: every run fits the same data
    "regression": ("model", "degree", "depth", "width", "activation", "loss", "optimizer", "lr", "batch_size", "band",
                   "weight_decay", "wd_mode"),
}
# Base values the page cannot offer: the 2D comparison has no upload (runs share generated data),
# the MNIST one no distillation teacher, the regression one no upload either.
UNAVAILABLE = {"2d": {"dataset": ("upload",)}, "mnist": {"loss": ("distillation",)}, "regression": {"dataset": ("upload",)}}
# settings of the page that mean nothing in a comparison (hand edits: Compare's runs share generated data)
UNUSED = {"2d": ("edits",), "mnist": ("teacher_epochs",), "regression": ("edits",)}
_RUN_KEY = re.compile(r"r([0-9]{1,2})\.(.+)", re.ASCII)  # ASCII digits only: "r²" is no run index


def _overridable(kind: str, key: str) -> bool:
    return key in OVERRIDABLE[kind] or key.startswith(LOSS_PARAM_PREFIX)


def _heavy_once(each: list, together: list) -> list:
    """What the runs gave up to fit the server (core/serving/compute_limits.py), each thing said once: the verdict
    on all runs together, else one run's; a capped batch names the batch the link or widget asked for."""
    out = []
    for code in ("warn.heavy.model", "warn.heavy.batch"):
        said = [w for w in together if w.code == code] or [w for w in each if w.code == code]
        if said and code == "warn.heavy.batch":
            asked = max(w.fields["wanted"] for w in each + said if w.code == code)
            said = [Warning_(code, {**said[0].fields, "wanted": asked})]
        out.extend(said[:1])
    return out


def run_prefix(prefix: str, kind: str, i: int) -> str:
    """The key prefix of run i's widgets (1-based): the regression runs' own, as their losses and batch
    marks are not the classifiers' (a Huber delta of one must not become the other's)."""
    return f"{prefix}reg.r{i}." if kind == "regression" else f"{prefix}r{i}."


@dataclass(frozen=True)
class CompareConfig:
    kind: str
    base: dict          # the base config's URL params
    overrides: tuple    # one dict of URL params per run (only what differs)

    @property
    def config_class(self):
        return KINDS[self.kind]

    @classmethod
    def field_names(cls) -> set[str]:
        """The settings a link may name and hide: those of every kind of run."""
        return set().union(*(k.field_names() for k in KINDS.values()))

    def widget_values(self, prefix: str) -> dict:
        """The Compare page's widget keys and values that show this spec: the kind, the number of runs,
        the shared settings (prefix + "<kind>.<field>"), and each run's own (run_prefix)."""
        out = {prefix + "kind": self.kind, prefix + "runs": len(self.overrides)}
        base = self.config_class.from_query(self.base)[0]
        for key in self.base:
            if not key.startswith(LOSS_PARAM_PREFIX) and hasattr(base, key):
                out[f"{prefix}{self.kind}.{key}"] = getattr(base, key)
        configs = self.configs()
        configs += [base] * (MAX_RUNS - len(configs))  # runs not in the spec start like the base
        for i, config in enumerate(configs, start=1):
            r = run_prefix(prefix, self.kind, i)
            for key in OVERRIDABLE[self.kind]:
                out[r + key] = getattr(config, key)
            for name, value in config.loss_params:
                out[f"{r}loss.{config.loss}.{name}"] = value
        return out

    def configs(self, warnings: list | None = None) -> list:
        out, heavy = [], []
        for i, over in enumerate(self.overrides, start=1):
            config, w = self.config_class.from_query({**self.base, **over})
            heavy += [x for x in w if x.code.startswith("warn.heavy.")]
            if warnings is not None:
                warnings.extend(Warning_(x.code, {**x.fields, "key": f"r{i}.{x.fields.get('key', '')}"})
                                if "key" in x.fields else x for x in w if not x.code.startswith("warn.heavy."))
            out.append(config)
        # the runs step in lockstep: together they must fit what one page may ask of this server
        together: list = []
        if self.kind == "mnist":
            out = fit_mnist_to_server(out, together)
        elif self.kind == "regression":
            out = fit_to_server(out, BATCH_TICKS_1D, together, server_limits("cpu"))  # trained on the CPU
        if warnings is not None:
            warnings.extend(_heavy_once(heavy, together))
        return out

    def to_query(self) -> dict[str, str]:
        out = {"kind": self.kind, "runs": str(len(self.overrides)), **self.base}
        for i, over in enumerate(self.overrides, start=1):
            out.update({f"r{i}.{k}": v for k, v in over.items()})
        return out

    @classmethod
    def from_query(cls, params) -> tuple["CompareConfig", list[Warning_]]:
        warnings: list[Warning_] = []
        params = {k: (v[0] if isinstance(v, (list, tuple)) and v else v) for k, v in dict(params).items()}
        if not params.keys() - set(VIEW_PARAMS):  # a plain address: the page's opening comparison
            return default_comparison(), warnings
        kind = params.pop("kind", "2d")
        if kind not in KINDS:
            warnings.append(Warning_("warn.url.bad_value", {"key": "kind", "value": str(kind)[:40]}))
            kind = "2d"
        raw_runs = params.pop("runs", "2")
        try:
            n_runs = int(raw_runs) if str(raw_runs).isascii() else 0
            if not 2 <= n_runs <= MAX_RUNS:
                raise ValueError
        except (TypeError, ValueError):
            warnings.append(Warning_("warn.url.bad_value", {"key": "runs", "value": str(raw_runs)[:40]}))
            n_runs = 2
        for view_param in VIEW_PARAMS:
            params.pop(view_param, None)
        overrides = [dict() for _ in range(n_runs)]
        base = {}
        for key, value in params.items():
            run_key = _RUN_KEY.fullmatch(key)
            if run_key:
                i, rest = int(run_key[1]), run_key[2]
                if 1 <= i <= n_runs and _overridable(kind, rest):
                    overrides[i - 1][rest] = str(value)
                else:
                    warnings.append(Warning_("warn.url.unknown", {"key": key}))
            elif key in UNUSED[kind]:
                warnings.append(Warning_("warn.url.unknown", {"key": key}))
            elif str(value) in UNAVAILABLE[kind].get(key, ()):
                warnings.append(Warning_("warn.url.bad_value", {"key": key, "value": str(value)[:40]}))
            else:
                base[key] = str(value)
        # Normalise the base through its config class: bad values -> defaults with warnings.
        base_config, base_warnings = KINDS[kind].from_query(base)
        warnings.extend(w for w in base_warnings if not w.code.startswith("warn.heavy."))
        base_heavy = [w for w in base_warnings if w.code.startswith("warn.heavy.")]  # said once, for all runs below
        base = base_config.to_query()
        # A bad override is dropped (the run keeps the base value), with a warning.
        for i, over in enumerate(overrides, start=1):
            plain = {k: v for k, v in over.items() if not k.startswith(LOSS_PARAM_PREFIX)}
            for key in list(over):
                # loss params are judged against this run's own loss
                context = {**base, **plain} if key.startswith(LOSS_PARAM_PREFIX) else base
                judged = KINDS[kind].from_query({**context, key: over[key]})[1]
                # only this key's own verdict counts (a base loss.q is foreign to another run's loss)
                if over[key] in UNAVAILABLE[kind].get(key, ()) or any(w.fields.get("key") == key for w in judged):
                    warnings.append(Warning_("warn.url.bad_value", {"key": f"r{i}.{key}", "value": over.pop(key)[:40]}))
        together: list = []
        spec = cls(kind, base, tuple(overrides)).normalised(together)
        warnings.extend(_heavy_once(base_heavy, together))
        return spec, warnings

    def normalised(self, warnings: list | None = None) -> "CompareConfig":
        """One canonical form of the same runs: the base is run 1's validated config, and each
        run overrides only what differs from it (so a link and the page's widgets agree). `warnings`
        gets what the runs together had to give up to fit this server (core/serving/compute_limits.py)."""
        said: list = []
        configs = self.configs(said)
        if warnings is not None:
            warnings.extend(w for w in said if w.code.startswith("warn.heavy.") and w not in warnings)
        base_q = {k: v for k, v in configs[0].to_query().items() if k not in UNUSED[self.kind]}
        overrides = []
        for config in configs:
            q = config.to_query()
            overrides.append({k: v for k, v in q.items() if _overridable(self.kind, k) and base_q.get(k) != v})
        return CompareConfig(self.kind, base_q, tuple(overrides))


def default_comparison(kind: str = "2d") -> CompareConfig:
    base = KINDS[kind]()
    if kind == "2d":
        base = dataclasses.replace(base, noise_kind="symmetric", noise_rate=0.3)
        overrides = ({"loss": "cross_entropy"}, {"loss": "gce", "loss.q": "0.7"})
    elif kind == "regression":  # the "MSE vs MAE with outliers" lesson's data, three losses side by side
        base = dataclasses.replace(base, dataset="linear", n_samples=200, noise=0.3, outlier_fraction=0.1,
                                   outlier_size=8.0, outlier_side="up", model="linear", lr=0.03)
        overrides = ({"loss": "mse"}, {"loss": "mae"}, {"loss": "huber"})
    else:
        base = dataclasses.replace(base, n_train=5000)
        overrides = ({"loss": "cross_entropy"}, {"loss": "label_smoothing", "loss.eps": "0.1"})
    return CompareConfig(kind, base.to_query(), overrides).normalised()


def build_regression_runs(old: list, configs: list) -> tuple[list, list[str]]:
    """The regression runs of a comparison, (runs, changes): ONE Regression1D shared by all (the first run's,
    so the same points and outliers), each run updated in place where it can be (core.runs.update:
    'same', 'live', 'model') and all rebuilt on new data ('data'). `old`: the last runs or Nones."""
    first = old[0] if old else None
    if first is None or first.config.data_key() != configs[0].data_key() or len(old) != len(configs):
        head = build_regression_run(configs[0])
        return [head] + [build_regression_run(c, data=head.data) for c in configs[1:]], ["data"] * len(configs)
    runs, changes = [], []
    for run, config in zip(old, configs):
        new, change = update(run, config, build_regression_run)  # the data key is the same: keeps run.data
        runs.append(new)
        changes.append(change)
    return runs, changes


def advance_regression(runs: list, steps: int, seconds: float | None = None, min_train_share: float = 0.0) -> int:
    """Every regression run, and each one's quantile band, by the same number of steps within one budget."""
    return advance_lockstep([m for run in runs for m in run.members], steps, seconds, min_train_share=min_train_share)
