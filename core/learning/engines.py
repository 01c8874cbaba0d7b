"""How a trainer's steps run: the device, the optimizer, and the step engines.

Training steps behind one interface: `run(k)` makes up to k optimizer steps on the trainer's
batches and returns how many it made; fewer than k means the next step met a non-finite loss
(the trainer then rolls back). The trainer counts the steps.

- AutogradSteps: any model; loss.backward(), the plain loop of core/reference_loop.py.
- TorchFastSteps: FlatMLP nets (classifiers and regressors); inputs standardised once and a hand-written
  backward from dℓ/dz, with autograd used (if at all) only for dℓ/dz. Tests check it equals AutogradSteps.
- NumpySteps: TorchFastSteps' arithmetic in numpy, for the small 2D nets.
In this order below: the device, the optimizer (Optimization), the torch engines, the numpy engine.
"""
from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from core.learning.losses import LOSSES
from core.learning.models import ACTIVATIONS, Classifier, FlatMLP, Standardize, backward_through_layers


# Where the MNIST page trains: a CUDA GPU when the server has one, else the CPU; chosen once.
#
# PLAYGROUND_DEVICE=cpu|cuda|auto (default auto) overrides it, e.g. to keep a shared GPU free.
# The 2D pages always train on the CPU: their nets are tiny and each step is a few microseconds,
# less than one GPU kernel launch.

DEVICE_CHOICES = ("auto", "cpu", "cuda")


def choose(asked: str, cuda_available: bool) -> torch.device:
    """The device for a setting: auto takes CUDA when present; cuda without a GPU falls back to the CPU."""
    asked = asked.strip().lower() if asked.strip().lower() in DEVICE_CHOICES else "auto"
    if asked == "cpu" or not cuda_available:
        return torch.device("cpu")
    return torch.device("cuda")


@functools.lru_cache(maxsize=1)
def training_device() -> torch.device:
    return choose(os.environ.get("PLAYGROUND_DEVICE", "auto"), torch.cuda.is_available())


def device_name(device: torch.device) -> str:
    """What the page shows: the GPU's own name, or "CPU"."""
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    return "CPU"


def model_device(model: torch.nn.Module) -> torch.device:
    p = next(model.parameters(), None)
    return p.device if p is not None else torch.device("cpu")


# Optimizers from torch.optim, and the three ways to apply weight decay.
#
# - "l2": add (λ/2)·Σw² to the loss; the optimizer sees λw inside the gradient
# (Adam then rescales it per weight, which is why it differs from AdamW).
# - "decoupled": shrink weights w ← w·(1 - ηλ) outside the gradient (Loshchilov & Hutter).
# - "l1": the penalty λ·Σ|w| by its proximal step after the optimizer's step, a soft threshold
#   w ← sign(w)·max(|w| - ηλ, 0) (η the current learning rate): exact proximal gradient descent (ISTA) for
#   plain SGD, and weights reach exactly 0. For momentum and Adam it is the same soft threshold after their
#   step (a proximal step beside their update, not the exact proximal method of their own metric).
# AdamW decays inside its own step, decoupled by definition: the mode (l1 included) applies to the others.
# Biases are never decayed. Frozen parameters (a model without bias: its zero biases) are not optimised at all.

@dataclass(frozen=True)
class OptimizerSpec:
    key: str
    build: Callable[..., torch.optim.Optimizer]  # (param_groups, lr) -> optimizer
    builtin_decoupled: bool = False  # AdamW decays inside its own step


# fused=True: one kernel per step instead of a Python loop over tensors (much less overhead for small models).
OPTIMIZERS: dict[str, OptimizerSpec] = {
    "sgd": OptimizerSpec("sgd", lambda groups, lr: torch.optim.SGD(groups, lr=lr, fused=True)),
    "momentum": OptimizerSpec("momentum", lambda groups, lr: torch.optim.SGD(groups, lr=lr, momentum=0.9, fused=True)),
    "adam": OptimizerSpec("adam", lambda groups, lr: torch.optim.Adam(groups, lr=lr, fused=True)),
    "adamw": OptimizerSpec("adamw", lambda groups, lr: torch.optim.AdamW(groups, lr=lr, fused=True),
                           builtin_decoupled=True),
}
WEIGHT_DECAY_MODES = ("l2", "decoupled", "l1")


def soft_threshold(w, threshold: float) -> None:
    """The proximal step of threshold·Σ|w|, in place: w ← sign(w)·max(|w| - threshold, 0). One function for
    torch tensors and numpy arrays (the torch and numpy engines take the very same step)."""
    if isinstance(w, torch.Tensor):
        w.copy_(torch.sign(w) * torch.clamp_min(w.abs() - threshold, 0.0))
    else:
        np.multiply(np.sign(w), np.maximum(np.abs(w) - threshold, 0.0), out=w)


def split_decay(model: torch.nn.Module) -> tuple[list[torch.nn.Parameter], list[torch.nn.Parameter]]:
    """(weights that decay, biases that do not); frozen parameters are in neither."""
    weights, biases = [], []
    for name, p in model.named_parameters():
        if not p.requires_grad:
            continue
        # biases, and intercepts marked so (a constant model's θ), are not pulled towards 0
        (biases if name.endswith("bias") or getattr(p, "no_decay", False) else weights).append(p)
    return weights, biases


class Optimization:
    """One optimizer plus its weight-decay rule; the trainer calls penalty() and step().

    wd_mode "l1": after the optimizer's step, the soft threshold w ← sign(w)·max(|w| - ηλ, 0) on the weights
    (never the biases), η the current learning rate: exact proximal gradient (ISTA) for plain SGD; for momentum
    and Adam the same soft threshold after their step. penalty() is then λ·Σ|w|, so the objective shown
    includes it. AdamW keeps its own decoupled decay whatever the mode."""

    def __init__(self, model: torch.nn.Module, key: str, lr: float,
                 weight_decay: float = 0.0, wd_mode: str = "l2"):
        if key not in OPTIMIZERS:
            raise ValueError(f"unknown optimizer {key!r}")
        if wd_mode not in WEIGHT_DECAY_MODES:
            raise ValueError(f"unknown weight-decay mode {wd_mode!r}")
        self.spec = OPTIMIZERS[key]
        self.weight_decay = float(weight_decay)
        # AdamW is decoupled by definition; the choice applies to the others.
        self.wd_mode = "decoupled" if self.spec.builtin_decoupled else wd_mode
        self.weights, biases = split_decay(model)
        if self.spec.builtin_decoupled:
            groups = [{"params": self.weights, "weight_decay": self.weight_decay},
                      {"params": biases, "weight_decay": 0.0}]
        else:
            # We apply decay ourselves, so one group: half the per-step optimizer overhead.
            groups = [{"params": self.weights + biases, "weight_decay": 0.0}]
        self.optimizer = self.spec.build(groups, lr)

    @property
    def lr(self) -> float:
        return self.optimizer.param_groups[0]["lr"]

    def set_lr(self, lr: float) -> None:
        for group in self.optimizer.param_groups:
            group["lr"] = float(lr)

    def penalty(self) -> torch.Tensor | float:
        """The penalty's value in the objective: (λ/2)·Σw² for l2, λ·Σ|w| for l1 (its step is the proximal one,
        outside the gradient, so this value is reported, never differentiated); 0 for decoupled decay."""
        if self.weight_decay == 0.0 or self.wd_mode == "decoupled":
            return 0.0
        if self.wd_mode == "l1":
            with torch.no_grad():
                return self.weight_decay * sum(w.abs().sum() for w in self.weights)
        return 0.5 * self.weight_decay * sum((w * w).sum() for w in self.weights)

    @torch.no_grad()
    def add_penalty_grad(self) -> float:
        """For hand-computed gradients: add λw (the L2 penalty's gradient); return the penalty's value."""
        if self.wd_mode != "l2" or self.weight_decay == 0.0:
            return float(self.penalty())  # l1: its value only (its step is the soft threshold after the step)
        for w in self.weights:
            w.grad.add_(w, alpha=self.weight_decay)
        return float(self.penalty())

    @torch.no_grad()
    def step(self) -> None:
        if self.wd_mode == "decoupled" and not self.spec.builtin_decoupled and self.weight_decay:
            shrink = 1.0 - self.lr * self.weight_decay
            for w in self.weights:
                w.mul_(shrink)
        self.optimizer.step()
        if self.l1_active:
            threshold = self.lr * self.weight_decay
            for w in self.weights:
                soft_threshold(w, threshold)

    @property
    def l1_active(self) -> bool:
        return self.wd_mode == "l1" and self.weight_decay > 0 and not self.spec.builtin_decoupled

    def zero_grad(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)


class AutogradSteps:
    def __init__(self, trainer):
        self.trainer = trainer

    def run(self, k: int) -> int:
        t = self.trainer
        X, y, next_indices = t.data.X_train, t.data.y_given, t.batcher.next_indices
        for done in range(k):
            idx = torch.from_numpy(next_indices())
            loss = t.objective(t.model(X[idx]), y[idx], t.teacher_logits(idx)) + t.optimization.penalty()
            if not math.isfinite(loss.item()):
                return done
            t.optimization.zero_grad()
            loss.backward()
            t.optimization.step()
        return k


class TorchFastSteps:
    def __init__(self, trainer, net: torch.nn.Module):
        self.trainer, self.net = trainer, net
        self.refresh_inputs()

    def refresh_inputs(self) -> None:
        """The standardised training inputs, cached once (again after the training set was edited)."""
        with torch.no_grad():
            self.inputs = self.trainer.model.standardize(self.trainer.data.X_train)

    def run(self, k: int) -> int:
        t, next_indices = self.trainer, self.trainer.batcher.next_indices
        for done in range(k):
            idx = torch.from_numpy(next_indices())
            with torch.no_grad():
                loss = self.gradients(idx)
            if not math.isfinite(loss.item()):
                return done
            t.optimization.step()
        return k

    def gradients(self, idx: torch.Tensor) -> torch.Tensor:
        """Set the weights' .grad for the batch `idx` (as loss.backward() would); return the loss."""
        t, net = self.trainer, self.net
        logits, inputs = net.forward_cached(self.inputs[idx])
        one_output = t.task.one_output or t.model.binary  # (N,) predictions or binary logits
        z = logits.squeeze(-1) if one_output else logits
        y = t.data.y_given[idx]
        closed_form = t.task.torch_grad(t.loss_key, one_output, t.loss_params)
        if closed_form:
            loss, grad_z = t.objective(z, y), closed_form(z, y)
        else:
            with torch.enable_grad():
                z = z.requires_grad_()
                loss = t.objective(z, y, t.teacher_logits(idx))
                (grad_z,) = torch.autograd.grad(loss, z)
        net.backward_from_logits(grad_z.view(len(idx), -1), inputs)
        penalty = t.optimization.add_penalty_grad()
        return loss.detach() + penalty if penalty else loss.detach()


# Small-MLP training steps in numpy, on the very memory of the torch model and torch.optim state.
#
# Why: every torch op pays a fixed dispatch cost that, on a 16-wide layer, dwarfs its arithmetic, so
# one eager step of the default 2D MLP with Adam costs many times the same arithmetic in numpy. The
# live 2D view's fastest speed, beside a browser on a 2-core machine, needs the numpy step
# (bench/bench_live.py measures it against its target).
#
# Nothing is copied and nothing is re-implemented loosely: parameters, gradients and the optimizer
# state (step, exp_avg, exp_avg_sq, momentum_buffer) are numpy views of the torch tensors, and the
# update rules are torch.optim's (SGD, SGD+momentum, Adam, AdamW; L2-in-the-loss or decoupled decay).
# tests/test_fastpath.py runs both paths side by side and checks they stay equal step for step.
# dℓ/dz comes from the loss registry's numpy closed form (core/learning/losses.py), else (distillation) from
# torch autograd on the logits alone (still without autograd through the network).
# The plain loop all of this equals: core/reference_loop.py.

SMALL_INPUT_DIM = 8  # the 2D nets: torch's per-op cost dominates; MNIST's big matmuls stay with torch


def numpy_logits(model, X: torch.Tensor) -> torch.Tensor | None:
    """The logits of a CPU Classifier over a FlatMLP with a few inputs, computed in numpy on the parameters' memory:
    for a 2D data set torch's dispatch costs more than the maths, and the live view measures every
    frame. None for any other model or input (the caller uses torch). Equal to the torch forward to
    float32 rounding (tests/test_fastpath.py)."""
    if not isinstance(model, Classifier):
        return None
    modules = model._modules  # (not attribute access: nn.Module's __getattr__ costs µs each)
    net, std = modules["net"], modules["standardize"]
    if (not isinstance(net, FlatMLP) or net.sizes[0] > SMALL_INPUT_DIM
            or not isinstance(std, (Standardize, torch.nn.Identity))
            or X.dtype != torch.float32 or X.device.type != "cpu"):
        return None
    weight = net._parameters["weight"]
    if weight.dtype != torch.float32 or weight.device.type != "cpu":
        return None
    mean, scale, wts, bs, act = _numpy_net(net, std)
    # feature inputs (x₁², sin x₁, ...): φ(X) by the registry's torch functions, a few ops; then numpy
    h = (X if getattr(std, "features", None) is None else std.phi(X)).detach().numpy()
    if mean is not None:
        h = (h - mean) / scale
    last = len(wts) - 1
    with np.errstate(all="ignore"):  # an overflow gives inf like torch; the trainer checks for it
        for i, (wt, b) in enumerate(zip(wts, bs)):
            h = h @ wt
            h += b
            if i < last:
                h = act(h)
    z = torch.from_numpy(h)
    return z.squeeze(-1) if model.binary else z


def _numpy_net(net: FlatMLP, std):
    """numpy views of the net's weights (transposed), biases and standardisation, made once per
    model: parameters change in place only (optimizer, load_state_dict), so views stay valid while
    the memory is the same."""
    key = (net.weight.data_ptr(), net.bias.data_ptr(), net.activation,
           std.mean.data_ptr() if isinstance(std, Standardize) else None)
    cached = net.__dict__.get("_numpy_net")
    if cached is None or cached[0] != key:
        shapes = net._shapes
        wts = [w.T for w in _views(net.weight.detach().numpy(), shapes, True)]
        bs = _views(net.bias.detach().numpy(), shapes, False)
        mean, scale = ((std.mean.numpy(), std.std.numpy()) if isinstance(std, Standardize) else (None, None))
        cached = (key, (mean, scale, wts, bs, ACTIVATIONS[net.activation].numpy_fn))
        net.__dict__["_numpy_net"] = cached  # a plain attribute: not a module, buffer or parameter
    return cached[1]


def _views(flat: np.ndarray, shapes, weights: bool) -> list[np.ndarray]:
    out, offset = [], 0
    for n_out, n_in in shapes:
        size = n_out * n_in if weights else n_out
        out.append(flat[offset:offset + size].reshape((n_out, n_in) if weights else (n_out,)))
        offset += size
    return out


class _ParamUpdate:
    """torch.optim's update for one parameter tensor (its group's hyper-parameters), in place."""

    def __init__(self, kind: str, param: torch.Tensor, grad: torch.Tensor, state: dict, group: dict):
        self.kind, self.group = kind, group
        self.p, self.g = param.detach().numpy(), grad.numpy()
        if kind == "adam":
            self.step = state["step"].numpy()  # 0-d float tensor, shared
            self.m, self.v = state["exp_avg"].numpy(), state["exp_avg_sq"].numpy()
            self.tmp = np.empty_like(self.p)
        elif kind == "momentum":
            self.buf = state["momentum_buffer"].numpy()

    def __call__(self) -> None:
        group, p, g = self.group, self.p, self.g
        lr = group["lr"]
        if self.kind == "sgd":
            p -= lr * g
        elif self.kind == "momentum":
            self.buf *= group["momentum"]
            self.buf += g
            p -= lr * self.buf
        else:
            beta1, beta2 = group["betas"]
            if group["weight_decay"]:  # only AdamW groups carry a decay (decoupled)
                p *= 1.0 - lr * group["weight_decay"]
            self.step += 1
            t = float(self.step)
            self.m += (1.0 - beta1) * (g - self.m)  # lerp, as torch's fused kernel
            self.v *= beta2
            np.multiply(g, g, out=self.tmp)
            self.tmp *= 1.0 - beta2
            self.v += self.tmp
            np.sqrt(self.v, out=self.tmp)
            self.tmp /= (1.0 - beta2 ** t) ** 0.5
            self.tmp += group["eps"]
            p -= (lr / (1.0 - beta1 ** t)) * self.m / self.tmp


def _optimizer_kind(optimizer: torch.optim.Optimizer) -> str | None:
    for group in optimizer.param_groups:
        if group.get("maximize") or group.get("foreach") is True or group.get("differentiable"):
            return None
    if isinstance(optimizer, torch.optim.SGD):
        g = optimizer.param_groups[0]
        if g["nesterov"] or g["dampening"] or g["weight_decay"]:
            return None
        return "momentum" if g["momentum"] else "sgd"
    if isinstance(optimizer, (torch.optim.Adam, torch.optim.AdamW)):
        if any(g["amsgrad"] for g in optimizer.param_groups):
            return None
        if type(optimizer) is torch.optim.Adam and any(g["weight_decay"] for g in optimizer.param_groups):
            return None  # Adam's coupled decay is never used here (optim.Optimization applies L2 itself)
        return "adam"
    return None


class NumpySteps:
    """Optimizer steps of a trainer whose model is a FlatMLP (engine TorchFastSteps), done in numpy.

    Build one per Trainer.step() call with `attach`, which returns None when this path does not
    apply (another model, an optimizer without state yet: torch.optim makes its state on its
    first step, so the trainer does that step the torch way).
    """

    @classmethod
    def attach(cls, trainer) -> "NumpySteps | None":
        if not isinstance(trainer.torch_steps, TorchFastSteps):
            return None
        net = trainer.torch_steps.net
        opt = trainer.optimization.optimizer
        kind = _optimizer_kind(opt)
        if kind is None:
            return None
        params = cls.trained(net)
        states = [opt.state.get(p) or {} for p in params]
        need = {"sgd": (), "momentum": ("momentum_buffer",), "adam": ("step", "exp_avg", "exp_avg_sq")}[kind]
        if any(s.get(k) is None for s in states for k in need):
            return None
        if net.weight.grad is None or net.bias.grad is None:  # (a model without bias: a zero scratch grad)
            return None
        if kind == "adam" and any(s["step"].dim() != 0 or s["step"].dtype != torch.float32 for s in states):
            return None
        return cls(trainer, kind, states)

    @staticmethod
    def trained(net: FlatMLP) -> tuple:
        """The parameters the optimizer holds: a model without bias trains its weights only."""
        return (net.weight, net.bias) if net.has_bias else (net.weight,)

    def __init__(self, trainer, kind: str, states: list[dict]):
        net, opt = trainer.torch_steps.net, trainer.optimization.optimizer
        self.trainer = trainer
        groups = {id(p): g for g in opt.param_groups for p in g["params"]}
        self.updates = [_ParamUpdate(kind, p, p.grad, s, groups[id(p)])
                        for p, s in zip(self.trained(net), states)]
        self.has_bias = net.has_bias
        self.w_flat, self.b_flat = self.updates[0].p, net.bias.detach().numpy()
        self.gw_flat, self.gb_flat = self.updates[0].g, net.bias.grad.numpy()
        shapes = net._shapes
        self.ws, self.bs = _views(self.w_flat, shapes, True), _views(self.b_flat, shapes, False)
        self.gws, self.gbs = _views(self.gw_flat, shapes, True), _views(self.gb_flat, shapes, False)
        self.wts = [w.T for w in self.ws]
        self.activation = ACTIVATIONS[net.activation]
        self.X = trainer.torch_steps.inputs.numpy()
        self.binary = trainer.model.binary
        y = trainer.data.y_given.numpy()
        self.y = y.astype(np.float32) if self.binary else y
        self.optimization = trainer.optimization
        self.decoupled_shrink = (self.optimization.wd_mode == "decoupled"
                                 and not self.optimization.spec.builtin_decoupled
                                 and self.optimization.weight_decay > 0)
        self.l2 = self.optimization.weight_decay if self.optimization.wd_mode == "l2" else 0.0
        self.l1 = self.optimization.l1_active  # the soft threshold after each step (Optimization.step)
        spec = LOSSES.get(trainer.loss_key)
        self.closed_form = None if spec is None else spec.numpy_grad(self.binary)
        self.loss_params = trainer.loss_params

    def _grad_logits(self, z: np.ndarray, idx: np.ndarray) -> np.ndarray:
        y = self.y[idx]
        if self.closed_form is not None:
            return self.closed_form(z[:, 0] if self.binary else z, y, **self.loss_params)
        t = self.trainer
        with torch.enable_grad():
            zt = torch.from_numpy(z[:, 0].copy() if self.binary else z).requires_grad_()
            loss = t.objective(zt, t.data.y_given[torch.from_numpy(idx)], t.teacher_logits(torch.from_numpy(idx)))
            (g,) = torch.autograd.grad(loss, zt)
        return g.numpy()

    def run(self, k: int) -> int:
        """Up to k optimizer steps; stops before the first step whose logits are not finite
        (the trainer then rolls back). Returns the number made."""
        next_indices = self.trainer.batcher.next_indices
        X, ws, wts, bs, gws, gbs = self.X, self.ws, self.wts, self.bs, self.gws, self.gbs
        act, derivative, last = self.activation.numpy_fn, self.activation.derivative, len(ws) - 1
        trained_bias_grads = gbs if self.has_bias else None
        with np.errstate(all="ignore"):
            for done in range(k):
                idx = next_indices()
                h = X[idx]
                inputs = []
                for i in range(last + 1):
                    inputs.append(h)
                    h = h @ wts[i]
                    h += bs[i]
                    if i < last:
                        h = act(h)  # in place: h is this layer's fresh output
                if not np.isfinite(h).all():
                    return done
                g = self._grad_logits(h, idx)
                if self.binary:
                    g = g.reshape(-1, 1)
                backward_through_layers(g, inputs, ws, derivative, gws, trained_bias_grads)
                if self.l2:
                    self.gw_flat += self.l2 * self.w_flat
                if self.decoupled_shrink:
                    self.w_flat *= 1.0 - self.optimization.lr * self.optimization.weight_decay
                for update in self.updates:
                    update()
                if self.l1:
                    soft_threshold(self.w_flat, self.optimization.lr * self.optimization.weight_decay)
        return k
