"""core/lessons/inside.py against hand-computed numbers, brute force, closed forms and torch."""
from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from core.lessons.inside import (HAND_NET, HAND_POINT, forward, grid, hidden_view, implicit_bias_path, layers_of,
                         margin_loss, max_margin_direction, principal_components, readout, region_bound, regions)
from core.learning.models import build_model
from core.learning.losses import LOSSES


def trained_like(depth=1, width=5, n_classes=2, seed=0, standardize=True):
    """A Classifier over a FlatMLP with random weights (well away from zero) and standardisation."""
    stats = dict(mean=torch.tensor([0.5, -1.0]), std=torch.tensor([2.0, 0.5])) if standardize else {}
    m = build_model("mlp", 2, n_classes, seed, depth=depth, width=width, activation="relu", **stats)
    with torch.no_grad():
        m.net.weight.mul_(2.0)
    return m


def test_the_hand_checkable_network_step_by_step():
    r = readout(HAND_NET, HAND_POINT)
    (layer,) = r.hidden
    np.testing.assert_allclose(layer.pre, [0.2, -0.2, -0.2], atol=1e-12)  # W1·x + b1
    np.testing.assert_allclose(layer.out, [0.2, 0.0, 0.0], atol=1e-12)   # h = ReLU
    np.testing.assert_allclose(r.z, [0.2, 0.0], atol=1e-12)
    e = np.exp(0.2)
    np.testing.assert_allclose(r.p, [e / (e + 1), 1 / (e + 1)], atol=1e-12)  # ≈ (0.55, 0.45)
    assert round(r.p[0], 2) == 0.55 and r.pattern == "100"
    # W_eff = W2·diag(1, 0, 0)·W1, b_eff = 0: the region's linear classifier
    np.testing.assert_allclose(r.W_eff, [[1.0, -1.0], [0.0, 0.0]], atol=1e-12)
    np.testing.assert_allclose(r.b_eff, [0.0, 0.0], atol=1e-12)
    np.testing.assert_allclose(r.W_eff @ r.x + r.b_eff, r.z, atol=1e-12)


@pytest.mark.parametrize("n_classes,depth,standardize", [(2, 1, True), (3, 2, True), (2, 3, False)])
def test_layers_in_raw_units_give_the_models_logits_and_w_eff_is_the_net_inside_a_region(n_classes, depth, standardize):
    model = trained_like(depth=depth, width=6, n_classes=n_classes, standardize=standardize)
    layers, activation = layers_of(model)
    X = np.random.default_rng(1).uniform(-3, 3, size=(200, 2))
    with torch.no_grad():
        expected = model(torch.tensor(X, dtype=torch.float32)).double().numpy().reshape(len(X), -1)
    logits, _ = forward(layers, X, activation)
    np.testing.assert_allclose(logits, expected, rtol=1e-4, atol=1e-4)
    for x in X[:20]:
        r = readout(layers, x, activation)
        np.testing.assert_allclose(r.W_eff @ x + r.b_eff, r.z, atol=1e-9)
        # a nearby point with the same pattern: the same linear classifier gives its logits too
        near = x + 1e-4
        r2 = readout(layers, near, activation)
        if r2.pattern == r.pattern:
            np.testing.assert_allclose(r.W_eff @ near + r.b_eff, r2.z, atol=1e-9)


def brute_force_region_count(layers, bounds, resolution):
    seen = set()
    for x in grid(bounds, resolution):
        h, pattern, on_line = x, [], False
        for W, b in layers[:-1]:
            pre = W @ h + b
            on_line |= bool(np.any(pre == 0.0))
            pattern.extend(bool(v > 0) for v in pre)
            h = np.maximum(pre, 0)
        if not on_line:
            seen.add(tuple(pattern))
    return len(seen)


def test_regions_of_the_hand_network_are_four_quadrants_of_two_lines():
    # units 1 and 2 share the line x1 = x2 (opposite sides), unit 3 is x1 + x2 = 1: two crossing lines
    corners = [[0.5, 0.3], [0.3, 0.5], [1.5, 1.0], [1.0, 1.5], [2.0, 2.0]]  # one per region; the last on a line
    r = regions(HAND_NET, (-2, 2, -2, 2), 101, points=np.array(corners))
    assert r.in_window == 4 and r.among_points == 4 and r.bound == 7
    assert r.codes.shape == (101, 101) and set(np.unique(r.codes)) <= set(range(6))


@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("depth,width", [(1, 4), (1, 7), (2, 4)])
def test_region_counts_equal_a_brute_force_count_of_patterns(seed, depth, width):
    layers, _ = layers_of(trained_like(depth=depth, width=width, seed=seed))
    bounds, resolution = (-4, 4, -4, 4), 60
    got = regions(layers, bounds, resolution)
    assert got.in_window == brute_force_region_count(layers, bounds, resolution)
    if depth == 1:
        assert got.bound == region_bound(width) and got.in_window <= got.bound
    else:
        assert got.bound is None


def test_three_lines_in_general_position_cut_the_plane_into_the_bound():
    assert [region_bound(n) for n in (0, 1, 2, 3, 4)] == [1, 2, 4, 7, 11]
    # lines x = 0, y = 0, x + y = 1, all crossings inside the window: 7 regions
    layers = [(np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0.0, 0.0, -1.0])),
              (np.ones((1, 3)), np.zeros(1))]
    assert regions(layers, (-5, 5, -5, 5), 200).in_window == 7


def test_hidden_space_with_two_units_is_the_activations_and_the_output_lines_split_the_classes():
    model = trained_like(depth=2, width=2, n_classes=3)
    layers, activation = layers_of(model)
    X = np.random.default_rng(2).uniform(-3, 3, size=(300, 2))
    view = hidden_view(layers, X, activation)
    # the model's own last hidden activations, computed with torch
    net, std = model.net, model.standardize
    with torch.no_grad():
        h = std(torch.tensor(X, dtype=torch.float32))
        ws, bs = net.weights(net.weight), net.biases(net.bias)
        for w, b in zip(ws[:-1], bs[:-1]):
            h = torch.relu(h @ w.T + b)
    assert view.exact and view.explained is None
    np.testing.assert_allclose(view.coords, h.double().numpy(), rtol=1e-4, atol=1e-5)
    # three pairwise lines; on each, the two classes' logits are equal
    assert len(view.lines) == 3
    W, b = layers[-1]
    for (i, j), (normal, offset) in zip(itertools.combinations(range(3), 2), view.lines):
        point = -offset * normal / (normal @ normal)  # the line's point nearest the origin
        z = W @ point + b
        assert z[i] == pytest.approx(z[j], abs=1e-9)


def test_hidden_space_of_a_wider_layer_is_its_top_two_principal_components():
    layers, activation = layers_of(trained_like(depth=1, width=8))
    X = np.random.default_rng(3).uniform(-3, 3, size=(300, 2))
    view = hidden_view(layers, X, activation)
    H = forward(layers, X, activation)[1][-1]
    centred = H - H.mean(0)
    values, vectors = np.linalg.eigh(np.cov(centred.T, bias=True))
    top = vectors[:, ::-1][:, :2]
    expected = centred @ top
    signs = np.sign((view.coords * expected).sum(0))  # a component's sign is arbitrary
    np.testing.assert_allclose(view.coords * signs, expected, atol=1e-8)
    np.testing.assert_allclose(view.explained, values[::-1][:2] / values.sum(), rtol=1e-8)
    assert not view.exact and view.lines == []
    coords, shares = principal_components(np.zeros((5, 3)))
    assert coords.shape == (5, 2) and shares == (0.0, 0.0)
    with pytest.raises(ValueError):
        hidden_view([(np.eye(2), np.zeros(2))], X)  # logistic regression has no hidden layer


def test_max_margin_direction_closed_forms():
    # two support points (1, 0), (0, 1) of one class: w* = (1, 1), margin 1/√2
    mm = max_margin_direction(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1, 1]))
    np.testing.assert_allclose(mm.direction, [2 ** -0.5, 2 ** -0.5], atol=1e-9)
    assert mm.margin == pytest.approx(2 ** -0.5, abs=1e-9) and list(mm.support) == [0, 1]
    # symmetric support points ±(2, 1) and points farther out that change nothing: w* ∥ (2, 1)
    X = np.array([[2.0, 1.0], [-2.0, -1.0], [4.0, 3.0], [-3.0, -3.0], [3.0, 2.5]])
    mm = max_margin_direction(X, np.array([1, 0, 1, 0, 1]))
    np.testing.assert_allclose(mm.direction, np.array([2.0, 1.0]) / 5 ** 0.5, atol=1e-9)
    assert mm.margin == pytest.approx(5 ** 0.5, abs=1e-9) and set(mm.support) <= {0, 1}
    with pytest.raises(ValueError):
        max_margin_direction(np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, 0]), max_sweeps=200)


@pytest.mark.parametrize("loss", ["logistic", "exponential"])
def test_margin_loss_gradient_equals_autograd(loss):
    rng = np.random.default_rng(4)
    Z, w = rng.normal(size=(30, 2)), rng.normal(size=2)
    value, grad = margin_loss(w, Z, loss)
    wt = torch.tensor(w, requires_grad=True)
    m = torch.tensor(Z) @ wt
    ref = torch.nn.functional.softplus(-m).mean() if loss == "logistic" else torch.exp(-m).mean()
    ref.backward()
    assert value == pytest.approx(ref.item(), rel=1e-12)
    np.testing.assert_allclose(grad, wt.grad.numpy(), rtol=1e-12)


SEPARABLE_X = np.array([[2.0, 1.0], [4.0, 3.0], [3.0, 2.5], [-2.0, -1.0], [-3.0, -3.0]])
SEPARABLE_Y = np.array([1, 1, 1, 0, 0])


def test_gradient_descent_drifts_to_the_max_margin_direction_while_the_norm_grows_like_log_t():
    decades = np.array([100, 1_000, 10_000, 100_000])
    path = implicit_bias_path(SEPARABLE_X, SEPARABLE_Y, 100_000, lr=1.0, record_at=decades, exact_steps=1_000)
    assert list(path.steps) == list(decades) and path.exact == 1_000
    assert all(a > b for a, b in zip(path.angle, path.angle[1:])), path.angle  # shrinking, slowly
    assert path.angle[-1] < 0.5 * path.angle[0]
    growth = np.diff(path.norm)  # ‖w‖ grows by about the same amount per decade: like log t
    assert (growth > 0).all() and growth.max() < 1.5 * growth.min(), path.norm
    svm = max_margin_direction(SEPARABLE_X, SEPARABLE_Y)
    assert path.margin[0] < path.margin[-1] <= svm.margin + 1e-9  # the normalised margin climbs towards the SVM's
    exp_path = implicit_bias_path(SEPARABLE_X, SEPARABLE_Y, 10_000, lr=0.1, loss="exponential",
                                  record_at=[100, 10_000])
    assert exp_path.angle[-1] < exp_path.angle[0]


def perturbed_separable(seed: int, k: int):
    """separable_data(seed) with every coordinate moved by a relative 1e-6 (k = 0: as it is), the two
    support vectors ±p together (apart they would be two constraints 1e-6 apart, which the dual solver
    needs ~10⁵ sweeps to tell apart), and a start w0 of size 1e-6 (k > 0) instead of 0."""
    from core.lessons.inside import separable_data
    X, y = separable_data(seed)
    if k == 0:
        return X, y, None
    rng = np.random.default_rng(100 + k)
    X = X * (1 + 1e-6 * rng.standard_normal(X.shape))
    X[1] = -X[0]
    return X, y, 1e-6 * rng.standard_normal(2)


@pytest.mark.parametrize("loss", ["logistic", "exponential"])
def test_the_panels_claims_hold_over_seeds_and_perturbed_data(loss):
    """What the implicit-bias panel's note says, for seeds 0-4 and slightly moved data and start:
    gradient descent (step 0.1) about 30° off at step 1, 15° at 10⁴, 9° at 10⁶, 5° at 10¹⁰, shrinking at
    every recorded step; normalised GD under 1° by step 1,000; ‖w‖ a straight line of slope ln 10/√5
    a decade against log t at the end."""
    from ui.inside_views import IMPLICIT_EXACT, IMPLICIT_HORIZON, IMPLICIT_LR
    for seed in range(5):
        for k in range(3):
            X, y, w0 = perturbed_separable(seed, k)
            gd = implicit_bias_path(X, y, IMPLICIT_HORIZON, lr=IMPLICIT_LR, loss=loss, w0=w0,
                                    exact_steps=IMPLICIT_EXACT)
            ngd = implicit_bias_path(X, y, IMPLICIT_HORIZON, lr=IMPLICIT_LR, loss=loss, w0=w0, optimizer="ngd",
                                     exact_steps=IMPLICIT_EXACT)
            at = {t: i for i, t in enumerate(gd.steps)}
            checkpoints = gd.angle[[at[10 ** d] for d in range(11)]]
            assert (np.diff(checkpoints) < 0).all(), (seed, k, checkpoints)  # every decade closer
            assert (np.diff(gd.angle) <= 1e-9).all(), (seed, k)  # and at every recorded step
            assert 26 < checkpoints[0] < 33 and 14 < checkpoints[4] < 17, (seed, k, checkpoints)
            assert 8 < checkpoints[6] < 10.5 and 4 < checkpoints[10] < 6, (seed, k, checkpoints)
            assert ngd.angle[at[1_000]] < 1 and ngd.angle[-1] < 1e-3, (seed, k, ngd.angle[at[1_000]])
            per_decade = (gd.norm[-1] - gd.norm[at[10 ** 8]]) / 2
            assert per_decade == pytest.approx(np.log(10) / 5 ** 0.5, rel=0.02), (seed, k, per_decade)


@pytest.mark.parametrize("loss", ["logistic", "exponential"])
@pytest.mark.parametrize("optimizer", ["gd", "ngd"])
def test_the_flow_continues_the_steps_it_replaces(loss, optimizer):
    """Past exact_steps the path follows the flow dw/dt = lr·(step direction): where the steps are small
    it lands where the steps one by one do (10⁴ steps: a tenth of a second)."""
    from core.lessons.inside import separable_data
    X, y = separable_data(1)
    at = [1_000, 3_000, 10_000]
    steps = implicit_bias_path(X, y, 10_000, lr=0.1, loss=loss, optimizer=optimizer, record_at=at)
    flow = implicit_bias_path(X, y, 10_000, lr=0.1, loss=loss, optimizer=optimizer, record_at=at, exact_steps=1_000)
    assert steps.exact == 10_000 and flow.exact == 1_000 and list(flow.steps) == at
    np.testing.assert_allclose(flow.angle, steps.angle, atol=1e-3)  # measured: GD 2.8e-4°, normalised 1e-5°
    np.testing.assert_allclose(flow.norm, steps.norm, rtol=1e-4)


def test_normalised_steps_never_underflow():
    """At ‖w‖ in the thousands every e^-m is 0 in float64; the normalised direction still points at the
    support vector (2, 1), where ∇L/‖∇L‖ would be 0/0."""
    from core.lessons.inside import descent_direction
    Z = np.array([[2.0, 1.0], [3.0, 4.5]])
    w = np.array([2.0, 1.0]) * 1_000
    assert not descent_direction(w, Z, "exponential").any()  # the plain gradient: 0
    for loss in ("logistic", "exponential"):
        np.testing.assert_allclose(descent_direction(w, Z, loss, normalized=True), np.array([2.0, 1.0]) / 5 ** 0.5)
    with pytest.raises(ValueError):
        descent_direction(w, Z, "hinge")
    with pytest.raises(ValueError):  # Adam's steps have no flow here
        implicit_bias_path(Z, np.array([1, 1]), 100, optimizer="adam", exact_steps=10)


def test_adam_takes_a_different_direction():
    at = [10_000]
    gd = implicit_bias_path(SEPARABLE_X, SEPARABLE_Y, 10_000, lr=1.0, record_at=at)
    adam = implicit_bias_path(SEPARABLE_X, SEPARABLE_Y, 10_000, lr=0.01, optimizer="adam", record_at=at)
    assert adam.angle[-1] > gd.angle[-1] + 3.0, (adam.angle, gd.angle)
    cos = adam.w @ gd.w / (np.linalg.norm(adam.w) * np.linalg.norm(gd.w))
    assert np.degrees(np.arccos(min(1.0, cos))) > 3.0


def test_the_boundary_equation_solved_for_x2():
    from core.lessons.inside import line_equation, signed_terms
    eq = line_equation(np.array([2.0, -4.0]), 1.0)  # 2x1 - 4x2 + 1 = 0  ->  x2 = 0.5 x1 + 0.25
    assert (eq.slope, eq.intercept, eq.x1) == (0.5, 0.25, None)
    vertical = line_equation(np.array([2.0, 0.0]), -1.0)  # x1 = 0.5
    assert vertical.slope is None and vertical.x1 == 0.5
    assert signed_terms((1.2345, "x₁"), (-0.5, "x₂"), (0.0891, "")) == "1.234·x₁ − 0.500·x₂ + 0.089"
    assert signed_terms((-1.0, "x₁"), (2.0, "")) == "−1.000·x₁ + 2.000"


def logistic_run(**kw):
    from core.runs.config import Playground2DConfig
    from core.runs.playground import build_run
    return build_run(Playground2DConfig(model="logistic", dataset="blobs", **kw))


@pytest.mark.parametrize("loss", [k for k, spec in LOSSES.items() if spec.binary is not None])
def test_the_cost_surface_is_the_trainers_loss_at_those_weights(loss):  # all rows at once (vmap) per loss
    from core.lessons.inside import cost_surface
    run = logistic_run(loss=loss)
    t = run.trainer
    w1s, w2s = np.array([-1.0, 0.3, 2.0]), np.array([-0.5, 1.5])
    J = cost_surface(t, w1s, w2s)
    assert J.shape == (2, 3)
    with torch.no_grad():
        for i, w2 in enumerate(w2s):
            for j, w1 in enumerate(w1s):
                t.model.net.weight.copy_(torch.tensor([w1, w2]))
                t.forget_logits()
                own = t.objective(t.logits(t.data.X_train), t.data.y_given, None).item()
                assert J[i, j] == pytest.approx(own, rel=1e-5, abs=1e-6), (w1, w2)


def test_the_cost_gradient_equals_a_finite_difference_and_the_path_equals_the_recorded_weights():
    from core.lessons.inside import cost_gradient, cost_surface
    from core.runs import advance
    run = logistic_run(optimizer="sgd", lr=0.1)
    t = run.trainer
    g, gb = cost_gradient(t)
    w = t.model.net.weight.detach().double().numpy()
    h = 1e-3
    J = cost_surface(t, [w[0] - h, w[0] + h], [w[1]])
    assert g[0] == pytest.approx((J[0, 1] - J[0, 0]) / (2 * h), rel=1e-2, abs=1e-4)
    seen = [(0, *t.model.net.weight.detach().double().tolist(), float(t.model.net.bias.detach()[0]))]
    for _ in range(4):
        advance(run, 3, seconds=None)
        seen.append((t.steps, *t.model.net.weight.detach().double().tolist(), float(t.model.net.bias.detach()[0])))
    np.testing.assert_allclose(run.path.array(), np.array(seen), rtol=1e-12)
    assert [p[0] for p in run.path.points] == [0, 3, 6, 9, 12]  # one point per evaluation (a frame)


def test_the_path_forgets_steps_gone_back_and_thins_a_long_run():
    from core.runs import WeightPath
    model = logistic_run().trainer.model
    path = WeightPath(limit=10)
    for step in (0, 5, 10, 15):
        path.record(step, model)
    path.window, path.minimum = (np.zeros(2), np.ones(2)), np.ones(2)  # the parameter view's, so far
    path.record(16, model)
    assert path.window is not None and path.minimum is not None  # forward: kept (the window only grows)
    path.record(10, model)  # a divergence restored step 10: the points after it go
    assert [p[0] for p in path.points] == [0, 5, 10]
    assert path.window is None and path.minimum is None  # and the view starts afresh
    for step in range(11, 30):
        path.record(step, model)
    assert len(path.points) <= 10 and path.points[-1][0] == 29  # every other point, the newest kept
    mlp = build_model("mlp", 2, 2, 0, depth=1, width=3)
    path.record(30, mlp)  # not a binary logistic model: nothing to record
    assert path.points[-1][0] == 29


def test_the_lessons_separable_data_have_a_closed_form_max_margin_direction_that_gd_turns_to():
    from core.lessons.inside import separable_data
    X, y = separable_data(seed=3)
    mm = max_margin_direction(X, y)
    np.testing.assert_allclose(mm.direction, np.array([2.0, 1.0]) / 5 ** 0.5, atol=1e-9)
    # ±(2, 1) with labels 1 and 0 are one constraint y·x = (2, 1): the dual may weigh either
    assert mm.margin == pytest.approx(5 ** 0.5, abs=1e-9) and 1 <= len(mm.support) and set(mm.support) <= {0, 1}
    at = [10, 100, 1_000, 10_000]
    gd = implicit_bias_path(X, y, 10_000, lr=1.0, record_at=at)
    adam = implicit_bias_path(X, y, 10_000, lr=0.01, optimizer="adam", record_at=at)
    assert all(a > b for a, b in zip(gd.angle, gd.angle[1:])) and gd.angle[0] > 20  # starts along the clouds
    assert adam.angle[0] == pytest.approx(np.degrees(np.arctan2(1, 2) - np.arctan2(1, 1)) * -1, abs=0.5)  # (1, 1)


# ---- logistic regression without bias: J(w1, w2) is the whole cost, the line goes through the origin ----
def test_without_bias_the_cost_surface_is_exact_and_the_line_goes_through_the_origin():
    from core.learning.models import is_binary_logistic
    from core.lessons.inside import cost_gradient, cost_surface, line_equation
    from core.runs import WeightPath
    from core.learning.models import linear_boundary
    from core.runs import advance
    run = logistic_run(bias=False, optimizer="sgd", lr=0.1)
    t = run.trainer
    net = t.model.net
    assert is_binary_logistic(t.model) and not net.has_bias
    advance(run, 20, seconds=None)
    assert net.bias.item() == 0.0 and run.path.array()[:, 3].tolist() == [0.0] * len(run.path.points)
    # the model's inputs are the data scaled about (0, 0), not centred: z = w·(x / s)
    X = t.data.X_train.double().numpy()
    scale = np.sqrt((X ** 2).mean(0))
    y = t.data.y_given.double().numpy()
    w = net.weight.detach().double().numpy()
    w1s, w2s = np.array([w[0], -0.7]), np.array([w[1], 1.3])
    J = cost_surface(t, w1s, w2s)
    for i, w2 in enumerate(w2s):
        for j, w1 in enumerate(w1s):
            z = (X / scale) @ np.array([w1, w2])
            by_hand = np.mean(np.logaddexp(0.0, z) - y * z)  # binary cross-entropy of σ(z), no b anywhere
            assert J[i, j] == pytest.approx(by_hand, rel=1e-5)
    p = 1 / (1 + np.exp(-(X / scale) @ w))
    g, _ = cost_gradient(t)
    np.testing.assert_allclose(g, ((p - y) @ (X / scale)) / len(y), rtol=1e-4, atol=1e-7)
    # in the data's own units: (w / s)·x = 0, through the origin
    w_raw, b_raw = linear_boundary(t.model)
    assert b_raw == 0.0
    np.testing.assert_allclose(w_raw.double().numpy(), w / scale, rtol=1e-6)
    eq = line_equation(w_raw.double().numpy(), b_raw)
    assert eq.b == 0.0 and eq.intercept == 0.0
    path = WeightPath()
    path.record(1, t.model)
    assert path.points[-1][3] == 0.0


def test_without_bias_the_exam_scores_are_still_centred_so_the_line_goes_through_their_mean():
    from core.runs.config import Playground2DConfig
    from core.learning.models import linear_boundary
    from core.runs.playground import build_run
    from core.runs import advance
    run = build_run(Playground2DConfig(model="logistic", dataset="exam", bias=False, optimizer="sgd", lr=0.1))
    advance(run, 50, seconds=None)
    t = run.trainer
    assert t.model.net.bias.item() == 0.0
    w_raw, b_raw = linear_boundary(t.model)
    mean = t.data.X_train.double().mean(0)
    assert abs(b_raw) > 1.0  # far from the origin in score points
    assert float(w_raw.double() @ mean) + b_raw == pytest.approx(0.0, abs=1e-4 * abs(b_raw))
    assert t.evaluate()["test_acc"] > 0.8
