"""Optimizers from torch.optim, and the two ways to apply weight decay.

- "l2": add (λ/2)·Σw² to the loss; the optimizer sees λw inside the gradient
  (Adam then rescales it per weight, which is why it differs from AdamW).
- "decoupled": shrink weights w ← w·(1 - ηλ) outside the gradient (Loshchilov & Hutter).
Biases are never decayed. Frozen parameters (a model without bias: its zero biases) are not optimised at all.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch


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
WEIGHT_DECAY_MODES = ("l2", "decoupled")


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
    """One optimizer plus its weight-decay rule; the trainer calls penalty() and step()."""

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
        if self.wd_mode != "l2" or self.weight_decay == 0.0:
            return 0.0
        return 0.5 * self.weight_decay * sum((w * w).sum() for w in self.weights)

    @torch.no_grad()
    def add_penalty_grad(self) -> float:
        """For hand-computed gradients: add λw (the L2 penalty's gradient); return the penalty's value."""
        if self.wd_mode != "l2" or self.weight_decay == 0.0:
            return 0.0
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

    def zero_grad(self) -> None:
        self.optimizer.zero_grad(set_to_none=True)
