"""Training steps behind one interface: `run(k)` makes up to k optimizer steps on the trainer's
batches and returns how many it made; fewer than k means the next step met a non-finite loss
(the trainer then rolls back). The trainer counts the steps.

- AutogradSteps: any model; loss.backward(), the plain loop of core/reference_loop.py.
- TorchFastSteps: FlatMLP nets (classifiers and regressors); inputs standardised once and a hand-written
  backward from dℓ/dz, with autograd used (if at all) only for dℓ/dz. Tests check it equals AutogradSteps.
- NumpySteps (core/learning/fastpath.py): TorchFastSteps' arithmetic in numpy, for the small 2D nets.
"""
from __future__ import annotations

import math

import torch



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
        with torch.no_grad():
            self.inputs = trainer.model.standardize(trainer.data.X_train)

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
        closed_form = t.task.torch_grad(t.loss_key, one_output)
        if closed_form and not t.loss_params:
            loss, grad_z = t.objective(z, y), closed_form(z, y)
        else:
            with torch.enable_grad():
                z = z.requires_grad_()
                loss = t.objective(z, y, t.teacher_logits(idx))
                (grad_z,) = torch.autograd.grad(loss, z)
        net.backward_from_logits(grad_z.view(len(idx), -1), inputs)
        penalty = t.optimization.add_penalty_grad()
        return loss.detach() + penalty if penalty else loss.detach()
