"""What a trainer learns: classes (logits, integer labels, accuracy; core/learning/losses.py) or numbers
(predictions, real targets; core/learning/regression_losses.py). The trainer, its evaluator and its engines are
one implementation for both; a task says which loss registry applies and what accuracy means.
"""
from __future__ import annotations

import math

import torch

from core.learning import distill
from core.learning.evaluator import accuracy
from core.learning.losses import LOSSES, check_loss_fits, compute_loss


class Classification:
    key = "classification"
    loss_event = "loss"  # the History event kind of a loss change (its names: core/learning/losses.py)
    fast_steps = True  # FlatMLP classifiers step with a hand-written backward (core/learning/engines.py, core/learning/fastpath.py)
    one_output = False  # (binary classifiers have one logit: model.binary says so)

    def torch_grad(self, loss: str, binary: bool):
        """The loss's closed-form dℓ/dz in torch, where it has one (else the engine asks autograd for it)."""
        spec = LOSSES.get(loss)
        return spec.torch_grad(binary) if spec else None

    def loss_param_specs(self, loss: str):
        return distill.loss_param_specs(loss)

    def check(self, loss: str, model, has_teacher: bool) -> None:
        if loss == distill.KEY and not has_teacher:
            raise ValueError("distillation needs a teacher's logits")
        if loss not in LOSSES and loss != distill.KEY:
            raise ValueError(f"unknown loss {loss!r}")
        check_loss_fits(loss, 2 if getattr(model, "binary", False) else 3)

    def loss(self, key: str, out: torch.Tensor, y: torch.Tensor, params: dict,
             teacher: torch.Tensor | None) -> torch.Tensor:
        if key == distill.KEY:
            return distill.distillation_loss(out, y, teacher, **params)
        return compute_loss(key, out, y, **params)

    def accuracy(self, out: torch.Tensor, y: torch.Tensor) -> float:
        return accuracy(out, y)


class Regression:
    """Predictions ŷ (N,) against real targets; the data's `flipped` mask marks the outliers."""
    key = "regression"
    loss_event = "rloss"  # its names: core/learning/regression_losses.py (MAE and Huber there differ from the classifiers')
    fast_steps = True  # FlatMLP regressors step like the classifiers (dℓ/dŷ by autograd on ŷ alone)
    one_output = True  # ŷ (N,)

    def torch_grad(self, loss: str, binary: bool):
        return None

    def loss_param_specs(self, loss: str):
        from core.learning.regression_losses import REGRESSION_LOSSES
        return REGRESSION_LOSSES[loss].params

    def check(self, loss: str, model, has_teacher: bool) -> None:
        from core.learning.regression_losses import REGRESSION_LOSSES
        if loss not in REGRESSION_LOSSES:
            raise ValueError(f"unknown regression loss {loss!r}")

    def loss(self, key: str, out: torch.Tensor, y: torch.Tensor, params: dict,
             teacher: torch.Tensor | None) -> torch.Tensor:
        from core.learning.regression_losses import compute_regression_loss
        return compute_regression_loss(key, out, y, **params)

    def accuracy(self, out: torch.Tensor, y: torch.Tensor) -> float:
        return math.nan  # no classes: the curves show losses only


CLASSIFICATION, REGRESSION = Classification(), Regression()
