"""Who pulls the boundary: each training point's pull |∂ℓ/∂z_i| at the current weights.

ℓ here is the per-sample loss, so |∂ℓ/∂z_i| = n·|∂L/∂z_i| for the mean loss L the trainer
minimises (norm over the K logits for multiclass). It comes from the same closed-form gradient
the live trainer steps with (Loss.numpy_grad, core/learning/engines.py), or autograd on the
trainer's own objective where there is none (distillation, a loss without a closed form).
"""
from __future__ import annotations

import numpy as np
import torch

from core.learning.losses import LOSSES, compute_loss


def per_sample_pull(loss: str, logits, labels, loss_params: dict | None = None,
                    objective=None) -> np.ndarray:
    """|∂ℓ_i/∂z_i| per row: logits (N,) binary or (N, K). objective(z, y) replaces the registry loss
    (e.g. a trainer's distillation objective); it must return the mean over the rows."""
    params = dict(loss_params or {})
    z = torch.as_tensor(logits).detach()
    y = torch.as_tensor(labels)
    n = len(y)
    if n == 0:
        return np.zeros(0)
    binary = z.ndim == 1
    spec = LOSSES.get(loss)
    closed_form = None if objective is not None or spec is None else spec.numpy_grad(binary)
    if closed_form is not None:
        y_np = y.numpy().astype(np.float32) if binary else y.numpy()
        with np.errstate(all="ignore"):  # as in the trainer: exp overflow -> inf -> the right limit
            g = closed_form(z.numpy().astype(np.float32, copy=False), y_np, **params)
    else:
        with torch.enable_grad():
            zt = z.clone().requires_grad_()
            mean = objective(zt, y) if objective is not None else compute_loss(loss, zt, y, **params)
            (g,) = torch.autograd.grad(mean, zt)
        g = g.numpy()
    g = np.asarray(g, dtype=np.float64) * n
    return np.abs(g) if binary else np.sqrt((g * g).sum(1))


def shares(pulls: np.ndarray) -> np.ndarray:
    """Each pull as a share of the total (sums to 1); all zero when nothing pulls (or on NaN)."""
    pulls = np.nan_to_num(np.asarray(pulls, dtype=np.float64), nan=0.0, posinf=np.inf)
    infinite = np.isinf(pulls)
    if infinite.any():  # a gradient past float range: those points hold all of it
        return infinite / infinite.sum()
    peak = pulls.max(initial=0.0)
    if peak <= 0:
        return np.zeros_like(pulls)
    scaled = pulls / peak  # the sum of huge pulls stays finite
    return scaled / scaled.sum()


def trainer_pull(trainer) -> np.ndarray:
    """Every training point's pull |∂ℓ/∂z_i| (absolute, not a share: the same pull draws the same disc
    under any loss), from the logits the trainer already has (the last evaluation's, no second forward
    pass when it is current)."""
    train_logits, _ = trainer.current_logits()
    d = trainer.data
    if len(train_logits) != d.n_train:  # evaluated on a subset: these rows need their own logits
        train_logits = trainer.logits_batched(d.X_train)
    objective = None
    if trainer.loss_key not in LOSSES:  # distillation: the trainer's own objective, teacher included
        teacher = trainer.teacher_logits(torch.arange(d.n_train))
        objective = lambda z, y: trainer.objective(z, y, teacher)  # noqa: E731
    return per_sample_pull(trainer.loss_key, train_logits, d.y_given, trainer.loss_params, objective)
