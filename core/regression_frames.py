"""The Regression page's live view as canvas data (ui/live_canvas.js "plot" frames): the fitted curve over
the train and test points (outliers ringed, the truth dashed, the quantile band), and the residuals
r = ŷ − y of the training points against x. Data, not pictures, like core/frame_data.py."""
from __future__ import annotations

import numpy as np

from core.frame_data import b64, bits, points_xy
from core.inside_frames import axes
from core.regression_run import RegressionRun, predict
from core.render import Frame

FIT = Frame(width=460, height=330, left=46, bottom=36, top=8, right=10)
RESIDUALS = Frame(width=460, height=200, left=46, bottom=36, top=8, right=10)
CURVE_POINTS = 240  # x positions the fitted curve is evaluated at
POINT_COLOURS = ["#1f77b4", "#ff7f0e"]  # train, test
FIT_COLOUR, TRUTH_COLOUR, BAND_COLOUR = "#d62728", "#555555", "#2ca02c"


def _curve(layout, x: np.ndarray, y: np.ndarray, colour: str, width: float = 2.5, dash: bool = False) -> dict:
    return {"xy": points_xy(layout, np.stack([x, y], 1)), "colour": colour, "width": width, "dash": dash}


def fit_frame(run: RegressionRun, x_title: str = "x", y_title: str = "y") -> dict:
    """Points (train, test; outliers ringed), the model's curve, the truth (the data's conditional median,
    dashed) and, with the band on, its three quantile curves."""
    d = run.data
    x_lo, x_hi, y_lo, y_hi = d.bounds()
    layout, out = axes((x_lo, x_hi, y_lo, y_hi), x_title, y_title, FIT)
    x_train, x_test = d.x_train.numpy().reshape(-1), d.x_test.numpy().reshape(-1)
    n_train = len(x_train)
    xy = np.concatenate([np.stack([x_train, d.y_train.numpy()], 1), np.stack([x_test, d.y_test.numpy()], 1)])
    labels = np.concatenate([np.zeros(n_train), np.ones(len(x_test))]).astype(np.uint8)
    out["points"] = {"n": int(len(xy)), "xy": points_xy(layout, xy), "label": b64(labels),
                     "flip": bits(np.concatenate([d.outliers.numpy(), np.zeros(len(x_test), bool)]))}
    out["colours"] = POINT_COLOURS
    xs = np.linspace(x_lo, x_hi, CURVE_POINTS)
    curves = []
    if d.has_truth:
        curves.append(_curve(layout, xs, d.truth(xs), TRUTH_COLOUR, 1.5, dash=True))
    for member in run.band:
        curves.append(_curve(layout, xs, predict(member, xs), BAND_COLOUR, 1.5))
    fitted = predict(run, xs)
    curves.append(_curve(layout, xs, fitted, FIT_COLOUR))
    out["curves"] = curves
    out["step"] = int(run.trainer.steps)
    out["info"] = {"points": int(len(xy)), "outliers": int(d.outliers.sum()), "band": len(run.band)}
    return out


def residual_frame(run: RegressionRun, x_title: str = "x", y_title: str = "r = ŷ − y") -> dict:
    """The training points' residuals against x, outliers ringed, the zero line; the y range is fixed by
    the data (half its span each way), so the view does not jump while the fit moves."""
    d = run.data
    x_lo, x_hi, y_lo, y_hi = d.bounds()
    half = (y_hi - y_lo) / 2
    layout, out = axes((x_lo, x_hi, -half, half), x_title, y_title, RESIDUALS)
    x = d.x_train.numpy().reshape(-1)
    r = predict(run, x) - d.y_train.numpy()
    out["points"] = {"n": int(len(x)), "xy": points_xy(layout, np.stack([x, r], 1)),
                     "label": b64(np.zeros(len(x), np.uint8)), "flip": bits(d.outliers.numpy())}
    out["colours"] = POINT_COLOURS
    out["lines"] = [layout.segment(((x_lo, 0.0), (x_hi, 0.0)))]
    out["step"] = int(run.trainer.steps)
    out["info"] = {"points": int(len(x)), "mean_abs": float(np.abs(r).mean()) if len(r) else 0.0}
    return out
