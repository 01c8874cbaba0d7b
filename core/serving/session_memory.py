"""What a session's live runs hold in memory: models, gradients, optimizer state, checkpoints, data
and evaluation buffers, counted from their tensors (each storage once).

The session's budget, SESSION_BYTES, covers these and the weights the run history keeps
(core/app/run_store.py): the history keeps what the live runs leave free.
"""
from __future__ import annotations

import torch

SESSION_BYTES = 300 * 2**20


def _tensors(obj, depth: int = 6):
    """Every tensor reachable from obj through modules, optimizers, containers and plain attributes."""
    if torch.is_tensor(obj):
        yield obj
        if obj.grad is not None:
            yield obj.grad
        return
    if depth <= 0 or obj is None or isinstance(obj, (str, bytes, int, float, bool)):
        return
    if isinstance(obj, torch.nn.Module):
        for t in obj.state_dict(keep_vars=True).values():
            yield from _tensors(t, 0)
        return
    if isinstance(obj, torch.optim.Optimizer):
        for state in obj.state.values():
            yield from _tensors(state, 1)
        return
    if isinstance(obj, dict):
        items = obj.values()
    elif isinstance(obj, (list, tuple, set, frozenset)):
        items = obj
    elif hasattr(obj, "__dict__"):
        items = vars(obj).values()
    else:
        return
    for item in items:
        yield from _tensors(item, depth - 1)


def held_bytes(objects) -> int:
    """Bytes of the distinct storages behind every tensor reachable from these objects (trainers, runs)."""
    seen, total = set(), 0
    for obj in objects:
        for t in _tensors(obj):
            storage = t.untyped_storage()
            if storage.device.type == "cpu" and storage.data_ptr() not in seen:
                seen.add(storage.data_ptr())
                total += storage.nbytes()
    return total
