"""Each hidden unit's output over the plane as a thumbnail, like TensorFlow Playground's neurons."""
from __future__ import annotations

import base64
import html
import io
from functools import partial

import streamlit as st
from PIL import Image

from core.lessons.inside import feature_points, layers_of
from core.learning.models import FlatMLP
from core.pictures.unit_maps import NONNEGATIVE, PALETTE, colour_indices, unit_maps
from ui.common import tr

# grid points per side: cheap enough for a live frame at 2 layers × 64 units (bench/bench_unit_maps.py)
RESOLUTION = 40
THUMB_PX = 56    # shown size; the browser smooths the 40×40 picture up
_PALETTE_BYTES = PALETTE.tobytes()


def _png(indices) -> str:
    """A palette PNG in memory as base64 (no file written). Why PNGs and not an Altair facet: 128 units × 1,600
    cells would be 200,000 Vega marks for the browser to lay out; 128 tiny palette PNGs are a little HTML
    and quick to encode."""
    img = Image.frombytes("P", indices.shape[::-1], indices.tobytes())
    img.putpalette(_PALETTE_BYTES)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    return base64.b64encode(buf.getvalue()).decode("ascii")


def unit_maps_html(layers, activation: str, bounds, to_inputs=None) -> str:
    """One block: a row of thumbnails per hidden layer (the first two), each unit's index under it.
    to_inputs: the plane's points -> the first layer's inputs (a model's features; see unit_maps)."""
    maps = unit_maps(layers, activation, bounds, RESOLUTION, to_inputs=to_inputs)
    counts = ",".join(str(len(m)) for m in maps)
    rows = []
    for i, m in enumerate(maps):
        cells = "".join(
            f'<figure style="margin:0 4px 4px 0;text-align:center">'
            f'<img class="unit-map" alt="{i + 1}.{j + 1}" width="{THUMB_PX}" height="{THUMB_PX}" '
            f'style="border:1px solid #ccc;display:block" src="data:image/png;base64,{_png(picture)}">'
            f'<figcaption style="font-size:0.75em">{j + 1}</figcaption></figure>'
            for j, picture in enumerate(colour_indices(m, activation)))
        rows.append(f'<div style="font-size:0.85em;margin-top:4px">{html.escape(tr("um.layer", i=i + 1, n=len(m)))}</div>'
                    f'<div style="display:flex;flex-wrap:wrap">{cells}</div>')
    return (f'<div id="unit-maps" data-layers="{len(maps)}" data-units="{counts}" '
            f'data-activation="{html.escape(activation)}" data-resolution="{RESOLUTION}">' + "".join(rows) + "</div>")


def unit_maps_panel(run) -> None:
    model = run.trainer.model
    net = getattr(model, "net", None)
    if not isinstance(net, FlatMLP) or net.depth == 0:
        st.caption(tr("um.none"))
        return
    layers, activation = layers_of(model)
    scale = tr("um.scale_zero_max" if activation in NONNEGATIVE else "um.scale_centred")
    st.caption(tr("um.note", scale=scale))
    st.html(unit_maps_html(layers, activation, run.bounds, to_inputs=partial(feature_points, model)))
