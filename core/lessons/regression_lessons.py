"""Two teaching pieces of the Regression page, pure numpy: "Why square?" and the inventory lesson.

Why square?
* `error_summaries(errors)`: the plain mean error, MSE (the mean of r², the registry's convention, no ½),
  MAE, and each error's share of MSE and of MAE. Errors of +5 and −5 cancel in the plain mean; MSE gives
  the one large error of (1, 1, 1, 1, 6) most of its total, though MAE rates it like (2, 2, 2, 2, 2).
* `descent_paths(y, lr, steps)`: full-batch gradient descent of a constant model θ on fixed targets y with
  each loss's own numpy gradient (core/learning/regression_losses.py). With ŷ_i = θ for every i, dL/dθ = Σ_i dL/dŷ_i:
  MSE's is 2(θ − mean y), which shrinks near the mean, so θ_t − mean = (1 − 2·lr)^t (θ_0 − mean); MAE's is
  (#{y_i < θ} − #{y_i > θ})/N, which does not shrink near the median and jumps across it, so θ ends
  chattering around the median in steps of lr·(its size there).

The inventory lesson: order θ units every day; each unit short costs a, each unit left over costs b.
* `inventory_costs(demand, a, b, thetas)`: L(θ) = mean(a·max(d − θ, 0) + b·max(θ − d, 0)) and its right
  derivative b·(share of d ≤ θ) − a·(share of d > θ): the weighted count of demand points below and above θ.
* `inventory_minimiser(demand, a, b)`: the smallest θ where that slope is ≥ 0. The slope only grows and
  changes only at data points, so θ* is a data point, L falls up to θ* and never falls after it (θ* is a
  minimiser of L), and θ* is the empirical τ-quantile, τ = a/(a + b), in the inverse-CDF sense: the smallest
  demand value with at least a share τ of the demand at or below it (np.quantile's "inverted_cdf"; it lies
  between the two data points np.quantile's default interpolates between).
* `inventory_frame(run, a, b)`: L(θ) as a "plot" canvas frame with the quantile and the run's θ.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from core.pictures.inside_frames import axes
from core.pictures.regression_frames import curve
from core.learning.regression_losses import REGRESSION_LOSSES, asymmetric_tau, regression_loss_grad
from core.runs.regression_run import load_data
from core.pictures.render import PlotBox

# ---------------------------------------------------------------- why square?


@dataclass(frozen=True)
class ErrorExample:
    key: str  # its caption: core/i18n.py f"why.example.{key}"
    errors: tuple[float, ...]  # residuals r = ŷ − y


EXAMPLES = (
    ErrorExample("cancel", (5.0, -5.0)),  # plain mean 0, MSE 25, MAE 5
    ErrorExample("even", (2.0, 2.0, 2.0, 2.0, 2.0)),  # MSE 4, MAE 2
    ErrorExample("one_big", (1.0, 1.0, 1.0, 1.0, 6.0)),  # MSE 8, MAE 2: the 6 holds 90% of MSE, 60% of MAE
)


@dataclass(frozen=True)
class ErrorSummary:
    errors: tuple[float, ...]
    mean_error: float  # plain mean of r: opposite errors cancel
    mse: float  # mean of r²
    mae: float  # mean of |r|
    mse_share: tuple[float, ...]  # r_i² / Σ r²  (all 0 when every error is 0)
    mae_share: tuple[float, ...]  # |r_i| / Σ |r|


def _shares(v: np.ndarray) -> tuple[float, ...]:
    total = float(v.sum())
    return tuple(float(x) for x in (v / total if total > 0 else np.zeros_like(v)))


def error_summaries(errors) -> ErrorSummary:
    r = np.asarray(errors, dtype=np.float64).reshape(-1)
    if not len(r):
        raise ValueError("need at least one error")
    if not np.isfinite(r).all():
        raise ValueError("errors must be finite")
    sq, ab = r**2, np.abs(r)
    return ErrorSummary(tuple(float(x) for x in r), float(r.mean()), float(sq.mean()), float(ab.mean()),
                        _shares(sq), _shares(ab))


# The descent the page shows: mean 4, median 3 (the 10 pulls the mean, not the median). θ_0 = 0, lr = 0.2:
# MSE keeps 1 − 2·0.2 = 0.6 of its distance to 4 each step; MAE climbs 0.2 a step while all
# five targets lie above, 0.12 a step between 1 and 3 (3 of 5 above, 1 below), then chatters 2.96 ↔ 3.08.
DESCENT_TARGETS = (1.0, 3.0, 3.0, 3.0, 10.0)
DESCENT_LR = 0.2
DESCENT_STEPS = 50
DESCENT_THETA0 = 0.0
CHATTER_WINDOW = 20  # the last steps whose range measures the chatter


def descent_paths(y, lr: float = DESCENT_LR, steps: int = DESCENT_STEPS, losses=("mse", "mae"),
                  theta0: float = DESCENT_THETA0, **params) -> dict[str, np.ndarray]:
    """{loss: θ_0 … θ_steps (float64, steps + 1 values)}: θ ← θ − lr·dL/dθ with L the loss's mean over y and
    dL/dθ = Σ_i dL/dŷ_i (the registry's numpy gradient; ŷ_i = θ). `params` go to losses that take them."""
    y = np.asarray(y, dtype=np.float64).reshape(-1)
    if not len(y) or not np.isfinite(y).all():
        raise ValueError("need finite targets")
    if not (lr > 0 and np.isfinite(lr)):
        raise ValueError(f"lr must be a finite number > 0, got {lr}")
    if int(steps) != steps or steps < 0:
        raise ValueError(f"steps must be an integer >= 0, got {steps}")
    out = {}
    for key in losses:
        names = {p.name for p in REGRESSION_LOSSES[key].params}
        own = {k: v for k, v in params.items() if k in names}
        theta, path = float(theta0), [float(theta0)]
        for _ in range(int(steps)):
            theta -= lr * float(regression_loss_grad(key, np.full_like(y, theta), y, **own).sum())
            path.append(theta)
        out[key] = np.array(path)
    return out


def chatter(path: np.ndarray, window: int = CHATTER_WINDOW) -> float:
    """max − min of the path's last `window` values: 0 once it has settled."""
    tail = np.asarray(path, dtype=np.float64)[-window:]
    return float(tail.max() - tail.min())


# ---------------------------------------------------------------- the inventory lesson

LESSON_COSTS = (4.0, 1.0)  # shortage a, surplus b: τ = 0.8
INVENTORY = PlotBox(width=460, height=220, left=46, bottom=36, top=8, right=10)
COST_POINTS = 240  # θ values the cost curve is evaluated at
COST_COLOUR = "#9467bd"
SLOPE_ROUNDING = 1e-12  # a slope within this share of a + b of 0 counts as 0 (e.g. 0.7·3 − 0.3·7 in floats)


def _demand(demand) -> np.ndarray:
    d = np.asarray(demand, dtype=np.float64).reshape(-1)
    if not len(d) or not np.isfinite(d).all():
        raise ValueError("need finite demand values")
    return d


def inventory_costs(demand, a: float, b: float, thetas) -> tuple[np.ndarray, np.ndarray]:
    """(L(θ), slope) for each θ: L = mean(a·max(d − θ, 0) + b·max(θ − d, 0)), slope = its right derivative
    b·(share of d ≤ θ) − a·(share of d > θ)."""
    asymmetric_tau(a, b)  # checks the costs
    d = np.sort(_demand(demand))
    th = np.asarray(thetas, dtype=np.float64)
    flat = th.reshape(-1)
    diff = d[None, :] - flat[:, None]
    cost = (a * np.maximum(diff, 0.0) + b * np.maximum(-diff, 0.0)).mean(axis=1)
    k = np.searchsorted(d, flat, side="right")  # how many d ≤ θ
    slope = (b * k - a * (len(d) - k)) / len(d)  # counts first: exactly 0 where it should be (integer costs)
    return cost.reshape(th.shape), slope.reshape(th.shape)


def inventory_minimiser(demand, a: float, b: float) -> float:
    """The smallest demand value at which the slope of L is ≥ 0: a minimiser of L and the empirical
    τ-quantile with τ = a/(a + b) (np.quantile(demand, τ, method="inverted_cdf"))."""
    d = np.unique(_demand(demand))
    _, slope = inventory_costs(demand, a, b, d)
    # ≥ 0 up to rounding: where the slope is 0 in exact arithmetic (L flat to the next point), the left end
    ok = slope >= -SLOPE_ROUNDING * (a + b)
    return float(d[int(np.argmax(ok))])  # the largest value's slope is b ≥ 0: always found


def lesson_costs(loss: str, loss_params: dict) -> tuple[float, float, bool]:
    """(a, b, from_the_loss): the run's own costs for "asymmetric", (τ, 1 − τ) for "pinball" (the same
    quantile), else the lesson's (4, 1) and False."""
    if loss == "asymmetric":
        return float(loss_params.get("a", LESSON_COSTS[0])), float(loss_params.get("b", LESSON_COSTS[1])), True
    if loss == "pinball":
        tau = float(loss_params.get("tau", REGRESSION_LOSSES["pinball"].params[0].default))
        return tau, 1.0 - tau, True
    return LESSON_COSTS[0], LESSON_COSTS[1], False


def is_inventory_run(run) -> bool:
    return run is not None and run.config.model == "constant" and run.config.dataset == "demand"


def run_theta(run) -> float:
    """The constant model's θ."""
    return float(run.trainer.model.net.theta.detach()[0])


def run_demand(run) -> np.ndarray:
    """The targets the run trains on (float64): the demand of the inventory lesson."""
    return run.trainer.data.y_given.numpy().astype(np.float64)


def inventory_info(run, a: float, b: float) -> dict:
    """The lesson's numbers for the run's θ: the quantile θ* (τ = a/(a + b)), L at both, the slope of L at θ
    from the right and from the left, and how many demand points lie above θ and at or below it.
    `advice`: "raise" (the right slope is < 0: a·#above > b·#at-or-below), "lower" (the left slope is > 0:
    b·#below > a·#at-or-above), else "hold" (θ is a minimiser)."""
    demand = run_demand(run)
    theta, q = run_theta(run), inventory_minimiser(demand, a, b)
    (c_theta, c_q), (s_theta, _) = inventory_costs(demand, a, b, [theta, q])
    n = len(demand)
    at_or_below, below = int((demand <= theta).sum()), int((demand < theta).sum())
    s_left = (b * below - a * (n - below)) / n
    tol = SLOPE_ROUNDING * (a + b)
    advice = "raise" if s_theta < -tol else "lower" if s_left > tol else "hold"
    return {"theta": theta, "quantile": q, "tau": asymmetric_tau(a, b), "a": float(a), "b": float(b),
            "cost_theta": float(c_theta), "cost_quantile": float(c_q), "slope_theta": float(s_theta),
            "slope_left": float(s_left), "above": n - at_or_below, "at_or_below": at_or_below, "points": n,
            "advice": advice}


def zero_lesson_numbers(config) -> dict:
    """The numbers the "Loss = 0" section names, of the lesson's own settings (a RegressionConfig): the
    polynomial's degree and coefficients, the points, the test share and the training points left."""
    return {"degree": config.degree, "coefficients": config.degree + 1, "points": config.n_samples,
            "test": f"{config.test_fraction:g}", "train": load_data(config).n_train}


def inventory_frame(run, a: float, b: float, x_title: str = "θ", y_title: str = "L(θ)") -> dict | None:
    """L(θ) on the run's training targets (what it trains on) as a "plot" frame: the cost curve, a vertical
    line at the empirical quantile, a marker at the run's θ on the curve; info = inventory_info plus the
    plot's bounds. None for a model that is not the constant one."""
    if not hasattr(run.trainer.model.net, "theta"):
        return None
    demand, info = run_demand(run), inventory_info(run, a, b)
    theta, q = info["theta"], info["quantile"]
    lo, hi = min(float(demand.min()), theta), max(float(demand.max()), theta)
    span = (hi - lo) or 1.0
    lo, hi = lo - 0.05 * span, hi + 0.05 * span
    ts = np.linspace(lo, hi, COST_POINTS)
    costs, _ = inventory_costs(demand, a, b, ts)
    c_lo, c_hi = min(float(costs.min()), info["cost_quantile"]), max(float(costs.max()), info["cost_theta"])
    pad = 0.08 * ((c_hi - c_lo) or 1.0)
    bounds = (lo, hi, c_lo - pad, c_hi + pad)
    layout, out = axes(bounds, x_title, y_title, INVENTORY)
    out["curves"] = [curve(layout, ts, costs, COST_COLOUR)]
    out["lines"] = [layout.segment(((q, bounds[2]), (q, bounds[3])))]
    out["marker"] = layout.segment(((theta, info["cost_theta"]), (theta, info["cost_theta"])))[:2]
    out["step"] = int(run.trainer.steps)
    out["info"] = info | {"bounds": [float(v) for v in bounds]}
    return out
