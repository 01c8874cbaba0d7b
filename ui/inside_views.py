"""Inside the model, as the user sees it: the forward pass at a chosen point, step by step (issue #12)."""
from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core.inside import HAND_NET, HAND_POINT, readout
from core.models import FlatMLP
from ui.common import key_labels, tr, translated_choice

NETS = ("hand", "run")
POINT_LIMIT = 1000.0  # the point's coordinates: wide enough for any data set's units, finite logits


def vector(v) -> str:
    return "(" + ", ".join(f"{x:.3f}" for x in np.asarray(v, dtype=float).ravel()) + ")"


def matrix(m) -> str:
    return "[" + ", ".join(vector(row) for row in np.atleast_2d(m)) + "]"


def _row(step_id: str, label: str, value: str) -> str:
    return (f'<tr id="{step_id}"><td style="padding:2px 10px 2px 0;white-space:nowrap">{html.escape(label)}</td>'
            f'<td style="font-family:monospace">{html.escape(value)}</td></tr>')


def forward_pass_panel(run) -> None:
    """A point the user picks, the network (the hand-checkable one, or this run's model) and every
    step of its forward pass: W·x + b, the ReLU pattern, the logits, the probabilities, and the
    region's linear classifier W_eff·x + b_eff."""
    net = run.trainer.model.net if run is not None else None
    usable = isinstance(net, FlatMLP)
    choice = translated_choice(st.radio, tr("fp.net"), NETS if usable else NETS[:1], "p2d.fp.net",
                               horizontal=True, format_func=key_labels("fp.net.{}"))
    cols = st.columns(2)
    x1 = cols[0].number_input("x₁", -POINT_LIMIT, POINT_LIMIT, float(HAND_POINT[0]), 0.1, key="p2d.fp.x1")
    x2 = cols[1].number_input("x₂", -POINT_LIMIT, POINT_LIMIT, float(HAND_POINT[1]), 0.1, key="p2d.fp.x2")
    if choice == "run":
        from core.inside import layers_of
        layers, activation = layers_of(run.trainer.model)
    else:
        layers, activation = HAND_NET, "relu"
        st.caption(tr("fp.hand_weights", w1=matrix(HAND_NET[0][0]), b1=vector(HAND_NET[0][1]),
                      w2=matrix(HAND_NET[1][0]), b2=vector(HAND_NET[1][1])))
    r = readout(layers, (x1, x2), activation)
    rows = []
    for i, layer in enumerate(r.hidden, start=1):
        rows.append(_row(f"fp-pre-{i}", tr("fp.pre", k=i), vector(layer.pre)))
        rows.append(_row(f"fp-h-{i}", tr(f"fp.h.{activation}", k=i), vector(layer.out)))
    rows.append(_row("fp-z", tr("fp.z", k=len(layers)), vector(r.z)))
    one_logit = len(r.z) == 1
    rows.append(_row("fp-p", tr("fp.p_sigmoid" if one_logit else "fp.p_softmax"), vector(r.p)))
    if r.hidden:
        rows.append(_row("fp-pattern", tr("fp.pattern"), r.pattern if activation == "relu" else "—"))
    if activation in ("relu", "linear"):
        rows.append(_row("fp-weff", tr("fp.weff"), matrix(r.W_eff)))
        rows.append(_row("fp-beff", tr("fp.beff"), vector(r.b_eff)))
    probs = ",".join(f"{p:.6f}" for p in r.p)
    st.html(f'<div id="forward-pass" data-pattern="{r.pattern}" data-p="{probs}" data-net="{choice}">'
            f'<table style="border-collapse:collapse">{"".join(rows)}</table></div>')
    if activation in ("relu", "linear"):
        st.caption(tr("fp.region_note", z=vector(r.W_eff @ r.x + r.b_eff)))
    else:
        st.caption(tr("fp.not_piecewise", activation=activation))
