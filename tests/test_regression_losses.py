import math

import numpy as np
import pytest
import torch

from core.i18n import LANGUAGES, STRINGS
from core.learning.losses import LossParam
from core.learning.regression_losses import (
    REGRESSION_LOSSES,
    asymmetric_tau,
    compute_regression_loss,
    regression_loss_grad,
)
from core.learning.regression_models import build_regression_model

KEYS = ["mse", "mae", "huber", "log_cosh", "pinball", "asymmetric"]


def param_settings(key):
    """Registry defaults, then every param at its low and its high end."""
    settings = [{}]
    for p in REGRESSION_LOSSES[key].params:
        settings += [{p.name: p.low}, {p.name: p.high}]
    return settings


ALL_SETTINGS = [(k, s) for k in KEYS for s in param_settings(k)]

# ŷ and y with residuals r = ŷ − y = [−0.5, 0, 3, −4]
PRED = [1.0, 2.0, 3.0, 4.0]
TARGET = [1.5, 2.0, 0.0, 8.0]

# A fixed demand-like sample: 23 distinct values, so τ·23 is never an integer for the τ below and
# every τ-quantile is one data point (the unique minimiser of the pinball loss).
DEMAND = np.array([12, 7, 31, 18, 22, 9, 15, 44, 27, 11, 19, 25, 8, 16, 38, 21, 13, 29, 17, 10, 52, 23, 14],
                  dtype=np.float64)


def quantile(tau):
    return float(np.quantile(DEMAND, tau, method="inverted_cdf"))  # the ⌈τn⌉-th smallest


def loss(key, pred, target, **params):
    return compute_regression_loss(key, torch.tensor(pred, dtype=torch.float64),
                                   torch.tensor(target, dtype=torch.float64), **params).item()


# ---------------------------------------------------------------- registry


def test_registry_keys_in_display_order():
    assert list(REGRESSION_LOSSES) == KEYS
    for key, spec in REGRESSION_LOSSES.items():
        assert spec.key == key and callable(spec.fn) and callable(spec.numpy_grad)
        for p in spec.params:
            assert isinstance(p, LossParam) and p.low <= p.default <= p.high and p.step > 0


@pytest.mark.parametrize("key", KEYS)
def test_formulas_state_the_residual_and_balance_braces(key):
    spec = REGRESSION_LOSSES[key]
    assert r"r = \hat y - y" in spec.formula
    for text in (spec.formula, spec.gradient):
        assert text and text.count("{") == text.count("}")
    for p in spec.params:
        assert p.symbol in spec.formula


@pytest.mark.parametrize("key", KEYS)
def test_ui_strings_in_both_languages(key):
    names = [f"rloss.{key}.name", f"rloss.{key}.desc"]
    names += [f"rloss.param.{p.name}" for p in REGRESSION_LOSSES[key].params]
    for name in names:
        assert name in STRINGS, name
        assert all(STRINGS[name][lang].strip() for lang in LANGUAGES), name


def test_names_are_distinct():
    for lang in LANGUAGES:
        names = [STRINGS[f"rloss.{k}.name"][lang] for k in KEYS]
        assert len(set(names)) == len(names)


def test_unknown_parameter_and_defaults():
    with pytest.raises(TypeError, match="unknown parameter"):
        compute_regression_loss("huber", torch.zeros(3), torch.zeros(3), tau=0.5)
    with pytest.raises(TypeError, match="unknown parameter"):
        regression_loss_grad("mse", np.zeros(3), np.zeros(3), delta=1.0)
    assert loss("pinball", PRED, TARGET) == loss("pinball", PRED, TARGET, tau=0.9)
    assert loss("asymmetric", PRED, TARGET) == loss("asymmetric", PRED, TARGET, a=4.0, b=1.0)


@pytest.mark.parametrize("key", KEYS)
def test_shapes_must_match(key):
    # (N, 1) against (N,) would broadcast to an N×N loss: refused in torch and in numpy
    with pytest.raises(ValueError, match="shape"):
        compute_regression_loss(key, torch.zeros(5, 1), torch.zeros(5))
    with pytest.raises(ValueError, match="shape"):
        regression_loss_grad(key, np.zeros((5, 1)), np.zeros(5))


def test_parameter_ranges_are_refused():
    for tau in (0.0, 1.0, -0.1, 1.5):
        with pytest.raises(ValueError, match="tau"):
            compute_regression_loss("pinball", torch.zeros(2), torch.zeros(2), tau=tau)
    for a, b in ((0.0, 0.0), (-1.0, 1.0), (1.0, -1.0)):
        with pytest.raises(ValueError, match="costs"):
            asymmetric_tau(a, b)
        with pytest.raises(ValueError, match="costs"):
            compute_regression_loss("asymmetric", torch.zeros(2), torch.zeros(2), a=a, b=b)


# ---------------------------------------------------------------- values by hand


@pytest.mark.parametrize("key, params, expected", [
    ("mse", {}, (0.25 + 0 + 9 + 16) / 4),
    ("mae", {}, (0.5 + 0 + 3 + 4) / 4),
    ("huber", {"delta": 1.0}, (0.125 + 0 + (3 - 0.5) + (4 - 0.5)) / 4),
    ("huber", {"delta": 2.0}, (0.125 + 0 + 2 * (3 - 1) + 2 * (4 - 1)) / 4),
    ("log_cosh", {}, sum(math.log(math.cosh(r)) for r in (-0.5, 0, 3, -4)) / 4),
    # u = y − ŷ = [0.5, 0, −3, 4]; max(τu, (τ − 1)u)
    ("pinball", {"tau": 0.9}, (0.9 * 0.5 + 0 + 0.1 * 3 + 0.9 * 4) / 4),
    ("pinball", {"tau": 0.1}, (0.1 * 0.5 + 0 + 0.9 * 3 + 0.1 * 4) / 4),
    # a per unit short (y > ŷ: rows 0 and 3), b per unit over (row 2)
    ("asymmetric", {"a": 4.0, "b": 1.0}, (4 * 0.5 + 0 + 1 * 3 + 4 * 4) / 4),
    ("asymmetric", {"a": 1.0, "b": 3.0}, (1 * 0.5 + 0 + 3 * 3 + 1 * 4) / 4),
])
def test_values_by_hand(key, params, expected):
    assert loss(key, PRED, TARGET, **params) == pytest.approx(expected, rel=1e-12)


@pytest.mark.parametrize("key, params, expected", [
    ("mse", {}, [2 * -0.5, 0, 2 * 3, 2 * -4]),
    ("mae", {}, [-1, 0, 1, -1]),
    ("huber", {"delta": 1.0}, [-0.5, 0, 1, -1]),
    ("pinball", {"tau": 0.9}, [-0.9, 0, 0.1, -0.9]),
    ("asymmetric", {"a": 4.0, "b": 1.0}, [-4, 0, 1, -4]),
])
def test_gradients_by_hand(key, params, expected):
    g = regression_loss_grad(key, np.array(PRED), np.array(TARGET), **params)
    np.testing.assert_allclose(g, np.array(expected) / 4, rtol=1e-12)


def test_mse_is_the_plain_mean_of_squares_not_half():
    rng = np.random.default_rng(1)
    pred, target = torch.from_numpy(rng.normal(size=50)), torch.from_numpy(rng.normal(size=50))
    mse = compute_regression_loss("mse", pred, target)
    assert torch.allclose(mse, ((pred - target) ** 2).mean(), rtol=1e-14)
    # Huber is ½r² inside δ: with δ beyond every residual it is half the MSE
    assert torch.allclose(compute_regression_loss("huber", pred, target, delta=100.0), mse / 2, rtol=1e-14)


def test_huber_is_torch_convention_and_tends_to_delta_mae():
    rng = np.random.default_rng(2)
    pred, target = torch.from_numpy(rng.normal(size=50) * 3), torch.from_numpy(rng.normal(size=50))
    mae = compute_regression_loss("mae", pred, target)
    small = compute_regression_loss("huber", pred, target, delta=1e-4)
    assert small.item() == pytest.approx(1e-4 * mae.item(), rel=1e-3)


def test_pinball_at_one_half_is_half_the_mae():
    rng = np.random.default_rng(3)
    pred, target = torch.from_numpy(rng.normal(size=50)), torch.from_numpy(rng.normal(size=50))
    assert torch.equal(compute_regression_loss("pinball", pred, target, tau=0.5),
                       compute_regression_loss("mae", pred, target) / 2)


# ---------------------------------------------------------------- asymmetric = (a + b)·pinball(a/(a + b))


def test_asymmetric_tau():
    assert asymmetric_tau(4, 1) == 0.8
    assert asymmetric_tau(1, 1) == 0.5
    assert asymmetric_tau(1, 3) == 0.25


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
@pytest.mark.parametrize("a, b", [(3.0, 1.0), (1.0, 1.0), (1.0, 3.0), (7.0, 1.0), (2.0, 2.0), (0.5, 1.5)])
def test_asymmetric_is_scaled_pinball_exactly(a, b, dtype):
    """With τ and a + b exact in binary (these pairs), the two are equal to the last bit."""
    rng = np.random.default_rng(4)
    pred = torch.from_numpy(rng.normal(size=64) * 5).to(dtype)
    target = torch.from_numpy(rng.normal(size=64) * 5).to(dtype)
    tau = asymmetric_tau(a, b)
    assert torch.equal(compute_regression_loss("asymmetric", pred, target, a=a, b=b),
                       (a + b) * compute_regression_loss("pinball", pred, target, tau=tau))
    np.testing.assert_array_equal(regression_loss_grad("asymmetric", pred.numpy(), target.numpy(), a=a, b=b),
                                  (a + b) * regression_loss_grad("pinball", pred.numpy(), target.numpy(), tau=tau))


@pytest.mark.parametrize("a, b", [(4.0, 1.0), (2.5, 1.3), (0.1, 10.0), (10.0, 0.1)])
def test_asymmetric_is_scaled_pinball_to_rounding(a, b):
    """a/(a + b) rounds (0.8 has no exact binary form): equal to float64 rounding."""
    rng = np.random.default_rng(5)
    pred, target = torch.from_numpy(rng.normal(size=64) * 5), torch.from_numpy(rng.normal(size=64) * 5)
    tau = asymmetric_tau(a, b)
    torch.testing.assert_close(compute_regression_loss("asymmetric", pred, target, a=a, b=b),
                               (a + b) * compute_regression_loss("pinball", pred, target, tau=tau),
                               rtol=1e-13, atol=0)
    np.testing.assert_allclose(regression_loss_grad("asymmetric", pred.numpy(), target.numpy(), a=a, b=b),
                               (a + b) * regression_loss_grad("pinball", pred.numpy(), target.numpy(), tau=tau),
                               rtol=1e-13)


# ---------------------------------------------------------------- gradients against autograd


@pytest.mark.parametrize("key, params", ALL_SETTINGS)
@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_numpy_grad_matches_autograd(key, params, dtype):
    rng = np.random.default_rng(6)
    pred = torch.from_numpy(rng.normal(size=40) * 3).to(dtype)
    target = torch.from_numpy(rng.normal(size=40) * 3).to(dtype)
    target[:3] = pred[:3]  # r = 0 exactly: the kinks take autograd's value there too
    pred.requires_grad_()
    compute_regression_loss(key, pred, target, **params).backward()
    got = regression_loss_grad(key, pred.detach().numpy(), target.numpy(), **params)
    assert got.dtype == pred.detach().numpy().dtype and got.shape == (40,)
    tol = 1e-6 if dtype == torch.float32 else 1e-12
    np.testing.assert_allclose(got, pred.grad.numpy(), rtol=tol, atol=tol / 40)


# ---------------------------------------------------------------- log-cosh at large residuals


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_log_cosh_finite_at_large_residuals(dtype):
    pred = torch.tensor([1e4, -1e4], dtype=dtype, requires_grad=True)
    target = torch.zeros(2, dtype=dtype)
    value = compute_regression_loss("log_cosh", pred, target)
    assert torch.isfinite(value)
    expected = torch.tensor(1e4, dtype=dtype) - math.log(2)
    assert torch.equal(value.detach(), expected)  # log1p(e^{−2·10⁴}) = 0 exactly
    value.backward()
    np.testing.assert_array_equal(pred.grad.numpy(), np.array([0.5, -0.5]))  # tanh(±10⁴)/N
    np.testing.assert_array_equal(regression_loss_grad("log_cosh", pred.detach().numpy(), target.numpy()),
                                  np.array([0.5, -0.5]))
    if dtype == torch.float32:  # the naive form overflows: why the formula is rewritten
        assert torch.isinf(torch.log(torch.cosh(pred.detach()))).all()


# ---------------------------------------------------------------- the best constant


BEST_CONSTANT = [
    ("mse", {}, float(DEMAND.mean())),
    ("mae", {}, float(np.median(DEMAND))),
    ("pinball", {"tau": 0.1}, quantile(0.1)),
    ("pinball", {"tau": 0.5}, quantile(0.5)),
    ("pinball", {"tau": 0.9}, quantile(0.9)),
    ("asymmetric", {"a": 4.0, "b": 1.0}, quantile(0.8)),  # the inventory lesson
]


def test_fixed_data_has_unique_quantiles():
    assert len(set(DEMAND)) == len(DEMAND) and len(DEMAND) % 2 == 1
    for tau in (0.1, 0.5, 0.8, 0.9):
        assert (tau * len(DEMAND)) % 1 != 0
    assert quantile(0.5) == np.median(DEMAND) == 18
    assert quantile(0.8) == 29  # ⌈0.8·23⌉ = 19th smallest


@pytest.mark.parametrize("key, params, expected", BEST_CONSTANT)
def test_best_constant_on_a_grid(key, params, expected):
    target = torch.from_numpy(DEMAND)
    grid = np.arange(DEMAND.min(), DEMAND.max() + 1e-9, 0.005)
    values = [compute_regression_loss(key, torch.full_like(target, theta), target, **params).item()
              for theta in grid]
    assert grid[int(np.argmin(values))] == pytest.approx(expected, abs=0.005)


def descend(grad, lr0, steps=3000):
    """(Sub)gradient descent on θ from 0 with the step lr0/(1 + t)^0.6 (decaying: a kink makes it chatter)."""
    theta = 0.0
    for t in range(steps):
        theta -= lr0 / (1 + t) ** 0.6 * grad(theta)
    return theta


def lr0_of(key):
    # MSE's gradient 2(θ − ȳ) grows with the distance; the others' is bounded by max(a, b) and ~1/n per point
    return 0.4 if key == "mse" else 20.0


@pytest.mark.parametrize("key, params, expected", BEST_CONSTANT)
def test_best_constant_by_subgradient_descent(key, params, expected):
    """The closed-form gradients drive θ to the mean / median / τ-quantile; the data's order
    statistics are 1 apart, so within 0.25 is the right one."""
    def grad(theta):
        return regression_loss_grad(key, np.full_like(DEMAND, theta), DEMAND, **params).sum()

    assert descend(grad, lr0_of(key)) == pytest.approx(expected, abs=0.25)


@pytest.mark.parametrize("key, params, expected", [BEST_CONSTANT[0], BEST_CONSTANT[-1]])
def test_constant_model_trained_with_torch(key, params, expected):
    """The same with the constant model, autograd and torch.optim.SGD: MSE → mean; the inventory
    lesson (shortage 4, surplus 1) → the 0.8 quantile of the demand."""
    model = build_regression_model("constant", seed=0, theta0=0.0)
    x, y = torch.zeros(len(DEMAND), 1), torch.from_numpy(DEMAND).float()
    opt = torch.optim.SGD(model.parameters(), lr=lr0_of(key))
    for t in range(1500):
        opt.param_groups[0]["lr"] = lr0_of(key) / (1 + t) ** 0.6
        opt.zero_grad()
        compute_regression_loss(key, model(x), y, **params).backward()
        opt.step()
    assert model.net.theta.item() == pytest.approx(expected, abs=0.25)
