"""The regression comparison's live view as ONE canvas "plot" frame (ui/live_canvas.js): the shared points
(train, test; outliers ringed), the truth dashed, and every run's fitted curve in its run colour, overlaid.
Data, not pictures, like core/pictures/regression_frames.py (whose points, truth, curves and axes it reuses)."""
from __future__ import annotations

from core.pictures.regression_frames import curve, data_plot
from core.runs.regression_run import predict
from core.pictures.render import PlotBox

OVERLAY = PlotBox(width=640, height=380, left=46, bottom=36, top=8, right=10)
POINT_GREYS = ["#9a9a9a", "#d0d0d0"]  # train, test: neutral, so the runs' colours are the fits' alone


def overlay_frame(runs: list, colours: list[str], x_title: str = "x", y_title: str = "y") -> dict:
    """One plot of regression runs that share ONE data set (core.runs.compare.build_regression_runs): its points,
    the truth (when known) and each run's fit in colours[i]; a run's quantile band, when on, thin in its colour.
    Each curve is tagged with its role (truth, band, fit) and run (1.., 0 for the truth)."""
    d = runs[0].data
    if any(r.data is not d for r in runs):
        raise ValueError("the overlaid runs must share one data set")
    layout, out, xs = data_plot(d, OVERLAY, x_title, y_title, POINT_GREYS, role="truth", run=0)
    curves = out["curves"]
    for i, run in enumerate(runs, start=1):
        for member in run.band:
            curves.append(curve(layout, xs, predict(member, xs), colours[i - 1], 1.0, role="band", run=i))
    fits = []
    for i, run in enumerate(runs, start=1):  # the fits last: drawn over the bands
        y = predict(run, xs)
        fits.append(float(y[len(y) // 2]))
        curves.append(curve(layout, xs, y, colours[i - 1], 2.5, role="fit", run=i))
    out["step"] = int(runs[0].trainer.steps)
    out["info"] = {"points": out["points"]["n"], "outliers": int(d.outliers.sum()), "runs": len(runs),
                   "fit_mid": fits}
    return out
