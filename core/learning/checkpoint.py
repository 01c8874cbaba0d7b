"""A run's state at one moment, to go back to after a divergence: weights, optimizer state, step
count and batch walk. The batch walk travels with the weights, so a restored run's step and epoch
counters agree and it replays the same batches."""
from __future__ import annotations

import copy
from typing import NamedTuple

import torch

from core.learning.batcher import Batcher


class Checkpoint(NamedTuple):
    params: list[torch.Tensor]
    optimizer_state: dict
    steps: int
    batches: tuple  # Batcher.state()


def take(model: torch.nn.Module, optimizer: torch.optim.Optimizer, steps: int, batcher: Batcher) -> Checkpoint:
    """Cheap clones (taken once per Trainer.step() call)."""
    params = [p.detach().clone() for p in model.parameters()]
    state = {p: {k: v.clone() if torch.is_tensor(v) else copy.copy(v) for k, v in s.items()}
             for p, s in optimizer.state.items()}
    return Checkpoint(params, state, steps, batcher.state())


def restore(checkpoint: Checkpoint, model: torch.nn.Module, optimizer: torch.optim.Optimizer,
            batcher: Batcher) -> None:
    """Weights, optimizer state and batch walk back to `checkpoint`, in place."""
    with torch.no_grad():  # in place: views of these tensors (numpy steps) stay valid
        for p, saved in zip(model.parameters(), checkpoint.params):
            p.copy_(saved)
    state = optimizer.state
    for p in list(state):
        if p not in checkpoint.optimizer_state:
            del state[p]  # made by a step after the checkpoint
    for p, s in checkpoint.optimizer_state.items():
        for k, v in s.items():
            if torch.is_tensor(v) and torch.is_tensor(state[p].get(k)) and state[p][k].shape == v.shape:
                state[p][k].copy_(v)
            else:
                state[p][k] = v
    batcher.set_state(checkpoint.batches)
