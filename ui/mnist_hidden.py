"""Inside the MNIST model: test images on the top principal components of a layer and of the raw pixels (issue #12)."""
from __future__ import annotations

import streamlit as st

from core.models import FlatMLP
from ui.common import tr


MNIST_SHOWN = 2000  # test images in the hidden-space pictures (each one a point)


def mnist_spaces(run) -> dict | None:
    """The first MNIST_SHOWN test images on the top two principal components of the MLP's last hidden
    layer and of their raw pixels, once per trained state. None for a model that is not the MLP."""
    from core.inside import forward, layers_of, principal_components
    model = run.trainer.model
    if not isinstance(getattr(model, "net", None), FlatMLP) or model.net.depth == 0:
        return None
    key = (id(model), run.trainer.steps)
    cache = st.session_state.get("mn.hidden_cache")
    if cache is not None and cache[0] == key:
        return cache[1]
    X = run.trainer.data.X_test[:MNIST_SHOWN].detach().cpu().double().numpy()
    layers, activation = layers_of(model)  # (copies to the CPU: .numpy() of detached parameters)
    hidden = forward(layers, X, activation)[1][-1]
    out = {"hidden": principal_components(hidden), "raw": principal_components(X),
           "labels": run.trainer.data.y_test[:MNIST_SHOWN].cpu().numpy()}
    st.session_state["mn.hidden_cache"] = (key, out)
    return out


def mnist_hidden_panel(run, names) -> None:
    import altair as alt
    spaces = mnist_spaces(run)
    if spaces is None:
        st.caption(tr("mh.only_mlp"))
        return
    st.caption(tr("mh.note", n=MNIST_SHOWN))
    cols = st.columns(2)
    for col, which in zip(cols, ("hidden", "raw")):
        coords, shares = spaces[which]
        rows = [{"a": float(a), "b": float(b), "digit": names[int(c)]}
                for (a, b), c in zip(coords, spaces["labels"])]
        chart = alt.Chart(alt.Data(values=rows)).mark_circle(size=14, opacity=0.7).encode(
            x=alt.X("a:Q", title=tr("hs.pc", i=1, share=f"{shares[0]:.0%}")),
            y=alt.Y("b:Q", title=tr("hs.pc", i=2, share=f"{shares[1]:.0%}")),
            color=alt.Color("digit:N", title=None, scale=alt.Scale(domain=list(names), scheme="tableau10")),
            tooltip=["digit:N"]).properties(height=320, title=tr(f"mh.{which}"))
        col.altair_chart(chart, width="stretch")
    h, r = spaces["hidden"][1], spaces["raw"][1]
    st.html(f'<div id="mnist-hidden" data-n="{len(spaces["labels"])}" data-hidden-share="{h[0] + h[1]:.6f}" '
            f'data-raw-share="{r[0] + r[1]:.6f}"></div>')
