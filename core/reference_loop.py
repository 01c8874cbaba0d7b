"""Training in ten plain lines, the way PyTorch's MNIST example writes it.

Why it exists: core/learning/trainer.py runs this same loop, but split up so a page can advance it a few
steps per frame, and sped up (core/learning/engines.py: hand-written backward, numpy) so
the live 2D view reaches thousands of steps per second. Read this one first;
tests/test_reference_loop.py checks that every engine of the Trainer takes the same steps.
"""
from __future__ import annotations

import torch

from core.learning.losses import compute_loss


def train(model, X, y, optimizer, loss="cross_entropy", *, epochs=1, batch_size=32, seed=0, l2=0.0,
          **loss_params):
    """Mini-batch training: each epoch walks a fresh random order of the rows (seeded), in batches
    of `batch_size` (the last one may be shorter). l2 adds (λ/2)·Σw² over the weights to the loss;
    for decoupled decay pass torch.optim.AdamW instead."""
    weights = [p for name, p in model.named_parameters() if not name.endswith("bias")]  # biases never decay
    order = torch.Generator().manual_seed(seed)
    model.train()
    for epoch in range(epochs):
        for idx in torch.randperm(len(y), generator=order).split(batch_size):
            value = compute_loss(loss, model(X[idx]), y[idx], **loss_params)
            value = value + 0.5 * l2 * sum((w * w).sum() for w in weights)
            optimizer.zero_grad()
            value.backward()
            optimizer.step()
    return model
