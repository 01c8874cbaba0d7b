"""Inside the model: a network's forward pass at one point, its linear regions, its hidden
space, and the max-margin direction that gradient descent drifts to.

Everything works on plain numpy layers [(W, b), ...] in the data's own units (a Classifier's
standardisation is folded into its first layer), float64, so each number can be checked by hand.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from core.pictures.render import grid_array
from core.learning.losses import probabilities as losses_probabilities
from core.learning.models import (ACTIVATIONS, PLAIN_FEATURES, Classifier, FlatMLP, Standardize, apply_features,
                                  model_features)

Layers = list[tuple[np.ndarray, np.ndarray]]  # [(W (n_out, n_in), b (n_out,)), ...], the last one gives logits

# A network small enough to check by hand (2 inputs, 3 ReLU units, 2 logits with softmax).
HAND_NET: Layers = [
    (np.array([[1.0, -1.0], [-1.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0])),
    (np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), np.array([0.0, 0.0])),
]
HAND_POINT = (0.5, 0.3)



def layers_of(model: Classifier) -> tuple[Layers, str]:
    """(layers in raw input units, activation) of a Classifier over a FlatMLP: standardisation
    (x - μ)/σ folded into the first layer, W/σ and b - W·(μ/σ). A model with feature inputs (x₁², sin x₁, ...):
    the layers take the features φ(x) in their raw units, so feed them feature_points(model, X), not X."""
    net = model.net
    if not isinstance(net, FlatMLP):
        raise TypeError("only the playground's MLPs and logistic models have readable layers")
    ws = [w.detach().double().numpy().copy() for w in net.weights(net.weight)]
    bs = [b.detach().double().numpy().copy() for b in net.biases(net.bias)]
    if isinstance(model.standardize, Standardize):
        mean = model.standardize.mean.double().numpy()
        std = model.standardize.std.double().numpy()
        bs[0] = bs[0] - ws[0] @ (mean / std)
        ws[0] = ws[0] / std
    return list(zip(ws, bs)), net.activation


def feature_points(model, X) -> np.ndarray:
    """Points X (N, 2) of the plane as layers_of(model)'s first layer takes them: the model's features φ(X)
    (core.learning.models.FEATURES), float64; X itself for a model on the plain (x₁, x₂)."""
    X = np.asarray(X, dtype=np.float64)
    keys = model_features(model)
    if keys == PLAIN_FEATURES:
        return X
    return apply_features(keys, torch.from_numpy(X.reshape(-1, 2))).numpy().reshape(*X.shape[:-1], len(keys))


def probabilities(z: np.ndarray) -> np.ndarray:
    """One point's logits (K,) -> probabilities: (1 - σ(z), σ(z)) for one logit, softmax otherwise
    (core.learning.losses.probabilities, in float64)."""
    z = torch.from_numpy(np.asarray(z, dtype=np.float64).reshape(1, -1))
    return losses_probabilities(z[:, 0] if z.shape[1] == 1 else z)[0].numpy()


@dataclass(frozen=True)
class LayerReadout:
    pre: np.ndarray      # W·h + b
    on: np.ndarray       # which units pass (ReLU: pre > 0); all True for other activations
    out: np.ndarray      # the activation of pre


@dataclass(frozen=True)
class Readout:
    x: np.ndarray
    hidden: list[LayerReadout]
    z: np.ndarray        # the logits
    p: np.ndarray        # class probabilities
    W_eff: np.ndarray    # ReLU nets: inside this point's region the net IS z = W_eff·x + b_eff
    b_eff: np.ndarray

    @property
    def pattern(self) -> str:
        """The on/off pattern of every hidden unit, layer by layer ("100|01")."""
        return "|".join("".join("1" if u else "0" for u in layer.on) for layer in self.hidden)


def readout(layers: Layers, x, activation: str = "relu") -> Readout:
    """The forward pass at x, step by step, and (ReLU or linear nets) the region's linear classifier:
    W_eff = W_L·D_{L-1}·W_{L-1}···D_1·W_1, D_k = diag(unit on), and b_eff propagated the same way."""
    x = np.asarray(x, dtype=float)
    h, hidden = x, []
    A, c = np.eye(len(x)), np.zeros(len(x))  # h = A·x + c inside the region
    for i, (W, b) in enumerate(layers):
        pre = W @ h + b
        A, c = W @ A, W @ c + b
        if i == len(layers) - 1:
            break
        on = pre > 0 if activation == "relu" else np.ones(len(pre), bool)
        h = ACTIVATIONS[activation].numpy_fn(pre.copy())  # in place: `pre` is kept for the readout
        if activation == "relu":
            A, c = A * on[:, None], c * on
        hidden.append(LayerReadout(pre, on, h))
    linear = activation in ("relu", "linear")
    return Readout(x, hidden, pre, probabilities(pre),
                   A if linear else np.full_like(A, np.nan), c if linear else np.full_like(c, np.nan))


def forward(layers: Layers, X: np.ndarray, activation: str = "relu") -> tuple[np.ndarray, list[np.ndarray]]:
    """(logits (N, K), every hidden layer's activations) for many points at once."""
    h, hs = np.asarray(X, dtype=float), []
    act = ACTIVATIONS[activation].numpy_fn  # in place, on each layer's fresh h @ W.T + b
    for i, (W, b) in enumerate(layers):
        h = h @ W.T + b
        if i < len(layers) - 1:
            h = act(h)
            hs.append(h)
    return h, hs


# ---- linear regions ----

def patterns(layers: Layers, X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(codes, on_a_line): an integer code per point of its on/off pattern over all hidden units
    (pre-activation > 0), and whether the point lies exactly on a unit's line (a pre-activation of 0:
    a set of no area, e.g. the diagonal of a symmetric grid, which must not count as a region)."""
    h = np.asarray(X, dtype=float)
    bits, on_a_line = [], np.zeros(len(h), bool)
    for W, b in layers[:-1]:
        pre = h @ W.T + b
        bits.append(pre > 0)
        on_a_line |= (np.abs(pre) <= 1e-12 * (1.0 + np.abs(h).sum(1, keepdims=True) * np.abs(W).max())).any(1)
        h = np.maximum(pre, 0.0)
    if not bits:
        return np.zeros(len(h), dtype=np.int64), on_a_line
    on = np.concatenate(bits, 1)
    # each row of bits -> one 64-bit key: 64 units a word, words mixed by odd multipliers (for
    # more than 64 units two different patterns share a key with probability ~2^-64)
    words = -(-on.shape[1] // 64)
    on = np.pad(on, ((0, 0), (0, words * 64 - on.shape[1])))
    keys = np.zeros(len(on), dtype=np.uint64)
    with np.errstate(over="ignore"):
        for w in range(words):
            word = np.packbits(on[:, 64 * w:64 * (w + 1)], axis=1, bitorder="little").view("<u8").reshape(-1)
            keys = keys * np.uint64(0x9E3779B97F4A7C15) + word if w else word
    _, codes = np.unique(keys, return_inverse=True)
    return codes.reshape(-1), on_a_line


grid = grid_array  # (R*R, 2) float64 points, the boundary picture's layout (core/pictures/render.py)


@dataclass(frozen=True)
class Regions:
    codes: np.ndarray        # (R, R) region index of each grid cell (0..n-1, in order of first appearance)
    in_window: int           # distinct activation patterns on the grid
    among_points: int        # distinct patterns among the given points (e.g. the training set)
    bound: int | None        # one hidden layer of n units on 2 inputs: at most 1 + n + n(n-1)/2


def regions(layers: Layers, bounds, resolution: int = 120, points: np.ndarray | None = None) -> Regions:
    """The input plane coloured by activation pattern: one region per distinct on/off pattern
    (patterns seen only on a unit's line are not regions)."""
    codes, on_a_line = patterns(layers, grid(bounds, resolution))
    _, first, inverse = np.unique(codes, return_index=True, return_inverse=True)
    order = np.argsort(np.argsort(first))  # number regions by where they first appear (stable colours)
    codes = order[inverse.reshape(-1)]
    in_window = len(np.unique(codes[~on_a_line]))
    among = 0
    if points is not None and len(points):
        point_codes, point_on_line = patterns(layers, points)
        among = len(np.unique(point_codes[~point_on_line]))
    n_hidden = [W.shape[0] for W, _ in layers[:-1]]
    bound = region_bound(n_hidden[0]) if len(n_hidden) == 1 and layers[0][0].shape[1] == 2 else None
    return Regions(codes.reshape(resolution, resolution), in_window, among, bound)


def region_bound(n: int) -> int:
    """The most regions n lines cut a plane into (lines in general position): 1 + n + n(n-1)/2."""
    return 1 + n + n * (n - 1) // 2


# ---- hidden space ----

@dataclass(frozen=True)
class HiddenView:
    coords: np.ndarray            # (N, 2) the points in the last hidden layer (or its top 2 PCs)
    exact: bool                   # True: the layer has exactly 2 units, these ARE its activations
    explained: tuple[float, float] | None  # share of the variance of each principal component
    lines: list[tuple[np.ndarray, float]]  # exact only: output boundaries (w_i - w_j)·h + (b_i - b_j) = 0


def hidden_view(layers: Layers, X: np.ndarray, activation: str = "relu") -> HiddenView:
    """The data as the output layer sees it: the last hidden layer's activations."""
    if len(layers) < 2:
        raise ValueError("a model without a hidden layer has no hidden space")
    _, hs = forward(layers, X, activation)
    H = hs[-1]
    W, b = layers[-1]
    if H.shape[1] == 2:
        if W.shape[0] == 1:
            lines = [(W[0], float(b[0]))]
        else:
            lines = [(W[i] - W[j], float(b[i] - b[j])) for i in range(len(b)) for j in range(i + 1, len(b))]
        return HiddenView(H, True, None, lines)
    coords, explained = principal_components(H)
    return HiddenView(coords, False, explained, [])


def principal_components(H: np.ndarray, k: int = 2) -> tuple[np.ndarray, tuple[float, ...]]:
    """(N, k) coordinates on the top k principal components and each one's share of the variance."""
    centred = H - H.mean(0)
    _, s, vt = np.linalg.svd(centred, full_matrices=False)
    var = s ** 2
    total = var.sum()
    coords = centred @ vt[:k].T
    if coords.shape[1] < k:
        coords = np.pad(coords, ((0, 0), (0, k - coords.shape[1])))
    shares = tuple(float(v / total) if total > 0 else 0.0 for v in var[:k]) + (0.0,) * max(0, k - len(var))
    return coords, shares


# ---- implicit bias: the hard-margin direction ----

@dataclass(frozen=True)
class MaxMargin:
    direction: np.ndarray   # w*/‖w*‖ of the hard-margin SVM through the origin (no bias)
    margin: float           # min_i y_i·x_i·w*/‖w*‖ = 1/‖w*‖
    support: np.ndarray     # indices of the support vectors (dual weight > 0)


def max_margin_direction(X: np.ndarray, y: np.ndarray, tol: float = 1e-10, max_sweeps: int = 100_000) -> MaxMargin:
    """Hard-margin SVM without bias: min ‖w‖² s.t. y_i·w·x_i ≥ 1 (y in {-1, +1} or {0, 1}).
    Dual coordinate ascent on max Σα - ½‖Σ α_i y_i x_i‖², α ≥ 0: each update is exact for its
    coordinate; stops when no constraint is violated by more than tol (KKT)."""
    X = np.asarray(X, dtype=float)
    s = np.where(np.asarray(y) > 0, 1.0, -1.0)
    Z = X * s[:, None]            # y_i x_i
    norms = (Z * Z).sum(1)
    if (norms == 0).any():
        raise ValueError("a point at the origin cannot be separated by a line through it")
    alpha = np.zeros(len(Z))
    w = np.zeros(X.shape[1])
    for _ in range(max_sweeps):
        worst = 0.0
        for i in range(len(Z)):
            g = 1.0 - Z[i] @ w    # > 0: constraint i violated
            new = max(0.0, alpha[i] + g / norms[i])
            if new != alpha[i]:
                w += (new - alpha[i]) * Z[i]
                alpha[i] = new
            # KKT: g <= 0 for all, and g == 0 where alpha > 0
            worst = max(worst, g if alpha[i] == 0 else abs(g))
        if worst < tol:
            break
    else:
        raise ValueError("the data are not linearly separable through the origin")
    norm = np.linalg.norm(w)
    return MaxMargin(w / norm, float((Z @ w).min() / norm), np.flatnonzero(alpha > 1e-12))


def angle_degrees(u: np.ndarray, v: np.ndarray) -> float:
    cos = float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))
    return float(np.degrees(np.arccos(np.clip(cos, -1.0, 1.0))))


def margin_loss(w: np.ndarray, Z: np.ndarray, loss: str = "logistic") -> tuple[float, np.ndarray]:
    """(mean loss, its gradient) over margins m_i = z_i·w (z_i = y_i x_i): logistic log(1 + e^-m),
    gradient -mean σ(-m)·z; exponential e^-m, gradient -mean e^-m·z."""
    m = Z @ w
    with np.errstate(over="ignore"):
        if loss == "logistic":
            value = np.logaddexp(0.0, -m).mean()
            weight = 1.0 / (1.0 + np.exp(m))  # σ(-m); e^m overflows to inf -> weight 0, the right limit
        elif loss == "exponential":
            weight = np.exp(-m)
            value = weight.mean()
        else:
            raise ValueError(f"unknown margin loss {loss!r}")
    return float(value), -(weight[:, None] * Z).mean(0)


@dataclass(frozen=True)
class BiasPath:
    steps: np.ndarray        # the recorded steps (log-spaced)
    norm: np.ndarray         # ‖w‖ there
    angle: np.ndarray        # degrees between w and the max-margin direction
    margin: np.ndarray       # normalised margin min_i y_i·w·x_i/‖w‖
    w: np.ndarray            # the last weights
    exact: int               # steps taken one by one (after them: the flow, see implicit_bias_path)


def log_steps(last: int, per_decade: int = 12) -> np.ndarray:
    """1 .. last, log-spaced and distinct (for curves against log t), every power of 10 among them."""
    decades = np.log10(max(last, 1))
    return np.unique(np.round(np.logspace(0, decades, int(np.ceil(per_decade * decades)) + 1)).astype(np.int64))


def descent_direction(w: np.ndarray, Z: np.ndarray, loss: str = "logistic", normalized: bool = False) -> np.ndarray:
    """-∇L: mean σ(-m_i)·z_i (logistic) or mean e^-m_i·z_i (exponential), m_i = z_i·w. normalized: divided
    by its length, computed from the log-weights shifted by their largest, so it never underflows (by
    ‖w‖ ≈ 300 every e^-m is 0 in float64 and ∇L/‖∇L‖ would be 0/0)."""
    if loss not in ("logistic", "exponential"):
        raise ValueError(f"unknown margin loss {loss!r}")
    m = Z @ w
    if normalized:
        log_weight = -np.logaddexp(0.0, m) if loss == "logistic" else -m
        d = np.exp(log_weight - log_weight.max()) @ Z
        return d / np.linalg.norm(d)
    with np.errstate(over="ignore"):  # e^m overflows to inf -> weight 0, the right limit
        weight = 1.0 / (1.0 + np.exp(m)) if loss == "logistic" else np.exp(-m)
    return weight @ Z / len(Z)


FLOW_PER_DECADE = 24  # RK4 steps of the flow a decade of t; 10 already gave GD's 10⁶th step to 1e-4°


def implicit_bias_path(X: np.ndarray, y: np.ndarray, steps: int, *, lr: float = 0.1, loss: str = "logistic",
                       optimizer: str = "gd", w0: np.ndarray | None = None,
                       record_at: np.ndarray | None = None, exact_steps: int | None = None) -> BiasPath:
    """A linear model without bias, full-batch steps with a constant step size and no weight decay,
    on the mean logistic (log(1 + e^-m)) or exponential (e^-m) loss of the margins m_i = y_i·w·x_i.
    optimizer: "gd" (w += lr·(-∇L)), "ngd" (normalised, w += lr·(-∇L)/‖∇L‖: every step lr long) or "adam".
    Plain gradient descent turns towards the hard-margin direction, slowly (the angle shrinks like
    1/log t while ‖w‖ grows like log t); normalised steps do not shrink with the loss and get there fast.

    exact_steps: take this many steps one by one, then follow the flow dw/dt = lr·(step direction),
    by RK4 in s = log t (dw/ds = t·lr·direction), up to `steps`: 10⁶ steps for the cost of a few hundred.
    Once the steps are small against the loss's curvature the two agree: continued from step 1,000,
    GD's angle and ‖w‖ at step 10⁶ are within 0.0002 of 10⁶ steps one by one (separable_data seeds
    0-4, both losses, lr 0.1)."""
    X = np.asarray(X, dtype=float)
    Z = X * np.where(np.asarray(y) > 0, 1.0, -1.0)[:, None]
    target = max_margin_direction(X, y).direction
    w = np.zeros(X.shape[1]) if w0 is None else np.asarray(w0, dtype=float).copy()
    at = set((log_steps(steps) if record_at is None else np.asarray(record_at)).tolist())
    exact = steps if exact_steps is None else min(steps, max(1, exact_steps))
    if optimizer not in ("gd", "ngd", "adam") or (optimizer == "adam" and exact < steps):
        raise ValueError(f"no path for optimizer {optimizer!r} (Adam: every step one by one)")
    normalized = optimizer == "ngd"
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    rec_steps, norms, angles, margins = [], [], [], []

    def record(t: int) -> None:
        n = float(np.linalg.norm(w))
        rec_steps.append(t)
        norms.append(n)
        angles.append(angle_degrees(w, target) if n > 0 else 90.0)
        margins.append(float((Z @ w).min() / n) if n > 0 else 0.0)

    for t in range(1, exact + 1):
        d = descent_direction(w, Z, loss, normalized)
        if optimizer == "adam":
            m1 = 0.9 * m1 - 0.1 * d
            m2 = 0.999 * m2 + 0.001 * d * d
            w = w - lr * (m1 / (1 - 0.9 ** t)) / (np.sqrt(m2 / (1 - 0.999 ** t)) + 1e-8)
        else:
            w = w + lr * d
        if t in at:
            record(t)

    def f(s: float, w: np.ndarray) -> np.ndarray:  # dw/ds, s = log t
        return lr * np.exp(s) * descent_direction(w, Z, loss, normalized)

    ends = sorted({t for t in at if exact < t <= steps} | ({steps} if steps > exact else set()))
    a = exact
    for b in ends:  # the flow from step a to step b, in RK4 steps of log t
        n = max(1, int(np.ceil(FLOW_PER_DECADE * np.log10(b / a))))
        s, h = np.log(a), np.log(b / a) / n
        for _ in range(n):
            k1 = f(s, w)
            k2 = f(s + h / 2, w + h / 2 * k1)
            k3 = f(s + h / 2, w + h / 2 * k2)
            k4 = f(s + h, w + h * k3)
            w = w + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            s += h
        if b in at:
            record(b)
        a = b
    return BiasPath(np.array(rec_steps), np.array(norms), np.array(angles), np.array(margins), w, exact)


# ---- the boundary as an equation ----

@dataclass(frozen=True)
class LineEquation:
    w1: float
    w2: float
    b: float
    slope: float | None      # x2 = slope·x1 + intercept (None: a vertical line, w2 = 0)
    intercept: float | None
    x1: float | None         # the vertical line's x1 = -b/w1 (w2 = 0)


def line_equation(w, b: float) -> LineEquation:
    """w1·x1 + w2·x2 + b = 0 solved for x2: x2 = -(w1/w2)·x1 - b/w2 (or x1 = -b/w1 when w2 = 0)."""
    w1, w2, b = float(w[0]), float(w[1]), float(b)
    if abs(w2) > 1e-12 * max(abs(w1), abs(b), 1.0):
        return LineEquation(w1, w2, b, -w1 / w2, -b / w2, None)
    return LineEquation(w1, w2, b, None, None, -b / w1 if w1 else None)


def signed_terms(*terms: tuple[float, str], digits: int = 3) -> str:
    """"1.234·x₁ − 0.567·x₂ + 0.089": each coefficient with its sign between the terms."""
    out = ""
    for i, (c, name) in enumerate(terms):
        text = f"{abs(c):.{digits}f}" + (f"·{name}" if name else "")
        out += (("−" if c < 0 else "") + text) if i == 0 else ((" − " if c < 0 else " + ") + text)
    return out


def feature_equation_terms(model, digits: int = 3) -> str | None:
    """The boundary w·φ(x) + b = 0 of binary logistic regression on its feature inputs, left side, in the
    features' raw units: "1.800·x₁² + 1.700·x₂² − 2.100" (a line in feature space: with x₁², x₂² a circle or
    an ellipse in the plane); a weight that is exactly 0 (L1's soft threshold) reads "0·x₁", not "0.000·x₁".
    None for any other model."""
    from core.learning.models import feature_boundary
    found = feature_boundary(model)
    if found is None:
        return None
    labels, w, b = found
    out = ""
    for i, (c, name) in enumerate(zip(w.double().numpy().reshape(-1).tolist() + [b], labels + [""])):
        text = ("0" if c == 0 else f"{abs(c):.{digits}f}") + (f"·{name}" if name else "")
        negative = c < 0  # an exact 0 (also -0.0) is written "0", without a sign
        out += (("−" if negative else "") + text) if i == 0 else ((" − " if negative else " + ") + text)
    return out


# ---- parameter space of binary logistic regression ----

def standardised_inputs(trainer) -> tuple[np.ndarray, "torch.Tensor"]:
    model = trainer.model
    with torch.no_grad():
        Xs = model.standardize(trainer.data.X_train).double()
    return Xs.numpy(), trainer.data.y_given


def costs(trainer, W: np.ndarray, b: float | None = None) -> np.ndarray:
    """J at each row (w1, w2) of W: the trainer's training loss (data term, no weight decay) with the
    model's weights set there and the bias held at b (default: its current value)."""
    Xs, y = standardised_inputs(trainer)
    b = float(trainer.model.net.bias.detach()[0]) if b is None else b
    logits = torch.from_numpy(np.asarray(W, float).reshape(-1, 2) @ Xs.T + b).float()  # one row a setting
    teacher = trainer.teacher_logits(torch.arange(len(y)))
    with torch.no_grad():
        try:  # every row at once (far cheaper than a loop of loss calls: a live view's budget)
            return torch.vmap(lambda z: trainer.objective(z, y, teacher))(logits).double().numpy()
        except RuntimeError:  # a loss vmap cannot batch: one row at a time, the same numbers
            return np.array([float(trainer.objective(z, y, teacher)) for z in logits])


def cost_surface(trainer, w1s, w2s, b: float | None = None) -> np.ndarray:
    """J(w1, w2) (see costs) on the grid w1s × w2s, the bias held at b: (len(w2s), len(w1s))."""
    W = np.stack(np.meshgrid(np.asarray(w1s, float), np.asarray(w2s, float)), -1).reshape(-1, 2)
    return costs(trainer, W, b).reshape(len(w2s), len(w1s))


FAR = 1e4  # ‖w‖ standing for infinity in plane_minimum: logits of 10⁴·|x|, every sigmoid saturated
FAR_DIRECTIONS = 360  # directions tried there, every 1° (one batched costs() call)


def plane_minimum(trainer, b: float | None = None, start=None, iterations: int = 20) -> np.ndarray | None:
    """The (w1, w2) of lowest J with the bias held at b (default: its current value), by damped Newton
    (Levenberg-Marquardt, the 2×2 Hessian by autograd) from `start` (default: the current weights);
    None where J has no single lowest point in this plane: far out along some direction, at ‖w‖ = FAR,
    J is as low as at the best point found or lower (cross-entropy on data a line of this plane
    separates: J → 0 at infinity and nowhere else; hinge there: 0 on a whole unbounded region)."""
    Xs, y = standardised_inputs(trainer)
    X = torch.from_numpy(Xs)
    bias = float(trainer.model.net.bias.detach()[0]) if b is None else b
    teacher = trainer.teacher_logits(torch.arange(len(y)))

    def J(w: torch.Tensor) -> torch.Tensor:
        return trainer.objective((X @ w + bias).float(), y, teacher).double()

    angles = np.linspace(0.0, 2 * np.pi, FAR_DIRECTIONS, endpoint=False)
    far = float(np.nanmin(costs(trainer, FAR * np.stack([np.cos(angles), np.sin(angles)], 1), bias)))
    if far <= 1e-9:  # every loss here is >= 0: nothing nearby is lower (separable data: no search)
        return None
    w = torch.tensor(trainer.model.net.weight.detach().double().numpy() if start is None else start,
                     dtype=torch.float64)
    value, damping = float(J(w)), 1e-3
    for _ in range(iterations):
        wg = w.clone().requires_grad_()
        g = torch.autograd.grad(J(wg), wg, create_graph=True)[0]
        if not torch.isfinite(g).all():
            break
        H = torch.stack([torch.autograd.grad(g[i], wg, retain_graph=True)[0] for i in range(2)]).detach()
        g = g.detach()
        if float(g.norm()) < 1e-9:
            break
        cap = 1.0 + float(w.norm())  # a trust region: a flat J (hinge, saturated sigmoids) cannot fling w away
        for _ in range(20):  # raise the damping until the step lowers J
            step = torch.linalg.solve(H + damping * (1.0 + float(H.diagonal().abs().max())) * torch.eye(2, dtype=H.dtype), -g)
            step = step * min(1.0, cap / max(float(step.norm()), 1e-300))
            new = float(J(w + step))
            if new <= value:
                break
            damping *= 4.0
        else:
            break
        w, small = w + step, float(step.norm()) < 1e-7 * (1.0 + float(w.norm()))
        value, damping = new, max(damping / 3.0, 1e-9)
        if small:
            break
    if far <= value + 1e-3 * abs(value) + 1e-9:  # as low far out: no point the weights head to
        return None
    return w.numpy()


def cost_gradient(trainer) -> tuple[np.ndarray, float]:
    """(∂J/∂(w1, w2), ∂J/∂b) at the current weights, by autograd through the trainer's loss."""
    Xs, y = standardised_inputs(trainer)
    w = trainer.model.net.weight.detach().double().clone().requires_grad_()
    b = trainer.model.net.bias.detach().double()[0].clone().requires_grad_()
    logits = (torch.from_numpy(Xs) @ w + b).float()
    loss = trainer.objective(logits, y, trainer.teacher_logits(torch.arange(len(y))))
    gw, gb = torch.autograd.grad(loss, (w, b))
    return gw.numpy(), float(gb)


SUPPORT_POINT = np.array([2.0, 1.0])  # separable_data's support vectors are ±this point


def separable_data(seed: int = 0, n: int = 40, spare: float = 0.4) -> tuple[np.ndarray, np.ndarray]:
    """(X, y in {0, 1}) separable by a line through the origin, whose max-margin direction is known in
    closed form: the support vectors ±(2, 1) and n - 2 points around ±(3, 4.5), each at least `spare`
    farther from the line x·(2, 1) = 0 than they are; so w* ∥ (2, 1) and the margin is √5."""
    rng = np.random.default_rng(seed)
    normal = SUPPORT_POINT / np.linalg.norm(SUPPORT_POINT)
    margin = float(np.linalg.norm(SUPPORT_POINT))
    # two clouds whose mean points away from the support vectors' direction: plain gradient descent
    # starts along the mean and has to turn, slowly, towards w*
    side = np.where(np.arange(n - 2) % 2 == 0, 1.0, -1.0)
    X = (np.array([3.0, 4.5]) + rng.normal(size=(n - 2, 2)) * 0.8) * side[:, None]
    depth = np.abs(X @ normal)
    X = X + (np.maximum(margin + spare - depth, 0.0) * side)[:, None] * normal
    X = np.vstack([SUPPORT_POINT, -SUPPORT_POINT, X])
    return X, np.concatenate([[1, 0], (side > 0).astype(np.int64)])
