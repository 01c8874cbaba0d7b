import inspect
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core.learning import losses
from core.i18n import LANGUAGES, STRINGS
from core.learning.losses import LOSSES, compute_loss, probabilities

KEYS = [
    "cross_entropy",
    "label_smoothing",
    "brier",
    "mae",
    "huber",
    "hinge",
    "squared_hinge",
    "exponential",
    "gce",
    "focal",
    "ova_hinge",
]
BINARY_KEYS = [k for k in KEYS if k != "ova_hinge"]  # ova_hinge is multiclass only (no binary form)


def sig(x):
    return 1 / (1 + math.exp(-x))


def param_settings(key):
    """Registry defaults, then every param at its low end, one step above it, and its high end.

    One step above low matters: focal at 0 < γ < 1 has an infinite d/du u^γ at u = 1 - p_y = 0.
    """
    spec = LOSSES[key]
    settings = [{}]
    for p in spec.params:
        settings += [{p.name: p.low}, {p.name: round(p.low + p.step, 10)}, {p.name: p.high}]
    return settings


ALL_SETTINGS = [(k, s) for k in KEYS for s in param_settings(k)]
BINARY_SETTINGS = [(k, s) for k in BINARY_KEYS for s in param_settings(k)]


# ---------------------------------------------------------------- registry


def test_registry_keys_in_display_order():
    assert list(LOSSES) == KEYS
    for key, spec in LOSSES.items():
        assert spec.key == key
        assert callable(spec.multiclass) and (callable(spec.binary) or key not in BINARY_KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_formulas_present_and_braces_balanced(key):
    spec = LOSSES[key]
    for tex in (spec.formula, spec.binary_formula, spec.gradient or ""):
        assert tex.count("{") == tex.count("}")
    assert spec.formula and (spec.binary_formula or key not in BINARY_KEYS)


@pytest.mark.parametrize("key", KEYS)
def test_param_ranges_and_signature_defaults_match(key):
    spec = LOSSES[key]
    for fn in (spec.multiclass, spec.binary or spec.multiclass):
        sig_params = inspect.signature(fn).parameters
        assert list(sig_params)[2:] == [p.name for p in spec.params]
        for p in spec.params:
            assert p.low <= p.default <= p.high and p.step > 0
            assert sig_params[p.name].default == p.default


def test_expected_params():
    names = {k: [p.name for p in s.params] for k, s in LOSSES.items()}
    assert names["label_smoothing"] == ["eps"]
    assert names["huber"] == ["delta"]
    assert names["gce"] == ["q"]
    assert names["focal"] == ["gamma"]
    assert LOSSES["gce"].params[0].default == 0.7
    assert LOSSES["focal"].params[0].default == 2.0


@pytest.mark.parametrize("key", KEYS)
def test_i18n_name_and_desc_in_both_languages(key):
    for field in ("name", "desc"):
        entry = STRINGS[f"loss.{key}.{field}"]
        for lang in LANGUAGES:
            assert entry[lang].strip()


def test_i18n_param_labels():
    for spec in LOSSES.values():
        for p in spec.params:
            entry = STRINGS[f"loss.param.{p.name}"]
            assert all(entry[lang].strip() for lang in LANGUAGES)


# ---------------------------------------------------------------- hand values


def test_ce_uniform_ten_classes_is_ln10():
    z = torch.zeros(4, 10)
    y = torch.tensor([0, 3, 7, 9])
    assert compute_loss("cross_entropy", z, y).item() == pytest.approx(2.302585, abs=1e-6)


def test_binary_ce_at_zero_is_ln2():
    z = torch.zeros(3)
    y = torch.tensor([0, 1, 1])
    assert compute_loss("cross_entropy", z, y).item() == pytest.approx(math.log(2), abs=1e-6)


# Multiclass example: z = (2, 1, -1), true class y = 1 (not the argmax).
E2, E1, EM1 = math.exp(2), math.exp(1), math.exp(-1)
S = E2 + E1 + EM1
P0, P1, P2 = E2 / S, E1 / S, EM1 / S  # ≈ 0.705, 0.260, 0.035
LOG_S = math.log(S)

MULTI_HAND = {
    "cross_entropy": LOG_S - 1,
    # soft target 0.9*onehot + 0.1/3; -log p_k = log S - z_k, sum_k z_k = 2
    "label_smoothing": 0.9 * (LOG_S - 1) + (0.1 / 3) * (3 * LOG_S - 2),
    "brier": P0**2 + (P1 - 1) ** 2 + P2**2,
    "mae": P0 + (1 - P1) + P2,
    # delta = 0.5: |p0| and |p1 - 1| exceed it (linear part), |p2| does not (quadratic part)
    "huber": 0.5 * (P0 - 0.25) + 0.5 * ((1 - P1) - 0.25) + 0.5 * P2**2,
    # margins 1 - z_y + z_k: k=0 -> 2, k=2 -> -1 (clipped); PyTorch divides by K = 3
    "hinge": (2 + 0) / 3,
    "squared_hinge": (2**2 + 0) / 3,
    "exponential": math.exp(2 - 1) + math.exp(-1 - 1),
    "gce": (1 - P1**0.7) / 0.7,
    "focal": -((1 - P1) ** 2) * math.log(P1),
    # ỹ = (-1, +1, -1): max(0, 1 + 2) + max(0, 1 - 1) + max(0, 1 - 1)
    "ova_hinge": 3.0,
}

# Binary example: z = (1.5, 0.5), y = (1, 0) -> margins m = (1.5, -0.5).
SA, SB = sig(1.5), sig(0.5)  # p = σ(z)
BINARY_HAND = {
    "cross_entropy": (math.log(1 + math.exp(-1.5)) + math.log(1 + math.exp(0.5))) / 2,
    # soft targets t = y*0.9 + 0.05 = (0.95, 0.05)
    "label_smoothing": (
        -(0.95 * math.log(SA) + 0.05 * math.log(1 - SA)) - (0.05 * math.log(SB) + 0.95 * math.log(1 - SB))
    )
    / 2,
    "brier": ((SA - 1) ** 2 + SB**2) / 2,
    "mae": ((1 - SA) + SB) / 2,
    # |SA - 1| ≈ 0.18 < 0.5 (quadratic); SB ≈ 0.62 > 0.5 (linear)
    "huber": (0.5 * (1 - SA) ** 2 + 0.5 * (SB - 0.25)) / 2,
    "hinge": (0 + 1.5) / 2,
    "squared_hinge": (0 + 1.5**2) / 2,
    "exponential": (math.exp(-1.5) + math.exp(0.5)) / 2,
    "gce": ((1 - sig(1.5) ** 0.7) / 0.7 + (1 - sig(-0.5) ** 0.7) / 0.7) / 2,
    "focal": (-((1 - sig(1.5)) ** 2) * math.log(sig(1.5)) - (1 - sig(-0.5)) ** 2 * math.log(sig(-0.5))) / 2,
}


@pytest.mark.parametrize("key", KEYS)
def test_multiclass_hand_value(key):
    z = torch.tensor([[2.0, 1.0, -1.0]], dtype=torch.float64)
    y = torch.tensor([1])
    assert compute_loss(key, z, y).item() == pytest.approx(MULTI_HAND[key], rel=1e-12)


@pytest.mark.parametrize("key", BINARY_KEYS)
def test_binary_hand_value(key):
    z = torch.tensor([1.5, 0.5], dtype=torch.float64)
    for y in (torch.tensor([1, 0]), torch.tensor([1.0, 0.0], dtype=torch.float64)):
        assert compute_loss(key, z, y).item() == pytest.approx(BINARY_HAND[key], rel=1e-12)


# ---------------------------------------------------------------- built-ins and naive formulas


def moderate(seed=0, n=7, k=4):
    g = torch.Generator().manual_seed(seed)
    z = 2 * torch.randn(n, k, generator=g, dtype=torch.float64)
    y = torch.randint(0, k, (n,), generator=g)
    return z, y


def test_agrees_with_pytorch_modules():
    z, y = moderate()
    assert torch.allclose(compute_loss("cross_entropy", z, y), torch.nn.CrossEntropyLoss()(z, y))
    assert torch.allclose(
        compute_loss("label_smoothing", z, y, eps=0.2), torch.nn.CrossEntropyLoss(label_smoothing=0.2)(z, y)
    )
    assert torch.allclose(compute_loss("hinge", z, y), torch.nn.MultiMarginLoss()(z, y))
    assert torch.allclose(compute_loss("squared_hinge", z, y), torch.nn.MultiMarginLoss(p=2)(z, y))
    p, onehot = torch.softmax(z, 1), F.one_hot(y, 4).double()
    huber_sum = torch.nn.HuberLoss(reduction="sum", delta=0.3)(p, onehot) / len(y)
    assert torch.allclose(compute_loss("huber", z, y, delta=0.3), huber_sum)
    zb, yb = z[:, 0], (y % 2).double()
    assert torch.allclose(compute_loss("cross_entropy", zb, yb), torch.nn.BCEWithLogitsLoss()(zb, yb))
    assert torch.allclose(compute_loss("huber", zb, yb, delta=0.3), torch.nn.HuberLoss(delta=0.3)(zb.sigmoid(), yb))


def naive_multi(key, z, y, eps=0.1, delta=0.5, q=0.7, gamma=2.0):
    """Straight from the textbook formulas, no stability tricks."""
    n, k = z.shape
    p = z.exp() / z.exp().sum(1, keepdim=True)
    onehot = F.one_hot(y, k).double()
    p_y = p[torch.arange(n), y]
    z_y = z[torch.arange(n), y].unsqueeze(1)
    r = (p - onehot).abs()
    others = 1 - onehot
    per_sample = {
        "cross_entropy": -p_y.log(),
        "label_smoothing": -(((1 - eps) * onehot + eps / k) * p.log()).sum(1),
        "brier": (r**2).sum(1),
        "mae": r.sum(1),
        "huber": torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)).sum(1),
        "hinge": ((1 - z_y + z).clamp(min=0) * others).sum(1) / k,
        "squared_hinge": ((1 - z_y + z).clamp(min=0) ** 2 * others).sum(1) / k,
        "exponential": ((z - z_y).exp() * others).sum(1),
        "gce": (1 - p_y**q) / q,
        "focal": -((1 - p_y) ** gamma) * p_y.log(),
        "ova_hinge": (1 - (2 * onehot - 1) * z).clamp(min=0).sum(1),
    }[key]
    return per_sample.mean()


def naive_binary(key, z, y, eps=0.1, delta=0.5, q=0.7, gamma=2.0):
    p = 1 / (1 + (-z).exp())
    m = (2 * y - 1) * z
    p_y = 1 / (1 + (-m).exp())
    t = y * (1 - eps) + eps / 2
    r = (p - y).abs()
    per_sample = {
        "cross_entropy": -(y * p.log() + (1 - y) * (1 - p).log()),
        "label_smoothing": -(t * p.log() + (1 - t) * (1 - p).log()),
        "brier": r**2,
        "mae": r,
        "huber": torch.where(r <= delta, 0.5 * r**2, delta * (r - 0.5 * delta)),
        "hinge": (1 - m).clamp(min=0),
        "squared_hinge": (1 - m).clamp(min=0) ** 2,
        "exponential": (-m).exp(),
        "gce": (1 - p_y**q) / q,
        "focal": -((1 - p_y) ** gamma) * p_y.log(),
    }[key]
    return per_sample.mean()


@pytest.mark.parametrize("key,params", ALL_SETTINGS)
def test_multiclass_matches_naive_formula(key, params):
    for seed in range(3):
        z, y = moderate(seed)
        assert torch.allclose(compute_loss(key, z, y, **params), naive_multi(key, z, y, **params), rtol=1e-10)


@pytest.mark.parametrize("key,params", BINARY_SETTINGS)
def test_binary_matches_naive_formula(key, params):
    for seed in range(3):
        z, y = moderate(seed, n=9, k=1)
        z, y = z[:, 0], (y % 2).double()
        y[:4] = torch.tensor([0.0, 1.0, 0.0, 1.0])  # both classes present whatever the seed
        assert torch.allclose(compute_loss(key, z, y, **params), naive_binary(key, z, y, **params), rtol=1e-10)


# ---------------------------------------------------------------- gradients


def away_from_kinks(z, y):
    """Hinge kinks sit at 1 - z_y + z_k = 0 (multi), z_k = ±1 (one-vs-all) or m = 1 (binary);
    keep gradcheck clear of them."""
    if z.ndim == 2:
        gap = torch.cat([1 - z.gather(1, y.unsqueeze(1)) + z, 1 - z.abs()], 1)
    else:
        gap = 1 - (2 * y - 1) * z
    return gap.abs().min().item() > 1e-3


@pytest.mark.parametrize("key,params", ALL_SETTINGS)
def test_multiclass_gradcheck(key, params):
    z, y = moderate(seed=1, n=5, k=3)
    assert away_from_kinks(z, y)
    z.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: compute_loss(key, t, y, **params), (z,))


@pytest.mark.parametrize("key,params", BINARY_SETTINGS)
def test_binary_gradcheck(key, params):
    z = torch.tensor([1.7, -0.4, 0.3, -2.2, 0.9, -0.05], dtype=torch.float64)
    y = torch.tensor([1.0, 1.0, 0.0, 0.0, 1.0, 0.0], dtype=torch.float64)
    assert away_from_kinks(z, y)
    z.requires_grad_(True)
    assert torch.autograd.gradcheck(lambda t: compute_loss(key, t, y, **params), (z,))


def test_ce_gradient_is_softmax_minus_onehot_over_n():
    z, y = moderate(seed=2, n=6, k=5)
    z.requires_grad_(True)
    (grad,) = torch.autograd.grad(compute_loss("cross_entropy", z, y), z)
    expected = (torch.softmax(z, 1) - F.one_hot(y, 5).double()) / len(y)
    assert torch.allclose(grad, expected, atol=1e-12)


def test_gce_gradient_formula():
    # registry says dℓ/dz = p_y^q (p - y)
    z, y = moderate(seed=3, n=4, k=3)
    z.requires_grad_(True)
    (grad,) = torch.autograd.grad(compute_loss("gce", z, y, q=0.4), z)
    p = torch.softmax(z, 1)
    p_y = p.gather(1, y.unsqueeze(1))
    expected = p_y**0.4 * (p - F.one_hot(y, 3).double()) / len(y)
    assert torch.allclose(grad, expected, atol=1e-12)


def test_mae_gradient_formula():
    # registry says dℓ/dz = 2 p_y (p - y)
    z, y = moderate(seed=4, n=4, k=3)
    z.requires_grad_(True)
    (grad,) = torch.autograd.grad(compute_loss("mae", z, y), z)
    p = torch.softmax(z, 1)
    p_y = p.gather(1, y.unsqueeze(1))
    expected = 2 * p_y * (p - F.one_hot(y, 3).double()) / len(y)
    assert torch.allclose(grad, expected, atol=1e-12)


# ---------------------------------------------------------------- limits and special cases


def test_gce_small_q_approaches_ce():
    z, y = moderate(seed=5)
    ce = compute_loss("cross_entropy", z, y)
    assert torch.allclose(compute_loss("gce", z, y, q=1e-4), ce, rtol=1e-3)
    zb, yb = z[:, 0], (y % 2).double()
    assert torch.allclose(compute_loss("gce", zb, yb, q=1e-4), compute_loss("cross_entropy", zb, yb), rtol=1e-3)


def test_gce_q1_is_one_minus_p_y():
    z, y = moderate(seed=6)
    p_y = torch.softmax(z, 1).gather(1, y.unsqueeze(1)).squeeze(1)
    assert torch.allclose(compute_loss("gce", z, y, q=1.0), (1 - p_y).mean())
    assert torch.allclose(compute_loss("gce", z, y, q=1.0), compute_loss("mae", z, y) / 2)


def test_focal_gamma0_is_ce():
    z, y = moderate(seed=7)
    assert torch.allclose(compute_loss("focal", z, y, gamma=0.0), compute_loss("cross_entropy", z, y))
    zb, yb = z[:, 0], (y % 2).double()
    assert torch.allclose(compute_loss("focal", zb, yb, gamma=0.0), compute_loss("cross_entropy", zb, yb))


def test_label_smoothing_eps0_is_ce():
    z, y = moderate(seed=8)
    assert torch.allclose(compute_loss("label_smoothing", z, y, eps=0.0), compute_loss("cross_entropy", z, y))
    zb, yb = z[:, 0], (y % 2).double()
    assert torch.allclose(
        compute_loss("label_smoothing", zb, yb, eps=0.0), compute_loss("cross_entropy", zb, yb)
    )


def binary_and_two_class():
    """Binary logits z and the equivalent 2-class logits [0, z]."""
    z = torch.tensor([2.3, -1.1, 0.4, -0.2, 3.0, -2.5], dtype=torch.float64)
    y = torch.tensor([1, 1, 0, 0, 0, 1])
    return z, y, torch.stack([torch.zeros_like(z), z], 1)


# binary_factor * binary == multi_factor * multi on logits [0, z]
@pytest.mark.parametrize(
    "key,binary_factor,multi_factor",
    [
        ("cross_entropy", 1, 1),
        ("label_smoothing", 1, 1),
        ("gce", 1, 1),
        ("focal", 1, 1),
        ("exponential", 1, 1),
        ("hinge", 1, 2),  # multi_margin_loss divides by K = 2
        ("squared_hinge", 1, 2),
        ("brier", 2, 1),  # both classes carry the same |p - y|
        ("mae", 2, 1),
        ("huber", 2, 1),
    ],
)
def test_binary_equals_two_class_multiclass(key, binary_factor, multi_factor):
    z, y, z2 = binary_and_two_class()
    for params in param_settings(key):
        binary = compute_loss(key, z, y, **params)
        multi = compute_loss(key, z2, y, **params)
        assert torch.allclose(binary_factor * binary, multi_factor * multi)


def test_label_smoothing_binary_equals_two_class_cross_entropy():
    z, y, z2 = binary_and_two_class()
    for eps in (0.0, 0.05, 0.3, 0.5):
        builtin = F.cross_entropy(z2, y, label_smoothing=eps)
        assert torch.allclose(compute_loss("label_smoothing", z, y, eps=eps), builtin)


def test_exponential_linear_continuation_past_cap():
    # m = -50 -> exponent u = 50 > 30: value e^30 (1 + 20), slope e^30
    z = torch.tensor([-50.0], dtype=torch.float64, requires_grad=True)
    y = torch.tensor([1])
    loss = compute_loss("exponential", z, y)
    (grad,) = torch.autograd.grad(loss, z)
    assert loss.item() == pytest.approx(math.exp(30) * 21, rel=1e-12)
    assert grad.item() == pytest.approx(-math.exp(30), rel=1e-12)
    # continuous at the cap, and exact below it
    below = compute_loss("exponential", torch.tensor([-30.0 + 1e-9], dtype=torch.float64), y).item()
    above = compute_loss("exponential", torch.tensor([-30.0 - 1e-9], dtype=torch.float64), y).item()
    assert below == pytest.approx(above, rel=1e-8)
    assert compute_loss("exponential", torch.tensor([-29.0], dtype=torch.float64), y).item() == pytest.approx(
        math.exp(29), rel=1e-12
    )


def test_exponential_is_monotone_in_the_wrong_logit():
    zs = torch.linspace(-5, 2000, 500, dtype=torch.float64)
    logits = torch.stack([torch.zeros_like(zs), zs], 1)
    y = torch.zeros(len(zs), dtype=torch.long)
    values = torch.stack([compute_loss("exponential", logits[i : i + 1], y[:1]) for i in range(len(zs))])
    assert torch.all(values.diff() > 0)


# ---------------------------------------------------------------- stability


MULTI_EXTREME = torch.tensor(
    [
        [1000.0, -1000.0, 0.0],  # confident and right
        [-1000.0, 1000.0, 0.0],  # confident and wrong
        [1000.0, 1000.0, -1000.0],  # tie at the top
        [-1000.0, -1000.0, -1000.0],  # all very negative
        [0.0, 0.0, 1000.0],  # right by a mile
        [1000.0, -1000.0, 1000.0],
    ]
)
MULTI_EXTREME_Y = torch.tensor([0, 0, 2, 1, 2, 1])
BINARY_EXTREME = torch.tensor([1000.0, -1000.0, 1000.0, -1000.0, 0.0, 1000.0])
BINARY_EXTREME_Y = torch.tensor([1, 1, 0, 0, 1, 1])


@pytest.mark.parametrize("key,params", ALL_SETTINGS)
def test_multiclass_finite_at_extreme_logits(key, params):
    z = MULTI_EXTREME.clone().requires_grad_(True)
    loss = compute_loss(key, z, MULTI_EXTREME_Y, **params)
    (grad,) = torch.autograd.grad(loss, z)
    assert loss.dtype == torch.float32
    assert torch.isfinite(loss) and torch.isfinite(grad).all()


@pytest.mark.parametrize("key,params", BINARY_SETTINGS)
def test_binary_finite_at_extreme_logits(key, params):
    for y in (BINARY_EXTREME_Y, BINARY_EXTREME_Y.float()):
        z = BINARY_EXTREME.clone().requires_grad_(True)
        loss = compute_loss(key, z, y, **params)
        (grad,) = torch.autograd.grad(loss, z)
        assert loss.dtype == torch.float32
        assert torch.isfinite(loss) and torch.isfinite(grad).all()


def test_extreme_values_are_right_not_just_finite():
    # confident-and-wrong CE is ~1000, confident-and-right is 0
    z = torch.tensor([[1000.0, -1000.0], [-1000.0, 1000.0]])
    y = torch.tensor([0, 0])
    per = [compute_loss("cross_entropy", z[i : i + 1], y[:1]).item() for i in range(2)]
    assert per == [pytest.approx(0.0, abs=1e-6), pytest.approx(2000.0)]
    assert compute_loss("focal", z[1:], y[:1], gamma=0.5).item() == pytest.approx(2000.0)
    assert compute_loss("gce", z[1:], y[:1], q=0.5).item() == pytest.approx(2.0)
    assert compute_loss("mae", z[1:], y[:1]).item() == pytest.approx(2.0)


# ---------------------------------------------------------------- dispatch and probabilities


def test_dispatch_by_ndim():
    z, y = moderate(seed=9)
    zb, yb = z[:, 0], (y % 2).double()
    for key, spec in LOSSES.items():
        assert torch.equal(compute_loss(key, z, y), spec.multiclass(z, y))
        if key in BINARY_KEYS:
            assert torch.equal(compute_loss(key, zb, yb), spec.binary(zb, yb))
        else:
            with pytest.raises(ValueError):
                compute_loss(key, zb, yb)


def test_missing_params_use_registry_defaults():
    z, y = moderate(seed=10)
    assert torch.equal(compute_loss("gce", z, y), LOSSES["gce"].multiclass(z, y, q=0.7))
    assert torch.equal(compute_loss("focal", z, y), LOSSES["focal"].multiclass(z, y, gamma=2.0))
    assert not torch.equal(compute_loss("focal", z, y, gamma=1.0), compute_loss("focal", z, y))


def test_unknown_param_raises_type_error():
    z, y = moderate(seed=11)
    with pytest.raises(TypeError):
        compute_loss("cross_entropy", z, y, q=0.5)
    with pytest.raises(TypeError):
        compute_loss("gce", z[:, 0], (y % 2), gamma=2.0)


def test_unknown_key_raises():
    with pytest.raises(KeyError):
        compute_loss("nope", torch.zeros(2, 2), torch.tensor([0, 1]))


def test_probabilities_rows_sum_to_one():
    z, _ = moderate(seed=12)
    for logits in (z, MULTI_EXTREME, z[:, 0], BINARY_EXTREME):
        p = probabilities(logits)
        assert p.shape == (len(logits), logits.shape[1] if logits.ndim == 2 else 2)
        assert torch.isfinite(p).all() and (p >= 0).all()
        assert torch.allclose(p.sum(1), torch.ones(len(logits), dtype=p.dtype))
    assert torch.allclose(probabilities(z[:, 0])[:, 1], torch.sigmoid(z[:, 0]))
    assert torch.allclose(probabilities(z), torch.softmax(z, 1))


# ---- closed-form gradients used by the live trainer's fast path ----
@pytest.mark.parametrize("key", [k for k, s in LOSSES.items() if s.torch_grad_multiclass or s.torch_grad_binary])
def test_closed_form_gradients_match_autograd(key):
    spec = LOSSES[key]
    torch.manual_seed(0)
    z = (torch.randn(7, 4, dtype=torch.float64) * 3).requires_grad_()
    y = torch.randint(0, 4, (7,))
    (g,) = torch.autograd.grad(spec.multiclass(z, y), z)
    assert torch.allclose(spec.torch_grad_multiclass(z.detach(), y), g, atol=1e-12)
    zb = (torch.randn(9, dtype=torch.float64) * 3).requires_grad_()
    yb = torch.randint(0, 2, (9,))
    (gb,) = torch.autograd.grad(spec.binary(zb, yb), zb)
    assert torch.allclose(spec.torch_grad_binary(zb.detach(), yb), gb, atol=1e-12)


# ---- numpy closed-form gradients (the live 2D trainer's numpy steps use these) ----
def test_every_registry_loss_has_numpy_gradients_beside_it():
    for spec in LOSSES.values():
        own = vars(type(spec))  # written in the loss's own class, beside its value
        assert spec.numpy_grad(False) is own["numpy_grad_multiclass"].__func__
        assert spec.numpy_grad(True) is getattr(own.get("numpy_grad_binary"), "__func__", None)


def low_default_high(key):
    """Each parameter at its low end, default and high end (e.g. focal γ = 0, 2, 5; GCE q = 0.05 ... 1)."""
    specs = LOSSES[key].params
    return [{}] if not specs else [{p.name: getattr(p, end) for p in specs} for end in ("low", "default", "high")]


@pytest.mark.parametrize("key,binary", [(k, b) for k in KEYS for b in (True, False) if k in BINARY_KEYS or not b])
def test_numpy_gradients_equal_autograd(key, binary):
    gen = torch.Generator().manual_seed(0)
    fn = LOSSES[key].numpy_grad(binary)
    for params in low_default_high(key):
        for scale in (0.5, 3.0, 1000.0):
            z = torch.randn(40, *(() if binary else (4,)), generator=gen) * scale
            y = torch.randint(0, 2 if binary else 4, (40,), generator=gen)
            zr = z.clone().requires_grad_()
            (expected,) = torch.autograd.grad(compute_loss(key, zr, y, **params), zr)
            with np.errstate(all="ignore"):  # as in NumpySteps.run: exp(1000) -> inf -> σ = 0, the right limit
                got = fn(z.numpy(), y.numpy().astype(np.float32) if binary else y.numpy(), **params)
            assert got.shape == z.shape and np.isfinite(got).all()
            np.testing.assert_allclose(got, expected.numpy(), atol=1e-6, rtol=1e-4, err_msg=f"{params} scale {scale}")


@pytest.mark.parametrize("binary", [True, False])
def test_numpy_gradients_without_params_use_the_registry_defaults(binary):
    z = torch.randn(30, *(() if binary else (3,)), generator=torch.Generator().manual_seed(1)) * 2
    y = torch.randint(0, 2 if binary else 3, (30,), generator=torch.Generator().manual_seed(2))
    for key, spec in LOSSES.items():
        if spec.numpy_grad(binary) is None:
            continue  # a multiclass-only loss's binary side
        defaults = {p.name: p.default for p in spec.params}
        yn = y.numpy().astype(np.float32) if binary else y.numpy()
        np.testing.assert_array_equal(spec.numpy_grad(binary)(z.numpy(), yn),
                                      spec.numpy_grad(binary)(z.numpy(), yn, **defaults), err_msg=key)


def test_binary_gce_numpy_gradient_at_small_q_and_a_large_negative_margin():
    z, y = np.array([-164.0], dtype=np.float32), np.array([1.0], dtype=np.float32)
    zr = torch.tensor(z).requires_grad_()
    (expected,) = torch.autograd.grad(compute_loss("gce", zr, torch.tensor([1]), q=0.05), zr)
    with np.errstate(all="ignore"):
        got = LOSSES["gce"].numpy_grad(True)(z, y, q=0.05)
    np.testing.assert_allclose(got, expected.numpy(), rtol=1e-3)


# ---- the one-vs-all hinge: multiclass only ----
def test_ova_hinge_is_refused_for_two_classes_with_a_message():
    from core.i18n import UserFacingError
    losses.check_loss_fits("ova_hinge", 3)
    losses.check_loss_fits("hinge", 2)
    with pytest.raises(UserFacingError) as err:
        losses.check_loss_fits("ova_hinge", 2)
    assert err.value.code == "err.loss.multiclass_only"


def test_ova_hinge_gradient_by_hand():
    # z = (0.5, 2, -3), y = 0: ỹ = (+1, -1, -1); active terms: k=0 (0.5 < 1) and k=1 (-2 < 1)
    z = np.array([[0.5, 2.0, -3.0]], dtype=np.float32)
    np.testing.assert_array_equal(LOSSES["ova_hinge"].numpy_grad_multiclass(z, np.array([0])), [[-1.0, 1.0, 0.0]])


def test_formulas_hold_no_english_words_a_chinese_reader_would_see():
    """A formula is shown as it is in both languages: its \\text{} may name notation (MSE), never prose."""
    import re
    from core.learning import distill
    from core.learning.regression_losses import REGRESSION_LOSSES
    formulas = [f for spec in LOSSES.values() for f in (spec.formula, spec.binary_formula) if f]
    formulas += [spec.formula for spec in REGRESSION_LOSSES.values()] + [distill.FORMULA]
    words = {w for f in formulas for w in re.findall(r"\\text\{([^}]*)\}", f)}
    assert words <= {"MSE"}, words
