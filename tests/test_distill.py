"""core/learning/distill.py: ℓ = (1 − α)·CE(z, y) + α·T²·KL(softmax(t/T) ‖ softmax(z/T))."""
from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from core.learning import distill
from core.learning.distill import distillation_loss


def batch(n=6, k=5, seed=0, dtype=torch.float64):
    g = torch.Generator().manual_seed(seed)
    z = 3 * torch.randn(n, k, generator=g, dtype=dtype)
    t = 3 * torch.randn(n, k, generator=g, dtype=dtype)
    y = torch.randint(0, k, (n,), generator=g)
    return z, y, t


@pytest.mark.parametrize("T", [1.0, 4.0, 10.0])
def test_alpha_zero_is_plain_cross_entropy(T):
    z, y, t = batch()
    torch.testing.assert_close(distillation_loss(z, y, t, T=T, alpha=0.0), F.cross_entropy(z, y))


@pytest.mark.parametrize("T", [1.0, 2.5, 20.0])
def test_alpha_one_with_teacher_equal_to_student_is_zero(T):
    z, y, _ = batch()
    loss = distillation_loss(z, y, z.clone(), T=T, alpha=1.0)
    assert abs(loss.item()) < 1e-12


def test_hand_computed_two_class_kl_with_t_squared():
    T = 2.0
    # student uniform; teacher softmax(t/T) = (3/4, 1/4) in row 0, and (1/2, 1/2) in row 1
    z = torch.zeros(2, 2, dtype=torch.float64)
    t = torch.tensor([[T * math.log(3.0), 0.0], [5.0, 5.0]], dtype=torch.float64)
    y = torch.tensor([0, 1])
    kl_row0 = 0.75 * math.log(0.75 / 0.5) + 0.25 * math.log(0.25 / 0.5)
    kl_mean = (kl_row0 + 0.0) / 2                      # reduction "batchmean": per sample
    soft = distillation_loss(z, y, t, T=T, alpha=1.0).item()
    assert soft == pytest.approx(T * T * kl_mean, rel=1e-12)
    assert soft == pytest.approx(4 * 0.5 * (0.75 * math.log(1.5) + 0.25 * math.log(0.5)), rel=1e-12)
    # the mixture: (1 − α)·CE + α·T²·KL, CE of uniform logits = log 2
    alpha = 0.3
    mixed = distillation_loss(z, y, t, T=T, alpha=alpha).item()
    assert mixed == pytest.approx((1 - alpha) * math.log(2) + alpha * T * T * kl_mean, rel=1e-12)


def test_kl_direction_is_teacher_to_student():
    # KL(p_teacher ‖ p_student), not the reverse: check on an asymmetric pair
    z = torch.tensor([[2.0, 0.0, -1.0]], dtype=torch.float64)
    t = torch.tensor([[0.5, 0.2, 3.0]], dtype=torch.float64)
    p_t, p_s = torch.softmax(t, 1), torch.softmax(z, 1)
    forward = (p_t * (p_t.log() - p_s.log())).sum().item()
    reverse = (p_s * (p_s.log() - p_t.log())).sum().item()
    assert abs(forward - reverse) > 1e-3
    assert distillation_loss(z, torch.tensor([0]), t, T=1.0, alpha=1.0).item() == pytest.approx(forward)


@pytest.mark.parametrize("T,alpha", [(1.0, 0.9), (4.0, 0.5), (20.0, 1.0), (1.0, 0.0)])
def test_finite_loss_and_gradient_at_extreme_logits(T, alpha):
    z = torch.tensor([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 0.0], [0.0, 0.0, 1000.0]], requires_grad=True)
    t = torch.tensor([[-1000.0, 1000.0, 0.0], [1000.0, -1000.0, 0.0], [0.0, 1000.0, -1000.0]])
    y = torch.tensor([1, 0, 2])
    loss = distillation_loss(z, y, t, T=T, alpha=alpha)
    assert torch.isfinite(loss)
    (grad,) = torch.autograd.grad(loss, z)
    assert torch.isfinite(grad).all()
    assert grad.abs().sum() > 0


@pytest.mark.parametrize("T", [1.0, 3.0, 8.0])
def test_soft_term_gradient_formula(T):
    """d/dz [T²·KL(softmax(t/T) ‖ softmax(z/T))] averaged over N = T·(softmax(z/T) − softmax(t/T))/N."""
    z, y, t = batch(n=7, k=4, seed=int(T))
    z.requires_grad_(True)
    (grad,) = torch.autograd.grad(distillation_loss(z, y, t, T=T, alpha=1.0), z)
    expected = T * (torch.softmax(z.detach() / T, 1) - torch.softmax(t / T, 1)) / len(z)
    torch.testing.assert_close(grad, expected, rtol=1e-10, atol=1e-12)


def test_mixed_gradient_is_the_weighted_sum():
    T, alpha = 4.0, 0.7
    z, y, t = batch(n=5, k=6, seed=11)
    z.requires_grad_(True)
    (grad,) = torch.autograd.grad(distillation_loss(z, y, t, T=T, alpha=alpha), z)
    zd = z.detach()
    hard = (torch.softmax(zd, 1) - F.one_hot(y, 6).double()) / len(z)
    soft = T * (torch.softmax(zd / T, 1) - torch.softmax(t / T, 1)) / len(z)
    torch.testing.assert_close(grad, (1 - alpha) * hard + alpha * soft)


def test_registry_entry_for_the_sliders():
    assert distill.KEY == "distillation"
    assert [p.name for p in distill.PARAMS] == ["T", "alpha"]
    for p in distill.PARAMS:
        assert p.low <= p.default <= p.high
    defaults = {p.name: p.default for p in distill.PARAMS}
    z, y, t = batch()
    # the function's own defaults are the registry's defaults
    torch.testing.assert_close(distillation_loss(z, y, t), distillation_loss(z, y, t, **defaults))
