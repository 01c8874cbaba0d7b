import numpy as np
import pytest
import torch
from torch import nn

from core.learning.models import (
    ACTIVATIONS,
    MODELS,
    MODELS_2D,
    Classifier,
    Standardize,
    build_model,
    linear_boundary,
)


def _params(model):
    return [p.detach().clone() for p in model.parameters()]


def layers(net):
    """[(W (out, in), b (out,))] for each linear layer, whatever the net's internal storage."""
    if hasattr(net, "weights") and hasattr(net, "biases"):  # FlatMLP: views into flat parameters
        return list(zip(net.weights(net.weight), net.biases(net.bias)))
    linears = [net] if isinstance(net, nn.Linear) else [m for m in net.modules() if isinstance(m, nn.Linear)]
    return [(m.weight, m.bias) for m in linears]


def reference_forward(net, x, activation):
    """Linear, activation, ..., Linear with the activations from the ACTIVATIONS registry."""
    ls = layers(net)
    act = ACTIVATIONS[activation].module()
    for i, (w, b) in enumerate(ls):
        x = x @ w.T + b
        if i < len(ls) - 1:
            x = act(x)
    return x


def set_linear(model, w, b):
    """Set a logistic model's single layer to the given weights (K, in) and biases (K,)."""
    (W, B), = layers(model.net)
    with torch.no_grad():
        W.copy_(torch.as_tensor(w, dtype=torch.float32).reshape(W.shape))
        B.copy_(torch.as_tensor(b, dtype=torch.float32).reshape(B.shape))


# ---------------------------------------------------------------- determinism


@pytest.mark.parametrize("key", MODELS_2D)
@pytest.mark.parametrize("n_classes", [2, 4])
def test_same_seed_same_weights(key, n_classes):
    a = build_model(key, 2, n_classes, seed=123, depth=2, width=8)
    b = build_model(key, 2, n_classes, seed=123, depth=2, width=8)
    pa, pb = _params(a), _params(b)
    assert len(pa) == len(pb) > 0
    for x, y in zip(pa, pb):
        assert torch.equal(x, y)


@pytest.mark.parametrize("key", MODELS_2D)
def test_different_seed_different_weights(key):
    a = _params(build_model(key, 2, 2, seed=1, width=8))
    b = _params(build_model(key, 2, 2, seed=2, width=8))
    assert any(not torch.equal(x, y) for x, y in zip(a, b))
    # every layer's weights differ, not just one tensor by accident
    la = layers(build_model(key, 2, 2, seed=1, width=8).net)
    lb = layers(build_model(key, 2, 2, seed=2, width=8).net)
    assert all(not torch.equal(wa, wb) for (wa, _), (wb, _) in zip(la, lb))


@pytest.mark.parametrize("key", MODELS_2D)
def test_build_model_leaves_global_rng_alone(key):
    torch.manual_seed(777)
    before = torch.get_rng_state().clone()
    build_model(key, 2, 3, seed=5, depth=3, width=16)
    after = torch.get_rng_state()
    assert torch.equal(before, after)
    # and the next global draw is what it would have been without build_model
    expected = torch.Generator().manual_seed(777)
    assert torch.equal(torch.rand(4), torch.rand(4, generator=expected))


def test_init_within_default_bounds():
    model = build_model("mlp", 2, 2, seed=0, depth=1, width=64)
    (w1, b1), (w2, b2) = layers(model.net)
    # PyTorch's nn.Linear default: U(±1/sqrt(fan_in)); fan_in = 2, then 64
    assert w1.abs().max() <= 1 / 2**0.5 and b1.abs().max() <= 1 / 2**0.5
    assert w2.abs().max() <= 1 / 64**0.5 and b2.abs().max() <= 1 / 64**0.5
    # spread over the range, not zeros or a constant
    assert w1.std() > 0.3 and w2.std() > 0.05
    assert w1.abs().max() > 0.6


# ---------------------------------------------------------------- output shapes


@pytest.mark.parametrize("key", MODELS_2D)
def test_binary_gives_one_logit_per_sample(key):
    model = build_model(key, 2, 2, seed=0)
    assert model.binary
    out = model(torch.randn(7, 2))
    assert out.shape == (7,)


@pytest.mark.parametrize("key", MODELS_2D)
@pytest.mark.parametrize("k", [3, 6])
def test_multiclass_gives_k_logits(key, k):
    model = build_model(key, 2, k, seed=0)
    assert not model.binary
    out = model(torch.randn(5, 2))
    assert out.shape == (5, k)


def test_binary_single_sample_shape():
    model = build_model("mlp", 2, 2, seed=0)
    assert model(torch.randn(1, 2)).shape == (1,)


# ---------------------------------------------------------------- MLP structure


@pytest.mark.parametrize("depth", [1, 2, 4])
@pytest.mark.parametrize("width", [1, 5, 32])
@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_mlp_structure(depth, width, activation):
    model = build_model("mlp", 2, 3, seed=0, depth=depth, width=width, activation=activation)
    ls = layers(model.net)
    assert len(ls) == depth + 1
    shapes = [tuple(w.shape) for w, _ in ls]
    assert shapes == [(width, 2)] + [(width, width)] * (depth - 1) + [(3, width)]
    assert [tuple(b.shape) for _, b in ls] == [(width,)] * depth + [(3,)]
    n_params = sum(p.numel() for p in model.parameters())
    assert n_params == sum(w.numel() + b.numel() for w, b in ls)
    # and the net computes exactly Linear, activation, ..., Linear
    x = torch.randn(11, 2) * 3
    with torch.no_grad():
        assert torch.allclose(model(x), reference_forward(model.net, x, activation), atol=1e-5)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_activation_changes_the_function(activation):
    x = torch.randn(20, 2) * 3
    with torch.no_grad():
        a = build_model("mlp", 2, 2, seed=0, width=8, activation=activation)(x)
        lin = build_model("mlp", 2, 2, seed=0, width=8, activation="linear")(x)
    assert not torch.allclose(a, lin, atol=1e-3)


def test_linear_activation_mlp_is_an_affine_map():
    model = build_model("mlp", 2, 2, seed=0, depth=3, width=8, activation="linear")
    x, y = torch.randn(5, 2), torch.randn(5, 2)
    f = model
    with torch.no_grad():
        # affine: f(a x + (1 - a) y) = a f(x) + (1 - a) f(y)
        assert torch.allclose(f(0.3 * x + 0.7 * y), 0.3 * f(x) + 0.7 * f(y), atol=1e-5)


def test_mlp_binary_output_layer_has_one_unit():
    model = build_model("mlp", 2, 2, seed=0, depth=2, width=8)
    assert tuple(layers(model.net)[-1][0].shape) == (1, 8)


def test_logistic_is_a_single_linear_layer():
    model = build_model("logistic", 2, 4, seed=0, depth=5, width=99)
    ls = layers(model.net)
    assert len(ls) == 1 and tuple(ls[0][0].shape) == (4, 2)
    assert sum(p.numel() for p in model.parameters()) == 4 * 2 + 4
    x = torch.randn(6, 2)
    w, b = ls[0]
    with torch.no_grad():
        assert torch.allclose(model(x), x @ w.T + b, atol=1e-6)


def test_activations_are_what_they_say():
    x = torch.tensor([-2.0, 0.0, 3.0])
    assert torch.equal(ACTIVATIONS["relu"].module()(x), torch.tensor([0.0, 0.0, 3.0]))
    assert torch.equal(ACTIVATIONS["linear"].module()(x), x)
    assert torch.allclose(ACTIVATIONS["tanh"].module()(x), torch.tanh(x))
    assert torch.allclose(ACTIVATIONS["sigmoid"].module()(x), torch.sigmoid(x))


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
def test_each_activation_is_the_same_function_in_torch_and_numpy(activation):
    act = ACTIVATIONS[activation]
    x = torch.linspace(-6, 6, 25)
    h = act.torch_fn(x)
    torch.testing.assert_close(act.module()(x), h)
    np.testing.assert_allclose(act.numpy_fn(x.numpy().copy()), h.numpy(), rtol=1e-6, atol=1e-7)
    slope = act.derivative(h)  # φ' from φ's output, for tensors and arrays alike
    if slope is None:
        assert activation == "linear"
        return
    xr = x.clone().requires_grad_()
    (expected,) = torch.autograd.grad(act.torch_fn(xr).sum(), xr)
    torch.testing.assert_close(slope.to(h.dtype), expected)
    np.testing.assert_array_equal(act.derivative(h.numpy()), slope.numpy())


# ---------------------------------------------------------------- standardize


def test_standardize_uses_given_mean_and_std():
    mean = torch.tensor([60.0, 70.0])
    std = torch.tensor([10.0, 5.0])
    s = Standardize(mean, std)
    x = torch.tensor([[60.0, 70.0], [80.0, 60.0]])
    assert torch.allclose(s(x), torch.tensor([[0.0, 0.0], [2.0, -2.0]]))


def test_standardize_buffers_are_copies_and_clamped():
    mean = torch.tensor([1.0, 2.0])
    std = torch.tensor([0.0, 2.0])
    s = Standardize(mean, std)
    mean[0] = 100.0  # caller's tensor changes later: the module must not follow
    assert s.mean[0] == 1.0
    assert s.std[0] > 0  # zero std clamped, no division by zero
    assert torch.isfinite(s(torch.tensor([[5.0, 5.0]]))).all()
    # buffers, not parameters: never trained, never decayed
    assert len(list(s.parameters())) == 0
    assert {n for n, _ in s.named_buffers()} == {"mean", "std"}


def test_build_model_with_standardize_applies_it_before_net():
    mean = torch.tensor([50.0, -3.0])
    std = torch.tensor([4.0, 0.5])
    model = build_model("mlp", 2, 3, seed=9, mean=mean, std=std, width=6)
    plain = build_model("mlp", 2, 3, seed=9, width=6)
    x = torch.randn(10, 2) * 5 + 20
    assert isinstance(model.standardize, Standardize)
    assert torch.allclose(model(x), plain((x - mean) / std), atol=1e-5)


def test_build_model_without_mean_has_identity_standardize():
    model = build_model("logistic", 2, 2, seed=0)
    assert isinstance(model.standardize, nn.Identity)
    assert isinstance(model, Classifier)


# ---------------------------------------------------------------- linear boundary


def _random_logistic(seed, standardize):
    g = torch.Generator().manual_seed(seed)
    kw = {}
    if standardize:
        kw = dict(mean=torch.rand(2, generator=g) * 100 - 50, std=torch.rand(2, generator=g) * 10 + 0.1)
    model = build_model("logistic", 2, 2, seed=seed, **kw)
    # move away from init so b is not tiny
    set_linear(model, torch.randn(1, 2, generator=g) * 3, torch.randn(1, generator=g) * 2)
    return model, g


@pytest.mark.parametrize("standardize", [False, True])
@pytest.mark.parametrize("seed", range(5))
def test_linear_boundary_reproduces_logit_in_raw_units(standardize, seed):
    model, g = _random_logistic(seed, standardize)
    wb = linear_boundary(model)
    assert wb is not None
    w, b = wb
    assert w.shape == (2,)
    assert isinstance(b, float)
    x = torch.randn(50, 2, generator=g) * 30 + 10
    with torch.no_grad():
        logits = model(x).double()
    raw = x.double() @ w.double() + b
    assert torch.allclose(raw, logits, rtol=1e-4, atol=1e-4 * (1 + logits.abs().max().item()))
    # sanity: the check is not vacuous (logits vary a lot over these points)
    assert logits.std() > 1


def test_linear_boundary_points_on_line_have_zero_logit():
    model, g = _random_logistic(11, True)
    w, b = linear_boundary(model)
    w1, w2 = float(w[0]), float(w[1])
    xs = torch.linspace(-40, 40, 9, dtype=torch.float64)
    pts = torch.stack([xs, -(w1 * xs + b) / w2], 1).float()
    with torch.no_grad():
        z = model(pts)
    assert z.abs().max() < 1e-3 * (1 + abs(b))


def test_linear_boundary_none_for_mlp():
    assert linear_boundary(build_model("mlp", 2, 2, seed=0)) is None


def test_linear_boundary_none_for_multiclass_logistic():
    assert linear_boundary(build_model("logistic", 2, 3, seed=0)) is None


# ---------------------------------------------------------------- hand-written backward (FlatMLP)


def _flat_net(depth, n_out, activation, seed=0):
    model = build_model("mlp" if depth else "logistic", 2, 2 if n_out == 1 else n_out, seed=seed,
                        depth=depth, width=6, activation=activation)
    if not hasattr(model.net, "backward_from_logits"):
        pytest.skip("net has no hand-written backward")
    return model.net


def _autograd_grads(depth, n_out, activation, seed, x, grad_z):
    net = _flat_net(depth, n_out, activation, seed=seed)
    (net(x) * grad_z).sum().backward()
    return [p.grad.clone() for p in net.parameters()]


@pytest.mark.parametrize("activation", list(ACTIVATIONS))
@pytest.mark.parametrize("depth", [0, 1, 3])
@pytest.mark.parametrize("n_out", [1, 4])
def test_hand_backward_matches_autograd(activation, depth, n_out):
    g = torch.Generator().manual_seed(1)
    x = torch.randn(9, 2, generator=g) * 2
    grad_z = torch.randn(9, n_out, generator=g)
    auto = _autograd_grads(depth, n_out, activation, depth, x, grad_z)

    net = _flat_net(depth, n_out, activation, seed=depth)  # same seed: same weights
    with torch.no_grad():
        logits, inputs = net.forward_cached(x)
        assert torch.allclose(logits, net(x), atol=1e-6)
        net.backward_from_logits(grad_z, inputs)
    hand = [p.grad.clone() for p in net.parameters()]
    assert len(hand) == len(auto)
    for h, a in zip(hand, auto):
        assert torch.allclose(h, a, atol=1e-5)
        assert a.abs().sum() > 0
    # a second call overwrites the gradient, it does not accumulate
    with torch.no_grad():
        net.backward_from_logits(grad_z, inputs)
    for p, a in zip(net.parameters(), auto):
        assert torch.allclose(p.grad, a, atol=1e-5)


def test_hand_backward_after_zero_grad_set_to_none():
    net = _flat_net(1, 1, "tanh")
    x, grad_z = torch.randn(4, 2), torch.randn(4, 1)
    with torch.no_grad():
        _, inputs = net.forward_cached(x)
        net.backward_from_logits(grad_z, inputs)
    net.zero_grad(set_to_none=True)
    with torch.no_grad():
        _, inputs = net.forward_cached(x)
        net.backward_from_logits(grad_z, inputs)
    assert net.weight.grad is not None and net.weight.grad.abs().sum() > 0


def test_hand_backward_relu_dead_units():
    """A unit whose pre-activation is negative everywhere passes no gradient back."""
    net = _flat_net(1, 1, "relu")
    (w1, b1), (w2, b2) = layers(net)
    with torch.no_grad():
        w1[0] = 0.0
        b1[0] = -1.0  # unit 0 is dead for every input
    x = torch.randn(5, 2)
    with torch.no_grad():
        _, inputs = net.forward_cached(x)
        net.backward_from_logits(torch.ones(5, 1), inputs)
    gw1 = net.weights(net.weight.grad)[0]
    gb1 = net.biases(net.bias.grad)[0]
    assert torch.equal(gw1[0], torch.zeros(2)) and gb1[0] == 0
    assert gw1[1:].abs().sum() > 0


# ---- the image models (MNIST page) ----
def test_cnn_shapes_and_determinism():
    a = build_model("cnn", 784, 10, seed=3)
    b = build_model("cnn", 784, 10, seed=3)
    c = build_model("cnn", 784, 10, seed=4)
    x = torch.randn(5, 784)
    assert a(x).shape == (5, 10)
    assert torch.equal(a(x), b(x))
    assert not torch.equal(a(x), c(x))
    with pytest.raises(ValueError):
        build_model("cnn", 2, 10, seed=0)


def test_mlp_hidden_sizes_override_depth_width():
    m = build_model("mlp", 784, 10, seed=0, hidden=(256,), depth=5, width=3)
    assert m.net.sizes == [784, 256, 10]
    assert m(torch.randn(3, 784)).shape == (3, 10)


def test_first_layer_weights_rows():
    from core.learning.models import first_layer_weights
    mlp = build_model("mlp", 784, 10, seed=0, hidden=(32, 16))
    W = first_layer_weights(mlp)
    assert W.shape == (32, 784)
    # row 0 is the weight vector of hidden unit 0: its dot with x is that unit's pre-activation
    x = torch.randn(784)
    pre = x @ W[0] + mlp.net.biases(mlp.net.bias.detach())[0][0]
    assert torch.allclose(pre, mlp.net.weights(mlp.net.weight.detach())[0][0] @ x + mlp.net.bias[0], atol=1e-5)
    assert first_layer_weights(build_model("cnn", 784, 10, seed=0)).shape == (16, 25)


# ---- logistic regression without bias: z = W·x ----
@pytest.mark.parametrize("n_classes", [2, 3])
def test_logistic_without_bias_is_w_x_with_the_same_weights(n_classes):
    with_b = build_model("logistic", 2, n_classes, seed=4)
    without = build_model("logistic", 2, n_classes, seed=4, bias=False)
    net = without.net
    assert not net.has_bias and with_b.net.has_bias
    assert torch.equal(net.bias.detach(), torch.zeros_like(net.bias)) and not net.bias.requires_grad
    assert torch.equal(net.weight.detach(), with_b.net.weight.detach())  # only the bias differs
    x = torch.randn(7, 2, generator=torch.Generator().manual_seed(0))
    W = net.weights(net.weight.detach())[0]
    z = without(x)
    assert torch.allclose(z, (x @ W.T).squeeze(-1) if n_classes == 2 else x @ W.T, atol=1e-6)
    assert without(torch.zeros(1, 2)).abs().max() == 0  # the origin is on every boundary


@pytest.mark.parametrize("n_out", [1, 3])
def test_hand_backward_without_bias_matches_autograd_and_leaves_the_bias_alone(n_out):
    g = torch.Generator().manual_seed(2)
    x, grad_z = torch.randn(9, 2, generator=g) * 2, torch.randn(9, n_out, generator=g)
    net = build_model("logistic", 2, 2 if n_out == 1 else n_out, seed=0, bias=False).net
    (net(x) * grad_z).sum().backward()
    assert net.bias.grad is None  # autograd does not even compute it
    auto = net.weight.grad.clone()
    assert torch.allclose(auto, (grad_z.T @ x).reshape(-1), atol=1e-5)  # dℓ/dW = Σ g·xᵀ by hand
    net.weight.grad = None
    with torch.no_grad():
        _, inputs = net.forward_cached(x)
        net.backward_from_logits(grad_z, inputs)
    assert torch.allclose(net.weight.grad, auto, atol=1e-5)
    assert torch.equal(net.bias.grad, torch.zeros_like(net.bias))  # a zero scratch, never written


def test_a_model_without_bias_refuses_nonzero_biases():
    model = build_model("logistic", 2, 2, seed=0, bias=False)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(state)  # zeros load
    state["net.bias"] += 0.5
    with pytest.raises(RuntimeError, match="without bias"):
        model.load_state_dict(state)


def test_last_hidden_layer_width():
    model = build_model("mlp", 2, 2, seed=0, depth=3, width=8, last_width=2)
    assert model.net.sizes == [2, 8, 8, 2, 1]
    assert build_model("mlp", 2, 3, seed=0, depth=1, width=8, last_width=2).net.sizes == [2, 2, 3]
    assert build_model("mlp", 2, 2, seed=0, depth=2, width=8, last_width=0).net.sizes == [2, 8, 8, 1]
