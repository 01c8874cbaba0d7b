"""A live boundary frame as compact data for the browser's canvas (ui/live_view.py), not a picture.

The server evaluates the model once per frame (the class-probability grid and the points' logits, as
core/playground.draw_boundary does for the PIL frame) and sends a few kB: probabilities quantised to
bytes, which points are misclassified as bits, the lines' end points. The browser shades, rings and
strokes them on a <canvas> at its own pixel ratio. core/pictures/render.py stays the reference drawing (exports,
landing page pictures); the layout, colours, radii and ring rules here are its own.

Coordinates sent are in the frame's layout units (core.pictures.render.PlotBox at scale 1: 420 × 420 with margins
for the axes); the browser scales the whole drawing to the canvas's CSS size × devicePixelRatio.
"""
from __future__ import annotations

import base64
import threading
import time
import weakref

import numpy as np

from core.serving import pace
from core import i18n
from core.pictures.render import Grid, clip_line, evaluate_grid, unit_segments
from core.learning.models import linear_boundary
from core.lessons.pull import trainer_pull
from core.pictures.render import (AXIS, CLASS_COLOURS, FLIP_RING, MISTAKE, PULL_CAPPED, PlotBox, fmt_tick, nice_ticks,
                         pull_sizes, to_hex, unit_colour)
from core.learning.trainer import predict

VERSION = 1
POINT_RADIUS = 3.5  # CSS pixels, as BoundaryPainter's default
XY_UNITS = 16  # point coordinates are sent as int16 sixteenths of a layout pixel
RADIUS_UNITS = 20  # pull radii as uint8 twentieths of a pixel (9 px -> 180)
RESOLUTION = 70  # grid points per side, as the PIL live frame
# In a busy process (more players than cores): half the grid's points and bytes (Compare's grid); the
# canvas smooths it, and a full class's frames come first.
BUSY_RESOLUTION = 50
# The 2D page's layout: the default frame's size, wider left and bottom margins for the axis titles.
TITLED = PlotBox(left=48, bottom=36)
# Axis titles (core/i18n.py keys) of the data sets whose axes mean more than two features
AXIS_TITLES = {"exam": ("data.exam.x_axis", "data.exam.y_axis")}
FEATURE_TITLES = ("x₁", "x₂")
# Where linear regions meet: thin translucent lines, so the class shading shows through and the class
# boundary (solid, darker) stays the one that stands out.
REGION_EDGE = "rgba(0, 0, 0, 0.35)"


def b64(a: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(a).tobytes()).decode("ascii")


def bits(mask) -> str:
    """A bool mask as packed bits (bit 7 of byte 0 is element 0, numpy's packbits order)."""
    return b64(np.packbits(np.asarray(mask, dtype=bool)))


def quantise_probs(probs: np.ndarray) -> np.ndarray:
    """(R, R, K) probabilities as uint8 0..255; two classes send only class 1 (class 0 is 255 minus it)."""
    p = probs[..., 1:2] if probs.shape[-1] == 2 else probs
    return np.clip(np.rint(p * 255.0), 0, 255).astype(np.uint8)


class Layout:
    """Data units -> layout pixels: the same mapping as BoundaryPainter.to_px at scale 1."""

    def __init__(self, bounds, frame: PlotBox = PlotBox()):
        self.bounds = tuple(float(b) for b in bounds)
        self.frame = frame
        x_min, x_max, y_min, y_max = self.bounds
        self.sx = frame.plot_w / (x_max - x_min)
        self.sy = frame.plot_h / (y_max - y_min)

    def to_px(self, X) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64).reshape(-1, 2)
        x_min, _, _, y_max = self.bounds
        return np.stack([self.frame.left + (X[:, 0] - x_min) * self.sx,
                         self.frame.top + (y_max - X[:, 1]) * self.sy], axis=1)

    def segment(self, seg) -> list[float] | None:
        """((x0, y0), (x1, y1)) in data units -> [x0, y0, x1, y1] layout pixels (2 decimals)."""
        if seg is None:
            return None
        p = self.to_px(np.asarray(seg, dtype=np.float64))
        if not np.isfinite(p).all():
            return None
        return [round(float(v), 2) for v in p.reshape(-1)]


def points_xy(layout: Layout, X) -> str:
    """(N, 2) points as interleaved int16 XY_UNITS-ths of a layout pixel; points far outside the
    view are clamped (drawn under the margins, as PIL draws them)."""
    px = layout.to_px(X) * XY_UNITS if len(X) else np.zeros((0, 2))
    return b64(np.clip(np.rint(np.nan_to_num(px)), -32768, 32767).astype("<i2"))


def axis_titles(dataset: str, lang: str) -> tuple[str, str]:
    """The boundary's (x, y) axis titles for a data set key of core/data/data2d.py (or "upload")."""
    keys = AXIS_TITLES.get(dataset)
    return (i18n.translate(keys[0], lang), i18n.translate(keys[1], lang)) if keys else FEATURE_TITLES


def static_part(bounds, X_train, y_train, flipped, X_test, y_test, frame: PlotBox = PlotBox(),
                titles: tuple[str, str] | None = None, edited=None) -> dict:
    """What never changes during a run: layout, axes, points, their labels and flip rings.
    titles: (x, y) axis titles, already translated, drawn in the frame's margins; None: none."""
    layout = Layout(bounds, frame)
    x_min, x_max, y_min, y_max = layout.bounds
    xt = [[round(frame.left + (v - x_min) * layout.sx, 2), fmt_tick(v)] for v in nice_ticks(x_min, x_max)]
    yt = [[round(frame.top + (y_max - v) * layout.sy, 2), fmt_tick(v)] for v in nice_ticks(y_min, y_max)]
    y_train, y_test = np.asarray(y_train), np.asarray(y_test)
    train = {"n": int(len(y_train)), "xy": points_xy(layout, X_train), "label": b64(y_train.astype(np.uint8)),
             "flip": bits(flipped)}
    if edited is not None and np.asarray(edited).any():  # points added or relabelled by hand: a square mark
        train["edit"] = bits(edited)
    return {
        "w": frame.width, "h": frame.height,
        "plot": [frame.left, frame.top, frame.plot_w, frame.plot_h],
        "bounds": list(layout.bounds), "xticks": xt, "yticks": yt,
        "r": POINT_RADIUS, "xy_units": XY_UNITS,
        "train": train,
        "test": {"n": int(len(y_test)), "xy": points_xy(layout, X_test), "label": b64(y_test.astype(np.uint8))},
        "colours": {"axis": to_hex(AXIS), "mistake": to_hex(MISTAKE), "flip": to_hex(FLIP_RING),
                    "edge": to_hex((40, 40, 40)), "line": "#000000", "capped": to_hex(PULL_CAPPED),
                    "regions": REGION_EDGE},
        "xlabel": titles[0] if titles else None, "ylabel": titles[1] if titles else None,
    }


# Static parts per data set (the TrainData object of a run, and its view), shared by every frame.
_STATIC: dict[int, tuple] = {}


_STATIC_LOCK = threading.Lock()  # every session's script thread shares the cache


def cached_static(data, bounds, frame: PlotBox = PlotBox(), titles: tuple[str, str] | None = None) -> dict:
    key = id(data)
    view = (tuple(bounds), frame, tuple(titles) if titles else None)  # a language switch changes the titles
    hit = _STATIC.get(key)
    if hit is not None and hit[0]() is data and hit[1] == view:
        return hit[2]
    static = static_part(bounds, d_np(data.X_train), d_np(data.y_given), d_np(data.flipped),
                         d_np(data.X_test), d_np(data.y_test), frame, titles,
                         edited=None if getattr(data, "edited", None) is None else d_np(data.edited))
    static["token"] = f"{key:x}-{time.monotonic_ns():x}"  # which data set and view, for the browser's cache
    with _STATIC_LOCK:
        for k in [k for k, v in _STATIC.items() if v[0]() is None]:  # runs that are gone
            del _STATIC[k]
        _STATIC[key] = (weakref.ref(data), view, static)
    return static


def d_np(t) -> np.ndarray:
    return t.numpy() if hasattr(t, "numpy") else np.asarray(t)


def class_colours(k: int) -> list[str]:
    return [to_hex(CLASS_COLOURS[c % len(CLASS_COLOURS)]) for c in range(k)]


def pull_radii(pulls, r: float = POINT_RADIUS) -> np.ndarray:
    """CSS radii of train points from their pulls: BoundaryPainter.pull_radii at scale 1."""
    return pull_sizes(pulls, r)[0]


def grid_part(grid: Grid) -> dict:
    q = quantise_probs(grid.probs)
    return {"n": int(grid.resolution), "c": int(q.shape[-1]), "p": b64(q)}


def regions_part(model, bounds, resolution: int, points) -> dict | None:
    """The plane by linear region of a ReLU net (core/lessons/inside.py): each grid node's region index as
    uint16, the number of regions in the view and among the points, and the bound for one layer."""
    from core.lessons.inside import layers_of, regions
    from core.learning.models import plain_inputs
    if not plain_inputs(model):  # x₁², sin x₁, ... as inputs: no longer piecewise linear in the plane (the page says so)
        return None
    layers, activation = layers_of(model)
    if activation != "relu" or len(layers) < 2:
        return None
    r = regions(layers, bounds, resolution, points=d_np(points).astype(np.float64))
    return {"n": int(resolution), "codes": b64(np.minimum(r.codes, 65535).astype("<u2")),
            "count": r.in_window, "among": r.among_points, "bound": r.bound}


def static_frame(s: dict) -> PlotBox:
    """The layout (core.pictures.render.PlotBox at scale 1) a static part was built for."""
    return PlotBox(width=s["w"], height=s["h"], left=s["plot"][0], top=s["plot"][1],
                 right=s["w"] - s["plot"][0] - s["plot"][2], bottom=s["h"] - s["plot"][1] - s["plot"][3])


def build(static: dict, grid: Grid, n_classes: int, wrong_train, wrong_test, *, step: int = 0,
          line=None, units=None, pull=None, regions=None, old_line=None) -> dict:
    """One frame's data. line: (w, b) of the logistic boundary w·x + b = 0 (two classes, linear model);
    old_line: that boundary before the step being explained (drawn dashed);
    units: first-layer unit segments in data units (None entries: off the view); pull: train points'
    pulls |∂ℓ/∂z| (core/lessons/pull.py)."""
    layout = Layout(static["bounds"], static_frame(static))
    out = {"v": VERSION, "static": static, "k": int(n_classes), "colours": class_colours(n_classes),
           "grid": grid_part(grid), "wrong_train": bits(wrong_train), "wrong_test": bits(wrong_test),
           "step": int(step), "line": None, "old_line": None, "units": None, "pull": None, "pull_capped": None,
           "regions": regions}
    for name, given in (("line", line), ("old_line", old_line)):
        if given is not None:
            w, b = given
            out[name] = layout.segment(clip_line(np.asarray(w, dtype=np.float64).reshape(-1), float(b),
                                                  layout.bounds))
    if units is not None:
        out["units"] = [{"seg": layout.segment(s), "colour": to_hex(unit_colour(i))} for i, s in enumerate(units)]
    if pull is not None:
        radii, capped = pull_sizes(pull, POINT_RADIUS)
        out["pull"] = b64(np.clip(np.rint(radii * RADIUS_UNITS), 0, 255).astype(np.uint8))
        out["pull_capped"] = bits(capped)  # drawn with a thick edge: it pulls harder than its disc says
    return out


def live_regions(run, resolution: int, every: float = 0.0) -> dict | None:
    """regions_part of the run's model, reused while younger than `every` seconds and five times its
    own cost (a deep net's patchwork is costly to find and changes slowly): a live view redraws the
    regions less often than the boundary. every=0: always fresh (paused, stepping)."""
    t = run.trainer
    key = (id(t.model), t.steps, resolution, tuple(run.bounds))
    now = time.perf_counter()
    cached = run.timings.get("regions")
    if cached is not None:
        same_view = cached[0][0] == key[0] and cached[0][2:] == key[2:]  # model, grid and bounds; any step
        young = every > 0 and now - cached[1] < max(every, 5 * cached[2])
        if cached[0] == key or (same_view and young):
            return cached[3]
    part = regions_part(t.model, run.bounds, resolution, t.data.X_train)
    run.timings["regions"] = (key, now, time.perf_counter() - now, part)
    return part


def run_frame(run, resolution: int = RESOLUTION, unit_lines: bool = False, pull: bool = False,
              frame: PlotBox = PlotBox(), regions: bool = False, regions_every: float = 0.0, old_line=None,
              titles: tuple[str, str] | None = None) -> dict:
    """The live frame of a core.runs.playground.Run2D as data: the same evaluation draw_boundary does
    (one grid, the trainer's current logits), no picture. frame: the layout (core.pictures.render.PlotBox at
    scale 1); titles: its axis titles (axis_titles; the frame needs room for them: TITLED).
    Its time goes to run.timings["boundary_ms"]."""
    t0 = pace.FRAME_CLOCK()  # CPU time, like the frame's budget (core/serving/pace.py)
    t, d = run.trainer, run.trainer.data
    bounds = run.bounds
    grid = evaluate_grid(t.model, bounds, resolution)
    train_logits, test_logits = t.current_logits()
    wrong_train = (predict(train_logits) != d.y_given).numpy()
    wrong_test = (predict(test_logits) != d.y_test).numpy()
    out = build(cached_static(d, bounds, frame, titles), grid, run.data.n_classes, wrong_train, wrong_test,
                step=t.steps,
                line=linear_boundary(t.model), units=unit_segments(t.model, bounds) if unit_lines else None,
                pull=trainer_pull(t) if pull else None,
                regions=live_regions(run, resolution, regions_every) if regions else None, old_line=old_line)
    run.timings["boundary_ms"] = (pace.FRAME_CLOCK() - t0) * 1000
    return out


# ---- decoding (tests, and a reference for the browser's code) ----

def unb64(s: str, dtype) -> np.ndarray:
    return np.frombuffer(base64.b64decode(s), dtype=dtype)


def unbits(s: str, n: int) -> np.ndarray:
    return np.unpackbits(unb64(s, np.uint8))[:n].astype(bool)


def decode_probs(frame: dict) -> np.ndarray:
    """(R, R, K) probabilities from a frame's quantised grid."""
    g = frame["grid"]
    q = unb64(g["p"], np.uint8).reshape(g["n"], g["n"], g["c"]).astype(np.float32) / 255.0
    return np.concatenate([1.0 - q, q], -1) if g["c"] == 1 else q


def decode_points(part: dict) -> np.ndarray:
    """(N, 2) layout pixels of a static part's points."""
    return unb64(part["xy"], "<i2").reshape(-1, 2).astype(np.float64) / XY_UNITS
