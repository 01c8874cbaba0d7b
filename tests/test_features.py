"""Feature inputs of the 2D models (x₁, x₂, x₁², x₂², x₁x₂, sin x₁, sin x₂; core/learning/models.py) and L1
regularisation by its proximal step (core/learning/engines.py): the feature map by hand and through autograd,
the setting in links and run files, the engines and views on feature models, the soft threshold by hand, the
numpy path equal to the torch path with L1, weights that reach exactly 0, and the two lessons' promises over
seeds (core/lessons/presets.py: feature_circle, l1_sparsity)."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest
import torch

from core.learning.engines import NumpySteps, Optimization, TorchFastSteps, numpy_logits, soft_threshold
from core.learning.models import (FEATURES, PLAIN_FEATURES, apply_features, build_model, feature_boundary,
                                  input_labels, is_binary_logistic, linear_boundary, parse_features,
                                  piecewise_linear_inputs, plain_inputs)
from core.runs.config import Playground2DConfig
from core.runs.playground import build_run

ALL = "x1,x2,x1sq,x2sq,x1x2,sinx1,sinx2"


# ---- the feature map ----
def test_every_feature_by_hand():
    X = torch.tensor([[2.0, 3.0], [-0.5, 0.25]], dtype=torch.float64)
    phi = apply_features(tuple(FEATURES), X)
    expected = [[2.0, 3.0, 4.0, 9.0, 6.0, math.sin(2.0), math.sin(3.0)],
                [-0.5, 0.25, 0.25, 0.0625, -0.125, math.sin(-0.5), math.sin(0.25)]]
    torch.testing.assert_close(phi, torch.tensor(expected, dtype=torch.float64))
    assert [FEATURES[k].label for k in FEATURES] == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]
    assert all(f.formula for f in FEATURES.values())
    assert [k for k, f in FEATURES.items() if f.linear] == ["x1", "x2"]


def test_feature_gradients_through_autograd():
    x = torch.tensor([[0.7, -1.3]], dtype=torch.float64, requires_grad=True)
    a, b = 0.7, -1.3
    expected = {"x1": (1, 0), "x2": (0, 1), "x1sq": (2 * a, 0), "x2sq": (0, 2 * b), "x1x2": (b, a),
                "sinx1": (math.cos(a), 0), "sinx2": (0, math.cos(b))}
    for key, grad in expected.items():
        (g,) = torch.autograd.grad(apply_features((key,), x).sum(), x)
        torch.testing.assert_close(g, torch.tensor([grad], dtype=torch.float64), msg=key)


def test_parse_features_canonical_order_and_refusals():
    assert parse_features("x2sq,x1") == ("x1", "x2sq")
    assert parse_features(" x1 , x2 ") == PLAIN_FEATURES
    for bad in ("", "x3", "x1,x1", "x1,", ",x1", "X1", "x1;x2"):
        with pytest.raises(ValueError):
            parse_features(bad)


# ---- the setting: links, model key, run files ----
def test_default_is_todays_model_and_old_links_load_unchanged():
    old = {"dataset": "circles", "model": "logistic", "lr": "0.3", "seed": "2"}  # a link from before features
    config, warnings = Playground2DConfig.from_query(old)
    assert warnings == [] and config.features == "x1,x2" and config.feature_keys() == PLAIN_FEATURES
    run = build_run(config)
    assert plain_inputs(run.trainer.model) and run.trainer.model.net.sizes[0] == 2
    assert run.trainer.model.standardize.features is None  # nothing in the model's path changed
    assert linear_boundary(run.trainer.model) is not None and is_binary_logistic(run.trainer.model)


def test_features_round_trip_through_the_link():
    config = Playground2DConfig(dataset="circles", model="logistic", features="x1sq,x2sq")
    q = config.to_query()
    assert q["features"] == "x1sq,x2sq"
    back, warnings = Playground2DConfig.from_query(q)
    assert warnings == [] and back == config
    # another order is the same setting, written canonically, without a warning
    back, warnings = Playground2DConfig.from_query({**q, "features": "x2sq,x1sq"})
    assert warnings == [] and back.features == "x1sq,x2sq"


@pytest.mark.parametrize("bad", ["", "x3", "x1,x1", "x1,,x2", "sin"])
def test_bad_features_in_a_link_warn_and_fall_back(bad):
    config, warnings = Playground2DConfig.from_query({"features": bad})
    assert config.features == "x1,x2"
    assert [(w.code, w.fields["key"]) for w in warnings] == [("warn.url.bad_value", "features")]


def test_features_are_part_of_the_model_key():
    a = Playground2DConfig()
    assert a.model_key() != a.replace(features="x1,x2,x1sq").model_key()
    assert a.data_key() == a.replace(features="x1,x2,x1sq").data_key()  # same data, a new model


def test_features_ride_in_run_files():
    from core.app.export import parse_run_json, run_json
    config = Playground2DConfig(model="logistic", features="x1sq,x2sq", wd_mode="l1", weight_decay=0.1)
    run = build_run(config)
    run.trainer.step(3)
    page, params = parse_run_json(run_json("2d", config.to_query(), run.trainer.history).encode())
    assert page == "2d" and params["features"] == "x1sq,x2sq" and params["wd_mode"] == "l1"
    assert Playground2DConfig.from_query(params) == (config, [])


def test_a_link_with_l1_parses_for_every_page_that_offers_decay():
    from core.runs.mnist_run import MnistConfig
    from core.runs.regression_config import RegressionConfig
    for cls in (Playground2DConfig, MnistConfig, RegressionConfig):
        config, warnings = cls.from_query({"wd_mode": "l1", "weight_decay": "0.01"})
        assert warnings == [] and config.wd_mode == "l1", cls


# ---- the model: features before the standardisation, everywhere ----
def feature_run(features=ALL, model="logistic", **kw):
    return build_run(Playground2DConfig(dataset="circles", n_samples=200, input_noise=0.1, model=model,
                                        features=features, **kw))


def test_the_model_standardises_the_features_and_the_engines_see_them():
    run = feature_run()
    m, X = run.trainer.model, run.trainer.data.X_train
    assert m.net.sizes[0] == 7 and input_labels(m) == ["x₁", "x₂", "x₁²", "x₂²", "x₁x₂", "sin x₁", "sin x₂"]
    with torch.no_grad():
        Z = m.standardize(X).double()
    torch.testing.assert_close(Z.mean(0), torch.zeros(7, dtype=torch.float64), atol=1e-5, rtol=0)
    torch.testing.assert_close(Z.std(0), torch.ones(7, dtype=torch.float64), atol=1e-4, rtol=0)
    run.trainer.step(2)  # the fast path builds its inputs once
    steps = run.trainer.torch_steps
    assert isinstance(steps, TorchFastSteps)
    torch.testing.assert_close(steps.inputs, m.standardize(X))
    with torch.no_grad():
        torch.testing.assert_close(m(X), m.net(m.standardize(X)).squeeze(-1))
        torch.testing.assert_close(numpy_logits(m, X), m(X), atol=1e-5, rtol=1e-5)


@pytest.mark.parametrize("features", ["x1sq,x2sq", ALL, "x2"])
def test_views_of_a_feature_model_apply_the_features_or_step_aside(features):
    from core.lessons.inside import feature_points, hidden_view, layers_of, readout
    from core.pictures.frame_data import run_frame
    from core.pictures.inside_frames import available_views, hidden_frame, units_frame
    logistic = feature_run(features)
    assert linear_boundary(logistic.trainer.model) is None  # no straight line in the plane
    assert not is_binary_logistic(logistic.trainer.model)  # so no parameter-space view of (w₁, w₂)
    assert "params" not in available_views(logistic.trainer.model)
    labels, w, b = feature_boundary(logistic.trainer.model)
    assert labels == input_labels(logistic.trainer.model) and w.shape == (len(labels),)
    frame = run_frame(logistic, regions=True, unit_lines=True)
    assert frame["line"] is None and frame["regions"] is None
    mlp = feature_run(features, model="mlp", depth=2, width=4)
    assert not piecewise_linear_inputs(mlp.trainer.model) or features == "x2"
    frame = run_frame(mlp, regions=True, unit_lines=True)
    assert frame["regions"] is None and frame["units"] == []
    # the layers of layers_of take the features: fed φ(x) they give the model's own logits
    m, X = mlp.trainer.model, mlp.trainer.data.X_train[:20]
    layers, activation = layers_of(m)
    phi = feature_points(m, X.double().numpy())
    with torch.no_grad():
        z = m.net(m.standardize(X)).double().numpy()
    r = readout(layers, phi[0], activation)
    np.testing.assert_allclose(r.z, z[0], rtol=1e-4, atol=1e-5)
    assert hidden_view(layers, phi, activation).coords.shape[0] == 20
    assert hidden_frame(mlp) is not None and units_frame(mlp) is not None


def test_the_printed_boundary_names_the_features():
    from core.lessons.inside import feature_equation_terms
    run = feature_run("x1sq,x2sq", optimizer="sgd", lr=0.3)
    run.trainer.step(300)
    text = feature_equation_terms(run.trainer.model)
    assert "·x₁² + " in text and "·x₂² − " in text  # a·x₁² + b·x₂² − c: a circle (a, b > 0, c > 0)
    labels, w, b = feature_boundary(run.trainer.model)
    # the raw-unit equation is the model's own: w·φ(x) + b is its logit at every point
    X = run.trainer.data.X_train[:10]
    with torch.no_grad():
        z = run.trainer.model(X).double()
    torch.testing.assert_close(apply_features(("x1sq", "x2sq"), X.double()) @ w.double() + b, z,
                               atol=1e-4, rtol=1e-4)


def test_exact_zero_weights_print_as_zero():
    from core.lessons.inside import feature_equation_terms
    run = feature_run("x1,x2sq")
    with torch.no_grad():
        run.trainer.model.net.weight.copy_(torch.tensor([0.0, 1e-6]))
    text = feature_equation_terms(run.trainer.model)
    assert text.startswith("0·x₁ + 0.000·x₂²"), text  # exactly 0 says so; a tiny weight keeps its digits


# ---- L1: the soft threshold ----
def test_soft_threshold_by_hand_torch_and_numpy():
    w = [0.3, 0.05, -0.3, -0.05, 0.1, 0.0]
    expected = [0.2, 0.0, -0.2, 0.0, 0.0, 0.0]
    t = torch.tensor(w, dtype=torch.float64)
    soft_threshold(t, 0.1)
    torch.testing.assert_close(t, torch.tensor(expected, dtype=torch.float64))
    a = np.array(w)
    soft_threshold(a, 0.1)
    np.testing.assert_allclose(a, expected, atol=1e-15)
    assert (a[[1, 3, 4]] == 0.0).all() and (t[[1, 3, 4]] == 0.0).all()  # exactly 0, not nearly


def test_l1_step_is_sgd_then_the_soft_threshold_on_weights_never_biases():
    model = build_model("logistic", 2, 2, 0)
    with torch.no_grad():
        model.net.weight.copy_(torch.tensor([0.3, 0.05]))
        model.net.bias.copy_(torch.tensor([0.05]))
    opt = Optimization(model, "sgd", lr=0.5, weight_decay=0.2, wd_mode="l1")  # ηλ = 0.1
    assert float(opt.penalty()) == pytest.approx(0.2 * (0.3 + 0.05))  # λ·Σ|w|, biases not counted
    model.net.weight.grad = torch.tensor([0.2, -0.1])
    model.net.bias.grad = torch.tensor([0.02])
    opt.step()
    # SGD: w - ηg = (0.2, 0.1); then the threshold 0.1: (0.1, 0.0); the bias only by SGD: 0.05 - 0.01
    torch.testing.assert_close(model.net.weight.detach(), torch.tensor([0.1, 0.0]))
    assert float(model.net.weight.detach()[1]) == 0.0
    assert float(model.net.bias.detach()[0]) == pytest.approx(0.04)


def test_adamw_keeps_its_own_decay_whatever_the_mode():
    model = build_model("logistic", 2, 2, 0)
    opt = Optimization(model, "adamw", lr=0.1, weight_decay=0.1, wd_mode="l1")
    assert opt.wd_mode == "decoupled" and not opt.l1_active and opt.penalty() == 0.0


def fast_pair(features=ALL, model="logistic", **kw):
    """(numpy-path trainer, torch-path trainer) of one feature model, same weights and batches."""
    from core.learning.trainer import Trainer
    run = feature_run(features, model=model, depth=2, width=8)
    d, m = run.trainer.data, run.trainer.model

    def one(numpy_steps):
        copy = build_model(run.config.model, 2, 2, 0, mean=m.standardize.mean, std=m.standardize.std,
                           features=run.config.feature_keys(), depth=2, width=8)
        copy.load_state_dict(m.state_dict())
        return Trainer(copy, d, seed=1, numpy_steps=numpy_steps, **kw)
    return one(True), one(False)


@pytest.mark.parametrize("optimizer", ["sgd", "momentum", "adam"])
@pytest.mark.parametrize("model", ["logistic", "mlp"])
def test_l1_numpy_path_equals_the_torch_path_step_for_step(optimizer, model):
    a, b = fast_pair(model=model, optimizer=optimizer, lr=0.1, batch_size=10, weight_decay=0.05, wd_mode="l1")
    for _ in range(6):
        assert a.step(15) == b.step(15) == 15
        for pa, pb in zip(a.model.parameters(), b.model.parameters()):
            torch.testing.assert_close(pa, pb, atol=2e-5, rtol=2e-5)
    assert NumpySteps.attach(a) is not None  # the numpy path really ran
    # L1 zeroed weights on both paths: a weight exactly 0 on one is 0 or within rounding of it on the other
    # (one at the threshold's edge may land either side on another CPU's rounding)
    wa, wb = a.model.net.weight.detach(), b.model.net.weight.detach()
    assert (wa == 0).sum() > 0 and (wb == 0).sum() > 0
    assert (wb[wa == 0].abs() <= 1e-4).all() and (wa[wb == 0].abs() <= 1e-4).all()


# ---- the lessons' promises, over seeds (each run a few hundred steps; no single trajectory) ----
SEEDS = range(5)
WATCH_STEPS = 900  # 15 s at the lessons' "slow" speed


def lesson_run(key: str, seed: int, **changes):
    from core.lessons.presets import lesson_params, preset
    config, warnings = Playground2DConfig.from_query(lesson_params(preset(key)))
    assert warnings == []
    run = build_run(config.replace(seed=seed, **changes))
    run.trainer.step(WATCH_STEPS)
    return run, run.trainer.evaluate()


@pytest.mark.parametrize("seed", SEEDS)
def test_feature_circle_lesson_a_line_in_feature_space_separates_the_rings(seed):
    from core.lessons.inside import feature_equation_terms
    run, point = lesson_run("feature_circle", seed)
    assert point["test_acc"] >= 0.9, point
    text = feature_equation_terms(run.trainer.model)
    assert "x₁²" in text and "x₂²" in text, text
    _, w, b = feature_boundary(run.trainer.model)
    assert (w > 0).all() and b < 0  # a·x₁² + b·x₂² = c: an ellipse around the origin
    _, plain = lesson_run("feature_circle", seed, features="x1,x2")  # the same model on (x₁, x₂)
    assert plain["test_acc"] <= 0.75, plain  # near chance: no line separates two rings


@pytest.mark.parametrize("seed", SEEDS)
def test_l1_sparsity_lesson_weights_reach_exactly_zero_and_stay(seed):
    # full batch: exact proximal gradient descent; on seeds 0-4 the five are 0 for good from steps 239-369
    from core.lessons.presets import lesson_params, preset
    config, _ = Playground2DConfig.from_query(lesson_params(preset("l1_sparsity")))
    run = build_run(config.replace(seed=seed))
    weights = run.trainer.model.net.weight
    for _ in range(6):  # steps 600, 660, ..., 900: the same five exactly 0 at each
        run.trainer.step(600 if run.trainer.steps == 0 else 60)
        w = dict(zip(run.config.feature_keys(), weights.detach().tolist()))
        assert [k for k, v in w.items() if v == 0.0] == ["x1", "x2", "x1x2", "sinx1", "sinx2"], (run.trainer.steps, w)
        assert w["x1sq"] > 0 and w["x2sq"] > 0, w
    assert run.trainer.evaluate()["test_acc"] >= 0.9
    l2_run, _ = lesson_run("l1_sparsity", seed, wd_mode="l2")
    assert (l2_run.trainer.model.net.weight != 0).all()  # L2 shrinks but never reaches 0


# ---- the 2D page: the checkboxes and the L1 choice, played ----
def test_page_ticks_features_and_l1_and_plays():
    from tests.test_pages import assert_ok, open_2d, run_of, step
    at = open_2d({"dataset": "circles", "model": "logistic"})
    assert_ok(at)
    assert run_of(at).config.features == "x1,x2"
    at.checkbox(key="w2d.features.x1sq").check().run()
    at.checkbox(key="w2d.features.x2sq").check().run()
    at.checkbox(key="w2d.features.x1").uncheck().run()
    at.checkbox(key="w2d.features.x2").uncheck().run()
    assert_ok(at)
    run = run_of(at)
    assert run.config.features == "x1sq,x2sq" and input_labels(run.trainer.model) == ["x₁²", "x₂²"]
    assert at.query_params["features"] in ("x1sq,x2sq", ["x1sq,x2sq"])  # in the address bar
    at.checkbox(key="w2d.features.x1sq").uncheck().run()
    at.checkbox(key="w2d.features.x2sq").uncheck().run()  # the last one: it stays ticked, said why
    assert_ok(at)
    assert run_of(at).config.features == "x2sq" and at.checkbox(key="w2d.features.x2sq").value
    at.checkbox(key="w2d.features.x1sq").check().run()
    at.select_slider(key="w2d.weight_decay").set_value(0.1).run()
    at.radio(key="w2d.wd_mode@en").set_value("l1").run()
    assert_ok(at)
    run = run_of(at)
    assert run.config.wd_mode == "l1" and run.trainer.optimization.l1_active
    step(at, 3)
    assert run_of(at).trainer.steps == 3
    from tests.test_lesson_promises import live_canvases
    status = " ".join(json.loads(e.proto.json).get("before", "") for e in live_canvases(at))
    assert 'data-features="x₁²,x₂²"' in status and "·x₁² + " in status  # the boundary printed: w·φ(x) + b = 0
    # an MLP with non-linear inputs: the regions checkbox is off with its note
    at.selectbox(key="w2d.model@en").set_value("mlp").run()
    assert_ok(at)
    assert at.checkbox(key="p2d.regions").disabled
    step(at, 2)


def test_paused_sections_of_a_feature_mlp_open_without_exception():
    from tests.test_pages import assert_ok, open_2d, run_of, step
    at = open_2d({"dataset": "circles", "model": "mlp", "depth": "2", "width": "4", "features": "x1,x1sq,sinx2",
                  "side": "units"})
    assert_ok(at)
    step(at, 2)
    for section in ("p2d.open_forward", "p2d.open_hidden", "p2d.open_units", "p2d.open_params"):
        at.session_state[section] = True
    at.run()
    assert_ok(at)
    at.radio(key="p2d.fp.net@en").set_value("run").run()
    assert_ok(at)
    assert run_of(at).config.features == "x1,x1sq,sinx2"
    captions = " ".join(c.value for c in at.caption)
    assert "x₁, x₁², sin x₂" in captions  # the forward pass says its first layer takes the features


def test_compare_runs_that_differ_by_their_inputs_say_so():
    from core.app.labels import label_text, run_labels
    from core.runs.compare import CompareConfig
    spec, warnings = CompareConfig.from_query({"kind": "2d", "runs": "2", "dataset": "circles", "model": "logistic",
                                               "r1.features": "x1,x2", "r2.features": "x1sq,x2sq"})
    assert warnings == [] and [c.features for c in spec.configs()] == ["x1,x2", "x1sq,x2sq"]
    assert [label_text(x, "en") for x in run_labels(spec)] == ["Run 1 · inputs x₁, x₂", "Run 2 · inputs x₁², x₂²"]


def test_compare_page_offers_each_run_its_inputs():
    from streamlit.testing.v1 import AppTest
    from tests.test_pages import APP, assert_ok
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params.update({"kind": "2d", "runs": "2", "dataset": "circles", "model": "logistic",
                            "r2.features": "x1sq,x2sq", "r2.wd_mode": "l1", "r2.weight_decay": "0.1"})
    at.run()
    at.switch_page("pages/3_compare.py").run()
    assert_ok(at)
    runs = at.session_state["cmp.run"]["runs"]
    assert [r.config.features for r in runs] == ["x1,x2", "x1sq,x2sq"] and runs[1].trainer.optimization.l1_active
    at.checkbox(key="cmp.r1.features.sinx1").check().run()
    assert_ok(at)
    assert at.session_state["cmp.run"]["runs"][0].config.features == "x1,x2,sinx1"


def test_a_feature_models_weights_file_loads_into_the_same_settings():
    from core.app.export import load_state_dict_bytes, state_dict_bytes
    trained = feature_run("x1,x1sq,x2sq,sinx2", model="mlp", depth=1, width=3)
    trained.trainer.step(20)
    fresh = feature_run("x1,x1sq,x2sq,sinx2", model="mlp", depth=1, width=3, seed=5)
    load_state_dict_bytes(state_dict_bytes(trained.trainer.model), fresh.trainer.model)
    X = trained.trainer.data.X_train
    with torch.no_grad():
        torch.testing.assert_close(fresh.trainer.model(X), trained.trainer.model(X))


def test_an_explained_sgd_step_with_l1_is_the_update_then_the_threshold():
    from core.lessons.step_explained import explain_step
    run = build_run(Playground2DConfig(dataset="blobs", model="logistic", optimizer="sgd", lr=0.1,
                                       weight_decay=0.3, wd_mode="l1"))
    e = explain_step(run.trainer)
    assert e.l1_threshold == pytest.approx(0.03)
    expected = torch.from_numpy(e.predicted.copy())
    soft_threshold(expected, e.l1_threshold)
    np.testing.assert_allclose(e.w_new, expected.numpy(), rtol=1e-5, atol=1e-6)
