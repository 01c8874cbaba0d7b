"""Inside the model, as the user sees it: the forward pass at a chosen point, step by step."""
from __future__ import annotations

import html

import numpy as np
import streamlit as st

from core.lessons.inside import HAND_NET, HAND_POINT, feature_points, layers_of, readout
from core.learning.models import PLAIN_FEATURES, FlatMLP, input_labels, plain_inputs
from core.runs.config import SHOW_NAMES
from ui.address import link_view, link_warnings
from ui.common import key_labels, tr, translated_choice
from ui.charts import show_altair

NETS = ("hand", "run")
POINT_LIMIT = 1000.0  # the point's coordinates: wide enough for any data set's units, finite logits


def vector(v) -> str:
    return "(" + ", ".join(f"{x:.3f}" for x in np.asarray(v, dtype=float).ravel()) + ")"


def matrix(m) -> str:
    return "[" + ", ".join(vector(row) for row in np.atleast_2d(m)) + "]"


def _row(step_id: str, label: str, value: str) -> str:
    return (f'<tr id="{step_id}"><td style="padding:2px 10px 2px 0;white-space:nowrap">{html.escape(label)}</td>'
            f'<td style="font-family:monospace">{html.escape(value)}</td></tr>')


def _sub(k: int) -> str:
    """k as subscript digits: W₁, h₂."""
    return str(k).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def _layer_input(k: int) -> str:
    """What layer k multiplies: the point x for the first, the previous layer's h after it."""
    return "x" if k == 1 else "h" + _sub(k - 1)


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
    point = (x1, x2)
    if choice == "run":
        layers, activation = layers_of(run.trainer.model)
        if not plain_inputs(run.trainer.model):  # feature inputs: the first layer takes φ(x), not x
            point = tuple(feature_points(run.trainer.model, np.array([[x1, x2]]))[0])
            st.caption(tr("fp.features", names=", ".join(input_labels(run.trainer.model))))
    else:
        layers, activation = HAND_NET, "relu"
        st.caption(tr("fp.hand_weights", w1=matrix(HAND_NET[0][0]), b1=vector(HAND_NET[0][1]),
                      w2=matrix(HAND_NET[1][0]), b2=vector(HAND_NET[1][1])))
    r = readout(layers, point, activation)
    rows = []
    for i, layer in enumerate(r.hidden, start=1):  # layer i takes x (i = 1) or the last layer's h
        rows.append(_row(f"fp-pre-{i}", tr("fp.pre", n=i, k=_sub(i), inp=_layer_input(i)), vector(layer.pre)))
        rows.append(_row(f"fp-h-{i}", tr(f"fp.h.{activation}", k=_sub(i)), vector(layer.out)))
    rows.append(_row("fp-z", tr("fp.z", k=_sub(len(layers)), inp=_layer_input(len(layers))), vector(r.z)))
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


def hidden_space_chart(run):
    """(chart, view, lines drawn): the training points as the output layer sees them, the last hidden
    layer's activations (or their top two principal components), coloured by given label, flipped
    labels ringed; with two units, the output layer's boundaries as straight lines where they cross
    the view (an untrained net's line may lie outside: all points on one side). (None, None, 0) for a
    model without hidden layers."""
    import altair as alt

    from core.lessons.inside import hidden_view, layers_of
    from core.pictures.render import CLASS_COLOURS, to_hex

    model, d = run.trainer.model, run.trainer.data
    layers, activation = layers_of(model)
    if len(layers) < 2:
        return None, None, 0
    view = hidden_view(layers, feature_points(model, d.X_train.double().numpy()), activation)
    y, flipped = d.y_given.numpy(), d.flipped.numpy()
    k = run.data.n_classes
    if view.exact:
        x_title, y_title = "h₁", "h₂"
    else:
        x_title = tr("hs.pc", i=1, share=f"{view.explained[0]:.0%}")
        y_title = tr("hs.pc", i=2, share=f"{view.explained[1]:.0%}")
    rows = [{"a": float(a), "b": float(b), "label": str(int(c)), "flipped": bool(f)}
            for (a, b), c, f in zip(view.coords, y, flipped)]
    colours = [to_hex(CLASS_COLOURS[c % len(CLASS_COLOURS)]) for c in range(k)]
    lo, hi = view.coords.min(0), view.coords.max(0)
    pad = 0.08 * np.maximum(hi - lo, 1e-6)
    x_dom, y_dom = [float(lo[0] - pad[0]), float(hi[0] + pad[0])], [float(lo[1] - pad[1]), float(hi[1] + pad[1])]
    base = alt.Chart(alt.Data(values=rows)).encode(
        x=alt.X("a:Q", title=x_title, scale=alt.Scale(domain=x_dom, nice=False)),
        y=alt.Y("b:Q", title=y_title, scale=alt.Scale(domain=y_dom, nice=False)),
        color=alt.Color("label:N", title=tr("hs.label"), scale=alt.Scale(domain=[str(c) for c in range(k)],
                                                                        range=colours)),
        tooltip=[alt.Tooltip("label:N", title=tr("hs.label")), alt.Tooltip("a:Q", format=".3f"),
                 alt.Tooltip("b:Q", format=".3f")])
    chart = base.mark_circle(size=28, opacity=0.85)
    if flipped.any():
        chart += base.transform_filter("datum.flipped").mark_point(size=90, color="#111111", filled=False)
    segments = []
    for normal, offset in view.lines:
        seg = _clip(normal, offset, x_dom, y_dom)
        if seg is not None:
            segments += [{"a": seg[0], "b": seg[1], "line": len(segments) // 2},
                         {"a": seg[2], "b": seg[3], "line": len(segments) // 2}]
    if segments:
        chart += alt.Chart(alt.Data(values=segments)).mark_line(color="#333333", strokeWidth=2).encode(
            x="a:Q", y="b:Q", detail="line:N")
    return chart.properties(height=360), view, len(segments) // 2


def _clip(normal, offset, x_dom, y_dom):
    """The line normal·h + offset = 0 inside the box, as (x0, y0, x1, y1), or None."""
    from core.pictures.render import clip_line
    seg = clip_line(np.asarray(normal, dtype=float), float(offset), (*x_dom, *y_dom))
    return None if seg is None else (*seg[0], *seg[1])


def hidden_space_panel(run) -> None:
    chart, view, drawn = hidden_space_chart(run)
    if chart is None:
        st.caption(tr("hs.no_hidden"))
        return
    st.caption(tr("hs.exact" if view.exact else "hs.pca"))
    show_altair(st, chart, tr("hs.exact" if view.exact else "hs.pca"), width="stretch")
    st.html(f'<div id="hidden-space" data-exact="{int(view.exact)}" data-lines="{drawn}" '
            f'data-points="{len(view.coords)}"></div>')


def boundary_equation_html(model) -> str:
    """The logistic boundary w·x + b = 0 with the current numbers, in the data's own units (the model
    standardises its inputs; the weights are converted back), and solved for x₂."""
    from core.lessons.inside import feature_equation_terms, line_equation, signed_terms
    from core.learning.models import linear_boundary
    line = linear_boundary(model)
    if line is None:  # feature inputs (x₁², sin x₁, ...): w·φ(x) + b = 0, a line in feature space only
        terms = feature_equation_terms(model)
        if terms is None:
            return ""
        from core.learning.models import feature_boundary
        labels, w, b = feature_boundary(model)
        text = tr("eq.line", terms=terms) + " " + tr("eq.features")
        weights = ",".join(f"{v:.9g}" for v in w.double().numpy().reshape(-1).tolist())
        return (f'<div id="boundary-equation" data-features="{html.escape(",".join(labels))}" data-w="{weights}" '
                f'data-b="{b:.9g}" style="font-size:0.85em;margin-bottom:4px">{html.escape(text)}</div>')
    w, b = line
    eq = line_equation(w.double().numpy(), b)
    text = tr("eq.line", terms=signed_terms((eq.w1, "x₁"), (eq.w2, "x₂"), (eq.b, "")))
    if eq.slope is not None:
        text += " " + tr("eq.solved", rhs=signed_terms((eq.slope, "x₁"), (eq.intercept, "")))
    elif eq.x1 is not None:
        text += " " + tr("eq.vertical", x1=f"{eq.x1:.3f}")
    text += " " + tr("eq.units")
    return (f'<div id="boundary-equation" data-w1="{eq.w1:.9g}" data-w2="{eq.w2:.9g}" data-b="{eq.b:.9g}" '
            f'style="font-size:0.85em;margin-bottom:4px">{html.escape(text)}</div>')


SIDE_KEY = "p2d.side"  # the view beside the boundary; in the URL as side=params|hidden (a view, not a setting)
SIDE_EVERY_S = 0.25  # while playing, the side view is recomputed at most 4 times a second


def side_view_from_url() -> list:
    """Once per session: the link's side= sets the view beside the boundary; a value that is not a view
    is reported, never raised."""
    ss = st.session_state
    if ss.get("p2d.side_url_read"):
        return []
    ss["p2d.side_url_read"] = True
    if link_view().side != "none":
        ss[SIDE_KEY] = link_view().side
    return link_warnings("side")


# The 2D page's view checkboxes (in the link as show=regions,pull,...: a view, like side=, never a setting)
SHOW_TOGGLES = {name: f"p2d.{name}" for name in SHOW_NAMES}


def toggles_from_url() -> list:
    """Once per session: the link's show= ticks the named view checkboxes; an unknown name is reported."""
    ss = st.session_state
    if ss.get("p2d.show_url_read"):
        return []
    ss["p2d.show_url_read"] = True
    names, warnings = link_view().shown()
    for name in names:
        ss[SHOW_TOGGLES[name]] = True
    return warnings


def view_toggles(config) -> tuple[bool, bool, bool]:
    """The boundary's view checkboxes: (the first layer's unit lines, the linear regions: ReLU nets only; the
    pull of each point). A lesson that shows one opens the page with it on."""
    ss = st.session_state
    lesson = (ss.get("lesson") or {}).get("key")
    relu_units = config.model == "mlp" and config.activation == "relu"  # units that switch on along a line
    # feature inputs (x₁², sin x₁, ...): a unit's boundary is no straight line and the regions are no longer
    # polygons, so both are off, said beside them (the ticks are kept for the plain inputs)
    plain = config.feature_keys() == PLAIN_FEATURES
    if relu_units:
        ss.setdefault(SHOW_TOGGLES["unit_lines"], lesson == "relu_pieces")
        st.checkbox(tr("p2d.unit_lines"), key=SHOW_TOGGLES["unit_lines"], help=tr("p2d.unit_lines_help"),
                    disabled=not plain)
        st.checkbox(tr("p2d.regions"), key=SHOW_TOGGLES["regions"], help=tr("p2d.regions_help"), disabled=not plain)
        if not plain:
            st.caption(tr("p2d.regions_features"))
    relu_units = relu_units and plain
    ss.setdefault(SHOW_TOGGLES["pull"], lesson == "exp_pull")
    st.checkbox(tr("pull.toggle"), key=SHOW_TOGGLES["pull"], help=tr("pull.help"))
    if ss.get(SHOW_TOGGLES["pull"]):  # what a disc's size means, beside the picture
        st.caption(tr("pull.legend"))
    return (relu_units and ss.get(SHOW_TOGGLES["unit_lines"], False), relu_units and ss.get(SHOW_TOGGLES["regions"], False),
            ss.get(SHOW_TOGGLES["pull"], False))


def view_params() -> dict:
    """The 2D page's own part of the view (ui/view.current_view): the side view and the ticked checkboxes."""
    ss = st.session_state
    return {"side": ss.get(SIDE_KEY, "none"), "show": tuple(name for name, key in SHOW_TOGGLES.items() if ss.get(key))}


def side_view_choice(model) -> str:
    """A radio of the views this model has (the parameter space for binary logistic regression, the
    hidden space for a net), drawn under the boundary in the same canvas element. A view this model lacks
    falls back to none (the page then writes the link again: LivePage.write_link)."""
    from core.pictures.inside_frames import available_views
    return translated_choice(st.radio, tr("side.label"), available_views(model), SIDE_KEY, horizontal=True,
                             format_func=key_labels("side.{}"), help=tr("side.help"))


def side_panel(run, view: str, live: bool) -> dict | None:
    """The live canvas panel of the side view (core/pictures/inside_frames.py) with its caption and numbers."""
    from core.pictures.inside_frames import side_frame
    from ui import live_view
    from core.pictures.inside_frames import NET_SHOWN, NET_TEXT
    frame = side_frame(run, view, every=SIDE_EVERY_S if live else 0.0, pc_format=tr("hs.pc_short"),
                       layer_format=tr("um.layer"), net_text=tuple((k, tr(f"net.{k}")) for k in NET_TEXT))
    if frame is None:
        return None
    info = run.timings["side"][3]["info"]  # the frame drawn last (a reused one is sent as "same")
    if view == "params":
        note = "side.params_note" if getattr(run.trainer.model.net, "has_bias", True) else "side.params_note_no_bias"
        text = tr(note, b=f"{info['b']:.3f}") + " " + tr(
            "ps.now", w=vector((info["w1"], info["w2"])), g=vector((-info["g1"], -info["g2"]))) + " " + minimum_text(
            info["minimum"])
        marks = "".join(f' data-{k}="{info[k]:.9g}"' for k in ("w1", "w2", "b", "g1", "g2"))
        low = "none" if info["minimum"] is None else ",".join(f"{v:.9g}" for v in info["minimum"])
        marks += f' data-points="{info["points"]}" data-minimum="{low}" data-window="{",".join(f"{v:.9g}" for v in info["window"])}"'
    elif view == "network":
        text = tr("side.network_note", wmax=f"{info['wmax']:.3g}")
        if any(info["hidden"]):  # a layer too wide to draw whole: its first units, and how many more
            text += " " + tr("side.network_more", shown=NET_SHOWN)
        marks = "".join(f' data-{k}="{",".join(str(n) for n in info[v])}"'
                        for k, v in (("layers", "layers"), ("shown-units", "shown"), ("hidden-units", "hidden")))
        marks += f' data-lines="{info["lines"]}" data-wmax="{info["wmax"]:.9g}"'
    elif view == "units":
        from core.pictures.unit_maps import NONNEGATIVE
        scale = tr("um.scale_zero_max" if info["activation"] in NONNEGATIVE else "um.scale_centred")
        text = tr("side.units_note", scale=scale)
        if info["dead"]:  # a blank tile is a dead unit, not a drawing fault: say so
            text += " " + tr("side.units_dead", n=info["dead"])
        marks = f' data-units="{",".join(str(n) for n in info["units"])}" data-dead="{info["dead"]}"'
    else:
        text = tr("side.hidden_exact" if info["exact"] else "side.hidden_pca")
        marks = f' data-exact="{int(info["exact"])}" data-lines="{info["lines"]}" data-points="{info["points"]}"'
    after = (f'<div id="side-view" data-view="{view}" data-step="{run.timings["side"][0][2]}"{marks} '
             f'style="font-size:0.8em;max-width:420px">{html.escape(text)}</div>')
    return live_view.panel("side-live", frame, after=after, label=f'{tr(f"side.{view}")}: {text}')


EXPLAIN_KEY = "p2d.explain"  # "explain each step" (binary logistic regression)
EXPLAINED_KEY = "p2d.explained"  # (the trainer's id, the last step explained)


def explain_toggle(model) -> bool:
    """The checkbox, for binary logistic regression only (its two weights and bias are the whole model)."""
    from core.learning.models import is_binary_logistic
    if not is_binary_logistic(model):
        return False
    return st.checkbox(tr("se.toggle"), key=EXPLAIN_KEY, help=tr("se.help"))


def step_explained(run, steps: int, explain: bool, advance) -> None:
    """Step clicked (paused): `steps` steps; one step with "explain" on is recorded with its batch, gradient
    and update (core/lessons/step_explained.py) for explained_now."""
    from core.lessons.step_explained import explain_step
    if explain and steps == 1 and run.trainer.diverged is None:
        st.session_state[EXPLAINED_KEY] = (id(run.trainer), explain_step(run.trainer, lambda: advance(run, 1)))
    else:
        advance(run, steps)  # exactly that many steps: a class follows each update


def explained_now(run, explain: bool, playing: bool):
    """The explained step while it is the model's latest (not after more steps, a reset or playing), or None."""
    trainer_id, explained = st.session_state.get(EXPLAINED_KEY, (None, None))
    if explain and not playing and explained is not None and trainer_id == id(run.trainer) \
            and explained.step == run.trainer.steps:
        return explained
    return None


def _num(v: float) -> str:
    return f"{v:.4f}"


def explained_step_html(e, standardised: bool, loss: str) -> str:
    """One step as tables and formulas with its numbers (core/lessons/step_explained.py): the batch's errors,
    the gradient as their weighted sum, the textbook update and the step the optimizer took."""
    from core.lessons.inside import line_equation, signed_terms
    from core.lessons.step_explained import SHOWN_ROWS
    B = len(e.rows)
    dz_name = "p − y" if loss == "cross_entropy" else "∂ℓ/∂z"
    head = ["#", "x₁", "x₂", "y", "z = w·x + b", "p = σ(z)", dz_name, f"({dz_name})·x₁", f"({dz_name})·x₂"]
    cell = 'style="padding:1px 8px;text-align:right;font-family:monospace"'
    rows = []
    for i in range(min(B, SHOWN_ROWS)):
        values = [str(int(e.rows[i])), _num(e.Xs[i, 0]), _num(e.Xs[i, 1]), str(int(e.y[i])), _num(e.z[i]),
                  _num(e.p[i]), _num(e.dz[i]), _num(e.dz[i] * e.Xs[i, 0]), _num(e.dz[i] * e.Xs[i, 1])]
        rows.append("<tr>" + "".join(f"<td {cell}>{html.escape(v)}</td>" for v in values) + "</tr>")
    table = ('<table style="border-collapse:collapse;font-size:0.85em"><tr>'
             + "".join(f'<th {cell}>{html.escape(h)}</th>' for h in head) + "</tr>" + "".join(rows) + "</table>")
    lines = [tr("se.batch", b=B, shown=min(B, SHOWN_ROWS), dz=dz_name)
             + (" " + tr("se.standardised") if standardised else ""),
             tr("se.gradient" if e.has_bias else "se.gradient_no_bias", dz=dz_name, b=B, g=vector(e.grad_w),
                gb=_num(e.grad_b))]
    if e.decay.any():
        lines.append(tr("se.decay", d=vector(e.decay)))
    lines.append(tr("se.update", w=vector(e.w_old), lr=f"{e.lr:g}", g=vector(e.grad_w + e.decay),
                    new=vector(e.predicted)))
    if e.l1_threshold:  # L1: the optimizer's step, then the soft threshold (not part of the gradient)
        lines.append(tr("se.l1", t=f"{e.l1_threshold:g}"))
    lines.append(tr(("se.taken_same" if e.plain else "se.taken_other") + ("" if e.has_bias else "_no_bias"),
                    taken=vector(e.w_new),
                    b_old=_num(e.b_old), b_new=_num(e.b_new)))
    for key, (w, b) in (("se.line_old", e.line_old), ("se.line_new", e.line_new)):
        eq = line_equation(w, b)
        lines.append(tr(key, eq=signed_terms((eq.w1, "x₁"), (eq.w2, "x₂"), (eq.b, "")) + " = 0"))
    body = "".join(f'<div style="margin:3px 0">{html.escape(t)}</div>' for t in lines)
    return (f'<div id="step-explained" data-step="{e.step}" data-batch="{B}" data-plain="{int(e.plain)}" '
            f'data-g1="{e.grad_w[0]:.9g}" data-g2="{e.grad_w[1]:.9g}" data-w1="{e.w_new[0]:.9g}" '
            f'data-w2="{e.w_new[1]:.9g}" data-p1="{e.predicted[0]:.9g}" data-p2="{e.predicted[1]:.9g}">'
            f'<div style="font-weight:600;margin-bottom:4px">{html.escape(tr("se.title", step=e.step))}</div>'
            f'{table}{body}</div>')


def parameter_space_chart(run):
    """J(w1, w2) over a window around the current weights (b held at its current value), the path of
    the weights at every evaluation, the current point and the direction of -∇J (the same numbers as
    the live canvas view: core.pictures.inside_frames.parameter_space)."""
    import altair as alt

    from core.pictures.inside_frames import parameter_space

    ps = parameter_space(run.trainer, run.path)
    w, b, g, J, w1s, w2s, path = (ps[k] for k in ("w", "b", "g", "J", "w1s", "w2s", "path"))
    cells = [{"w1": float(a), "w2": float(c), "J": float(J[i, j])}
             for i, c in enumerate(w2s) for j, a in enumerate(w1s)]
    dx, dy = (w1s[1] - w1s[0]) / 2, (w2s[1] - w2s[0]) / 2
    x_scale = alt.Scale(domain=[float(w1s[0] - dx), float(w1s[-1] + dx)], nice=False)
    y_scale = alt.Scale(domain=[float(w2s[0] - dy), float(w2s[-1] + dy)], nice=False)
    surface = alt.Chart(alt.Data(values=cells)).transform_calculate(
        x0=f"datum.w1 - {dx}", x1=f"datum.w1 + {dx}", y0=f"datum.w2 - {dy}", y1=f"datum.w2 + {dy}"
    ).mark_rect().encode(
        x=alt.X("x0:Q", title="w₁", scale=x_scale), x2="x1:Q",
        y=alt.Y("y0:Q", title="w₂", scale=y_scale), y2="y1:Q",
        color=alt.Color("J:Q", title="J", scale=alt.Scale(scheme="viridis", type="log" if J.min() > 0 else "linear")),
        tooltip=[alt.Tooltip("w1:Q", format=".3f"), alt.Tooltip("w2:Q", format=".3f"), alt.Tooltip("J:Q", format=".4f")])
    steps = [{"w1": float(p[1]), "w2": float(p[2]), "step": int(p[0]), "order": i} for i, p in enumerate(path)]
    walk = alt.Chart(alt.Data(values=steps)).mark_line(color="#ffffff", strokeWidth=2, point=False).encode(
        x=alt.X("w1:Q", scale=x_scale), y=alt.Y("w2:Q", scale=y_scale), order="order:Q",
        tooltip=[alt.Tooltip("step:Q", title=tr("metric.step"))])
    now = alt.Chart(alt.Data(values=[{"w1": float(w[0]), "w2": float(w[1])}])).mark_point(
        size=120, color="#d62728", filled=True).encode(x=alt.X("w1:Q", scale=x_scale), y=alt.Y("w2:Q", scale=y_scale))
    # -∇J, a fixed share of the window long and cut at its edge: its direction is the lesson, not its size
    tip = ps["tip"]
    arrow = [] if tip is None else [{"w1": float(w[0]), "w2": float(w[1]), "end": 0},
                                    {"w1": float(tip[0]), "w2": float(tip[1]), "end": 1}]
    descent = alt.Chart(alt.Data(values=arrow)).mark_line(color="#d62728", strokeWidth=3).encode(
        x=alt.X("w1:Q", scale=x_scale), y=alt.Y("w2:Q", scale=y_scale), order="end:Q")
    chart = (surface + walk + now + descent).properties(height=380)
    return chart, {"w": w, "b": b, "g": g, "J": J, "w1s": w1s, "w2s": w2s, "path": path, "minimum": ps["minimum"]}


def minimum_text(minimum) -> str:
    """Where the weights are heading: J's lowest point in this plane, or that it has none."""
    if minimum is None:
        return tr("ps.no_minimum")
    return tr("ps.minimum", w=vector(minimum))


def parameter_space_panel(run) -> None:
    from core.learning.models import is_binary_logistic
    if not is_binary_logistic(run.trainer.model):
        st.caption(tr("ps.only_logistic"))
        return
    chart, info = parameter_space_chart(run)
    st.caption(tr("ps.note" if getattr(run.trainer.model.net, "has_bias", True) else "ps.note_no_bias",
                  b=f"{info['b']:.3f}"))
    show_altair(st, chart, tr("side.params"), width="stretch")
    w, g, m = info["w"], info["g"], info["minimum"]
    low = "none" if m is None else f"{m[0]:.9g},{m[1]:.9g}"
    text = tr("ps.now", w=vector(w), g=vector(-g)) + " " + minimum_text(m)
    st.html(f'<div id="parameter-space" data-w1="{w[0]:.9g}" data-w2="{w[1]:.9g}" data-b="{info["b"]:.9g}" '
            f'data-g1="{g[0]:.9g}" data-g2="{g[1]:.9g}" data-points="{len(info["path"])}" data-minimum="{low}" '
            f'style="font-size:0.85em">{html.escape(text)}</div>')


IMPLICIT_HORIZON = 10 ** 10  # the last step shown: even there gradient descent is still ~5° off (1/log t)
IMPLICIT_EXACT = 1_000  # steps taken one by one; after them the gradient flow (core.lessons.inside.implicit_bias_path)
IMPLICIT_LR = 0.1  # both losses: a first step that does not overshoot (exponential at lr 1: ‖w‖ 5.34 -> 5.37 in 10⁴ steps)


def _power_labels(last: int) -> tuple[list[int], str]:
    """(ticks 1, 10², 10⁴, ... up to last, a Vega labelExpr printing them as powers of ten): short labels
    that do not overlap, where "10,000,000,000" would."""
    values = [10 ** k for k in range(0, len(str(last)), 2)]
    expr = " : ".join(f"datum.value >= {v // 2} ? '{_power(v)}'" for v in reversed(values[1:])) + " : '1'"
    return values, expr


def _sup(k: int) -> str:
    return str(k).translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))


def _power(v: int) -> str:
    """10000 -> 10⁴."""
    return "10" + _sup(len(str(v)) - 1)


@st.cache_data(max_entries=32, show_spinner=False)
def _implicit_paths(seed: int, loss: str):
    """Gradient descent and normalised gradient descent on one seed's separable data, to step 10¹⁰
    (shared by every session: pure numbers)."""
    from core.lessons.inside import implicit_bias_path, max_margin_direction, separable_data
    X, y = separable_data(seed)
    paths = [implicit_bias_path(X, y, IMPLICIT_HORIZON, lr=IMPLICIT_LR, loss=loss, optimizer=opt,
                                exact_steps=IMPLICIT_EXACT) for opt in ("gd", "ngd")]
    return max_margin_direction(X, y), *paths


def _at(path, step: int) -> float:
    return float(path.angle[int(np.searchsorted(path.steps, step))])


def implicit_bias_panel(seed: int) -> None:
    """A linear model without bias, full-batch, constant step, no weight decay, on separable data:
    the angle between w and the hard-margin SVM direction against log t for gradient descent (it
    shrinks like 1/log t) and normalised gradient descent (fast), and ‖w‖ against log t (a straight
    line: ‖w‖ ≈ log t / margin). Two charts stacked, full width, legends below."""
    import altair as alt

    st.caption(tr("ib.note"))
    loss = translated_choice(st.radio, tr("ib.loss"), ("logistic", "exponential"), "p2d.ib.loss",
                             horizontal=True, format_func=key_labels("ib.loss.{}"))
    svm, gd, ngd = _implicit_paths(int(seed), loss)
    ticks, labels = _power_labels(IMPLICIT_HORIZON)
    x = alt.X("t:Q", title=tr("ib.t"), scale=alt.Scale(type="log", domain=[1, IMPLICIT_HORIZON], nice=False),
              axis=alt.Axis(values=ticks, labelExpr=labels, grid=True, titlePadding=6, labelPadding=4))
    legend = alt.Legend(orient="bottom", title=None, labelLimit=0, symbolStrokeWidth=3, offset=8)
    # height = the plot's own (Streamlit's theme fits title, axes and legend inside it: a 60 px plot);
    # svg: the text is in the page, where the browser test sees a cut title
    frame = {"autosize": alt.AutoSizeParams(type="fit-x", contains="padding"),
             "padding": {"left": 6, "top": 6, "right": 6, "bottom": 6},  # Streamlit wants the object form
             "usermeta": {"embedOptions": {"renderer": "svg"}}}

    def titled(text: str) -> alt.TitleParams:
        return alt.TitleParams(text, anchor="start", fontSize=14, limit=0, offset=10)

    names = {"gd": tr("ib.gd"), "ngd": tr("ib.ngd")}
    colours = ["#1f77b4", "#ff7f0e"]
    rows = [{"t": int(t), "curve": names[key], "angle": float(a)}
            for key, path in (("gd", gd), ("ngd", ngd)) for t, a in zip(path.steps, path.angle)]
    angle = alt.Chart(alt.Data(values=rows)).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("angle:Q", title=tr("ib.angle"), scale=alt.Scale(domain=[0, 35], nice=False),
                     axis=alt.Axis(titlePadding=6, labelPadding=4)),
        color=alt.Color("curve:N", legend=legend, scale=alt.Scale(domain=list(names.values()), range=colours)),
        tooltip=[alt.Tooltip("t:Q", title="t", format=","), alt.Tooltip("angle:Q", format=".2f")])
    show_altair(st, angle.properties(title=titled(tr("ib.angle_title")), height=200, **frame), tr("ib.angle_title"),
                width="stretch")

    # ‖w‖ against log t; dashed: the theory's slope, 1/margin per unit of log t, through the last point
    slope = 1.0 / svm.margin
    since = int(gd.steps[np.searchsorted(gd.steps, 10 ** 3)])
    guide = [{"t": int(t), "curve": tr("ib.theory"), "norm": float(gd.norm[-1] + slope * np.log(t / gd.steps[-1]))}
             for t in (since, int(gd.steps[-1]))]
    rows = [{"t": int(t), "curve": names["gd"], "norm": float(n)} for t, n in zip(gd.steps, gd.norm)] + guide
    norm = alt.Chart(alt.Data(values=rows)).mark_line(strokeWidth=2.5).encode(
        x=x, y=alt.Y("norm:Q", title=tr("ib.norm"), axis=alt.Axis(titlePadding=6, labelPadding=4)),
        color=alt.Color("curve:N", legend=legend, scale=alt.Scale(domain=[names["gd"], tr("ib.theory")],
                                                                   range=[colours[0], "#555555"])),
        strokeDash=alt.StrokeDash("curve:N", legend=None, scale=alt.Scale(domain=[names["gd"], tr("ib.theory")],
                                                                         range=[[1, 0], [6, 4]])),
        tooltip=[alt.Tooltip("t:Q", title="t", format=","), alt.Tooltip("norm:Q", format=".3f")])
    show_altair(st, norm.properties(title=titled(tr("ib.norm_title")), height=180, **frame), tr("ib.norm_title"),
                width="stretch")

    decades = np.log10(gd.steps[-1]) - np.log10(10 ** 8)
    per_decade = float((gd.norm[-1] - gd.norm[np.searchsorted(gd.steps, 10 ** 8)]) / decades)
    theory = float(np.log(10) * slope)
    numbers = {"gd-start": _at(gd, 1), "gd-mid": _at(gd, 10 ** 4), "gd-late": _at(gd, 10 ** 6),
               "gd-angle": float(gd.angle[-1]),
               "ngd-1000": _at(ngd, 1_000), "ngd-angle": float(ngd.angle[-1])}
    marks = "".join(f' data-{k}="{v:.6g}"' for k, v in numbers.items())
    st.html(f'<div id="implicit-bias"{marks} data-norm-slope="{per_decade:.6g}" data-theory-slope="{theory:.6g}" '
            f'data-gd-margin="{gd.margin[-1]:.6g}" data-svm-margin="{svm.margin:.6g}" data-steps="{gd.steps[-1]}" '
            f'data-exact="{gd.exact}" style="font-size:0.85em">'
            + html.escape(tr("ib.summary", start=f"{numbers['gd-start']:.1f}", mid=f"{numbers['gd-mid']:.1f}",
                             late=f"{numbers['gd-late']:.1f}", last=f"{numbers['gd-angle']:.1f}",
                             ngd=f"{numbers['ngd-1000']:.2f}", slope=f"{per_decade:.3f}", theory=f"{theory:.3f}",
                             margin=f"{gd.margin[-1]:.3f}", svm=f"{svm.margin:.3f}")) + "</div>")
