"""Small-MLP training steps in numpy, on the very memory of the torch model and torch.optim state.

Why: every torch op on a 16-wide layer costs ~5-10 µs of dispatch, so one eager step of the
default 2D MLP with Adam costs ~0.5-1 ms however small the maths; the same arithmetic in numpy
costs ~0.07 ms. That is the difference between ~1,000 and ~10,000 steps/s on one core, and the
live 2D view (issue #2) needs 1,500 steps/s beside a browser on a 2-core machine.

Nothing is copied and nothing is re-implemented loosely: parameters, gradients and the optimizer
state (step, exp_avg, exp_avg_sq, momentum_buffer) are numpy views of the torch tensors, and the
update rules are torch.optim's (SGD, SGD+momentum, Adam, AdamW; L2-in-the-loss or decoupled decay).
tests/test_fastpath.py runs both paths side by side and checks they stay equal step for step.
dℓ/dz comes from a numpy closed form where the loss has one here, else from torch autograd on the
logits alone (still without autograd through the network).
"""
from __future__ import annotations

import numpy as np
import torch

from core.models import ACTIVATION_GRADS


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(1, keepdims=True))
    e /= e.sum(1, keepdims=True)
    return e


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))  # exp overflow -> inf -> 0: the right limit (warnings silenced)


def _onehot(z, y):
    out = np.zeros_like(z)
    out[np.arange(len(y)), y] = 1.0
    return out


def _signed(y):
    return 2.0 * y - 1.0  # ỹ in {-1, +1}; the margin is m = ỹ z


def _ce_multiclass(z, y, smoothing=0.0):
    g = _softmax(z)
    if smoothing:
        g -= smoothing / z.shape[1]
    g[np.arange(len(y)), y] -= 1.0 - smoothing
    return g / len(y)


def _ce_binary(z, y, smoothing=0.0):
    target = y * (1.0 - smoothing) + smoothing / 2 if smoothing else y
    return (_sigmoid(z) - target) / len(y)


def _through_softmax(p, dl_dp):
    """dℓ/dz from dℓ/dp for p = softmax(z): p ⊙ (dℓ/dp - Σ_k p_k dℓ/dp_k)."""
    return p * (dl_dp - (p * dl_dp).sum(1, keepdims=True))


def _brier_multiclass(z, y):
    p = _softmax(z)
    return _through_softmax(p, 2.0 * (p - _onehot(z, y))) / len(y)


def _brier_binary(z, y):
    p = _sigmoid(z)
    return 2.0 * (p - y) * p * (1.0 - p) / len(y)


def _huber_multiclass(z, y, delta):
    p = _softmax(z)
    return _through_softmax(p, np.clip(p - _onehot(z, y), -delta, delta)) / len(y)


def _huber_binary(z, y, delta):
    p = _sigmoid(z)
    return np.clip(p - y, -delta, delta) * p * (1.0 - p) / len(y)


def _scale_by_target(z, y, weight):
    """dℓ/dz = w_i (p - onehot) for losses of p_y alone (MAE, GCE)."""
    return weight[:, None] * (_softmax(z) - _onehot(z, y)) / len(y)


def _log_p_target(z, y):
    shifted = z - z.max(1, keepdims=True)
    return shifted[np.arange(len(y)), y] - np.log(np.exp(shifted).sum(1))


def _mae_multiclass(z, y):
    return _scale_by_target(z, y, 2.0 * np.exp(_log_p_target(z, y)))


def _mae_binary(z, y):
    s = _signed(y)
    return -s * _sigmoid(-s * z) * _sigmoid(s * z) / len(y)


def _gce_multiclass(z, y, q):
    return _scale_by_target(z, y, np.exp(q * _log_p_target(z, y)))


def _gce_binary(z, y, q):
    s = _signed(y)
    return -s * _sigmoid(s * z) ** q * _sigmoid(-s * z) / len(y)


def _margin_terms(z, y):
    """u_k = 1 - z_y + z_k for k ≠ y (0 where k = y is masked out)."""
    rows = np.arange(len(y))
    u = 1.0 - z[rows, y][:, None] + z
    others = np.ones_like(z, dtype=bool)
    others[rows, y] = False
    return u, others, rows


def _to_target_column(g, y, rows):
    g[rows, y] = -g.sum(1)  # z_y enters every term with the opposite sign
    return g


def _hinge_multiclass(z, y):
    u, others, rows = _margin_terms(z, y)
    g = ((u > 0) & others).astype(z.dtype) / z.shape[1]
    return _to_target_column(g, y, rows) / len(y)


def _squared_hinge_multiclass(z, y):
    u, others, rows = _margin_terms(z, y)
    g = 2.0 * np.where(others, np.maximum(u, 0.0), 0.0).astype(z.dtype) / z.shape[1]
    return _to_target_column(g, y, rows) / len(y)


def _hinge_binary(z, y):
    s = _signed(y)
    return -s * (s * z < 1.0) / len(y)


def _squared_hinge_binary(z, y):
    s = _signed(y)
    return -2.0 * s * np.maximum(1.0 - s * z, 0.0) / len(y)


EXP_CAP = 30.0  # as losses.EXP_CAP: e^u continued linearly above 30, so its slope is e^min(u, 30)


def _exponential_multiclass(z, y):
    rows = np.arange(len(y))
    g = np.exp(np.minimum(z - z[rows, y][:, None], EXP_CAP))
    g[rows, y] = 0.0
    return _to_target_column(g, y, rows) / len(y)


def _exponential_binary(z, y):
    s = _signed(y)
    return -s * np.exp(np.minimum(-s * z, EXP_CAP)) / len(y)


TINY = np.finfo(np.float32).tiny  # losses._focal clamps 1 - p_y here


def _focal_slope(log_p, gamma):
    """dℓ/d(log p) of ℓ = -(1-p)^γ log p, with 1 - p clamped at TINY as in losses._focal."""
    one_minus_p = -np.expm1(log_p)
    clamped = np.maximum(one_minus_p, TINY)
    p = np.exp(log_p)
    # γ p (1-p)^(γ-1) log p, written as (1-p)^γ / (1-p): finite for γ < 1; 0 where clamped
    first = np.where(one_minus_p > TINY, gamma * p * log_p * clamped**gamma / clamped, 0.0)
    return first - clamped**gamma


def _focal_multiclass(z, y, gamma):
    slope = _focal_slope(_log_p_target(z, y), gamma)  # times d log p_y / dz = onehot - p
    return -slope[:, None] * (_softmax(z) - _onehot(z, y)) / len(y)


def _focal_binary(z, y, gamma):
    s = _signed(y)
    m = s * z
    log_p = -np.logaddexp(0.0, -m)  # log σ(m)
    return _focal_slope(log_p, gamma) * _sigmoid(-m) * s / len(y)


# dℓ/dz of the MEAN loss, (z, y as float for binary / int for multiclass, **params) -> like z.
# Each is checked against autograd of the registry's loss (tests/test_fastpath.py).
NUMPY_GRADS = {
    "cross_entropy": (_ce_multiclass, _ce_binary),
    "label_smoothing": (lambda z, y, eps: _ce_multiclass(z, y, eps), lambda z, y, eps: _ce_binary(z, y, eps)),
    "brier": (_brier_multiclass, _brier_binary),
    "mae": (_mae_multiclass, _mae_binary),
    "huber": (_huber_multiclass, _huber_binary),
    "hinge": (_hinge_multiclass, _hinge_binary),
    "squared_hinge": (_squared_hinge_multiclass, _squared_hinge_binary),
    "exponential": (_exponential_multiclass, _exponential_binary),
    "gce": (_gce_multiclass, _gce_binary),
    "focal": (_focal_multiclass, _focal_binary),
}


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
    """Optimizer steps of a trainer whose model is a FlatMLP, done in numpy.

    Build one per Trainer.step() call with `attach`, which returns None when this path does not
    apply (another model, an optimizer without state yet: torch.optim makes its state on its
    first step, so the trainer does that step the torch way).
    """

    @classmethod
    def attach(cls, trainer) -> "NumpySteps | None":
        net = trainer._fast_net
        opt = trainer.optimization.optimizer
        if net is None:
            return None
        kind = _optimizer_kind(opt)
        if kind is None:
            return None
        params = (net.weight, net.bias)
        states = [opt.state.get(p) or {} for p in params]
        need = {"sgd": (), "momentum": ("momentum_buffer",), "adam": ("step", "exp_avg", "exp_avg_sq")}[kind]
        if any(s.get(k) is None for s in states for k in need):
            return None
        if any(p.grad is None for p in params):
            return None
        if kind == "adam" and any(s["step"].dim() != 0 or s["step"].dtype != torch.float32 for s in states):
            return None
        return cls(trainer, kind, states)

    def __init__(self, trainer, kind: str, states: list[dict]):
        net, opt = trainer._fast_net, trainer.optimization.optimizer
        self.trainer = trainer
        groups = {id(p): g for g in opt.param_groups for p in g["params"]}
        self.updates = [_ParamUpdate(kind, p, p.grad, s, groups[id(p)])
                        for p, s in zip((net.weight, net.bias), states)]
        self.w_flat, self.b_flat = self.updates[0].p, self.updates[1].p
        self.gw_flat, self.gb_flat = self.updates[0].g, self.updates[1].g
        shapes = net._shapes
        self.ws, self.bs = _views(self.w_flat, shapes, True), _views(self.b_flat, shapes, False)
        self.gws, self.gbs = _views(self.gw_flat, shapes, True), _views(self.gb_flat, shapes, False)
        self.wts = [w.T for w in self.ws]
        self.act = {"relu": lambda h: np.maximum(h, 0, out=h), "tanh": np.tanh,
                    "sigmoid": _sigmoid, "linear": None}[net.activation]
        self.slope = ACTIVATION_GRADS[net.activation]  # written with operators: numpy arrays work too
        self.X = trainer._X_fast.numpy()
        self.binary = trainer.model.binary
        y = trainer.data.y_given.numpy()
        self.y = y.astype(np.float32) if self.binary else y
        self.optimization = trainer.optimization
        self.decoupled_shrink = (self.optimization.wd_mode == "decoupled"
                                 and not self.optimization.spec.builtin_decoupled
                                 and self.optimization.weight_decay > 0)
        self.l2 = self.optimization.weight_decay if self.optimization.wd_mode == "l2" else 0.0
        loss = trainer.loss_key
        grads = NUMPY_GRADS.get(loss)
        self.closed_form = None if grads is None else grads[1 if self.binary else 0]
        self.loss_params = trainer.loss_params

    def _grad_logits(self, z: np.ndarray, idx: np.ndarray) -> np.ndarray:
        y = self.y[idx]
        if self.closed_form is not None:
            return self.closed_form(z[:, 0] if self.binary else z, y, **self.loss_params)
        t = self.trainer
        with torch.enable_grad():
            zt = torch.from_numpy(z[:, 0].copy() if self.binary else z).requires_grad_()
            loss = t.objective(zt, t.data.y_given[torch.from_numpy(idx)], t._teacher(torch.from_numpy(idx)))
            (g,) = torch.autograd.grad(loss, zt)
        return g.numpy()

    def run(self, k: int) -> bool:
        """k optimizer steps (trainer.steps counts them); False at the first step whose logits
        are not finite (the trainer then restores its snapshot)."""
        t = self.trainer
        X, ws, wts, bs, gws, gbs = self.X, self.ws, self.wts, self.bs, self.gws, self.gbs
        act, slope, last = self.act, self.slope, len(ws) - 1
        with np.errstate(all="ignore"):
            for _ in range(k):
                idx = t._next_indices()
                h = X[idx]
                inputs = []
                for i in range(last + 1):
                    inputs.append(h)
                    h = h @ wts[i]
                    h += bs[i]
                    if i < last and act is not None:
                        h = act(h)
                if not np.isfinite(h).all():
                    return False
                g = self._grad_logits(h, idx)
                if self.binary:
                    g = g.reshape(-1, 1)
                for i in range(last, -1, -1):
                    np.matmul(g.T, inputs[i], out=gws[i])
                    g.sum(0, out=gbs[i])
                    if i > 0:
                        g = g @ ws[i]
                        s = slope(inputs[i])  # None for a linear activation
                        if s is not None:
                            g *= s
                if self.l2:
                    self.gw_flat += self.l2 * self.w_flat
                if self.decoupled_shrink:
                    self.w_flat *= 1.0 - self.optimization.lr * self.optimization.weight_decay
                for update in self.updates:
                    update()
                t.steps += 1
        return True
