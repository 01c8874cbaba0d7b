"""Inside the MNIST model: test images on the top principal components of a layer and of the raw pixels."""
from __future__ import annotations

import streamlit as st

from core.learning.models import FlatMLP
from ui.common import tr
from ui.charts import show_altair


MNIST_SHOWN = 2000  # test images in the hidden-space pictures (each one a point)


def mnist_spaces(run) -> dict | None:
    """The first MNIST_SHOWN test images on the top two principal components of the model's last hidden layer
    (the MLP) or of its features (the CNN: the last linear layer's input) and of their raw pixels, once per
    trained state. None for a model without either."""
    from core.lessons.inside import forward, layers_of, principal_components
    from core.learning.models import SmallCNN, cnn_features
    model = run.trainer.model
    net = getattr(model, "net", None)
    if isinstance(net, SmallCNN):
        layer = "cnn"
    elif isinstance(net, FlatMLP) and net.depth > 0:
        layer = "mlp"
    else:
        return None
    key = (id(model), run.trainer.steps)
    cache = st.session_state.get("mn.hidden_cache")
    if cache is not None and cache[0] == key:
        return cache[1]
    X_test = run.trainer.data.X_test[:MNIST_SHOWN]
    X = X_test.detach().cpu().double().numpy()
    if layer == "cnn":
        hidden = cnn_features(model, X_test).double().numpy()
    else:
        layers, activation = layers_of(model)  # (copies to the CPU: .numpy() of detached parameters)
        hidden = forward(layers, X, activation)[1][-1]
    out = {"layer": layer, "hidden": principal_components(hidden), "raw": principal_components(X),
           "labels": run.trainer.data.y_test[:MNIST_SHOWN].cpu().numpy()}
    st.session_state["mn.hidden_cache"] = (key, out)
    return out


def mnist_hidden_panel(run, names) -> None:
    import altair as alt
    spaces = mnist_spaces(run)
    if spaces is None:
        st.caption(tr("mh.no_hidden"))
        return
    layer = spaces["layer"]
    st.caption(tr("mh.note", n=MNIST_SHOWN, layer=tr(f"mh.layer_{layer}")))
    cols = st.columns(2)
    for col, which in zip(cols, ("hidden", "raw")):
        coords, shares = spaces[which]
        rows = [{"a": float(a), "b": float(b), "digit": names[int(c)]}
                for (a, b), c in zip(coords, spaces["labels"])]
        chart = alt.Chart(alt.Data(values=rows)).mark_circle(size=14, opacity=0.7).encode(
            x=alt.X("a:Q", title=tr("hs.pc", i=1, share=f"{shares[0]:.0%}")),
            y=alt.Y("b:Q", title=tr("hs.pc", i=2, share=f"{shares[1]:.0%}")),
            color=alt.Color("digit:N", title=None, scale=alt.Scale(domain=list(names), scheme="tableau10")),
            tooltip=["digit:N"]).properties(
                height=320, title=tr(f"mh.{which}" if which == "raw" else f"mh.title_{layer}"))
        show_altair(col, chart, tr(f"mh.{which}" if which == "raw" else f"mh.title_{layer}"), width="stretch")
    h, r = spaces["hidden"][1], spaces["raw"][1]
    st.html(f'<div id="mnist-hidden" data-layer="{layer}" data-n="{len(spaces["labels"])}" '
            f'data-hidden-share="{h[0] + h[1]:.6f}" data-raw-share="{r[0] + r[1]:.6f}"></div>')
