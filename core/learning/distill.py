"""Knowledge distillation (Hinton et al. 2015): match a teacher's softened probabilities.

ℓ = (1 − α)·CE(z, y) + α·T²·KL(softmax(t/T) ‖ softmax(z/T)); the T² keeps the soft
term's gradient scale independent of T.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from core.learning.losses import LOSSES, LossParam

KEY = "distillation"
PARAMS = (
    LossParam("T", 4.0, 1.0, 20.0, 0.5, r"T"),
    LossParam("alpha", 0.9, 0.0, 1.0, 0.05, r"\alpha"),
)


def loss_param_specs(loss: str):
    """The parameters of a registry loss, or of distillation (which also needs a teacher)."""
    return PARAMS if loss == KEY else LOSSES[loss].params


FORMULA = (r"\ell = (1-\alpha)\,\bigl(-\log p_y\bigr) + \alpha\,T^2\,"
           r"\mathrm{KL}\!\left(\operatorname{softmax}(t/T)\,\big\|\,\operatorname{softmax}(z/T)\right)")


def distillation_loss(logits: torch.Tensor, targets: torch.Tensor, teacher_logits: torch.Tensor,
                      T: float = 4.0, alpha: float = 0.9) -> torch.Tensor:
    hard = F.cross_entropy(logits, targets)
    soft = F.kl_div(F.log_softmax(logits / T, dim=1), F.log_softmax(teacher_logits / T, dim=1),
                    reduction="batchmean", log_target=True)
    return (1 - alpha) * hard + alpha * T * T * soft
