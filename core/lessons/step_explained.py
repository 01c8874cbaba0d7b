"""One optimizer step of binary logistic regression, explained: the mini-batch it uses, each
sample's error ∂ℓ/∂z (p − y for cross-entropy), the gradient ∇J = (1/B) Σ ∂ℓ/∂z · x, and the update
w ← w − α·∇J next to the step the optimizer really took (plain SGD: the same; momentum and Adam: not).

The numbers come from the trainer's own loss by autograd on the batch it is about to use (peeked from
its batcher without moving it), so they are the step's, not a re-derivation.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch

from core.learning.models import is_binary_logistic, linear_boundary

SHOWN_ROWS = 12  # the per-sample table lists the first rows of the batch; the sums use all of it


@dataclass(frozen=True)
class ExplainedStep:
    step: int                 # the step count after this step
    rows: np.ndarray          # the batch's training-row numbers
    X: np.ndarray             # (B, 2) those rows in the data's units
    Xs: np.ndarray            # (B, 2) as the model sees them (standardised where the model does)
    y: np.ndarray             # (B,) given labels (flipped ones included: the noise the model learns)
    z: np.ndarray             # (B,) w·x + b before the step
    p: np.ndarray             # (B,) σ(z)
    dz: np.ndarray            # (B,) ∂ℓ/∂z of each sample (p − y for cross-entropy)
    grad_w: np.ndarray        # (2,) ∇_w J on the batch = mean of dz · x
    grad_b: float             # ∂J/∂b = mean of dz (0 and not trained for a model without bias)
    decay: np.ndarray         # (2,) λ·w added to the gradient by L2 weight decay (else 0)
    lr: float
    w_old: np.ndarray
    b_old: float
    w_new: np.ndarray
    b_new: float
    plain: bool               # plain SGD: the step taken is exactly -α·(∇J + λw)
    has_bias: bool            # False: b is 0 and never trained (no ∂J/∂b to follow)
    line_old: tuple           # (w, b) of the boundary in the data's units, before
    line_new: tuple           # and after
    l1_threshold: float = 0.0  # L1: the soft threshold αλ applied after the optimizer's step (else 0)

    @property
    def predicted(self) -> np.ndarray:
        """w_old − α·(∇J + L2 term): the textbook step (what plain SGD takes)."""
        return self.w_old - self.lr * (self.grad_w + self.decay)


def peek_batch(batcher) -> np.ndarray:
    """The rows the next step will use, leaving the batcher where it was."""
    state = batcher.state()
    rows = batcher.next_indices().copy()
    batcher.set_state(state)
    return rows


def explain_step(trainer, take_step: Callable[[], object] | None = None) -> ExplainedStep | None:
    """Take one step (take_step(), default trainer.step(1)) and return its explanation; None for a model
    that is not binary logistic regression (nothing is stepped then)."""
    model = trainer.model
    if not is_binary_logistic(model):
        return None
    rows = peek_batch(trainer.batcher)
    idx = torch.from_numpy(rows)
    X = trainer.data.X_train[idx]
    y = trainer.data.y_given[idx]
    net = model.net
    w_old = net.weight.detach().double().numpy().copy()
    b_old = float(net.bias.detach()[0])
    with torch.no_grad():
        Xs = model.standardize(X)
    z = (Xs @ net.weight.detach() + net.bias.detach()[0]).clone().requires_grad_()
    loss = trainer.objective(z, y, trainer.teacher_logits(idx))
    (dz_mean,) = torch.autograd.grad(loss, z)  # (1/B)·∂ℓ_i/∂z_i for each sample
    dz_mean = dz_mean.double().numpy()
    Xs_np = Xs.double().numpy()
    decay_rate, mode = trainer.optimization.weight_decay, trainer.optimization.wd_mode
    plain = trainer.optimization.spec.key == "sgd" and (decay_rate == 0 or mode == "l2")
    l1_threshold = float(trainer.lr) * decay_rate if trainer.optimization.l1_active else 0.0
    line_old = linear_boundary(model)
    has_bias = bool(getattr(net, "has_bias", True))
    (take_step or (lambda: trainer.step(1)))()
    z_np = z.detach().double().numpy()
    return ExplainedStep(
        step=int(trainer.steps), rows=rows, X=X.double().numpy(), Xs=Xs_np, y=y.numpy().astype(np.int64),
        z=z_np, p=1.0 / (1.0 + np.exp(-z_np)), dz=dz_mean * len(rows), grad_w=dz_mean @ Xs_np,
        grad_b=float(dz_mean.sum()) if has_bias else 0.0, has_bias=has_bias,
        decay=decay_rate * w_old if mode == "l2" else np.zeros(2), lr=float(trainer.lr),
        w_old=w_old, b_old=b_old, w_new=net.weight.detach().double().numpy().copy(),
        b_new=float(net.bias.detach()[0]), plain=plain,
        line_old=_as_numbers(line_old), line_new=_as_numbers(linear_boundary(model)), l1_threshold=l1_threshold)


def _as_numbers(line) -> tuple:
    w, b = line
    return np.asarray(w, dtype=np.float64).reshape(-1).copy(), float(b)
