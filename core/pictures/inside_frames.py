"""Live frames of the inside-the-model views for the browser's canvas (ui/live_canvas.js draws them):
the parameter space of logistic regression (the J(w1, w2) map, the weights' path, the current point
and -∇J) and the hidden space (the training points in the last hidden layer's coordinates and the
output layer's lines). Data, not pictures, like core/pictures/frame_data.py's boundary frame; computed from
core/lessons/inside.py, so the paused Altair charts and the live canvas show the same numbers.
"""
from __future__ import annotations

import time
from functools import partial

import numpy as np

from core.pictures.render import AXIS, PlotBox, clip_line, fmt_tick, nice_ticks, to_hex
from core.pictures.frame_data import Layout, b64, bits, class_colours, points_xy
from core.learning.models import is_binary_logistic
from core.lessons.inside import cost_gradient, cost_surface, feature_points, hidden_view, layers_of

PLOT = PlotBox(width=340, height=320, left=46, bottom=36, top=8, right=10)
SURFACE_CELLS = 36  # the J map's cells per side (each one loss over the training set)
PATH_SHOWN = 2000  # the path's points sent to the browser (the run records up to 20,000)
UNITS_RESOLUTION = 24  # each unit's live picture: 24×24 values (the browser smooths it up)
TILE_PX, TILE_GAP, TILE_TITLE = 36, 4, 16  # a unit's smallest tile, the space between tiles, a layer's title line
TILES_PER_ROW = 6  # a few units get tiles this many to a row (as large as a projector needs), many get TILE_PX


def available_views(model) -> tuple[str, ...]:
    """The side views this model has: parameter space for binary logistic regression, hidden space for
    a net with hidden layers."""
    out = ["none"]
    if is_binary_logistic(model):
        out.append("params")
    if len(layers_of(model)[0]) >= 2:
        out += ["hidden", "units"]
    out.append("network")  # every model is a network: logistic regression's inputs go straight to its output
    return tuple(out)


def parameter_window(path: np.ndarray, w: np.ndarray, target: np.ndarray | None = None,
                     previous: tuple[np.ndarray, np.ndarray] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(lo, hi) of the (w1, w2) window: the whole path, the current point and the target (where the
    weights are heading: J's minimum, or a point ahead along -∇J), with a quarter of their span more room
    on each side, at least ±1 around their middle. It only grows: a window that already holds them all
    is kept as it is (no rescaling, no jitter from frame to frame), and a bigger one holds the last."""
    pts = [np.asarray(w, float).reshape(1, 2)] + ([path[:, 1:3]] if len(path) else [])
    if target is not None:
        pts.append(np.asarray(target, float).reshape(1, 2))
    pts = np.concatenate(pts)
    lo, hi = pts.min(0), pts.max(0)
    if previous is not None and (lo >= previous[0]).all() and (hi <= previous[1]).all():
        return previous
    centre, half = (lo + hi) / 2, np.maximum((hi - lo) / 2 * 1.5, 1.0)
    lo, hi = centre - half, centre + half
    if previous is not None:
        lo, hi = np.minimum(lo, previous[0]), np.maximum(hi, previous[1])
    return lo, hi


def ahead_point(path: np.ndarray, w: np.ndarray, g: np.ndarray) -> np.ndarray:
    """Where J has no minimum: a point ahead of w along -∇J, half the path's span away (at least 1)."""
    norm = float(np.linalg.norm(g))
    if norm == 0:
        return np.asarray(w, float)
    span = float(np.ptp(path[:, 1:3], 0).max()) if len(path) else 0.0
    return w - g / norm * max(1.0, 0.5 * span)


def arrow_tip(w: np.ndarray, g: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray | None:
    """The tip of the -∇J arrow: a third of the window's smaller side long (its direction is the lesson,
    not its size), cut at the window's edge so it never leaves the map. None for a zero gradient."""
    norm = float(np.linalg.norm(g))
    if norm == 0:
        return None
    d = -g / norm
    length = 0.35 * float(min(hi - lo)) / 2
    with np.errstate(divide="ignore", invalid="ignore"):  # how far along d before each edge
        room = np.where(d > 0, (hi - w) / d, np.where(d < 0, (lo - w) / d, np.inf))
    return w + d * max(0.0, min(length, float(room.min())))


def parameter_space(trainer, path, cells: int = SURFACE_CELLS) -> dict:
    """The numbers of the parameter-space view: the window's axes, J on it (b held at its current
    value), the current (w, b), the gradient and J's minimum in this plane (None: J has none). path: the
    run's WeightPath, whose window only grows (it is kept there) and whose last minimum starts the next
    search."""
    from core.lessons.inside import plane_minimum
    net = trainer.model.net
    w = net.weight.detach().double().numpy().copy()
    b = float(net.bias.detach()[0])
    points = path.array()
    g, gb = cost_gradient(trainer)
    minimum = plane_minimum(trainer, b, start=path.minimum)
    path.minimum = minimum
    target = minimum if minimum is not None else ahead_point(points, w, g)
    lo, hi = path.window = parameter_window(points, w, target, path.window)
    w1s = np.linspace(lo[0], hi[0], cells)
    w2s = np.linspace(lo[1], hi[1], cells)
    return {"w": w, "b": b, "g": g, "gb": gb, "J": cost_surface(trainer, w1s, w2s, b), "w1s": w1s, "w2s": w2s,
            "lo": lo, "hi": hi, "half": (hi - lo) / 2, "path": points, "minimum": minimum,
            "tip": arrow_tip(w, g, lo, hi)}


def axes(bounds, x_title: str, y_title: str, frame: PlotBox = PLOT) -> tuple[Layout, dict]:
    layout = Layout(bounds, frame)
    x_min, x_max, y_min, y_max = layout.bounds
    xt = [[round(frame.left + (v - x_min) * layout.sx, 2), fmt_tick(v)] for v in nice_ticks(x_min, x_max, 4)]
    yt = [[round(frame.top + (y_max - v) * layout.sy, 2), fmt_tick(v)] for v in nice_ticks(y_min, y_max, 4)]
    return layout, {"v": 1, "kind": "plot", "w": frame.width, "h": frame.height,
                    "plot": [frame.left, frame.top, frame.plot_w, frame.plot_h], "xticks": xt, "yticks": yt,
                    "xlabel": x_title, "ylabel": y_title, "axis": to_hex(AXIS), "xy_units": 16}


def heat_part(values: np.ndarray, log: bool) -> dict:
    """(rows = w2 from low to high, columns = w1) values as uint8 0..255 of [min, max] (log scale when
    all positive): the browser colours them (viridis), the top row first as on screen."""
    v = np.log(values) if log else np.asarray(values, dtype=np.float64)
    lo, hi = float(v.min()), float(v.max())
    q = np.zeros_like(v) if hi <= lo else (v - lo) / (hi - lo)
    return {"nx": int(values.shape[1]), "ny": int(values.shape[0]), "log": bool(log),
            "v": b64(np.clip(np.rint(q[::-1] * 255), 0, 255).astype(np.uint8)),
            "lo": float(values.min()), "hi": float(values.max())}


def parameter_frame(run, cells: int = SURFACE_CELLS, **_) -> dict | None:
    """The parameter-space view as one canvas frame, or None for a model that is not binary logistic."""
    t = run.trainer
    if not is_binary_logistic(t.model):
        return None
    ps = parameter_space(t, run.path, cells)
    w1s, w2s, J = ps["w1s"], ps["w2s"], ps["J"]
    dx, dy = (w1s[1] - w1s[0]) / 2, (w2s[1] - w2s[0]) / 2
    layout, out = axes((w1s[0] - dx, w1s[-1] + dx, w2s[0] - dy, w2s[-1] + dy), "w₁", "w₂")
    w, g = ps["w"], ps["g"]
    out["heat"] = heat_part(J, log=bool(J.min() > 0))
    path = ps["path"]
    if len(path) > PATH_SHOWN:  # evenly spaced points, the first and the newest kept: ≤ 8 kB per frame
        path = path[np.linspace(0, len(path) - 1, PATH_SHOWN).round().astype(int)]
    out["path"] = points_xy(layout, path[:, 1:3])
    out["marker"] = layout.segment((w, w))[:2]
    if ps["tip"] is not None:
        out["arrow"] = layout.segment((w, ps["tip"]))
    out["step"] = int(t.steps)
    m = ps["minimum"]
    out["info"] = {"w1": float(w[0]), "w2": float(w[1]), "b": ps["b"], "g1": float(g[0]), "g2": float(g[1]),
                   "points": int(len(ps["path"])), "J_lo": out["heat"]["lo"], "J_hi": out["heat"]["hi"],
                   "window": [float(v) for v in (*ps["lo"], *ps["hi"])],
                   "minimum": None if m is None else [float(m[0]), float(m[1])]}
    return out


def hidden_frame(run, pc_format: str = "PC{i} ({share})", **_) -> dict | None:
    """The hidden-space view as one canvas frame (the training points coloured by their given label,
    flipped ones ringed; with a 2-unit last layer its output lines), or None without hidden layers.
    pc_format: the axis title of principal component {i} with its {share} of the variance."""
    t, d = run.trainer, run.trainer.data
    layers, activation = layers_of(t.model)
    if len(layers) < 2:
        return None
    view = hidden_view(layers, feature_points(t.model, d.X_train.double().numpy()), activation)
    coords = view.coords
    lo, hi = coords.min(0), coords.max(0)
    pad = 0.08 * np.maximum(hi - lo, 1e-6)
    bounds = (lo[0] - pad[0], hi[0] + pad[0], lo[1] - pad[1], hi[1] + pad[1])
    if view.exact:
        titles = ("h₁", "h₂")
    else:
        titles = tuple(pc_format.format(i=i + 1, share=f"{view.explained[i]:.0%}") for i in range(2))
    layout, out = axes(bounds, *titles)
    y = d.y_given.numpy()
    out["points"] = {"n": int(len(y)), "xy": points_xy(layout, coords), "label": b64(y.astype(np.uint8)),
                     "flip": bits(d.flipped.numpy())}
    out["colours"] = class_colours(run.data.n_classes)
    lines = [layout.segment(clip_line(np.asarray(n, dtype=np.float64), float(c), layout.bounds))
             for n, c in view.lines]
    out["lines"] = [s for s in lines if s is not None]
    out["step"] = int(t.steps)
    out["info"] = {"exact": bool(view.exact), "points": int(len(y)), "lines": len(out["lines"])}
    return out


def units_frame(run, layer_format: str = "layer {i}: {n} units", resolution: int = UNITS_RESOLUTION,
                **_) -> dict | None:
    """Each unit of the first two hidden layers as a small picture of its output over the view (what
    TensorFlow Playground draws inside its neurons): palette indices of core/pictures/unit_maps.py (white = 0, each
    unit on its own scale), laid out in rows per layer. None without hidden layers."""
    from core.pictures.unit_maps import PALETTE, colour_indices, unit_maps
    t = run.trainer
    layers, activation = layers_of(t.model)
    maps = unit_maps(layers, activation, run.bounds, resolution, to_inputs=partial(feature_points, t.model))
    if not maps:
        return None
    width = PLOT.width
    widest = max(len(m) for m in maps)
    size = max(TILE_PX, (width + TILE_GAP) // min(widest, TILES_PER_ROW) - TILE_GAP)
    per_row = max(1, (width + TILE_GAP) // (size + TILE_GAP))
    tiles, titles, y = [], [], 0
    for i, m in enumerate(maps):
        titles.append([y + TILE_TITLE - 4, layer_format.format(i=i + 1, n=len(m))])
        y += TILE_TITLE
        for j in range(len(m)):
            tiles.append([(j % per_row) * (size + TILE_GAP), y + (j // per_row) * (size + TILE_GAP)])
        y += -(-len(m) // per_row) * (size + TILE_GAP)
    values = np.concatenate([colour_indices(m, activation) for m in maps])
    return {"v": 1, "kind": "tiles", "w": width, "h": y, "size": int(size), "n": int(resolution),
            "tiles": tiles, "titles": titles, "values": b64(values), "palette": PALETTE.tolist(),
            "step": int(t.steps), "info": {"units": [len(m) for m in maps], "activation": activation,
                                            # units with output 0 at every point of the view (a blank tile)
                                            "dead": int(sum((np.abs(m).reshape(len(m), -1).max(1) == 0).sum()
                                                            for m in maps))}}


NET_RESOLUTION = 16  # each node's live picture: 16×16 values (the browser smooths it up to the node's size)
NET_SHOWN = 8  # the first units of a layer drawn as nodes (TensorFlow Playground's widest layer); the rest counted
NET_NODE_MAX, NET_NODE_MIN, NET_GAP = 36, 16, 6  # a node's side (px) at most, at least, and the space between nodes
NET_HEAD, NET_FOOT, NET_AREA = 16, 18, 300  # the column titles' line, the "+n more" line, the nodes' height at most
NET_TEXT = {"inputs": "inputs", "layer": "layer {l}", "outputs": "output", "more": "+{n} more",  # (core/i18n.py's
            "input": "input {name}", "unit": "layer {l}, unit {i}: bias {b}", "output": "output {i}: bias {b}",  # net.*)
            "weight": "weight {w}: {a} → {b}", "unit_name": "layer {l} unit {i}", "output_name": "output {i}"}


def network_frame(run, net_text: tuple = (), resolution: int = NET_RESOLUTION, shown: int = NET_SHOWN,
                  **_) -> dict:
    """The network as a diagram (TensorFlow Playground's signature view): the input nodes by name
    (core.learning.models.input_labels), every hidden unit as its output over the view (unit_maps' pictures:
    palette indices, each unit on its own scale), the output node(s) as the class probability over the view,
    and the weights as lines (the model's own parameters, on its standardised inputs) whose width grows with
    |w| and whose colour is its sign. A layer wider than `shown` draws its first `shown` units and counts the
    rest; lines join drawn nodes only. net_text: the translated texts (NET_TEXT's keys) as (key, text) pairs."""
    import torch

    from core.learning.losses import probabilities
    from core.learning.models import input_labels
    from core.pictures.unit_maps import NEG, PALETTE, POS, colour_indices, network_maps
    text = {**NET_TEXT, **dict(net_text)}
    t = run.trainer
    net = t.model.net
    layers, activation = layers_of(t.model)
    weights = [w.detach().float().numpy() for w in net.weights(net.weight)]
    biases = [b.detach().float().numpy() for b in net.biases(net.bias)]
    sizes = [weights[0].shape[1]] + [w.shape[0] for w in weights]  # inputs, hidden layers, outputs (logits)
    labels = list(input_labels(t.model))[:sizes[0]]
    labels += [f"x{i + 1}" for i in range(len(labels), sizes[0])]  # (never: the model names each input)
    hidden_maps, logits = network_maps(layers, activation, run.bounds, resolution,
                                       to_inputs=partial(feature_points, t.model))
    counts = [min(n, shown) for n in sizes]
    n_outputs = sizes[-1]
    z = torch.from_numpy(np.ascontiguousarray(logits.reshape(n_outputs, -1).T))  # (R·R, K)
    p = probabilities(z[:, 0] if n_outputs == 1 else z).numpy()  # one logit: (1 - σ, σ); else softmax
    p = p[:, 1:] if n_outputs == 1 else p  # a node per logit: one logit draws class 1's probability
    out_q = np.clip(np.rint(p.T * 255.0), 0, 255).astype(np.uint8).reshape(n_outputs, resolution, resolution)
    out_q = out_q[:counts[-1]]
    # the layout: one column per layer, nodes centred in each; a node as large as the columns and rows allow
    width, cols, rows = PLOT.width, len(sizes), max(counts)
    by_rows = (NET_AREA - (rows - 1) * NET_GAP) // rows
    by_cols = int(0.6 * (width - NET_NODE_MAX) / (cols - 1))
    size = int(max(NET_NODE_MIN, min(NET_NODE_MAX, by_rows, by_cols)))
    area = rows * size + (rows - 1) * NET_GAP
    step_x = (width - size) / (cols - 1)
    columns = []
    for c, (n, k) in enumerate(zip(sizes, counts)):
        x = round(c * step_x, 1)
        top = NET_HEAD + (area - (k * size + (k - 1) * NET_GAP)) / 2
        title = (text["inputs"] if c == 0 else text["outputs"] if c == cols - 1
                 else text["layer"].format(l=c))
        columns.append({"x": x, "y": [round(top + j * (size + NET_GAP), 1) for j in range(k)], "n": n,
                        "title": title, "more": text["more"].format(n=n - k) if n > k else ""})
    thumbs = [colour_indices(m, activation)[:k] for m, k in zip(hidden_maps, counts[1:-1])]
    lines = [w[:counts[c + 1], :counts[c]] for c, w in enumerate(weights)]
    wmax = max((float(np.abs(w).max()) for w in lines if w.size), default=0.0)
    info = {"layers": sizes, "shown": counts, "hidden": [n - k for n, k in zip(sizes, counts)],
            "lines": int(sum(w.size for w in lines)), "wmax": wmax, "activation": activation}
    return {"v": 1, "kind": "network", "w": width, "h": int(NET_HEAD + area + NET_FOOT), "size": size,
            "n": int(resolution), "columns": columns, "inputs": labels,
            "values": b64(np.concatenate(thumbs) if thumbs else np.zeros(0, np.uint8)),
            "palette": PALETTE.tolist(), "out": {"binary": n_outputs == 1, "p": b64(out_q)},
            "colours": class_colours(run.data.n_classes),
            "weights": [b64(np.ascontiguousarray(w, dtype="<f4")) for w in lines],
            "biases": [b64(np.ascontiguousarray(b[:k], dtype="<f4")) for b, k in zip(biases, counts[1:])],
            "wmax": wmax, "pos": to_hex(POS), "neg": to_hex(NEG),
            "text": {k: text[k] for k in ("input", "unit", "output", "weight", "unit_name", "output_name")},
            "step": int(t.steps), "info": info}


BUILDERS = {"params": parameter_frame, "hidden": hidden_frame, "units": units_frame, "network": network_frame}


def side_frame(run, view: str, every: float = 0.0, **titles) -> dict | None:
    """The side view's frame, rebuilt at most every `every` seconds (and five times its own cost) while
    playing: a J map costs a few ms, the boundary frame comes first. Reused: {"same": stamp} tells the
    browser to keep what it drew. every=0: always fresh (paused, stepping)."""
    build = BUILDERS.get(view)
    if build is None:
        return None
    t = run.trainer
    key = (view, id(t.model), t.steps, tuple(sorted(titles.items())))
    now = time.perf_counter()
    cached = run.timings.get("side")
    if cached is not None:
        same_view = cached[0][:2] == key[:2] and cached[0][3:] == key[3:]
        young = every > 0 and now - cached[1] < max(every, 5 * cached[2])
        if cached[0] == key or (same_view and young):
            frame = cached[3]
            if frame is None or every == 0:  # paused: the whole frame (the browser may have remounted)
                return frame
            return {"kind": frame["kind"], "same": frame["stamp"], "w": frame["w"]}
    frame = build(run, **titles)
    if frame is not None:
        frame["stamp"] = f"{id(run):x}-{time.monotonic_ns():x}"
    run.timings["side"] = (key, now, time.perf_counter() - now, frame)
    return frame
