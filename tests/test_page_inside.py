"""The forward pass at a point on the 2D page (ui/inside_views.py), as the page shows it (AppTest)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch

from core.i18n import STRINGS
from core.lessons.inside import layers_of, readout
from tests.test_pages import assert_ok, open_2d, run_of, step
from tests.test_pages_mnist import empty_root, env, with_mnist  # noqa: F401 (fixtures: the MNIST test split)

FORWARD = re.compile(r'<div id="forward-pass" data-pattern="([01|]*)" data-p="([0-9.,]+)" data-net="(\w+)">')


def shown(at) -> tuple[str, list[float], str, str]:
    """(pattern, probabilities, network, whole HTML) of the forward-pass table on the page."""
    body = "".join(e.proto.body for e in at.get("html") if 'id="forward-pass"' in e.proto.body)
    m = FORWARD.search(body)
    assert m, body
    return m.group(1), [float(p) for p in m.group(2).split(",")], m.group(3), body


def row(body: str, step_id: str) -> str:
    m = re.search(rf'<tr id="{step_id}">.*?<td style="font-family:monospace">(.*?)</td></tr>', body)
    assert m, (step_id, body)
    return m.group(1)


def opened():
    at = open_2d()
    assert not any('id="forward-pass"' in e.proto.body for e in at.get("html"))  # closed: nothing built
    at.session_state["p2d.open_forward"] = True  # the reader opens the expander
    at.run()
    assert_ok(at)
    return at


def chart_with(at, field: str) -> tuple[dict, list[list[dict]]]:
    """(spec, the rows of each of its data sets) of the chart on the page with rows that have `field`,
    as the browser gets them (Arrow data sets, or values inline in a layer)."""
    import io
    import json

    import pyarrow as pa

    def rows(arrow: bytes) -> list[dict]:
        return pa.ipc.open_stream(io.BytesIO(arrow)).read_all().to_pylist() if arrow else []

    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        tables = [rows(chart.proto.data.data)] + [rows(d.data.data) for d in chart.proto.datasets]
        tables += [layer["data"]["values"] for layer in spec.get("layer", []) if "values" in layer.get("data", {})]
        tables = [t for t in tables if t]
        if any(field in t[0] for t in tables):
            return spec, tables
    raise AssertionError(f"no chart with {field!r} on the page")


def test_the_hand_network_at_the_default_point_shows_each_step():
    at = opened()
    pattern, p, net, body = shown(at)
    assert net == "hand" and pattern == "100"
    assert p == [round(np.exp(0.2) / (np.exp(0.2) + 1), 6), round(1 / (np.exp(0.2) + 1), 6)]  # ≈ (0.55, 0.45)
    assert row(body, "fp-pre-1") == "(0.200, -0.200, -0.200)"
    assert row(body, "fp-h-1") == "(0.200, 0.000, 0.000)"
    assert row(body, "fp-z") == "(0.200, 0.000)"
    assert row(body, "fp-p") == "(0.550, 0.450)"
    assert row(body, "fp-weff") == "[(1.000, -1.000), (0.000, 0.000)]"
    assert row(body, "fp-beff") == "(0.000, 0.000)"
    # another point, typed in: the other side of x1 = x2 switches unit 2 on
    at.number_input(key="p2d.fp.x1").set_value(0.3).run()
    at.number_input(key="p2d.fp.x2").set_value(0.5).run()
    pattern, p, _, body = shown(at)
    assert pattern == "010" and row(body, "fp-z") == "(0.000, 0.200)"
    assert row(body, "fp-weff") == "[(0.000, 0.000), (-1.000, 1.000)]"


def test_this_runs_model_at_a_point_equals_its_own_logits():
    at = opened()
    step(at, 3)
    at.radio(key="p2d.fp.net@en").set_value("run").run()
    assert_ok(at)
    at.number_input(key="p2d.fp.x1").set_value(0.7).run()
    pattern, p, net, body = shown(at)
    assert net == "run"
    model = run_of(at).trainer.model
    x = torch.tensor([[0.7, 0.3]])
    with torch.no_grad():
        z = float(model(x)[0])  # one logit: p(class 1) = σ(z)
    assert p[1] == round(1 / (1 + np.exp(-z)), 6) and abs(p[0] + p[1] - 1) < 1e-5
    expected = readout(*layers_of(model)[:1], (0.7, 0.3))
    assert pattern == expected.pattern and len(pattern.split("|")) == 2  # two hidden layers by default
    assert row(body, "fp-z") == f"({z:.3f})"


def test_in_chinese_and_with_a_curved_activation():
    at = opened()
    at.radio(key="_lang_widget").set_value("zh").run()
    assert_ok(at)
    _, _, _, body = shown(at)
    assert "W₁·x + b₁" in body and STRINGS["fp.p_softmax"]["zh"] in body
    assert at.radio(key="p2d.fp.net@zh").label == STRINGS["fp.net"]["zh"]
    at2 = open_2d({"activation": "tanh"})
    at2.session_state["p2d.open_forward"] = True
    at2.run()
    at2.radio(key="p2d.fp.net@en").set_value("run").run()
    assert_ok(at2)
    _, _, _, body = shown(at2)
    assert 'id="fp-weff"' not in body  # tanh: no linear piece
    assert any(STRINGS["fp.not_piecewise"]["en"].format(activation="tanh") in c.value for c in at2.caption)


def test_linear_regions_on_the_live_canvas_equal_a_brute_force_count():
    from core.pictures.frame_data import RESOLUTION, unb64
    from core.lessons.inside import grid, regions
    from tests.test_inside import brute_force_region_count
    from ui.live_view import shown_payload

    at = open_2d({"depth": "1", "width": "6", "activation": "relu", "model": "mlp"})
    assert not any(b.key == "p2d.regions" and b.value for b in at.checkbox)
    at.checkbox(key="p2d.regions").check().run()
    step(at, 2)
    frame = shown_payload(at.get("bidi_component")[0])["panels"][0]["frame"]
    part = frame["regions"]
    run = run_of(at)
    layers, _ = layers_of(run.trainer.model)
    bounds = run.bounds
    expected = regions(layers, bounds, RESOLUTION, points=run.trainer.data.X_train.double().numpy())
    codes = unb64(part["codes"], "<u2").reshape(RESOLUTION, RESOLUTION)
    assert np.array_equal(codes, expected.codes)
    assert part["count"] == expected.in_window == brute_force_region_count(layers, bounds, RESOLUTION)
    assert part["bound"] == 1 + 6 + 15 and part["count"] <= part["bound"]
    assert 1 <= part["among"] <= part["count"] + 2  # (a tiny region may hold a point but no grid node)
    assert len(grid(bounds, RESOLUTION)) == codes.size
    status = shown_payload(at.get("bidi_component")[0])["before"]
    assert f'id="regions-count" data-count="{part["count"]}"' in status
    assert STRINGS["p2d.regions_bound"]["en"].format(n=6, bound=22) in status.replace("&#x27;", "'")
    at.checkbox(key="p2d.regions").uncheck().run()
    assert shown_payload(at.get("bidi_component")[0])["panels"][0]["frame"]["regions"] is None


def test_hidden_space_with_two_units_shows_the_activations_and_the_output_line():
    from core.lessons.inside import hidden_view
    at = open_2d({"model": "mlp", "depth": "2", "width": "2", "activation": "relu", "noise_kind": "symmetric",
                  "noise_rate": "0.2"})
    at.session_state["p2d.open_hidden"] = True
    at.run()
    for _ in range(15):  # 150 steps: the output line has moved into the points' quadrant
        at.button(key="p2d.step10_button").click().run()
    spec, tables = chart_with(at, "a")
    run = run_of(at)
    view = hidden_view(*layers_of(run.trainer.model)[:1], run.trainer.data.X_train.double().numpy())
    points = next(t for t in tables if len(t) == len(view.coords) and "label" in t[0])
    np.testing.assert_allclose([[r["a"], r["b"]] for r in points], view.coords, atol=1e-9)
    assert [r["label"] for r in points] == [str(int(c)) for c in run.trainer.data.y_given]
    assert sum(r["flipped"] for r in points) == int(run.trainer.data.flipped.sum()) > 0
    assert 'data-exact="1" data-lines="1"' in "".join(e.proto.body for e in at.get("html"))
    (segment,) = [t for t in tables if "line" in t[0]]  # the output layer's line, drawn in hidden space
    (normal, offset), = view.lines
    assert len(segment) == 2 and all(abs(normal @ [r["a"], r["b"]] + offset) < 1e-9 for r in segment)
    assert any(STRINGS["hs.exact"]["en"][:40] in c.value for c in at.caption)


def test_hidden_space_of_a_wide_layer_is_a_projection_and_logistic_has_none():
    at = open_2d()
    at.session_state["p2d.open_hidden"] = True
    at.run()
    assert_ok(at)
    spec, _ = chart_with(at, "a")
    assert "principal component 1" in str(spec)
    assert 'data-exact="0" data-lines="0"' in "".join(e.proto.body for e in at.get("html"))
    at2 = open_2d({"model": "logistic"})
    at2.session_state["p2d.open_hidden"] = True
    at2.run()
    assert_ok(at2)
    assert any(STRINGS["hs.no_hidden"]["en"] in c.value for c in at2.caption)


def test_logistic_boundary_equation_is_live_in_the_datas_units():
    from core.learning.models import linear_boundary
    from ui.live_view import shown_payload
    at = open_2d({"model": "logistic", "dataset": "exam"})
    step(at, 5)
    status = shown_payload(at.get("bidi_component")[0])["before"]
    m = re.search(r'id="boundary-equation" data-w1="([^"]+)" data-w2="([^"]+)" data-b="([^"]+)"', status)
    assert m, status
    w, b = linear_boundary(run_of(at).trainer.model)
    np.testing.assert_allclose([float(v) for v in m.groups()], [float(w[0]), float(w[1]), b], rtol=1e-6)
    # the printed x2 = slope·x1 + intercept: a point of the line in exam-score units satisfies w·x + b = 0
    slope, icpt = -float(w[0]) / float(w[1]), -b / float(w[1])
    x1 = 60.0
    assert abs(float(w[0]) * x1 + float(w[1]) * (slope * x1 + icpt) + b) < 1e-4 * max(1.0, abs(b))
    assert f"x₂ = {slope:.3f}·x₁" in status.replace("−", "-") or f"x₂ = −{abs(slope):.3f}·x₁" in status
    assert STRINGS["eq.units"]["en"] in status.replace("&#x27;", "'")
    mlp = open_2d()
    assert 'id="boundary-equation"' not in shown_payload(mlp.get("bidi_component")[0])["before"]


def test_parameter_space_shows_the_loss_surface_the_path_and_the_descent_direction():
    from core.lessons.inside import cost_gradient, cost_surface
    at = open_2d({"model": "logistic", "dataset": "blobs", "optimizer": "sgd", "lr": "0.3"})
    at.session_state["p2d.open_params"] = True
    at.run()
    for _ in range(3):
        at.button(key="p2d.step10_button").click().run()
    assert_ok(at)
    run = run_of(at)
    _, tables = chart_with(at, "J")
    (cells,) = [t for t in tables if "J" in t[0]]
    w1s = sorted({c["w1"] for c in cells})
    w2s = sorted({c["w2"] for c in cells})
    J = cost_surface(run.trainer, w1s, w2s)
    shown = {(c["w1"], c["w2"]): c["J"] for c in cells}
    assert all(shown[(a, c)] == pytest.approx(J[i, j], rel=1e-9) for i, c in enumerate(w2s) for j, a in enumerate(w1s))
    (walk,) = [t for t in tables if "step" in t[0]]  # the path: every recorded point, in order
    assert [(r["step"], r["w1"], r["w2"]) for r in walk] == [(int(p[0]), p[1], p[2]) for p in run.path.points]
    assert [r["step"] for r in walk] == [0, 10, 20, 30]
    w = run.trainer.model.net.weight.detach().double().numpy()
    assert walk[-1]["w1"] == pytest.approx(w[0]) and walk[-1]["w2"] == pytest.approx(w[1])
    (arrow,) = [t for t in tables if "end" in t[0]]
    g, _ = cost_gradient(run.trainer)
    d = np.array([arrow[1]["w1"] - arrow[0]["w1"], arrow[1]["w2"] - arrow[0]["w2"]])
    assert d @ -g / (np.linalg.norm(d) * np.linalg.norm(g)) == pytest.approx(1.0)  # along −∇J
    marker = "".join(e.proto.body for e in at.get("html") if 'id="parameter-space"' in e.proto.body)
    assert 'data-points="4"' in marker and "−∇J" in marker
    assert 'data-minimum="none"' in marker and STRINGS["ps.no_minimum"]["en"] in marker  # blobs a line separates
    # any other model: a note, no map
    mlp = open_2d()
    mlp.session_state["p2d.open_params"] = True
    mlp.run()
    assert any(STRINGS["ps.only_logistic"]["en"] in c.value for c in mlp.caption)


IMPLICIT = re.compile(r'<div id="implicit-bias"([^>]*)>(.*?)</div>', re.S)


def implicit_shown(at) -> tuple[dict, str]:
    """(the marker's data attributes as floats, its text) of the implicit-bias panel."""
    import html as html_lib
    body = "".join(e.proto.body for e in at.get("html") if 'id="implicit-bias"' in e.proto.body)
    m = IMPLICIT.search(body)
    assert m, body
    return ({k: float(v) for k, v in re.findall(r'data-([a-z0-9-]+)="([^"]+)"', m.group(1))},
            html_lib.unescape(m.group(2)))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_implicit_bias_panel_shows_gd_turning_slowly_and_normalised_gd_fast(lang):
    from core.lessons.inside import implicit_bias_path, separable_data
    from ui.inside_views import IMPLICIT_EXACT, IMPLICIT_HORIZON, IMPLICIT_LR
    at = open_2d({"seed": "2", "lang": lang})
    at.session_state["p2d.open_implicit"] = True
    at.run()
    assert_ok(at)
    data, text = implicit_shown(at)
    X, y = separable_data(2)
    gd = implicit_bias_path(X, y, IMPLICIT_HORIZON, lr=IMPLICIT_LR, exact_steps=IMPLICIT_EXACT)
    ngd = implicit_bias_path(X, y, 1_000, lr=IMPLICIT_LR, optimizer="ngd")  # every step one by one
    assert data["steps"] == IMPLICIT_HORIZON and data["exact"] == IMPLICIT_EXACT
    assert data["gd-angle"] == pytest.approx(gd.angle[-1], rel=1e-5)
    assert data["ngd-1000"] == pytest.approx(ngd.angle[-1], rel=1e-5)
    assert data["svm-margin"] == pytest.approx(5 ** 0.5, rel=1e-5)
    # the numbers in the text are the marker's, rounded as printed
    for key, digits in (("gd-start", 1), ("gd-mid", 1), ("gd-late", 1), ("gd-angle", 1), ("ngd-1000", 2),
                        ("norm-slope", 3), ("theory-slope", 3)):
        assert f"{data[key]:.{digits}f}" in text, (key, text)
    # what the fixed note claims: ~30° at first, ~15° at 10⁴, ~9° at 10⁶, ~5° at 10¹⁰, normalised < 1° at 10³
    assert 26 < data["gd-start"] < 33 and 14 < data["gd-mid"] < 17 and 8 < data["gd-late"] < 10.5
    assert 4 < data["gd-angle"] < 6 and data["ngd-1000"] < 1
    assert data["norm-slope"] == pytest.approx(data["theory-slope"], rel=0.02)  # a straight line against log t
    # the charts: the angle of both curves against log t, GD's ‖w‖ and the dashed theory line
    rows = [r for t in chart_with(at, "angle")[1] for r in t if "angle" in r]
    gd_rows = [r["angle"] for r in rows if r["curve"] == STRINGS["ib.gd"][lang]]
    ngd_rows = [r["angle"] for r in rows if r["curve"] == STRINGS["ib.ngd"][lang]]
    np.testing.assert_allclose(gd_rows, gd.angle, rtol=1e-9)
    assert len(ngd_rows) == len(gd_rows) and max(ngd_rows[list(gd.steps).index(1_000):]) < 1
    spec, tables = chart_with(at, "norm")
    assert spec["title"]["text"] == STRINGS["ib.norm_title"][lang] and spec["height"] >= 180
    curves = {r["curve"] for t in tables for r in t}
    assert curves == {STRINGS["ib.gd"][lang], STRINGS["ib.theory"][lang]}
    assert STRINGS["ib.note"][lang][:30] in " ".join(c.value for c in at.caption)
    # the exponential loss: its first step no longer lands where the loss is e^-10 (‖w‖ then stalls)
    at.radio(key=f"p2d.ib.loss@{lang}").set_value("exponential").run()
    assert_ok(at)
    exp_data, _ = implicit_shown(at)
    assert exp_data["gd-mid"] != data["gd-mid"] and 14 < exp_data["gd-mid"] < 17
    assert exp_data["norm-slope"] == pytest.approx(exp_data["theory-slope"], rel=0.02)


def test_mnist_hidden_layer_and_raw_pixels_on_their_principal_components(with_mnist):
    from core.lessons.inside import forward, principal_components
    from tests.test_pages_mnist import SMALL, open_mnist
    from ui.mnist_hidden import MNIST_SHOWN
    at = open_mnist(SMALL)
    at.session_state["mn.open_hidden"] = True
    at.run()
    assert_ok(at)
    marker = "".join(e.proto.body for e in at.get("html") if 'id="mnist-hidden"' in e.proto.body)
    assert marker, "the hidden-space section was not drawn"
    run = at.session_state["mn.run"]
    n = min(MNIST_SHOWN, len(run.trainer.data.y_test))
    assert f'data-n="{n}"' in marker
    X = run.trainer.data.X_test[:n].double().numpy()
    layers, activation = layers_of(run.trainer.model)
    hidden, shares = principal_components(forward(layers, X, activation)[1][-1])
    _, tables = chart_with(at, "digit")  # the first such chart: the hidden layer (left)
    (points,) = [t for t in tables if "digit" in t[0]]
    got = np.array([[r["a"], r["b"]] for r in points])
    signs = np.sign((got * hidden).sum(0))
    np.testing.assert_allclose(got * signs, hidden, atol=1e-6)  # the left chart: the hidden layer's PCs
    assert f'data-hidden-share="{shares[0] + shares[1]:.6f}"' in marker
    raw_shares = principal_components(X)[1]
    assert f'data-raw-share="{raw_shares[0] + raw_shares[1]:.6f}"' in marker


def test_mnist_cnn_features_on_their_principal_components(with_mnist):
    from core.lessons.inside import principal_components
    from core.learning.models import SmallCNN, cnn_features
    from tests.test_pages_mnist import SMALL, open_mnist
    from ui.mnist_hidden import MNIST_SHOWN
    at = open_mnist({**SMALL, "model": "cnn"})
    at.session_state["mn.open_hidden"] = True
    at.run()
    assert_ok(at)
    run = at.session_state["mn.run"]
    assert isinstance(run.trainer.model.net, SmallCNN)
    marker = "".join(e.proto.body for e in at.get("html") if 'id="mnist-hidden"' in e.proto.body)
    n = min(MNIST_SHOWN, len(run.trainer.data.y_test))
    assert 'data-layer="cnn"' in marker and f'data-n="{n}"' in marker
    captions = " ".join(c.value for c in at.caption)
    assert STRINGS["mh.layer_cnn"]["en"] in captions and STRINGS["mh.layer_mlp"]["en"] not in captions
    feats = cnn_features(run.trainer.model, run.trainer.data.X_test[:n]).double().numpy()
    assert feats.shape == (n, 32 * 7 * 7)
    coords, shares = principal_components(feats)
    assert 0 < shares[0] + shares[1] <= 1
    assert f'data-hidden-share="{shares[0] + shares[1]:.6f}"' in marker
    spec, tables = chart_with(at, "digit")  # the left chart: the CNN's features
    assert spec["title"] == STRINGS["mh.title_cnn"]["en"]
    (points,) = [t for t in tables if "digit" in t[0]]
    got = np.array([[r["a"], r["b"]] for r in points])
    signs = np.sign((got * coords).sum(0))
    np.testing.assert_allclose(got * signs, coords, atol=1e-6)
    at.radio(key="_lang_widget").set_value("zh").run()  # in 中文 the caption names the same layer
    assert_ok(at)
    assert STRINGS["mh.layer_cnn"]["zh"] in " ".join(c.value for c in at.caption)


def test_each_layer_row_names_what_it_multiplies():
    """Layer 1 takes the point x, layer 2 the first layer's h₁, the logits the last h."""
    from core.i18n import translate
    from ui.inside_views import _layer_input, _sub
    assert translate("fp.pre", "en", n=1, k=_sub(1), inp=_layer_input(1)) == "Layer 1: W₁·x + b₁"
    assert translate("fp.pre", "en", n=2, k=_sub(2), inp=_layer_input(2)) == "Layer 2: W₂·h₁ + b₂"
    assert translate("fp.z", "zh", k=_sub(3), inp=_layer_input(3)) == "logits z = W₃·h₂ + b₃"
    assert _sub(12) == "₁₂"
