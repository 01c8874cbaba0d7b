"""The decision boundary as data (a classifier evaluated on a grid), and fast raster drawing
(numpy + PIL) for the live view: one frame costs a few ms.

Interactive Altair charts are too slow to rebuild every frame, so the live
boundary and the live curves are plain images; pages show Altair when paused.
"""
from __future__ import annotations

import functools
import io
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image, ImageDraw, ImageFont

from core.learning.engines import model_device
from core.learning.losses import probabilities


# Evaluate a classifier on a grid over the data's range: the decision boundary as data.

@dataclass(frozen=True)
class Grid:
    bounds: tuple[float, float, float, float]   # x_min, x_max, y_min, y_max
    probs: np.ndarray                           # (R, R, K) float32; row 0 is the TOP (y_max), like an image

    @property
    def predicted(self) -> np.ndarray:
        """(R, R) int64 arg-max class (computed when asked: the live canvas needs only the probabilities)."""
        return self.probs.argmax(-1)

    @property
    def resolution(self) -> int:
        return self.probs.shape[0]


def grid_array(bounds, resolution: int) -> np.ndarray:
    """(R*R, 2) float64 points, row-major from the top-left corner (x_min, y_max): row 0 of a picture is
    y_max. The one layout of every grid here (core/lessons/inside.py counts linear regions on it in float64)."""
    x_min, x_max, y_min, y_max = (float(b) for b in bounds)
    xs, ys = np.linspace(x_min, x_max, resolution), np.linspace(y_max, y_min, resolution)
    gy, gx = np.meshgrid(ys, xs, indexing="ij")
    return np.stack([gx.ravel(), gy.ravel()], 1)


def grid_points(bounds, resolution: int) -> torch.Tensor:
    """(R*R, 2) float32 points, row-major from the top-left corner (x_min, y_max). Shared between
    calls (a live frame asks for the same grid 25 times a second): read it, never write to it."""
    return _grid_points(tuple(float(b) for b in bounds), int(resolution))


@functools.lru_cache(maxsize=64)
def _grid_points(bounds: tuple[float, float, float, float], resolution: int) -> torch.Tensor:
    return torch.from_numpy(grid_array(bounds, resolution)).float()


@torch.no_grad()
def evaluate_grid(model: torch.nn.Module, bounds, resolution: int = 80, to_input=None,
                  batch: int = 8192) -> Grid:
    """Class probabilities at the grid's points; to_input maps (N, 2) grid coordinates to the
    model's inputs (e.g. points of a plane in 784-D), else they are the inputs."""
    was_training = model.training
    model.eval()
    coords = grid_points(bounds, resolution)
    device = model_device(model)
    chunks = [probabilities(model((c if to_input is None else to_input(c)).to(device))).cpu()
              for c in coords.split(batch)]
    probs = chunks[0] if len(chunks) == 1 else torch.cat(chunks)  # chunks: 784-D planes stay small in memory
    model.train(was_training)
    probs = probs.numpy().reshape(resolution, resolution, -1)
    return Grid(tuple(float(b) for b in bounds), probs)


def first_layer_lines(model: torch.nn.Module) -> list[tuple[np.ndarray, float]]:
    """Each first-layer unit's line w·x + b = 0 in raw input units, for an MLP with hidden layers
    (where a ReLU unit switches on); [] for logistic regression and other nets."""
    from core.learning.models import FlatMLP, Standardize, plain_inputs  # models need no boundary: no import cycle
    net = getattr(model, "net", model)
    if not isinstance(net, FlatMLP) or net.depth == 0 or net.sizes[0] != 2 or not plain_inputs(model):
        return []  # (feature inputs x₁², sin x₁, ...: a unit's boundary w·φ(x) + b = 0 is no straight line)
    W = net.weights(net.weight.detach())[0].double().numpy()
    b = net.biases(net.bias.detach())[0].double().numpy()
    std = getattr(model, "standardize", None)
    if isinstance(std, Standardize):
        # w·(x-μ)/σ + b  =  (w/σ)·x + (b - (w/σ)·μ)
        W = W / std.std.double().numpy()
        b = b - W @ std.mean.double().numpy()
    return [(W[i].copy(), float(b[i])) for i in range(len(b))]


def clip_line(w, b: float, bounds) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The segment of the line w·x + b = 0 inside the box bounds = (x_min, x_max, y_min, y_max),
    or None when the line misses the box (or w = 0: no line)."""
    w1, w2 = float(w[0]), float(w[1])
    x_min, x_max, y_min, y_max = (float(v) for v in bounds)
    scale = max(abs(w1), abs(w2))
    if not np.isfinite(scale) or scale == 0 or not np.isfinite(b):
        return None
    w1, w2, b = w1 / scale, w2 / scale, b / scale  # the same line; no overflow below
    # A point and a direction on the line, then the parameter range inside the box (Liang-Barsky).
    p = np.array([-b * w1, -b * w2]) / (w1 * w1 + w2 * w2)  # the line's point nearest the origin
    d = np.array([-w2, w1])
    lo, hi = -np.inf, np.inf
    for k, (a_min, a_max) in enumerate(((x_min, x_max), (y_min, y_max))):
        if abs(d[k]) < 1e-12:
            if not a_min <= p[k] <= a_max:
                return None
            continue
        t0, t1 = sorted(((a_min - p[k]) / d[k], (a_max - p[k]) / d[k]))
        lo, hi = max(lo, t0), min(hi, t1)
    if hi < lo:
        return None
    a, c = p + lo * d, p + hi * d
    return (float(a[0]), float(a[1])), (float(c[0]), float(c[1]))


def unit_segments(model: torch.nn.Module, bounds) -> list:
    """first_layer_lines clipped to the view: one entry per unit, None where its line misses the view."""
    return [clip_line(w, b, bounds) for w, b in first_layer_lines(model)]


# Okabe-Ito colours: distinguishable with the common colour-vision deficiencies.
CLASS_COLOURS = np.array([
    (0, 114, 178), (230, 159, 0), (0, 158, 115), (204, 121, 167), (86, 180, 233),
    (213, 94, 0), (240, 228, 66), (120, 120, 120), (0, 0, 0), (150, 75, 0),
], dtype=np.float32)
WHITE = np.array([255, 255, 255], dtype=np.float32)
MISTAKE = (200, 0, 0)
FLIP_RING = (20, 20, 20)
AXIS = (90, 90, 90)
PULL_RADII = (1.5, 9.0)  # CSS pixels: a point that pulls nothing stays visible, a dominant one not a blob
PULL_CAPPED = (70, 70, 70)  # the thick edge of a disc the cap cut (it pulls harder than drawn)


def pull_sizes(pulls, r: float = 3.5) -> tuple[np.ndarray, np.ndarray]:
    """CSS radii of points drawn by their pull |∂ℓ/∂z| on one fixed scale, whatever the loss (a share
    would keep cross-entropy's flipped points as big as the exponential loss's): area ∝ pull, the usual
    radius r at a pull of 1 (binary cross-entropy's largest), clipped to PULL_RADII; and which ones the cap cut."""
    pull = np.nan_to_num(np.asarray(pulls, dtype=np.float64), nan=0.0, posinf=np.inf)
    css = r * np.sqrt(np.maximum(pull, 0.0))
    return np.clip(css, *PULL_RADII), css > PULL_RADII[1]


# First-layer unit lines (ReLU pieces): dark, saturated, none of them the mistake red or a class colour.
UNIT_COLOURS = ((120, 0, 160), (0, 100, 0), (140, 70, 20), (230, 20, 140), (0, 0, 140), (90, 0, 40),
                (0, 130, 130), (70, 130, 30))


def unit_colour(i: int) -> tuple[int, int, int]:
    return UNIT_COLOURS[i % len(UNIT_COLOURS)]


def class_colour(k: int) -> tuple[int, int, int]:
    return tuple(int(c) for c in CLASS_COLOURS[k % len(CLASS_COLOURS)])


def hex_colour(k: int) -> str:
    return to_hex(class_colour(k))


@functools.lru_cache(maxsize=8)
def _font(size: int):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # Pillow without FreeType
        return ImageFont.load_default()


@dataclass(frozen=True)
class PlotBox:
    """Pixel layout of a boundary image: plot area inside margins for the axes.

    scale: device pixels per CSS pixel (hi-DPI, zoom). The sizes here are already in device pixels;
    the painter multiplies point radii, line widths, fonts and tick marks by `scale`, so a frame
    from `scaled(k)` shown at 1/k of its pixel size looks like scale 1, only sharper.
    """
    width: int = 420
    height: int = 420
    left: int = 40
    bottom: int = 26
    top: int = 6
    right: int = 8
    scale: float = 1.0

    def scaled(self, k: float) -> "PlotBox":
        """The same layout drawn at k device pixels per CSS pixel (whatever this frame's scale)."""
        if not k > 0:
            raise ValueError(f"scale must be positive, got {k}")
        f = k / self.scale
        return PlotBox(*(int(v * f + 0.5) for v in (self.width, self.height, self.left, self.bottom,
                                                  self.top, self.right)), scale=float(k))

    def px(self, length: float) -> float:
        """A length given in CSS pixels, in this frame's pixels."""
        return length * self.scale

    def stroke(self, width: int) -> int:
        """A line width for PIL (whole pixels, at least 1); exactly `width` at scale 1."""
        return max(1, int(width * self.scale + 0.5))

    @property
    def plot_w(self) -> int:
        return self.width - self.left - self.right

    @property
    def plot_h(self) -> int:
        return self.height - self.top - self.bottom


def shade(probs: np.ndarray) -> np.ndarray:
    """Probability-weighted class colour, paler where the model is unsure (near the boundary)."""
    k = probs.shape[-1]
    mix = probs @ CLASS_COLOURS[:k]
    confidence = (probs.max(-1, keepdims=True) - 1.0 / k) / (1.0 - 1.0 / k)
    strength = 0.18 + 0.5 * confidence
    return WHITE + (mix - WHITE) * strength


def _resize_float(channel: np.ndarray, w: int, h: int) -> np.ndarray:
    return np.asarray(Image.fromarray(channel.astype(np.float32), mode="F").resize((w, h), Image.BILINEAR))


def boundary_mask(probs: np.ndarray, w: int, h: int) -> np.ndarray:
    """Pixels where the arg-max class changes, from bilinearly upsampled probabilities (smooth, not blocky)."""
    if probs.shape[-1] == 2:
        cls = _resize_float(probs[..., 1], w, h) > 0.5
    else:
        cls = np.stack([_resize_float(probs[..., c], w, h) for c in range(probs.shape[-1])], -1).argmax(-1)
    edge = np.zeros(cls.shape, dtype=bool)
    edge[:, 1:] |= cls[:, 1:] != cls[:, :-1]
    edge[1:, :] |= cls[1:, :] != cls[:-1, :]
    return edge


def nice_ticks(lo: float, hi: float, count: int = 5, min_step: float = 0.0) -> list[float]:
    span = hi - lo
    if span <= 0:
        return [lo]
    raw = max(span / count, min_step)
    magnitude = 10 ** np.floor(np.log10(raw))
    step = min((m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw), default=raw)
    first = np.ceil(lo / step)
    # Multiples of the step, not running sums: no 5.6e-17 or -0 where 0 is meant.
    return [round(float(k * step), 12) + 0.0 for k in np.arange(first, np.floor(hi / step + 1e-9) + 1)]


def fmt_tick(v: float) -> str:
    if v == 0:
        return "0"  # also for -0.0
    return f"{v:g}" if abs(v) >= 0.01 else f"{v:.1e}"


class BoundaryPainter:
    """Draws boundary frames for one data set.

    The points, their flip rings and the axes never change during a run, so they
    are drawn once into a transparent overlay; a frame is heatmap + overlay +
    red outlines for the points misclassified right now.

    Train points: filled discs in their given label's colour. Test points: rings.
    Black dashed outer ring: a flipped (noisy) training label. Red ring: misclassified. A square round
    it: a point added or relabelled by hand (core/data/edits.py).
    """

    def __init__(self, bounds, *, X_train=None, y_train=None, flipped=None, X_test=None, y_test=None,
                 frame: PlotBox = PlotBox(), point_radius: float = 3.5, edited=None):
        self.bounds = tuple(float(b) for b in bounds)
        self.frame = frame
        self.r = frame.px(point_radius)
        x_min, x_max, y_min, y_max = self.bounds
        self.sx = frame.plot_w / (x_max - x_min)
        self.sy = frame.plot_h / (y_max - y_min)
        self.train_px = self.to_px(X_train)
        self.test_px = self.to_px(X_test)
        self.y_train = np.asarray(y_train if y_train is not None else [])
        self.y_test = np.asarray(y_test if y_test is not None else [])
        self.flips = np.zeros(len(self.train_px), bool) if flipped is None else np.asarray(flipped)
        self.edited = np.zeros(len(self.train_px), bool) if edited is None else np.asarray(edited, dtype=bool)
        self.overlay = self._layer(test=True, train=True, axes=True)
        self._pull_layers = None  # (test points, margins + axes): built when a pull is first drawn
        self.last_radii = None  # the train points' radii in the last frame drawn with a pull (tests read it)

    def _layer(self, *, test: bool, train: bool, axes: bool) -> Image.Image:
        layer = Image.new("RGBA", (self.frame.width, self.frame.height), (255, 255, 255, 0))
        draw = ImageDraw.Draw(layer)
        if test:
            self._draw_test_points(draw)
        if train:
            self._draw_train_points(draw, np.full(len(self.train_px), self.r))
        if axes:
            self._draw_margins_axes(draw)
        return layer

    def _draw_test_points(self, draw) -> None:
        r, t = self.r, self.frame.px(0.5)  # test ring: outside the radius
        for (x, y), lab in zip(self.test_px, self.y_test):
            draw.ellipse((x - r - t, y - r - t, x + r + t, y + r + t), fill="white",
                         outline=class_colour(int(lab)), width=self.frame.stroke(2))

    def _draw_train_points(self, draw, radii: np.ndarray, order=None, capped=None) -> None:
        o, stroke = self.frame.px(4), self.frame.stroke  # flip ring: outside the radius
        # Offsets added as at scale 1 (x - r - o, not x - (r + o)): same floats there, same pixels.
        pts, labels, flips, radii, edited = (a.tolist() for a in (self.train_px, self.y_train, self.flips, radii,
                                                                   self.edited))
        capped = [False] * len(pts) if capped is None else np.asarray(capped, dtype=bool).tolist()
        for i in range(len(pts)) if order is None else order.tolist():
            (x, y), lab, r = pts[i], labels[i], radii[i]
            if flips[i]:
                for centre in range(0, 360, 45):  # dashed (live_canvas.js: dashedRing): a shape, not only a colour
                    draw.arc((x - r - o, y - r - o, x + r + o, y + r + o), centre - 11.25, centre + 11.25,
                             fill=FLIP_RING, width=stroke(2))
            edge, width = (PULL_CAPPED, stroke(2)) if capped[i] else ("white", stroke(1))
            draw.ellipse((x - r, y - r, x + r, y + r), fill=class_colour(int(lab)), outline=edge, width=width)
            if edited[i]:  # as live_canvas.js's drawTrain: a square 2.5 px outside the point
                e = self.frame.px(2.5)
                draw.rectangle((x - r - e, y - r - e, x + r + e, y + r + e), outline=FLIP_RING, width=stroke(2))

    def _draw_margins_axes(self, draw) -> None:
        frame = self.frame
        # Margins: opaque white, with the axes on top.
        for box in ((0, 0, frame.width, frame.top - 1), (0, 0, frame.left - 1, frame.height),
                    (0, frame.top + frame.plot_h, frame.width, frame.height),
                    (frame.left + frame.plot_w, 0, frame.width, frame.height)):
            draw.rectangle(box, fill=(255, 255, 255, 255))
        _draw_axes(draw, self.bounds, frame, self.sx, self.sy)

    def pull_radii(self, pulls) -> np.ndarray:
        """Radii (this frame's pixels) of train points from their pulls: pull_sizes."""
        return self.frame.px(pull_sizes(pulls, self.r / self.frame.scale)[0])

    def to_px(self, X) -> np.ndarray:
        if X is None:
            return np.zeros((0, 2))
        X = np.asarray(X, dtype=np.float64)
        x_min, _, _, y_max = self.bounds
        return np.stack([self.frame.left + (X[:, 0] - x_min) * self.sx,
                         self.frame.top + (y_max - X[:, 1]) * self.sy], axis=1)

    def paint(self, grid: Grid, *, wrong_train=None, wrong_test=None, line: tuple | None = None,
              unit_lines=None, pull=None) -> Image.Image:
        """unit_lines: segments ((x0, y0), (x1, y1)) in data units (None = a unit whose line misses the
        view), drawn thin, one colour per unit, under the points. pull: each train point's pull |∂ℓ/∂z|
        (core/lessons/pull.py), drawn as its area (pull_sizes; a capped disc has a thick edge), biggest on top."""
        f = self.frame
        heat = Image.fromarray(shade(grid.probs).clip(0, 255).astype(np.uint8)).resize((f.plot_w, f.plot_h), Image.BILINEAR)
        rgb = np.asarray(heat).copy()
        rgb[_thicken(boundary_mask(grid.probs, f.plot_w, f.plot_h), f.stroke(1))] = (40, 40, 40)
        img = Image.new("RGB", (f.width, f.height), "white")
        img.paste(Image.fromarray(rgb), (f.left, f.top))
        draw = ImageDraw.Draw(img)
        if line is not None:
            _draw_line(draw, line, self.bounds, self.to_px, f)
        for i, seg in enumerate(unit_lines or ()):
            if seg is not None:
                (x0, y0), (x1, y1) = self.to_px(np.asarray(seg, dtype=np.float64))
                draw.line([(x0, y0), (x1, y1)], fill=unit_colour(i), width=f.stroke(2))
        radii = None
        if pull is None:
            img.paste(self.overlay, (0, 0), self.overlay)
        else:  # train points sized by their pull: drawn per frame, between the test points and the margins
            if self._pull_layers is None:
                self._pull_layers = (self._layer(test=True, train=False, axes=False),
                                     self._layer(test=False, train=False, axes=True))
            test_layer, axes_layer = self._pull_layers
            img.paste(test_layer, (0, 0), test_layer)
            css, capped = pull_sizes(pull, self.r / f.scale)
            radii = f.px(css)
            self._draw_train_points(ImageDraw.Draw(img), radii, order=np.argsort(radii, kind="stable"),
                                    capped=capped)
            img.paste(axes_layer, (0, 0), axes_layer)
        self.last_radii = radii
        draw = ImageDraw.Draw(img)
        r, o, width = self.r, f.px(2), f.stroke(2)
        # Red ring just outside the dot, so the dot's own colour stays visible.
        for pts, wrong, radius in ((self.test_px, wrong_test, None), (self.train_px, wrong_train, radii)):
            if wrong is None:
                continue
            wrong = np.asarray(wrong, dtype=bool)
            sizes = np.full(len(pts), r) if radius is None else radius
            for (x, y), rr in zip(pts[wrong], sizes[wrong]):
                draw.ellipse((x - rr - o, y - rr - o, x + rr + o, y + rr + o), outline=MISTAKE, width=width)
        return img


def boundary_image(grid: Grid, *, X_train=None, y_train=None, flipped=None, wrong_train=None,
                   X_test=None, y_test=None, wrong_test=None, line: tuple | None = None,
                   frame: PlotBox = PlotBox()) -> Image.Image:
    """One-off frame (exports, tests); live views keep a BoundaryPainter."""
    painter = BoundaryPainter(grid.bounds, X_train=X_train, y_train=y_train, flipped=flipped,
                              X_test=X_test, y_test=y_test, frame=frame)
    return painter.paint(grid, wrong_train=wrong_train, wrong_test=wrong_test, line=line)


def _thicken(mask: np.ndarray, width: int) -> np.ndarray:
    """The boundary pixels widened to `width` pixels (rightwards and down, like the mask's own edge)."""
    if width <= 1:
        return mask  # scale 1, every live frame: nothing to widen, nothing to copy
    out = mask.copy()
    for i in range(1, width):
        out[:, i:] |= mask[:, :-i]
        out[i:, :] |= mask[:-i, :]
    return out


def _draw_line(draw, line, bounds, to_px, frame: PlotBox) -> None:
    w, b = (float(v) for v in line[0]), float(line[1])
    w1, w2 = w
    x_min, x_max, y_min, y_max = bounds
    if abs(w2) > 1e-12 and abs(w2) >= abs(w1) * 1e-6:
        xs = np.array([x_min, x_max])
        seg = np.stack([xs, -(w1 * xs + b) / w2], axis=1)
    elif abs(w1) > 1e-12:
        ys = np.array([y_min, y_max])
        seg = np.stack([-(w2 * ys + b) / w1, ys], axis=1)
    else:
        return
    (x0, y0), (x1, y1) = to_px(seg)
    lo_x, hi_x = frame.left, frame.left + frame.plot_w
    lo_y, hi_y = frame.top, frame.top + frame.plot_h
    # Keep pixel coordinates sane for nearly vertical lines; PIL clips the rest.
    clamp = lambda v, lo, hi: float(np.clip(v, lo - 5000, hi + 5000))
    draw.line([(clamp(x0, lo_x, hi_x), clamp(y0, lo_y, hi_y)), (clamp(x1, lo_x, hi_x), clamp(y1, lo_y, hi_y))],
              fill=(0, 0, 0), width=frame.stroke(2))


def _draw_axes(draw, bounds, frame: PlotBox, sx: float, sy: float) -> None:
    x_min, x_max, y_min, y_max = bounds
    font = _font(int(frame.px(11) + 0.5))
    w, tick, gap = frame.stroke(1), frame.px(4), frame.px(6)
    x0, y0 = frame.left, frame.top
    x1, y1 = frame.left + frame.plot_w, frame.top + frame.plot_h
    # The frame line (w pixels) lies just outside the plot area, as the 1-pixel line at scale 1.
    draw.rectangle((x0 - w, y0 - w, x1 + w - 1, y1 + w - 1), outline=AXIS, width=w)
    for v in nice_ticks(x_min, x_max):
        px = x0 + (v - x_min) * sx
        draw.line([(px, y1), (px, y1 + tick)], fill=AXIS, width=w)
        draw.text((px, y1 + gap), fmt_tick(v), fill=AXIS, font=font, anchor="mt")
    for v in nice_ticks(y_min, y_max):
        py = y0 + (y_max - v) * sy
        draw.line([(x0 - tick, py), (x0, py)], fill=AXIS, width=w)
        draw.text((x0 - gap, py), fmt_tick(v), fill=AXIS, font=font, anchor="rm")


# One colour per metric, for the live PIL curves AND the paused Altair charts (ui/charts.py).
METRIC_COLOURS = {
    "train_loss": (0, 114, 178), "test_loss": (213, 94, 0),
    "train_acc": (0, 114, 178), "test_acc": (213, 94, 0),
    "train_acc_clean": (0, 158, 115), "train_acc_flipped": (20, 20, 20),
}
CURVE_STYLES = {m: (c, False) for m, c in METRIC_COLOURS.items()}  # metric -> (colour, dashed)
# A setting changed mid-run (History.events): thin vertical line in this colour, numbered note in HTML.
EVENT_COLOURS = {"lr": (204, 121, 167), "loss": (120, 60, 160), "rloss": (120, 60, 160), "rloss_param": (120, 60, 160),
                 "optimizer": (86, 180, 233), "solved": (0, 140, 70)}


RUN_COLOURS = [(0, 114, 178), (213, 94, 0), (0, 158, 115), (204, 121, 167)]  # one per compared run


def _log_ticks(lo: float, hi: float) -> list[float]:
    """1, 2, 5 × powers of ten inside [lo, hi] (lo > 0); only powers of ten when that is plenty."""
    ticks = []
    for e in range(int(np.floor(np.log10(lo))), int(np.ceil(np.log10(hi))) + 1):
        ticks += [m * 10.0 ** e for m in (1, 2, 5)]
    inside = [t for t in ticks if lo * (1 - 1e-9) <= t <= hi * (1 + 1e-9)]
    powers = [t for t in inside if float(np.log10(t)).is_integer()]
    return powers if len(powers) >= 3 else inside


LOG_Y_CLIMB = 1e3  # a curve this many times above its first value has blown up: a log y axis shows it


def wants_log_y(series) -> bool:
    """Some curve climbed more than LOG_Y_CLIMB times above its first value (a diverging loss): on a linear
    axis its climb is flat, then one spike; a log axis shows it step by step. A loss falling towards 0
    keeps its linear axis, where its fall reads as usual."""
    for v in series:
        v = np.asarray(v, dtype=np.float64)
        v = v[np.isfinite(v) & (v > 0)]
        if len(v) and v.max() > LOG_Y_CLIMB * v[0]:
            return True
    return False


def _log_y_ticks(lo: float, hi: float, most: int = 5) -> list[float]:
    """Powers of ten inside [lo, hi], every k-th one when there are more than `most` (a blow-up spans 20
    decades); 1, 2, 5 × powers where fewer than two fit."""
    exps = range(int(np.ceil(np.log10(lo) - 1e-9)), int(np.floor(np.log10(hi) + 1e-9)) + 1)
    if len(exps) < 2:
        return _log_ticks(lo, hi)
    k = int(np.ceil(len(exps) / most))
    return [10.0 ** e for e in exps if e % k == 0]


def _fmt_power(v: float) -> str:
    """A log axis' tick: 0.01 … 1000 as usual, beyond that 1e19 (not 1e+19)."""
    return fmt_tick(v) if 0.01 <= v <= 1000 else f"{v:.0e}".replace("e+", "e").replace("e-0", "e-").replace("e0", "e")


def curves_image(steps, series: dict[str, list[float]], *, width: int = 420, height: int = 200,
                 y_range: tuple[float, float] | None = None, title: str = "",
                 styles: dict[str, tuple] | None = None, log_x: bool = False, integer_x: bool = False,
                 markers=(), log_y: bool = False) -> Image.Image:
    """A quick line chart: x = optimizer step (or epoch), one polyline per metric (NaNs skipped).

    No words are drawn (PIL's font has no CJK glyphs): titles and legends go in HTML next to the
    image; `title` is accepted and ignored. log_x: logarithmic x, points at x <= 0 left out.
    integer_x: x ticks only at whole numbers (steps). markers: (x, rgb) thin vertical lines.
    log_y: logarithmic y (a blow-up, wants_log_y), values <= 0 left out; y_range is then ignored.
    """
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    font = _font(11)
    left, right, top, bottom = 44, 8, 6, 20
    pw, ph = width - left - right, height - top - bottom
    draw.rectangle((left - 1, top - 1, left + pw, top + ph), outline=AXIS)
    steps = np.asarray(steps, dtype=np.float64)
    keep = steps > 0 if log_x else np.ones(len(steps), bool)
    if not keep.any():
        return img
    xs = steps[keep]
    values = [np.asarray(v, dtype=np.float64)[:len(steps)] for v in series.values()]
    values = [v[keep[:len(v)]] for v in values]
    if log_y:  # plot log10 of the positive values on a linear axis, with ticks at powers of ten
        values = [np.where(v > 0, np.log10(np.where(v > 0, v, 1.0)), np.nan) for v in values]
    finite = np.concatenate([v[np.isfinite(v)] for v in values]) if values else np.array([])
    if log_y:
        lo, hi = (0.0, 1.0) if finite.size == 0 else (finite.min(), finite.max())
        hi = max(hi, lo + 1.0)
        lo, hi = lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)
    elif y_range is None:
        lo, hi = (0.0, 1.0) if finite.size == 0 else (min(0.0, finite.min()), finite.max())
        hi = hi + 0.05 * (hi - lo)  # headroom: the curve's start is not hidden in the frame's top line
    else:
        lo, hi = y_range
    hi = hi if hi > lo else lo + 1.0
    if log_x:
        s_lo, s_hi = float(xs[0]), float(max(xs[-1], xs[0] * 10))
        to_x = lambda s: left + (np.log10(s) - np.log10(s_lo)) / (np.log10(s_hi) - np.log10(s_lo)) * pw
        x_ticks = _log_ticks(s_lo, s_hi)
    else:
        s_lo, s_hi = float(xs[0]), float(max(xs[-1], xs[0] + 1))
        to_x = lambda s: left + (s - s_lo) / (s_hi - s_lo) * pw
        x_ticks = nice_ticks(s_lo, s_hi, 4, min_step=1.0 if integer_x else 0.0)
    y_ticks = ([(float(np.log10(t)), _fmt_power(t)) for t in _log_y_ticks(10.0 ** lo, 10.0 ** hi)] if log_y
               else [(v, fmt_tick(v)) for v in nice_ticks(lo, hi, 4)])
    for v, label in y_ticks:
        py = top + ph - (v - lo) / (hi - lo) * ph
        draw.line([(left, py), (left + pw, py)], fill=(235, 235, 235))
        draw.text((left - 4, py), label, fill=AXIS, font=font, anchor="rm")
    for v in x_ticks:
        px = float(to_x(v))
        draw.line([(px, top + ph), (px, top + ph + 3)], fill=AXIS)
        draw.text((px, top + ph + 4), fmt_tick(v), fill=AXIS, font=font, anchor="mt")
    for x, colour in markers:
        if (x > 0 or not log_x) and s_lo <= x <= s_hi:
            px = round(float(to_x(x)))
            draw.line([(px, top), (px, top + ph - 1)], fill=tuple(colour), width=1)
    for name, v in zip(series, values):
        colour, dashed = (styles or CURVE_STYLES).get(name, ((0, 0, 0), False))
        ok = np.isfinite(v)
        if ok.sum() < 1:
            continue
        px = to_x(xs[:len(v)][ok])
        py = top + ph - (np.clip(v[ok], lo, hi) - lo) / (hi - lo) * ph
        pts = list(zip(px.tolist(), py.tolist()))
        if len(pts) == 1:
            draw.ellipse((pts[0][0] - 2, pts[0][1] - 2, pts[0][0] + 2, pts[0][1] + 2), fill=colour)
        elif dashed:
            for i in range(0, len(pts) - 1, 2):
                draw.line(pts[i:i + 2], fill=colour, width=2)
        else:
            draw.line(pts, fill=colour, width=2)
    return img


def curve_metrics(with_flipped: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(loss metrics, accuracy metrics) shown; with_flipped adds clean/flipped accuracy."""
    return (("train_loss", "test_loss"),
            ("train_acc", "test_acc") + (("train_acc_clean", "train_acc_flipped") if with_flipped else ()))


def event_x(history, by_epoch: bool) -> list[float]:
    """Each History event's position on the x axis (its step, or the epoch at that step)."""
    steps = [e[0] for e in getattr(history, "events", ())]
    if not by_epoch or not steps:
        return [float(s) for s in steps]
    if not history.step:
        return [0.0] * len(steps)
    return [float(v) for v in np.interp(steps, history.step, history.epoch)]


def history_images(history, with_flipped: bool, *, size: tuple[int, int] = (420, 170), by_epoch: bool = False,
                   title: str = "", log_x: bool = False, log_y: bool = False) -> tuple[Image.Image, Image.Image]:
    """(loss curves, accuracy curves) of a trainer's History, with a marker per setting change.
    log_y: the loss on a log axis."""
    width, height = size
    x = history.epoch if by_epoch else history.step
    loss_m, acc_m = curve_metrics(with_flipped)
    markers = [(x_e, EVENT_COLOURS.get(e[1], AXIS))
               for x_e, e in zip(event_x(history, by_epoch), getattr(history, "events", ()))]
    kw = dict(width=width, height=height, log_x=log_x, integer_x=not by_epoch, markers=markers)
    return (curves_image(x, {m: history.values[m] for m in loss_m}, log_y=log_y, **kw),
            curves_image(x, {m: history.values[m] for m in acc_m}, y_range=(0.0, 1.0), **kw))


def to_hex(rgb) -> str:
    return "#%02x%02x%02x" % tuple(int(c) for c in rgb)


def encode(img: Image.Image, fmt: str = "PNG") -> bytes:
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, format="JPEG", quality=80)  # 4:2:0; ~20% fewer bytes for the browser to parse than 88
    else:
        img.save(buf, format=fmt, optimize=False, compress_level=1) if fmt == "PNG" else img.save(buf, format=fmt)
    return buf.getvalue()
