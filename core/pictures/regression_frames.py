"""The Regression page's live view as canvas data (ui/live_canvas.js "plot" frames): the fitted curve over
the train and test points (outliers ringed, the truth dashed, the quantile band), and the residuals
r = ŷ − y of the training points against x. Data, not pictures, like core/pictures/frame_data.py."""
from __future__ import annotations

import math

import numpy as np

from core.pictures.frame_data import Layout, b64, bits, points_xy
from core.pictures.inside_frames import axes
from core.learning.regression_losses import REGRESSION_LOSSES, asymmetric_tau
from core.runs.regression_run import RegressionRun, predict
from core.pictures.render import PlotBox

FIT = PlotBox(width=460, height=330, left=46, bottom=36, top=8, right=10)
RESIDUALS = PlotBox(width=460, height=200, left=46, bottom=36, top=8, right=10)
CURVE_POINTS = 240  # x positions the fitted curve is evaluated at
POINT_COLOURS = ["#1f77b4", "#ff7f0e"]  # train, test
FIT_COLOUR, TRUTH_COLOUR, BAND_COLOUR = "#d62728", "#555555", "#2ca02c"
# Axis titles (core/i18n.py keys) of the data sets whose x and y mean more than "x" and "y"
AXIS_TITLES = {"demand": ("data1d.demand.x_axis", "data1d.demand.y_axis")}
# The residual axis: ±(a round number) above every residual with this much room, so the largest one's
# point is drawn whole; it narrows only once the residuals would fit in a RESIDUAL_SHRINK-th of it.
RESIDUAL_ROOM = 1.1
RESIDUAL_SHRINK = 4.0
ROUND_STEPS = (1.0, 1.5, 2.0, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def curve(layout, x: np.ndarray, y: np.ndarray, colour: str, width: float = 2.5, dash: bool = False,
          **tags) -> dict:
    """A curve of a "plot" frame; tags (e.g. role, run) are for tests and tools: the browser draws xy,
    colour, width and dash."""
    return {"xy": points_xy(layout, np.stack([x, y], 1)), "colour": colour, "width": width, "dash": dash} | tags


def data_plot(d, frame: PlotBox, x_title: str, y_title: str, point_colours: list[str],
              **truth_tags) -> tuple[Layout, dict, np.ndarray]:
    """A regression plot of data set d before any model's curve: (layout, frame data, the curves' x).
    The frame holds the points (train then test; the training outliers ringed) in point_colours and, when
    the data has one, the truth (its conditional median) dashed as its first curve, tagged truth_tags."""
    x_lo, x_hi, y_lo, y_hi = d.bounds()
    layout, out = axes((x_lo, x_hi, y_lo, y_hi), x_title, y_title, frame)
    x_train, x_test = d.x_train.numpy().reshape(-1), d.x_test.numpy().reshape(-1)
    xy = np.concatenate([np.stack([x_train, d.y_train.numpy()], 1), np.stack([x_test, d.y_test.numpy()], 1)])
    labels = np.concatenate([np.zeros(len(x_train)), np.ones(len(x_test))]).astype(np.uint8)
    out["points"] = {"n": int(len(xy)), "xy": points_xy(layout, xy), "label": b64(labels),
                     "flip": bits(np.concatenate([d.outliers.numpy(), np.zeros(len(x_test), bool)]))}
    out["colours"] = point_colours
    xs = np.linspace(x_lo, x_hi, CURVE_POINTS)
    out["curves"] = [curve(layout, xs, d.truth(xs), TRUTH_COLOUR, 1.5, True, **truth_tags)] if d.has_truth else []
    return layout, out, xs


def fit_frame(run: RegressionRun, x_title: str = "x", y_title: str = "y") -> dict:
    """Points (train, test; outliers ringed), the model's curve, the truth (the data's conditional median,
    dashed) and, with the band on, its three quantile curves."""
    d = run.data
    layout, out, xs = data_plot(d, FIT, x_title, y_title, POINT_COLOURS)
    for member in run.band:
        out["curves"].append(curve(layout, xs, predict(member, xs), BAND_COLOUR, 1.5))
    out["curves"].append(curve(layout, xs, predict(run, xs), FIT_COLOUR))
    out["step"] = int(run.trainer.steps)
    # the view in data units: a click on it adds a point there (ui/live_canvas.js dataAt, ui/canvas_edits.py)
    out["bounds"] = [float(v) for v in d.bounds()]
    out["info"] = {"points": out["points"]["n"], "outliers": int(d.outliers.sum()), "band": len(run.band)}
    return out


def round_up(v: float) -> float:
    """The smallest of 1, 1.5, 2, 3, 4, 5, 6, 8 × 10^k that is ≥ v (> 0)."""
    k = math.floor(math.log10(v))
    for m in ROUND_STEPS:
        if m * 10.0**k >= v * (1 - 1e-12):
            return float(f"{m * 10.0**k:.12g}")
    return float(f"{10.0 ** (k + 1):.12g}")


def residual_half_range(r: np.ndarray, floor: float, current: float = 0.0) -> float:
    """Half the residual axis: a round number at least `floor` and above every finite residual with
    RESIDUAL_ROOM to spare. It grows at once and keeps `current` while that still fits, narrowing only when
    the residuals would fit a RESIDUAL_SHRINK-th of it: the view does not jump while the fit moves."""
    finite = np.abs(r[np.isfinite(r)])
    biggest = float(finite.max()) if len(finite) else 0.0
    need = round_up(max(floor, RESIDUAL_ROOM * biggest, 1e-12))
    return current if need <= current < RESIDUAL_SHRINK * need else need


def residual_frame(run: RegressionRun, x_title: str = "x", y_title: str = "r = ŷ − y") -> dict:
    """The training points' residuals against x, outliers ringed, the zero line. The y range is symmetric,
    at least half the data's span each way and wide enough for every residual (the outliers' too); the run
    keeps it between frames (residual_half_range)."""
    d = run.data
    x_lo, x_hi, y_lo, y_hi = d.bounds()
    x = d.x_train.numpy().reshape(-1)
    r = predict(run, x) - d.y_train.numpy()
    half = residual_half_range(r, (y_hi - y_lo) / 2, run.residual_half)
    run.residual_half = half
    layout, out = axes((x_lo, x_hi, -half, half), x_title, y_title, RESIDUALS)
    out["points"] = {"n": int(len(x)), "xy": points_xy(layout, np.stack([x, r], 1)),
                     "label": b64(np.zeros(len(x), np.uint8)), "flip": bits(d.outliers.numpy())}
    out["colours"] = POINT_COLOURS
    out["lines"] = [layout.segment(((x_lo, 0.0), (x_hi, 0.0)))]
    out["step"] = int(run.trainer.steps)
    out["info"] = {"points": int(len(x)), "mean_abs": float(np.abs(r).mean()) if len(r) else 0.0,
                   "y_range": [-half, half]}
    return out


def legend_keys(run: RegressionRun) -> list[str]:
    """The fit's legend entries (core/i18n.py keys), only for what is drawn: outlier rings when there are
    outliers, the truth when the data has one, the band when it is on."""
    d = run.data
    shown = {"outlier": bool(d.outliers.any()), "truth": d.has_truth, "band": bool(run.band),
             "test": len(d.y_test) > 0}
    return [f"reg.legend.{k}" for k in ("train", "test", "outlier", "fit", "truth", "band") if shown.get(k, True)]


def residual_note(run: RegressionRun) -> list[tuple[str, dict]]:
    """The residual chart's caption as (core/i18n.py key, fields) sentences: what the points are, the
    outliers when there are any, and how the loss being trained weighs the residuals."""
    loss = run.trainer.loss_key
    params = {p.name: p.default for p in REGRESSION_LOSSES[loss].params} | run.trainer.loss_params
    out = [("reg.residual_note.points", {})]
    outliers = int(run.data.outliers.sum())
    if outliers:
        out.append(("reg.residual_note.outliers", {"n": outliers}))
    if loss in ("pinball", "asymmetric"):  # the fit settles where a share τ of the points lies below it
        tau = params["tau"] if loss == "pinball" else asymmetric_tau(params["a"], params["b"])
        out.append(("reg.residual_note.quantile", {"tau": f"{tau:.3g}", "below": f"{tau:.0%}",
                                                   "above": f"{1 - tau:.0%}"}))
    elif loss == "huber":
        out.append(("reg.residual_note.huber", {"delta": f"{params['delta']:g}"}))
    else:
        out.append((f"reg.residual_note.{loss}", {}))
    return out
