"""The regression comparison's live view as ONE canvas "plot" frame (ui/live_canvas.js): the shared points
(train, test; outliers ringed), the truth dashed, and every run's fitted curve in its run colour, overlaid.
Data, not pictures, like core/regression_frames.py (whose curves and axes it reuses)."""
from __future__ import annotations

import numpy as np

from core.frame_data import b64, bits, points_xy
from core.inside_frames import axes
from core.regression_frames import CURVE_POINTS, TRUTH_COLOUR
from core.regression_run import predict
from core.render import Frame

OVERLAY = Frame(width=640, height=380, left=46, bottom=36, top=8, right=10)
POINT_GREYS = ["#9a9a9a", "#d0d0d0"]  # train, test: neutral, so the runs' colours are the fits' alone


def _curve(layout, x: np.ndarray, y: np.ndarray, colour: str, width: float, dash: bool, role: str, run: int) -> dict:
    # "role" and "run" are for tests and tools; the browser draws xy, colour, width and dash
    return {"xy": points_xy(layout, np.stack([x, y], 1)), "colour": colour, "width": width, "dash": dash,
            "role": role, "run": run}


def overlay_frame(runs: list, colours: list[str], x_title: str = "x", y_title: str = "y") -> dict:
    """One plot of regression runs that share ONE data set (core.compare.build_regression_runs): its points,
    the truth (when known) and each run's fit in colours[i]; a run's quantile band, when on, thin in its colour."""
    d = runs[0].data
    if any(r.data is not d for r in runs):
        raise ValueError("the overlaid runs must share one data set")
    x_lo, x_hi, y_lo, y_hi = d.bounds()
    layout, out = axes((x_lo, x_hi, y_lo, y_hi), x_title, y_title, OVERLAY)
    x_train, x_test = d.x_train.numpy().reshape(-1), d.x_test.numpy().reshape(-1)
    xy = np.concatenate([np.stack([x_train, d.y_train.numpy()], 1), np.stack([x_test, d.y_test.numpy()], 1)])
    labels = np.concatenate([np.zeros(len(x_train)), np.ones(len(x_test))]).astype(np.uint8)
    out["points"] = {"n": int(len(xy)), "xy": points_xy(layout, xy), "label": b64(labels),
                     "flip": bits(np.concatenate([d.outliers.numpy(), np.zeros(len(x_test), bool)]))}
    out["colours"] = POINT_GREYS
    xs = np.linspace(x_lo, x_hi, CURVE_POINTS)
    curves = []
    if d.has_truth:
        curves.append(_curve(layout, xs, d.truth(xs), TRUTH_COLOUR, 1.5, True, "truth", 0))
    for i, run in enumerate(runs, start=1):
        for member in run.band:
            curves.append(_curve(layout, xs, predict(member, xs), colours[i - 1], 1.0, False, "band", i))
    fits = []
    for i, run in enumerate(runs, start=1):  # the fits last: drawn over the bands
        y = predict(run, xs)
        fits.append(float(y[len(y) // 2]))
        curves.append(_curve(layout, xs, y, colours[i - 1], 2.5, False, "fit", i))
    out["curves"] = curves
    out["step"] = int(runs[0].trainer.steps)
    out["info"] = {"points": int(len(xy)), "outliers": int(d.outliers.sum()), "runs": len(runs), "fit_mid": fits}
    return out
