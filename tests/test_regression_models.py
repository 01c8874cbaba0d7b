import numpy as np
import pytest
import torch

from core.i18n import LANGUAGES, STRINGS
from core.learning.models import FlatMLP, Standardize
from core.learning.regression_losses import REGRESSION_LOSSES, compute_regression_loss, regression_loss_grad
from core.learning.regression_models import (
    MAX_DEGREE,
    REGRESSION_MODELS,
    build_regression_model,
    fit_least_squares,
    line,
)

KEYS = ["linear", "polynomial", "mlp", "constant"]
SHAPES = {"linear": {}, "polynomial": {"degree": 5}, "mlp": {"depth": 2, "width": 8, "activation": "tanh"},
          "constant": {"theta0": 1.5}}


def raw_x(n, low=0.0, high=10.0, seed=0):
    return torch.from_numpy(np.random.default_rng(seed).uniform(low, high, n).astype(np.float32)).view(-1, 1)


def build(key, seed=0, x=None, **shape):
    x = raw_x(20) if x is None else x
    return build_regression_model(key, seed, float(x.mean()), float(x.std()), **(SHAPES[key] | shape))


def relative_mse(pred, y):
    return float(((pred - y) ** 2).mean() / y.var())


# ---------------------------------------------------------------- registry, shapes, determinism


def test_registry():
    assert list(REGRESSION_MODELS) == KEYS
    for key, spec in REGRESSION_MODELS.items():
        assert spec.key == key
        assert all(STRINGS[f"rmodel.{key}"][lang].strip() for lang in LANGUAGES)
    assert all(STRINGS["rmodel.param.degree"][lang] for lang in LANGUAGES)
    assert [k for k, s in REGRESSION_MODELS.items() if s.has_hidden_layers] == ["mlp"]


@pytest.mark.parametrize("key", KEYS)
def test_output_shape_and_dtype(key):
    model = build(key)
    x = raw_x(7)
    out = model(x)
    assert out.shape == (7,) and out.dtype == torch.float32
    assert torch.equal(model(x.view(-1)), out)  # (N,) is read as (N, 1)
    assert model(raw_x(0)).shape == (0,)
    with pytest.raises(ValueError, match=r"\(N, 1\)"):
        model(torch.zeros(7, 2))


@pytest.mark.parametrize("key", KEYS)
def test_same_seed_same_model(key):
    a, b = build(key, seed=3), build(key, seed=3)
    sa, sb = a.state_dict(), b.state_dict()
    assert sa.keys() == sb.keys() and all(torch.equal(sa[k], sb[k]) for k in sa)
    torch.manual_seed(0)  # the global RNG plays no part
    c = build(key, seed=3)
    assert all(torch.equal(sa[k], c.state_dict()[k]) for k in sa)
    if key != "constant":  # θ starts at theta0, whatever the seed
        d = build(key, seed=4)
        assert not torch.equal(a.net.weight, d.net.weight)


def test_unknown_key_and_bad_shapes():
    with pytest.raises(KeyError):
        build_regression_model("spline", 0)
    for degree in (0, MAX_DEGREE + 1):
        with pytest.raises(ValueError, match="degree"):
            build_regression_model("polynomial", 0, degree=degree)
    with pytest.raises(ValueError, match="activation"):
        build_regression_model("mlp", 0, activation="swish")


def test_mlp_reuses_flat_mlp_on_standardised_input():
    model = build_regression_model("mlp", 0, 5.0, 2.0, depth=3, width=6, activation="relu")
    assert isinstance(model.net, FlatMLP) and model.net.sizes == [1, 6, 6, 6, 1]
    assert model.net.activation == "relu"
    assert isinstance(model.standardize, Standardize)
    x = raw_x(9)
    torch.testing.assert_close(model(x), model.net((x - 5.0) / 2.0).squeeze(-1))
    assert build_regression_model("mlp", 0, depth=0).net.sizes == [1, 1]  # depth 0: a line


# ---------------------------------------------------------------- the constant model


def test_constant_model_has_theta_only():
    model = build_regression_model("constant", 7, 3.0, 2.0, theta0=2.5)
    params = list(model.named_parameters())
    assert [name for name, _ in params] == ["net.theta"] and params[0][1].numel() == 1
    out = model(raw_x(5))
    assert torch.equal(out, torch.full((5,), 2.5))
    assert torch.equal(model(raw_x(5, seed=1) * 100), out)  # ignores x
    out.sum().backward()
    assert model.net.theta.grad.item() == 5.0
    assert build_regression_model("constant", 0).net.theta.item() == 0.0  # default θ₀ = 0


# ---------------------------------------------------------------- linear


def test_linear_trains_on_raw_units_and_reads_back_as_a_line():
    """x in [0, 100], standardised inside the model: MSE's Hessian in (w, b) is then ≈ 2I, and plain
    gradient descent fits y = 3x − 20 in a few dozen steps (on raw x it would need ~10⁴ times more)."""
    x = raw_x(50, 0.0, 100.0)
    y = 3.0 * x.view(-1) - 20.0
    model = build_regression_model("linear", 0, float(x.mean()), float(x.std()))
    opt = torch.optim.SGD(model.parameters(), lr=0.4)
    for _ in range(50):
        opt.zero_grad()
        compute_regression_loss("mse", model(x), y).backward()
        opt.step()
    slope, intercept = line(model)
    assert slope == pytest.approx(3.0, abs=1e-3) and intercept == pytest.approx(-20.0, abs=0.05)
    with pytest.raises(ValueError):
        line(build("mlp"))


# ---------------------------------------------------------------- polynomial


def test_polynomial_features_are_powers_of_standardised_x():
    x = raw_x(11)
    mean, std = float(x.mean()), float(x.std())
    model = build_regression_model("polynomial", 0, mean, std, degree=4)
    z = (x - mean) / std
    # computed in float64 (exact fits of high degrees cancel terms of ~1e6), returned in the inputs' float32
    torch.testing.assert_close(model.features(x), torch.cat([z, z ** 2, z ** 3, z ** 4], dim=1).double(),
                               rtol=1e-5, atol=1e-6)
    assert model(x).dtype == torch.float32
    torch.testing.assert_close(model(x), (model.features(x) @ model.net.weight + model.net.bias).float())


@pytest.mark.parametrize("degree", range(1, MAX_DEGREE + 1))
def test_polynomial_of_degree_d_fits_degree_d_data_exactly(degree):
    """y a degree-d polynomial of raw x (roots spread over the data): least squares on the model's own
    features reaches near-zero error, evaluated by the model (in float64)."""
    x = raw_x(40)
    roots = np.linspace(0.5, 9.5, degree)
    y = torch.from_numpy(np.prod([(x.view(-1).double().numpy() - r) / 5 for r in roots], axis=0)).float()
    model = build("polynomial", x=x, degree=degree)
    fit_least_squares(model, x, y)
    with torch.no_grad():
        error = relative_mse(model(x), y)
    assert error < 1e-7
    if degree > 1:  # one degree less cannot (high degrees are nearly reachable from below, hence no fixed bar)
        lower = build("polynomial", x=x, degree=degree - 1)
        fit_least_squares(lower, x, y)
        with torch.no_grad():
            assert relative_mse(lower(x), y) > 100 * error


def test_degree_15_on_12_points_overfits():
    """16 parameters, 12 points: training MSE ~ 0, while between the points the curve swings wide."""
    rng = np.random.default_rng(1)
    x = torch.linspace(0, 10, 12).view(-1, 1)
    y = torch.from_numpy(np.sin(x.view(-1).numpy()) + rng.normal(0, 0.3, 12)).float()
    model = build_regression_model("polynomial", 0, float(x.mean()), float(x.std()), degree=15)
    fit_least_squares(model, x, y)
    x_test = torch.linspace(0.2, 9.8, 50).view(-1, 1)
    y_test = torch.sin(x_test.view(-1)) + torch.from_numpy(rng.normal(0, 0.3, 50)).float()
    with torch.no_grad():
        train = compute_regression_loss("mse", model(x), y).item()
        test = compute_regression_loss("mse", model(x_test), y_test).item()
    assert train < 1e-6
    assert test > 1e4 * train


def test_least_squares_is_the_mse_minimum_for_linear_and_constant():
    x = raw_x(30)
    y = torch.from_numpy(np.random.default_rng(2).normal(size=30)).float() + 0.5 * x.view(-1)
    for key in ("linear", "polynomial", "constant"):
        model = build(key, x=x)
        fit_least_squares(model, x, y)
        # the MSE's gradient vanishes at the minimiser
        model.zero_grad()
        compute_regression_loss("mse", model(x), y).backward()
        assert all(p.grad.abs().max() < 1e-4 for p in model.parameters()), key
    assert build("constant", x=x).net.theta.item() == 1.5
    model = build("constant", x=x)
    fit_least_squares(model, x, y)
    assert model.net.theta.item() == pytest.approx(float(y.double().mean()), abs=1e-6)
    with pytest.raises(ValueError):
        fit_least_squares(build("mlp", x=x), x, y)


# ---------------------------------------------------------------- what the trainer's fast path would do


@pytest.mark.parametrize("key", ["linear", "polynomial", "mlp"])
@pytest.mark.parametrize("loss", list(REGRESSION_LOSSES))
def test_closed_form_loss_gradient_through_flat_mlp_backward_equals_autograd(key, loss):
    """The FlatMLP-based models take the trainer's fast path unchanged: the numpy d(mean loss)/dŷ fed to
    net.backward_from_logits gives autograd's weight gradients."""
    x = raw_x(25)
    y = torch.from_numpy(np.random.default_rng(3).normal(size=25) * 3).float()
    model = build(key, x=x)
    model.zero_grad()
    compute_regression_loss(loss, model(x), y).backward()
    expected = [p.grad.clone() for p in model.net.parameters()]
    with torch.no_grad():
        out, inputs = model.net.forward_cached(model.standardize(x))
        g = regression_loss_grad(loss, out.squeeze(-1).numpy(), y.numpy())
        model.net.backward_from_logits(torch.from_numpy(g).view(-1, 1), inputs)
    for got, want in zip(model.net.parameters(), expected):
        torch.testing.assert_close(got.grad, want, rtol=1e-5, atol=1e-6)
