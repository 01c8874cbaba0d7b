"""Charts and image grids for the MNIST page's views."""
from __future__ import annotations

import html

import altair as alt
import numpy as np
from PIL import Image

from core.lessons.analysis import Reliability
from core.data.mnist_data import CLASS_NAMES
from core.pictures.render import hex_colour
from ui.common import tr


def class_names(dataset: str) -> list[str]:
    if dataset == "fashion":
        return [tr(f"fashion.class.{i}") for i in range(10)]
    return list(CLASS_NAMES[dataset])


def class_key_html(names) -> str:
    """Which colour is which class on the boundary slices (the painter's class colours), in HTML: PIL
    draws no Chinese."""
    keys = "".join(f'<span class="class-key-item" data-class="{i}" style="white-space:nowrap;margin-right:10px">'
                   f'<span style="display:inline-block;width:12px;height:12px;vertical-align:middle;'
                   f'background:{hex_colour(i)}"></span> {html.escape(str(name))}</span> '
                   for i, name in enumerate(names))
    return (f'<div id="mn-class-key" style="max-width:460px;font-size:0.85em">'
            f'{html.escape(tr("mn.class_key"))} {keys}</div>')


def confusion_chart(counts: np.ndarray, names) -> alt.Chart:
    rows = [{"true": names[i], "pred": names[j], "count": int(counts[i, j]), "i": i, "j": j}
            for i in range(counts.shape[0]) for j in range(counts.shape[1])]
    order = list(names)
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("pred:N", sort=order, title=tr("mn.pred")),
        y=alt.Y("true:N", sort=order, title=tr("mn.true")))
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="blues", type="symlog"), legend=None),
        tooltip=["true:N", "pred:N", "count:Q"])
    text = base.mark_text(fontSize=10).encode(
        text="count:Q", color=alt.condition("datum.count > 200", alt.value("white"), alt.value("black")))
    return (cells + text).properties(width=420, height=420)


def calibration_chart(rel: Reliability) -> alt.Chart:
    rows = []
    for b in range(len(rel.counts)):
        if rel.counts[b] == 0:
            continue
        rows.append({"lo": float(rel.bin_edges[b]), "hi": float(rel.bin_edges[b + 1]),
                     "accuracy": float(rel.accuracy[b]), "confidence": float(rel.confidence[b]),
                     "n": int(rel.counts[b])})
    bars = alt.Chart(alt.Data(values=rows)).mark_bar(opacity=0.8).encode(
        x=alt.X("lo:Q", title=tr("mn.confidence"), scale=alt.Scale(domain=[0, 1])), x2="hi:Q",
        y=alt.Y("accuracy:Q", title=tr("curves.axis_acc"), scale=alt.Scale(domain=[0, 1])),
        tooltip=["lo:Q", "hi:Q", "accuracy:Q", "confidence:Q", "n:Q"])
    diagonal = alt.Chart(alt.Data(values=[{"x": 0, "y": 0}, {"x": 1, "y": 1}])).mark_line(
        color="gray", strokeDash=[4, 4]).encode(x="x:Q", y="y:Q")
    return (bars + diagonal).properties(width=380, height=320)


def image_grid(images, columns: int = 8, scale: int = 3) -> Image.Image:
    """uint8 28×28 images in a grid, numbered left to right (captions list them in that order)."""
    n = len(images)
    rows = max(1, -(-n // columns))
    side = 28 * scale + 4
    canvas = Image.new("L", (columns * side, rows * side), 255)
    for k, img in enumerate(images):
        tile = Image.fromarray(np.asarray(img, dtype=np.uint8)).resize((28 * scale, 28 * scale), Image.NEAREST)
        canvas.paste(tile, ((k % columns) * side + 2, (k // columns) * side + 2))
    return canvas


def weights_image(tiles: np.ndarray, columns: int = 8, scale: int = 3) -> Image.Image:
    """Tiles in [0,1] (0.5 = zero weight) with a blue–white–red map: red positive, blue negative."""
    n, h, w = tiles.shape
    t = tiles[..., None]
    blue, white, red = np.array([33, 102, 172.0]), np.array([247, 247, 247.0]), np.array([178, 24, 43.0])
    rgb = np.where(t < 0.5, blue + (white - blue) * (t / 0.5), white + (red - white) * ((t - 0.5) / 0.5))
    rows = -(-n // columns)
    th, tw = h * scale, w * scale
    canvas = Image.new("RGB", (columns * (tw + 2), rows * (th + 2)), "white")
    for k in range(n):
        tile = Image.fromarray(rgb[k].clip(0, 255).astype(np.uint8)).resize((tw, th), Image.NEAREST)
        canvas.paste(tile, ((k % columns) * (tw + 2), (k // columns) * (th + 2)))
    return canvas
