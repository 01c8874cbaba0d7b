"""Models: logistic regression and an MLP, built deterministically from a seed, with the activations
and the hand-written backward pass that the MLP and the numpy steps (core/learning/engines.py) share.

Initialisation uses an explicit torch.Generator, never the global RNG, because
several browser sessions build models at once in one server process.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from torch import nn


def numpy_sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))  # exp overflow -> inf -> 0: the right limit (warnings silenced)


def _identity(h):
    return h


@dataclass(frozen=True)
class Activation:
    """One hidden-layer activation φ in every form the code uses, side by side."""
    module: Callable[[], nn.Module]  # as an nn layer (the tests' reference nets)
    torch_fn: Callable  # on tensors: the FlatMLP forward
    numpy_fn: Callable  # on numpy arrays; in place where numpy allows, so callers pass a fresh buffer
    # φ' written in terms of φ's OUTPUT h, so the backward pass needs only the cached activations;
    # operators only: torch tensors and numpy arrays alike. None stands for φ' = 1 (nothing to multiply).
    derivative: Callable


ACTIVATIONS: dict[str, Activation] = {
    "relu": Activation(nn.ReLU, torch.relu, lambda h: np.maximum(h, 0, out=h), lambda h: h > 0),
    "tanh": Activation(nn.Tanh, torch.tanh, lambda h: np.tanh(h, out=h), lambda h: 1 - h * h),
    "sigmoid": Activation(nn.Sigmoid, torch.sigmoid, numpy_sigmoid, lambda h: h * (1 - h)),
    "linear": Activation(nn.Identity, _identity, _identity, lambda h: None),
}


def backward_through_layers(grad_logits, inputs: list, weights: list, derivative: Callable,
                            weight_grads: list, bias_grads: list | None) -> None:
    """Backpropagation by hand through linear layers with the activation φ between them: from dℓ/dz of the
    last layer's output to every layer's weight and bias gradients, written into weight_grads / bias_grads.

    inputs[i] is layer i's input (above the first layer: φ's output h below it), weights[i] its (n_out, n_in)
    matrix, derivative φ' as a function of h. One function for torch tensors (FlatMLP) and numpy arrays
    (core/learning/engines.py): the same operators, and a matmul and a sum from the arrays' own library that write
    straight into the buffers. bias_grads None: a model without bias, whose bias gradients stay 0.
    """
    matmul, sum_along = _ops_writing_into_buffers(grad_logits)
    g = grad_logits
    for i in range(len(weights) - 1, -1, -1):
        matmul(g.T, inputs[i], out=weight_grads[i])  # dℓ/dW = gᵀ x
        if bias_grads is not None:
            sum_along(g, 0, out=bias_grads[i])  # dℓ/db = g summed over the batch
        if i > 0:
            g = g @ weights[i]  # dℓ/dh of the layer below
            slope = derivative(inputs[i])
            if slope is not None:
                g *= slope  # g is a fresh product here, never the caller's array


def _ops_writing_into_buffers(x):
    # np.add.reduce, not np.sum: np.sum's Python wrapper costs more than the sum of these small arrays
    return (torch.matmul, torch.sum) if isinstance(x, torch.Tensor) else (np.matmul, np.add.reduce)


# ---- feature inputs (TensorFlow Playground's): what the 2D models see of a point (x₁, x₂) ----

@dataclass(frozen=True)
class Feature:
    """One input feature φ(x₁, x₂): its link key, its torch function (on the columns x₁, x₂; float32 and float64
    alike, differentiable), its label on screen (math: the same in every language) and its formula (LaTeX)."""
    key: str
    fn: Callable  # (x1, x2) tensors (N,) -> (N,)
    label: str
    formula: str
    linear: bool  # linear in (x₁, x₂): a ReLU net on such inputs is piecewise linear in the plane


FEATURES: dict[str, Feature] = {f.key: f for f in (
    Feature("x1", lambda a, b: a, "x₁", r"x_1", True),
    Feature("x2", lambda a, b: b, "x₂", r"x_2", True),
    Feature("x1sq", lambda a, b: a * a, "x₁²", r"x_1^2", False),
    Feature("x2sq", lambda a, b: b * b, "x₂²", r"x_2^2", False),
    Feature("x1x2", lambda a, b: a * b, "x₁x₂", r"x_1 x_2", False),
    Feature("sinx1", lambda a, b: torch.sin(a), "sin x₁", r"\sin x_1", False),
    Feature("sinx2", lambda a, b: torch.sin(b), "sin x₂", r"\sin x_2", False),
)}
PLAIN_FEATURES = ("x1", "x2")  # the default: the point itself, today's models


def parse_features(text: str) -> tuple[str, ...]:
    """"x1,x2sq" -> the features' keys in the registry's order; ValueError for an empty list, an unknown
    or a repeated key."""
    keys = [k.strip() for k in str(text).split(",")]
    if not keys or any(not k for k in keys):
        raise ValueError("empty feature")
    if any(k not in FEATURES for k in keys):
        raise ValueError("unknown feature")
    if len(set(keys)) != len(keys):
        raise ValueError("repeated feature")
    return tuple(k for k in FEATURES if k in keys)


def features_text(keys) -> str:
    """The canonical link value of a set of features: the registry's order, comma-separated."""
    return ",".join(k for k in FEATURES if k in set(keys))


def apply_features(keys: tuple[str, ...], x: torch.Tensor) -> torch.Tensor:
    """φ(x): the columns of the features `keys` of points x (N, 2), (N, len(keys))."""
    a, b = x[..., 0], x[..., 1]
    return torch.stack([FEATURES[k].fn(a, b) for k in keys], dim=-1)


class Standardize(nn.Module):
    """(φ(x) - mean) / std with the training set's statistics (of the features), so raw units (exam scores)
    train well. features: the 2D models' feature inputs (PLAIN_FEATURES or None: x itself, untouched), applied
    here, before the statistics, so everything that calls model(X) or model.standardize(X) sees them."""

    def __init__(self, mean: torch.Tensor, std: torch.Tensor, features: tuple[str, ...] | None = None):
        super().__init__()
        self.register_buffer("mean", mean.clone().float())
        self.register_buffer("std", std.clone().float().clamp_min(1e-6))
        self.features = None if features is None or tuple(features) == PLAIN_FEATURES else tuple(features)

    def phi(self, x):
        """The features of x (x itself for the plain model), before the statistics."""
        return x if self.features is None else apply_features(self.features, x)

    def forward(self, x):
        return (self.phi(x) - self.mean) / self.std


class Classifier(nn.Module):
    """Wraps a net; with two classes it has one logit z and p(class 1) = σ(z)."""

    def __init__(self, net: nn.Module, n_classes: int, standardize: Standardize | None = None):
        super().__init__()
        self.standardize = standardize if standardize is not None else nn.Identity()
        self.net = net
        self.n_classes = n_classes
        self.binary = n_classes == 2

    def forward(self, x):
        z = self.net(self.standardize(x))
        return z.squeeze(-1) if self.binary else z


def output_dim(n_classes: int) -> int:
    return 1 if n_classes == 2 else n_classes


class FlatMLP(nn.Module):
    """Linear layers with an activation between them; logistic regression is depth 0.

    All weights live in ONE flat parameter and all biases in another (layers are
    views), so an optimizer step touches two tensors instead of 2 per layer. With
    a hand-written backward (`backward_from_logits`) one training step costs a
    fraction of autograd + per-layer optimizer bookkeeping, which is what lets the
    2D view reach thousands of small-batch steps per second on a laptop CPU.
    `forward` stays an ordinary autograd computation, and the tests check the
    hand-written gradients against it.

    bias=False: every bias is exactly 0 and never trained (requires_grad off, so the
    optimizer never holds it, and the hand-written backward leaves its grad at 0).
    """

    def __init__(self, sizes: list[int], activation: str, generator: torch.Generator, bias: bool = True):
        super().__init__()
        self.sizes = list(sizes)
        self.activation = activation
        self.has_bias = bool(bias)
        shapes = [(n_out, n_in) for n_in, n_out in zip(sizes[:-1], sizes[1:])]
        self.weight = nn.Parameter(torch.empty(sum(o * i for o, i in shapes)))
        self.bias = nn.Parameter(torch.empty(sum(o for o, _ in shapes)))
        self._shapes = shapes
        with torch.no_grad():
            # PyTorch's default nn.Linear init, U(±1/sqrt(fan_in)), from our own generator.
            for w, b in zip(self.weights(self.weight), self.biases(self.bias)):
                bound = 1.0 / math.sqrt(w.shape[1])
                w.uniform_(-bound, bound, generator=generator)
                b.uniform_(-bound, bound, generator=generator)
            if not self.has_bias:  # drawn all the same: the weights equal those of the model with a bias
                self.bias.zero_()
        self.bias.requires_grad_(self.has_bias)
        self._views = None  # (weights, biases, weight grads, bias grads) for the fast path

    def _fast_views(self):
        # Parameters are only ever updated in place (optimizer, load_state_dict), so views stay valid.
        grads = (self.weight.grad, self.bias.grad)
        if (self._views is None or grads[0] is None or grads[1] is None
                or self._views[0][0].data_ptr() != self.weight.data_ptr()
                or self._views[2][0].data_ptr() != grads[0].data_ptr()
                or self._views[3][0].data_ptr() != grads[1].data_ptr()):
            if self.weight.grad is None:
                self.weight.grad = torch.zeros_like(self.weight)
            if self.bias.grad is None:
                self.bias.grad = torch.zeros_like(self.bias)
            self._views = (self.weights(self.weight.detach()), self.biases(self.bias.detach()),
                           self.weights(self.weight.grad), self.biases(self.bias.grad))
        return self._views

    def _load_from_state_dict(self, state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                              error_msgs):
        # a file (or a mistake) must not give a model without bias one: load_state_dict then raises
        super()._load_from_state_dict(state_dict, prefix, local_metadata, strict, missing_keys, unexpected_keys,
                                      error_msgs)
        if not self.has_bias and self.bias.detach().any():
            error_msgs.append(f"{prefix}bias: a model without bias takes only zero biases")

    def weights(self, flat: torch.Tensor) -> list[torch.Tensor]:
        out, offset = [], 0
        for n_out, n_in in self._shapes:
            out.append(flat[offset:offset + n_out * n_in].view(n_out, n_in))
            offset += n_out * n_in
        return out

    def biases(self, flat: torch.Tensor) -> list[torch.Tensor]:
        out, offset = [], 0
        for n_out, _ in self._shapes:
            out.append(flat[offset:offset + n_out])
            offset += n_out
        return out

    @property
    def depth(self) -> int:
        return len(self._shapes) - 1

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        act = ACTIVATIONS[self.activation].torch_fn
        ws, bs = self.weights(self.weight), self.biases(self.bias)
        for i, (w, b) in enumerate(zip(ws, bs)):
            x = torch.addmm(b, x, w.t())
            if i < len(ws) - 1:
                x = act(x)
        return x

    def forward_cached(self, x: torch.Tensor) -> tuple[torch.Tensor, list[torch.Tensor]]:
        """Logits and every layer's input, for backward_from_logits. Call under torch.no_grad()."""
        act = ACTIVATIONS[self.activation].torch_fn
        ws, bs, _, _ = self._fast_views()
        inputs = []
        for i, (w, b) in enumerate(zip(ws, bs)):
            inputs.append(x)
            x = torch.addmm(b, x, w.t())
            if i < len(ws) - 1:
                x = act(x)
        return x, inputs

    def backward_from_logits(self, grad_logits: torch.Tensor, inputs: list[torch.Tensor]) -> None:
        """Set .grad of the flat parameters from dℓ/dz and forward_cached's inputs. Call under torch.no_grad()."""
        ws, _, gws, gbs = self._fast_views()
        backward_through_layers(grad_logits, inputs, ws, ACTIVATIONS[self.activation].derivative,
                                gws, gbs if self.has_bias else None)


def build_logistic(in_dim: int, n_classes: int, generator: torch.Generator, *, bias: bool = True,
                   **_) -> nn.Module:
    """z = W·x + b; bias=False: z = W·x (b fixed at 0, see FlatMLP)."""
    return FlatMLP([in_dim, output_dim(n_classes)], "linear", generator, bias=bias)


def hidden_sizes(depth: int, width: int, last_width: int = 0) -> list[int]:
    """depth hidden layers of `width` units, the last one of `last_width` (0: also `width`)."""
    sizes = [width] * depth
    if sizes and last_width:
        sizes[-1] = last_width
    return sizes


def build_mlp(in_dim: int, n_classes: int, generator: torch.Generator, *,
              depth: int = 2, width: int = 16, activation: str = "relu", last_width: int = 0,
              hidden: tuple[int, ...] | None = None, **_) -> nn.Module:
    """Hidden layer sizes from `hidden` (e.g. (256,) for 784-256-10), else hidden_sizes(depth, width, last_width)."""
    sizes = list(hidden) if hidden is not None else hidden_sizes(depth, width, last_width)
    return FlatMLP([in_dim] + sizes + [output_dim(n_classes)], activation, generator)


class SmallCNN(nn.Module):
    """28×28 images as flat 784-vectors -> conv5-16 -> pool -> conv5-32 -> pool -> linear."""

    def __init__(self, n_out: int, generator: torch.Generator, channels: tuple[int, int] = (16, 32)):
        super().__init__()
        c1, c2 = channels
        self.conv1 = nn.Conv2d(1, c1, 5, padding=2)
        self.conv2 = nn.Conv2d(c1, c2, 5, padding=2)
        self.fc = nn.Linear(c2 * 7 * 7, n_out)
        with torch.no_grad():
            for layer in (self.conv1, self.conv2, self.fc):
                bound = 1.0 / math.sqrt(layer.weight[0].numel())
                layer.weight.uniform_(-bound, bound, generator=generator)
                layer.bias.uniform_(-bound, bound, generator=generator)

    def features(self, x):
        """The flattened input of the last linear layer: c2·7·7 values per image."""
        x = x.view(-1, 1, 28, 28)
        x = torch.max_pool2d(torch.relu(self.conv1(x)), 2)
        x = torch.max_pool2d(torch.relu(self.conv2(x)), 2)
        return x.flatten(1)

    def forward(self, x):
        return self.fc(self.features(x))


def cnn_features(model: Classifier, X: torch.Tensor, batch: int = 500) -> torch.Tensor:
    """The CNN's features of X on the CPU, computed batch by batch on the model's device without autograd
    (bounded memory on a GPU; no graph kept)."""
    device = next(model.parameters()).device
    with torch.no_grad():
        return torch.cat([model.net.features(model.standardize(X[i:i + batch].to(device))).cpu()
                          for i in range(0, len(X), batch)])


def build_cnn(in_dim: int, n_classes: int, generator: torch.Generator, **_) -> nn.Module:
    if in_dim != 784:
        raise ValueError("the CNN expects 28×28 images")
    return SmallCNN(output_dim(n_classes), generator)


def first_layer_weights(model: nn.Module) -> torch.Tensor | None:
    """First-layer filters as rows (MLP: (H, 784); CNN: (C, 25)), for weight pictures (on the CPU)."""
    net = getattr(model, "net", model)
    if isinstance(net, FlatMLP):
        return net.weights(net.weight.detach())[0].cpu()
    if isinstance(net, SmallCNN):
        return net.conv1.weight.detach().flatten(1).cpu()
    return None


@dataclass(frozen=True)
class ModelSpec:
    key: str
    build: Callable[..., nn.Module]
    has_hidden_layers: bool


MODELS: dict[str, ModelSpec] = {
    "logistic": ModelSpec("logistic", build_logistic, has_hidden_layers=False),
    "mlp": ModelSpec("mlp", build_mlp, has_hidden_layers=True),
    "cnn": ModelSpec("cnn", build_cnn, has_hidden_layers=True),
}
MODELS_2D = ("logistic", "mlp")  # the CNN needs images


def build_model(key: str, in_dim: int, n_classes: int, seed: int, *,
                mean: torch.Tensor | None = None, std: torch.Tensor | None = None,
                features: tuple[str, ...] | None = None, **shape) -> Classifier:
    """features: the 2D feature inputs (the net then has len(features) inputs; mean and std are those of
    the features); None or PLAIN_FEATURES: the point itself."""
    generator = torch.Generator().manual_seed(seed)
    plain = features is None or tuple(features) == PLAIN_FEATURES
    net = MODELS[key].build(in_dim if plain else len(features), n_classes, generator, **shape)
    if not plain and mean is None:
        mean, std = torch.zeros(len(features)), torch.ones(len(features))
    standardize = Standardize(mean, std, None if plain else tuple(features)) if mean is not None else None
    return Classifier(net, n_classes, standardize)


def model_features(model) -> tuple[str, ...]:
    """The feature inputs of a 2D model (PLAIN_FEATURES for the point itself and for any other model)."""
    return getattr(getattr(model, "standardize", None), "features", None) or PLAIN_FEATURES


def plain_inputs(model) -> bool:
    """Whether the net's inputs are the point (x₁, x₂) itself, standardised (no feature map): the models
    whose weights draw straight lines in the plane."""
    return model_features(model) == PLAIN_FEATURES


def piecewise_linear_inputs(model) -> bool:
    """Whether every input is linear in (x₁, x₂): then a ReLU net is piecewise linear in the plane and its
    linear regions are exact."""
    return all(FEATURES[k].linear for k in model_features(model))


def linear_boundary(model: Classifier) -> tuple[torch.Tensor, float] | None:
    """For binary logistic regression on the point itself: (w, b) of w·x + b = 0 in raw input units, else None
    (with other feature inputs the boundary w·φ(x) + b = 0 is no straight line: see feature_boundary)."""
    if not (model.binary and isinstance(model.net, FlatMLP) and model.net.depth == 0) or not plain_inputs(model):
        return None
    w = model.net.weight.detach().clone()
    b = float(model.net.bias.detach()[0])
    if isinstance(model.standardize, Standardize):
        # w·(x-μ)/σ + b  =  (w/σ)·x + (b - w·μ/σ)
        w_raw = w / model.standardize.std
        return w_raw, b - float((w_raw * model.standardize.mean).sum())
    return w, b


def feature_boundary(model: Classifier) -> tuple[list[str], torch.Tensor, float] | None:
    """For binary logistic regression with any feature inputs: (labels, w, b) of w·φ(x) + b = 0 in the
    features' raw units (their standardisation folded in), else None. A line in feature space: with x₁², x₂²
    it is an ellipse (a circle) in the plane."""
    if not (getattr(model, "binary", False) and isinstance(getattr(model, "net", None), FlatMLP)
            and model.net.depth == 0):
        return None
    w = model.net.weight.detach().clone()
    b = float(model.net.bias.detach()[0])
    if isinstance(model.standardize, Standardize):
        w = w / model.standardize.std
        b = b - float((w * model.standardize.mean).sum())
    return input_labels(model), w, b


def is_binary_logistic(model) -> bool:
    """Logistic regression on the point (x₁, x₂) itself: its weights are a point in the parameter-space view.
    (Other feature inputs: not this model; the views of w₁, w₂ as a line's normal do not apply.)"""
    net = getattr(model, "net", None)
    return (isinstance(net, FlatMLP) and net.depth == 0 and getattr(model, "binary", False) and net.sizes[0] == 2
            and plain_inputs(model))


def input_labels(model) -> list[str]:
    """The names of the model's inputs, as a diagram labels its input nodes: its features (x₁, x₂ by default)."""
    return [FEATURES[k].label for k in model_features(model)]
